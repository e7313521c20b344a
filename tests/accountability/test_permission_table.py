"""Every (state, transition, role) cell of the accountability procedure.

The expected table below is written by hand from the transition table of docs/api.md and the roles
of docs/accountability.md — it deliberately does not read the declaration's actors or the state
machine, so that a change in the code that departs from the contract shows up here.

One test per state: a fresh case is driven through the services to that state (dates in
January 2026, entered after the fact), then every transition × every demo account is checked:

* hidden   — the account cannot even see the case: ``rules.can_view`` is false and the service
             refuses with NotAllowed "无权查看" (the API answers 404);
* forbidden — the account sees the case but its role may not act: NotAllowed (403);
* wrong state — the role may act but not from this state: WrongState (409) naming the state;
* allowed  — the step's actor and its source states both say yes (not performed: each would
             need a real body and would change the case).
"""

import datetime

import pytest

from casework.accountability import rules, services
from casework.accountability.declaration import ACCOUNTABILITY
from casework.accountability.models import AccountabilityCase, State
from casework.exceptions import NotAllowed, RefusedByRule, WrongState
from casework.org.models import Official, User

pytestmark = pytest.mark.django_db


D = datetime.date
S = State

# --- the contract, written out --------------------------------------------------------------

MAYOR = {"mayor"}  # the mayor's own acts (Nanchong art. 5, 6, 10, 12, 15, 16)
# Ordering and hearing the report, charging the investigation: also the vice-mayor by the
# recorded delegation (Nanchong art. 6).
DELEGABLE = {"mayor", "vicemayor"}
OFFICIAL = "official"  # the official concerned of the case (placeholder for a username)
STAFF = {"secretariat", "investigator"}  # entering a filing that arrived on paper

# transition → (from states, who may do it)
EXPECTED = {
    "start": ({S.PROPOSED}, MAYOR),
    # Nanchong art. 5: the mayor "may" start; he may decline, closing the lead.
    "decline": ({S.PROPOSED}, MAYOR),
    "order_report": ({S.INITIATED}, DELEGABLE),
    "report_heard": ({S.REPORT_ORDERED}, DELEGABLE),
    "submit_to_meeting": ({S.INITIATED, S.REPORT_SUBMITTED}, MAYOR),
    "assign_investigation": ({S.INITIATED}, DELEGABLE),
    "notify_findings": ({S.INVESTIGATING}, {"investigator"}),
    # An objection posted in time reopens closed findings [rule: postmark].
    "file_objection": ({S.FINDINGS_NOTIFIED, S.FINDINGS_CLOSED}, {OFFICIAL} | STAFF),
    # Nanchong art. 8: asked whether he objects, the official may say he does not.
    "accept_findings": ({S.FINDINGS_NOTIFIED}, {OFFICIAL}),
    "close_findings": ({S.FINDINGS_NOTIFIED}, {"investigator"}),
    "submit_report": ({S.FINDINGS_CLOSED}, {"investigator"}),
    "decide_no_accountability": ({S.REPORT_SUBMITTED}, MAYOR),
    "schedule": ({S.AWAITING_MEETING}, {"secretariat"}),
    "deliberate": ({S.SCHEDULED}, {"secretariat"}),
    # A head's case only after the meeting; a linked case (Nanchong art. 20) also from
    # initiated or report_submitted (tests/accountability/test_law_second_pass.py).
    "decide": ({S.DELIBERATED}, MAYOR),
    "send_proposal": ({S.DELIBERATED}, MAYOR),
    "serve": ({S.DECIDED}, {"investigator", "secretariat"}),
    # The official files, staff enter a paper request; the mayor admits a late request with
    # late_ok (Nanchong art. 14; else the API answers 422). A request posted in time reopens
    # a decision that became final meanwhile.
    "request_review": ({S.SERVED, S.FINAL}, {OFFICIAL} | STAFF | MAYOR),
    # Nanchong art. 14: the right to request review may be forgone.
    "waive_review": ({S.SERVED}, {OFFICIAL}),
    "become_final": ({S.SERVED}, {"secretariat", "investigator"}),
    "refuse_review": ({S.REVIEW_REQUESTED}, MAYOR),
    "accept_review": ({S.REVIEW_REQUESTED}, MAYOR),
    "submit_review_report": ({S.UNDER_REVIEW}, {"legal"}),
    "review_decide": ({S.REVIEW_REPORTED}, MAYOR),
    "close": ({S.FINAL, S.NOT_ACCOUNTABLE, S.PROPOSAL_SENT}, {"secretariat"}),
    # Nanchong art. 16 (二): a modified decision is served again (after review_decide → final).
    "serve_modified": ({S.FINAL}, {"investigator", "secretariat"}),
    # Recording actions (no state change).
    "record_execution": (
        {S.SERVED, S.REVIEW_REQUESTED, S.UNDER_REVIEW, S.REVIEW_REPORTED, S.FINAL},
        {"secretariat", "investigator"},
    ),
    # Side records: Nanchong art. 18 (referral), 19 (prior sanction), 20 (linked case).
    "record_referral": (set(S) - {S.CLOSED}, {"investigator"}),
    "record_prior_sanction": (set(S) - {S.CLOSED}, {"investigator", "secretariat"}),
    "open_linked_case": ({S.SERVED, S.FINAL, S.CLOSED}, {"secretariat", "investigator", OFFICIAL}),
    # Electronic service: the official's first opening is the receipt.
    "open_decision": ({S.SERVED, S.FINAL}, {OFFICIAL}),
}

