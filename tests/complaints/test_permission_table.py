"""Every (state, transition, account) cell of the complaint procedure, through the HTTP API.

The expected table is written by hand from the Xinxiang complaint measures
(Xinxiang complaints art. 4–9), docs/complaints.md and docs/api.md — it reads no rule table of the
code, so that a change of the code that departs from the law shows up here.

* the complaints office (``complaints``, ``complaints_head``) takes the office's steps;
* the receiving organ (``head_education``, ``staff_education`` once the complaint is
  transferred to education) reports, and may ask to extend its reporting deadline while it
  holds the complaint (Xinxiang complaints art. 6);
* the head of the office approves extensions (Xinxiang complaints art. 5–6);
* the supervision bureau (and the administrator) see every complaint, redacted, and act on
  none;
* everybody else does not even learn that the complaint exists.

Answer classes (docs/api.md): 404 for whoever may not see the complaint, 403 for whoever sees it
but has not the role, 409 for the wrong state, else the step is done (200) or refused by a
legal rule (422) although the body is valid. A refusal changes nothing.

``available_transitions`` in ``GET /api/v1/complaints/<id>`` must be exactly the steps that
succeed for that caller now: a listed step never fails, an unlisted one never succeeds.

One test per state, as in tests/accountability/test_permission_table.py: a fresh complaint is
driven to the state through the services, then every cell is asked over HTTP. A step that
succeeds is rolled back (a savepoint), so that the next cell meets the same complaint; a
refusal is not, and the complaint's version, state, history and extensions are compared
after each transition's row.
"""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from casework.complaints import services
from casework.org.models import User
from casework.workcalendar.periods import add_working_days

pytestmark = pytest.mark.django_db

OFFICE = frozenset({"complaints", "complaints_head"})
# Xinxiang complaints art. 5–6: 主管负责人 approves an extension
HEAD = frozenset({"complaints_head"})
ORGAN = frozenset({"head_education", "staff_education"})  # the complaint goes to education
SEES_ALL_REDACTED = frozenset({"investigator", "supervision_leader", "admin"})
NEVER_SEE = frozenset({"mayor", "vicemayor", "secretariat", "legal", "head_transport", "head_tax"})
ACCOUNTS = sorted(OFFICE | ORGAN | SEES_ALL_REDACTED | NEVER_SEE)

# The table's states. ``verifying`` and ``decided_anonymous`` (an anonymous complaint) are
# reached in-house, never transferred: the organ does not see them. ``decided`` and the
# later states are reached through the education bureau, which keeps seeing them.
# ``transferred_pending``: transferred, and the organ has asked for more time.
STATES = [
    "submitted",
    "accepted",
    "out_of_scope",
    "verifying",
    "transferred",
    "transferred_pending",
    "handled_by_organ",
    "decided",
    "decided_anonymous",
    "feedback_given",
    "closed",
]
OPEN = frozenset(STATES) - {"out_of_scope", "closed"}
# The office's own 15-working-day period runs from acceptance until the decision.
HANDLING = frozenset(
    {"accepted", "verifying", "transferred", "transferred_pending", "handled_by_organ"}
)
TRANSFERRED = frozenset({"transferred", "transferred_pending"})

# transition → (states it is taken from, who takes it)
EXPECTED = {
    "accept": ({"submitted"}, OFFICE),
    "reject_out_of_scope": ({"submitted"}, OFFICE),  # Xinxiang complaints art. 5, last paragraph
    "verify": ({"accepted", "handled_by_organ"}, OFFICE),
    "transfer": ({"accepted"}, OFFICE),  # Xinxiang complaints art. 5: within 2 working days
    "organ_report": (TRANSFERRED, ORGAN),  # Xinxiang complaints art. 6
    # The organ its reporting deadline while it holds the complaint (Xinxiang complaints art. 6);
    # the office its own handling period (Xinxiang complaints art. 5). Who asks for which: see
    # ``extension_kind``.
    "request_extension": (HANDLING, OFFICE | ORGAN),
    "approve_extension": (HANDLING, HEAD),
    "decide": ({"verifying"}, OFFICE),  # Xinxiang complaints art. 7
    "give_feedback": ({"decided", "decided_anonymous"}, OFFICE),  # Xinxiang complaints art. 8
    "close": ({"decided", "decided_anonymous", "feedback_given"}, OFFICE),
    # Xinxiang complaints art. 5: an ongoing matter — before it is decided.
    "mark_urgent": (
        {"submitted", "accepted", "verifying", "transferred", "transferred_pending"}
        | {"handled_by_organ"},
        OFFICE,
    ),
    "record_onsite_response": (OPEN, OFFICE),
    "link_repeat": (OPEN, OFFICE),  # Xinxiang complaints art. 6
    "add_note": (OPEN, OFFICE),
}

