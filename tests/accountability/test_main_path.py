"""The main path of the accountability procedure (docs/accountability.md) through the services,
dates entered after the fact."""

import datetime

import pytest

from casework.accountability.models import State
from casework.deadlines.models import Kind

pytestmark = pytest.mark.django_db

D = datetime.date


def test_investigated_case_from_proposal_to_closing(register, act):
    case = register()
    assert case.state == State.PROPOSED and case.number.startswith("南府问案〔")
    case = act(case, "start", "mayor", on=D(2026, 1, 5))
    case = act(case, "assign_investigation", "mayor", on=D(2026, 1, 6), working_days=20)
    investigation = case.deadlines.get(kind=Kind.INVESTIGATION)
    assert investigation.due == D(2026, 2, 3)
    case = act(
        case,
        "notify_findings",
        "investigator",
        on=D(2026, 1, 20),
        findings="属实",
        served_on=D(2026, 1, 20),
    )
    objection = case.deadlines.get(kind=Kind.OBJECTION)
    assert objection.due == D(2026, 1, 27)  # 5 working days [rule]
    case = act(case, "close_findings", "investigator", on=D(2026, 1, 28))
    case = act(
        case,
        "submit_report",
        "investigator",
        on=D(2026, 1, 29),
        report="报告",
        recommendation="accountable",
        modes=["3"],
    )
    case = act(case, "submit_to_meeting", "mayor", on=D(2026, 1, 30), reason="追究责任")
    case = act(case, "schedule", "secretariat", on=D(2026, 2, 2), meeting_date=D(2026, 2, 5))
    case = act(
        case, "deliberate", "secretariat", on=D(2026, 2, 5), minutes="纪要", statement="申辩"
    )
    case = act(case, "decide", "mayor", on=D(2026, 2, 6), modes=["2", "3"], reason="情节较重")
    case = act(
        case,
        "serve",
        "investigator",
        on=D(2026, 2, 9),
        received_on=D(2026, 2, 9),
        method="in_person",
    )
    window = case.deadlines.get(kind=Kind.REVIEW_WINDOW)
    # 10 working days from 2026-02-09 across the Spring Festival:
    # 02-10..13, 14 (Sat, worked), 24..27, 28 (Sat)
    assert window.due == D(2026, 2, 28)
    case = act(case, "become_final", "secretariat", on=D(2026, 3, 2))
    assert case.state == State.FINAL
    case = act(
        case,
        "record_execution",
        "secretariat",
        on=D(2026, 3, 3),
        kind="rectification",
        note="已整改",
    )
    case = act(case, "close", "secretariat", on=D(2026, 3, 4))
    assert case.state == State.CLOSED
    assert case.documents.count() == 4
    actions = list(case.history.order_by("history_id").values_list("action", flat=True))
    assert actions[0] == "register" and actions[-1] == "close"