ACCOUNTS = [
    "mayor",
    "vicemayor",
    "secretariat",
    "investigator",
    "legal",
    "complaints",
    "head_education",
    "head_transport",
    "head_tax",
    "admin",
]
# The complaints office is not a party to the accountability procedure (Liupanshui art. 12:
# no one reads another's work items without authorisation); another official neither.
NEVER_SEE = {"complaints"}

BODIES = {
    "start": {},
    "decline": {"reason": "线索不实"},
    "order_report": {},
    "report_heard": {"notes": "已听取汇报"},
    "submit_to_meeting": {"reason": "事实清楚"},
    "assign_investigation": {"working_days": 10},
    "notify_findings": {"findings": "属实", "served_on": None},
    "file_objection": {"text": "有异议"},
    "accept_findings": {},
    "close_findings": {},
    "submit_report": {"report": "报告", "recommendation": "accountable"},
    "decide_no_accountability": {"reason": "情节轻微"},
    "schedule": {"meeting_date": None},
    "deliberate": {"minutes": "纪要"},
    "decide": {"modes": ["3"], "reason": "情节较重"},
    "send_proposal": {"organ": "四川省国家税务局", "text": "建议问责"},
    "serve": {"received_on": None, "method": "in_person"},
    "request_review": {"grounds": "不服"},
    "waive_review": {},
    "become_final": {},
    "refuse_review": {"reason": "逾期"},
    "accept_review": {},
    "submit_review_report": {"report": "复核报告"},
    "review_decide": {"outcome": "uphold", "reason": "维持"},
    "close": {},
    "serve_modified": {"received_on": None, "method": "in_person"},
    "record_execution": {"kind": "rectification", "note": "已整改"},
    "record_referral": {"kind": "disciplinary", "organ": "市监察局"},
    "record_prior_sanction": {
        "sanction": "警告",
        "imposed_by": "市纪委",
        "imposed_on": "2025-06-01",
    },
    "open_linked_case": {"person_name": "王五", "post": "副局长", "summary": "分管不力"},
    "open_decision": {},
}


# --- building a case in a given state -------------------------------------------------------


def _people():
    return {user.username: user for user in User.objects.all()}


def _do(people, case, name, username, on, **body):
    body["on"] = on.isoformat()
    for key, value in list(body.items()):
        if isinstance(value, datetime.date):
            body[key] = value.isoformat()
    return services.transition(case, name, people[username], body)


def _register(people, official, on):
    return services.register_case(
        people["secretariat"],
        {
            "official": Official.objects.get(user__username=official).pk,
            "grounds": ["4.1.1"],
            "source": "mayor",
            "summary": "未完成政府工作报告确定的任务",
            "on": on.isoformat(),
        },
    )