# Well-formed, valid bodies. request_extension and link_repeat are completed per cell.
BODIES = {
    "accept": {},
    "reject_out_of_scope": {"competent_department": "市中级人民法院", "notice": "请向法院反映"},
    "verify": {},
    "transfer": {"organ": "education"},
    "organ_report": {"report": "已对相关人员批评教育并整改"},
    "request_extension": {"reason": "情况复杂，需现场核查"},
    "approve_extension": {"approve": True, "reason": "同意"},
    "decide": {"outcome": "unfounded", "text": "经核实，问题已整改"},
    "give_feedback": {"text": "您反映的问题已查实并整改，感谢监督。"},
    "close": {},
    "mark_urgent": {"reason": "事态正在发生"},
    "record_onsite_response": {"text": "已派人到现场", "responders": "投诉中心 王某"},
    "link_repeat": {},
    "add_note": {"text": "核实意见：需调取窗口录像"},
}


def refused_by_rule(state, name, account) -> bool:
    """Cells where the caller may act in this state, but the law refuses this complaint."""
    if name == "give_feedback" and state == "decided_anonymous":
        return True  # Xinxiang complaints art. 8: an anonymous complainant cannot be told
    if name == "close" and state == "decided":
        return True  # Xinxiang complaints art. 8: a real-name complainant is told the result first
    if name == "record_onsite_response":
        return True  # Xinxiang complaints art. 5: only an urgent complaint has an on-site response
    if name == "approve_extension" and state != "transferred_pending":
        return True  # nothing to approve
    return False


def sees(state, account) -> bool:
    if account in OFFICE | SEES_ALL_REDACTED:
        return True
    if account in ORGAN:
        return state in TRANSFERRED | {"handled_by_organ", "decided", "feedback_given", "closed"}
    return False


def expected_status(state, name, account) -> int:
    if not sees(state, account):
        return 404
    states, actors = EXPECTED[name]
    if account not in actors:
        return 403
    if state not in states:
        return 409
    if name == "request_extension" and account in ORGAN and state not in TRANSFERRED:
        return 409  # the office may still ask for its own period; the organ's has ended
    if name == "request_extension" and account in ORGAN and state == "transferred_pending":
        return 409  # one request at a time: the organ's is pending
    if refused_by_rule(state, name, account):
        return 422
    return 200


def expected_available(state, account) -> set[str]:
    return {name for name in EXPECTED if expected_status(state, name, account) == 200}


# --- building a complaint in a given state --------------------------------------------------


def _people():
    return {user.username: user for user in User.objects.all()}


def _submit(real_name=True):
    data = {
        "category": "attitude",
        "respondent_department": "education",
        "content": "办理学籍转入手续时，工作人员多次推诿，态度恶劣。",
        "real_name": real_name,
    }
    if real_name:
        data.update(name="李四", phone="13900001111")
    return services.submit(data)


def _handling_due(complaint):
    return add_working_days(complaint.received_on, 15).due


def reach(state):
    """(complaint, earlier complaint) with the complaint in ``state``, through the services."""
    people = _people()
    earlier = _submit()
    if state == "decided_anonymous":
        complaint = _submit(real_name=False)
    else:
        complaint = _submit()
    today = timezone.localdate()

    def do(name, username, **body):
        nonlocal complaint
        body.setdefault("on", today.isoformat())
        complaint = services.transition(complaint, name, people[username], body)
        return complaint

    if state == "submitted":
        return complaint, earlier
    if state == "out_of_scope":
        do("reject_out_of_scope", "complaints", competent_department="法院", notice="请向法院反映")
        return complaint, earlier
    do("accept", "complaints")
    if state == "accepted":
        return complaint, earlier
    if state in ("verifying", "decided_anonymous"):
        do("verify", "complaints")
        if state == "decided_anonymous":
            do("decide", "complaints", outcome="unfounded", text="经核实不属实")
        return complaint, earlier
    do("transfer", "complaints", organ="education")
    if state == "transferred":
        return complaint, earlier
    if state == "transferred_pending":
        new_due = add_working_days(_handling_due(complaint), 2).due
        do("request_extension", "staff_education", reason="需现场核查", new_due=new_due.isoformat())
        return complaint, earlier
    do("organ_report", "staff_education", report="已整改")
    if state == "handled_by_organ":
        return complaint, earlier
    do("verify", "complaints")
    do("decide", "complaints", outcome="unfounded", text="经核实已整改")
    if state == "decided":
        return complaint, earlier
    do("give_feedback", "complaints", text="您反映的问题已整改。")
    if state == "feedback_given":
        return complaint, earlier
    do("close", "complaints")
    assert state == "closed"
    return complaint, earlier


