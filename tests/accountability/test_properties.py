"""Property: whatever sequence of buttons anyone presses, on whatever (past) days, the case only
ever moves along the state diagram (docs/accountability.md), each refusal is the one the contract
names, nothing changes on a refusal, and every change is in the history.

The expected outcome of each press comes from the hand-written table of
test_permission_table.py (not from rules.py).
"""

import datetime

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from casework.accountability import services
from casework.accountability.models import State
from casework.exceptions import InvalidInput, NotAllowed, RefusedByRule, WrongState
from casework.kernel import clock

from .test_permission_table import (
    ACCOUNTS,
    EXPECTED,
    MAYOR,
    S,
    _people,
    _register,
    expected_outcome,
)

pytestmark = pytest.mark.django_db

D = datetime.date

# The state each transition leads to (docs/api.md); recording actions keep the state.
TARGET = {
    "start": S.INITIATED,
    "decline": S.CLOSED,
    "order_report": S.REPORT_ORDERED,
    "report_heard": S.INITIATED,
    "submit_to_meeting": S.AWAITING_MEETING,
    "assign_investigation": S.INVESTIGATING,
    "notify_findings": S.FINDINGS_NOTIFIED,
    "file_objection": S.FINDINGS_CLOSED,
    "accept_findings": S.FINDINGS_CLOSED,
    "close_findings": S.FINDINGS_CLOSED,
    "submit_report": S.REPORT_SUBMITTED,
    "decide_no_accountability": S.NOT_ACCOUNTABLE,
    "schedule": S.SCHEDULED,
    "deliberate": S.DELIBERATED,
    "decide": S.DECIDED,
    "send_proposal": S.PROPOSAL_SENT,
    "serve": S.SERVED,
    "request_review": S.REVIEW_REQUESTED,
    "waive_review": S.FINAL,
    "become_final": S.FINAL,
    "refuse_review": S.FINAL,
    "accept_review": S.UNDER_REVIEW,
    "submit_review_report": S.REVIEW_REPORTED,
    "review_decide": S.FINAL,
    "close": S.CLOSED,
}


def body(name, on, outcome_choice):
    day = on.isoformat()
    return {
        "start": {},
        "decline": {"reason": "线索不实"},
        # Electronic service: the official opening the decision is its receipt.
        "open_decision": {},
        "order_report": {},
        "report_heard": {"notes": "汇报"},
        "submit_to_meeting": {"reason": "r"},
        "assign_investigation": {"working_days": 5},
        "notify_findings": {"findings": "f", "served_on": day},
        "file_objection": {"text": "t"},
        "accept_findings": {},
        "close_findings": {},
        "submit_report": {"report": "r", "recommendation": "accountable", "modes": ["2"]},
        "decide_no_accountability": {"reason": "r"},
        "schedule": {"meeting_date": day},
        "deliberate": {"minutes": "m"},
        "decide": {"modes": ["2", "6"], "reason": "r"},
        "send_proposal": {"organ": "省局", "text": "建议"},
        "serve": {"received_on": day, "method": "post"},
        "request_review": {"grounds": "g"},
        "waive_review": {},
        "become_final": {},
        "refuse_review": {"reason": "r"},
        "accept_review": {"suspend": outcome_choice == "modify"},
        "submit_review_report": {"report": "r"},
        "review_decide": {"outcome": outcome_choice, "modes": ["3"], "reason": "r"},
        "close": {},
        "serve_modified": {"received_on": day, "method": "in_person"},
        "record_execution": {
            "kind": "filing" if outcome_choice == "modify" else "rectification",
            "note": "n",
        },
        "record_referral": {"kind": "judicial", "organ": "o"},
        "record_prior_sanction": {"sanction": "s", "imposed_by": "o", "imposed_on": "2025-01-02"},
        "open_linked_case": {"person_name": "p", "post": "p", "summary": "s"},
    }[name] | {"on": day}


def _allowed_presses(state, official):
    """The presses the table allows now, state changes first (recording actions only when
    nothing else is left: a closed case)."""
    presses = [
        (name, account)
        for name in sorted(EXPECTED)
        for account in ACCOUNTS
        if expected_outcome(state, name, account, official) == "allowed"
    ]
    moves = [press for press in presses if press[0] in TARGET]
    return moves or presses


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(official=st.sampled_from(["head_education", "head_tax"]), data=st.data())
def test_any_sequence_of_presses_follows_the_contract(demo_people, official, data):
    people = _people()
    case = _register(people, official, D(2026, 1, 5))
    today = clock.today()
    for _step in range(data.draw(st.integers(min_value=1, max_value=50), label="steps")):
        # Mostly a press the table allows (to get deep into the procedure), sometimes any.
        if data.draw(st.integers(0, 3), label="any") == 0:
            name = data.draw(st.sampled_from(sorted(EXPECTED)), label="name")
            account = data.draw(st.sampled_from(ACCOUNTS), label="account")
        else:
            name, account = data.draw(
                st.sampled_from(_allowed_presses(case.state, official)), label="press"
            )
        days = data.draw(st.integers(min_value=0, max_value=8), label="days")
        choice = data.draw(st.sampled_from(["uphold", "modify", "revoke"]), label="outcome")
        before = case.state, case.version
        on = min(case.last_act_on + datetime.timedelta(days=days), today)
        expected = expected_outcome(case.state, name, account, official)
        cell = (case.state, name, account, on, choice)
        try:
            case = services.transition(case, name, people[account], body(name, on, choice))
        except NotAllowed:
            assert expected in ("hidden", "forbidden") or (
                # the mayor may only file for the official when admitting a late request
                name == "request_review" and account in MAYOR and expected == "allowed"
            ), cell
        except WrongState:
            assert expected == "wrong_state", cell
        except (RefusedByRule, InvalidInput):
            # A legal rule (a period not yet over or already over, Nanchong art. 22, …).
            assert expected == "allowed", cell
        else:
            assert expected == "allowed", cell
            assert case.state == TARGET.get(name, before[0]), cell
            assert case.version == before[1] + 1, cell
            continue
        case.refresh_from_db()
        assert (case.state, case.version) == before, cell
    # Every change is in the history, one row each, in order, and chained by states.
    rows = list(case.history.order_by("history_id").values_list("action", "from_state", "state"))
    assert len(rows) == case.version
    assert rows[0] == ("register", "", S.PROPOSED)
    for previous, row in zip(rows, rows[1:], strict=False):
        assert row[1] == previous[2], rows
    assert rows[-1][2] == case.state
    # Document numbers are unique and the case's last act is not in the future.
    numbers = list(case.documents.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    assert case.last_act_on <= today
    assert case.state in State.values
    event(f"reached {case.state}")