# Each step: (state reached, transition, username, day, body). Paths share their prefixes.
_INVESTIGATED = [
    (S.INITIATED, "start", "mayor", D(2026, 1, 5), {}),
    (S.INVESTIGATING, "assign_investigation", "mayor", D(2026, 1, 6), {"working_days": 20}),
    (
        S.FINDINGS_NOTIFIED,
        "notify_findings",
        "investigator",
        D(2026, 1, 20),
        {"findings": "属实", "served_on": D(2026, 1, 20)},
    ),
    (S.FINDINGS_CLOSED, "close_findings", "investigator", D(2026, 1, 28), {}),
    (
        S.REPORT_SUBMITTED,
        "submit_report",
        "investigator",
        D(2026, 1, 29),
        {"report": "报告", "recommendation": "not_accountable"},
    ),
    (S.NOT_ACCOUNTABLE, "decide_no_accountability", "mayor", D(2026, 1, 30), {"reason": "轻微"}),
]
_DIRECT = [
    (S.INITIATED, "start", "mayor", D(2026, 1, 5), {}),
    (S.AWAITING_MEETING, "submit_to_meeting", "mayor", D(2026, 1, 6), {"reason": "事实清楚"}),
    (S.SCHEDULED, "schedule", "secretariat", D(2026, 1, 7), {"meeting_date": D(2026, 1, 8)}),
    (S.DELIBERATED, "deliberate", "secretariat", D(2026, 1, 8), {"minutes": "纪要"}),
    (S.DECIDED, "decide", "mayor", D(2026, 1, 9), {"modes": ["2", "3"], "reason": "较重"}),
    (
        S.SERVED,
        "serve",
        "investigator",
        D(2026, 1, 12),
        {"received_on": D(2026, 1, 12), "method": "in_person"},
    ),
]
_REVIEWED = [
    (S.REVIEW_REQUESTED, "request_review", OFFICIAL, D(2026, 1, 13), {"grounds": "不服"}),
    (S.UNDER_REVIEW, "accept_review", "mayor", D(2026, 1, 14), {"suspend": False}),
    (S.REVIEW_REPORTED, "submit_review_report", "legal", D(2026, 1, 15), {"report": "复核"}),
]
# Review window from 2026-01-12: 10 working days → 2026-01-26; final on the 11th.
_FINALISED = [
    (S.FINAL, "become_final", "secretariat", D(2026, 1, 27), {}),
    (
        None,
        "record_execution",
        "secretariat",
        D(2026, 1, 28),
        {"kind": "rectification", "note": "已整改"},
    ),
    (S.CLOSED, "close", "secretariat", D(2026, 1, 29), {}),
]
_REPORT = [
    (S.INITIATED, "start", "mayor", D(2026, 1, 5), {}),
    (S.REPORT_ORDERED, "order_report", "mayor", D(2026, 1, 6), {}),
]
_VERTICAL = _DIRECT[:4] + [
    (S.PROPOSAL_SENT, "send_proposal", "mayor", D(2026, 1, 9), {"organ": "省局", "text": "建议"}),
]

PATHS = [
    ("head_education", _INVESTIGATED),
    ("head_education", _DIRECT + _REVIEWED),
    ("head_education", _DIRECT + _FINALISED),
    ("head_education", _REPORT),
    ("head_tax", _VERTICAL),
]


def reach(state) -> AccountabilityCase:
    """A fresh case in ``state``, reached through the services only."""
    people = _people()
    for official, path in PATHS:
        states = [step[0] for step in path]
        if state != S.PROPOSED and state not in states:
            continue
        case = _register(people, official, D(2026, 1, 5))
        if state == S.PROPOSED:
            return case
        for reached, name, username, on, body in path:
            actor = official if username == OFFICIAL else username
            case = _do(people, case, name, actor, on, **dict(body))
            if reached is not None:
                assert case.state == reached, (name, case.state)
            if reached == state:
                return case
    raise AssertionError(f"no path reaches {state}")


# --- the table ------------------------------------------------------------------------------


def expected_outcome(state, name, account, official) -> str:
    states, actors = EXPECTED[name]
    if account in NEVER_SEE or (account.startswith("head_") and account != official):
        return "hidden"
    role = OFFICIAL if account == official else account
    if role not in actors:
        return "forbidden"
    return "allowed" if state in states else "wrong_state"


def _body(name, on):
    body = dict(BODIES[name])
    for key, value in body.items():
        if value is None:
            body[key] = on.isoformat()
    body["on"] = on.isoformat()
    return body


def may(user, name, case, on) -> bool:
    return ACCOUNTABILITY.step(name).by(user, case, on)


def allowed_from(name, state) -> bool:
    if name == "decide" and state != S.DELIBERATED:
        return False  # open in the state machine for linked cases only (guard: 409)
    return ACCOUNTABILITY.open_in(ACCOUNTABILITY.step(name), state)