# --- asking a cell --------------------------------------------------------------------------


def _open_due(detail, kind):
    for deadline in detail["deadlines"]:
        if deadline["kind"] == kind and not deadline["done_at"] and not deadline["cancelled_at"]:
            return datetime.date.fromisoformat(deadline["due"])
    return None


def body_for(name, account, detail, earlier_id):
    body = dict(BODIES[name])
    if name == "request_extension":
        kind = "organ_report" if account in ORGAN else "complaint_handling"
        due = _open_due(detail, kind) or timezone.localdate()
        body.update(kind=kind, new_due=add_working_days(due, 2).due.isoformat())
    if name == "link_repeat":
        body["earlier"] = earlier_id
    return body


def post(client, pk, name, body):
    return client.post(f"/api/v1/complaints/{pk}/transitions/{name}", body, format="json")


def ask(client, pk, name, body):
    """The answer to a cell that succeeds; what it did is undone (a savepoint)."""
    with transaction.atomic():
        response = post(client, pk, name, body)
        transaction.set_rollback(True)
    return response


def check_answer(response, expected) -> str | None:
    """None when the answer has the expected status and a well-formed body, else why not."""
    if response.status_code != expected:
        return f"{response.status_code} {response.content.decode()[:160]}"
    data = response.json()
    if expected >= 400:
        if not isinstance(data, dict) or not {"error", "detail"} <= set(data):
            return f"{expected} without an error body: {data}"
    return None


def fingerprint(office, pk):
    """What must not move when a step is refused: the version, the history, the extensions."""
    detail = office.get(f"/api/v1/complaints/{pk}").json()
    history = office.get(f"/api/v1/complaints/{pk}/history").json()
    extensions = sorted(
        (e["id"], e["status"]) for d in detail["deadlines"] for e in d["extensions"]
    )
    return detail["version"], detail["state"], len(history), extensions


@pytest.fixture
def clients(login_api):
    return {account: login_api(account) for account in ACCOUNTS}


def test_the_table_covers_every_transition_of_the_api_and_every_state():
    assert (
        set(EXPECTED)
        == set(BODIES)
        == {
            "accept",
            "reject_out_of_scope",
            "verify",
            "transfer",
            "organ_report",
            "request_extension",
            "approve_extension",
            "decide",
            "give_feedback",
            "close",
            "mark_urgent",
            "record_onsite_response",
            "link_repeat",
            "add_note",
        }
    )


@pytest.mark.parametrize("state", STATES)
def test_every_transition_and_account_in_state(state, clients):
    complaint, earlier = reach(state)
    pk = complaint.pk
    office = clients["complaints"]
    detail = office.get(f"/api/v1/complaints/{pk}").json()
    before = fingerprint(office, pk)
    failures = []
    for name in EXPECTED:
        for account in ACCOUNTS:
            expected = expected_status(state, name, account)
            body = body_for(name, account, detail, earlier.pk)
            # A refusal is not undone: the fingerprint below shows whether it changed anything.
            send = ask if expected == 200 else post
            problem = check_answer(send(clients[account], pk, name, body), expected)
            if problem:
                failures.append(f"({state}, {name}, {account}) expected {expected}: {problem}")
        after = fingerprint(office, pk)
        if after != before:
            failures.append(
                f"({state}, {name}): a refusal changed the complaint {before} → {after}"
            )
            before = after
    for account in ACCOUNTS:
        response = clients[account].get(f"/api/v1/complaints/{pk}")
        if not sees(state, account):
            if response.status_code != 404:
                failures.append(f"({state}, GET, {account}): {response.status_code}, not 404")
            continue
        got = set(response.json()["available_transitions"])
        wanted = expected_available(state, account)
        if got != wanted:
            failures.append(
                f"({state}, available_transitions, {account}): offers {sorted(got - wanted)}, "
                f"misses {sorted(wanted - got)}"
            )
    assert not failures, "\n".join(failures)