def _check_cell(case, name, user, expected, on) -> str | None:
    """None when the cell behaves as expected, else what happened."""
    state_label = str(State(case.state).label)
    if expected == "allowed":
        if not may(user, name, case, on):
            return "rules.may is false"
        if not allowed_from(name, case.state):
            return "rules.allowed_from is false"
        return None
    if expected == "hidden" and rules.can_view(user, case):
        return "rules.can_view is true"
    if expected == "forbidden" and may(user, name, case, on):
        return "rules.may is true"
    if expected == "wrong_state":
        if not may(user, name, case, on):
            return "rules.may is false"
        if allowed_from(name, case.state):
            return "rules.allowed_from is true"
    try:
        services.transition(case, name, user, _body(name, on))
    except NotAllowed as error:
        if expected == "hidden" and "无权查看" not in error.message:
            return f"NotAllowed without 无权查看: {error.message}"
        if expected == "forbidden" and "无权查看" in error.message:
            return f"hidden instead of forbidden: {error.message}"
        if expected == "wrong_state":
            return f"NotAllowed: {error.message}"
        return None
    except WrongState as error:
        if expected != "wrong_state":
            return f"WrongState: {error.message}"
        if state_label not in error.message:
            return f"WrongState without the state name {state_label}: {error.message}"
        return None
    except Exception as error:  # noqa: BLE001 — reported as the cell's failure
        return f"{type(error).__name__}: {error}"
    return "performed"


def _expected_available(state, account, official, vertical) -> set[str]:
    names = {
        name for name in EXPECTED if expected_outcome(state, name, account, official) == "allowed"
    }
    names.discard("decide" if vertical else "send_proposal")
    return names


def test_the_table_covers_every_state_transition_and_account():
    assert set(EXPECTED) == set(ACCOUNTABILITY.steps) == set(BODIES)
    every_state = set().union(*(states for states, _actors in EXPECTED.values()))
    assert every_state == set(State.values)
    assert {step[0] for _o, path in PATHS for step in path} | {S.PROPOSED, None} >= set(
        State.values
    )


@pytest.fixture
def accounts(demo_people):
    people = _people()
    assert set(ACCOUNTS) <= set(people)
    return people


@pytest.mark.parametrize("state", State.values)
def test_every_transition_and_account_in_state(state, accounts):
    case = reach(state)
    assert case.state == state
    official = case.official.user.username
    on = case.last_act_on
    failures = []
    for name in EXPECTED:
        for account in ACCOUNTS:
            expected = expected_outcome(state, name, account, official)
            problem = _check_cell(case, name, accounts[account], expected, on)
            if problem:
                failures.append(f"({state}, {name}, {account}) expected {expected}: {problem}")
    # Nothing above changed the case.
    case.refresh_from_db()
    assert case.state == state
    # What each account is offered is exactly what the table allows.
    for account in ACCOUNTS:
        user = accounts[account]
        if not rules.can_view(user, case):
            continue
        got = set(services.available_transitions(user, case, on))
        wanted = _expected_available(state, account, official, case.vertical)
        if not got <= wanted:
            failures.append(
                f"({state}, available_transitions, {account}): offers {sorted(got - wanted)}"
            )
        # What the table allows but is not offered is refused by a legal rule now (a
        # window, a missing prior record) — and that refusal changes nothing.
        for name in sorted(wanted - got):
            try:
                services.transition(case, name, user, _body(name, on))
            except RefusedByRule:
                continue
            except Exception as error:  # noqa: BLE001 — reported as the cell's failure
                failures.append(f"({state}, {name}, {account}) not offered: {error!r}")
            else:
                failures.append(f"({state}, {name}, {account}) not offered but performed")
    assert not failures, "\n".join(failures)


def test_vice_mayor_outside_the_delegation_is_forbidden(accounts):
    """The delegation runs 2026-01-01..2027-12-31: an order dated 2025 is refused."""
    case = _register(accounts, "head_education", D(2025, 12, 29))
    vicemayor = accounts["vicemayor"]
    case = services.transition(case, "start", accounts["mayor"], {"on": "2025-12-29"})
    assert not may(vicemayor, "order_report", case, D(2025, 12, 30))
    with pytest.raises(NotAllowed):
        services.transition(case, "order_report", vicemayor, {"on": "2025-12-30"})
    case = services.transition(case, "order_report", vicemayor, {"on": "2026-01-02"})
    assert case.state == S.REPORT_ORDERED
    assert case.history.latest("history_id").history_user == vicemayor
