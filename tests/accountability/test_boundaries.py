"""Boundaries of the periods of the Nanchong measures, counted in working days
(docs/accountability.md, docs/deadlines.md), across the Spring Festival of 2026 and of 2025.

Expected due dates are written out from the State Council's holiday notices, not computed:
2026 — 02-15..02-23 holiday, Saturdays 02-14 and 02-28 worked;
2025 — 01-28..02-04 holiday, Sunday 01-26 and Saturday 02-08 worked.
"""

import datetime

import pytest

from casework.accountability.models import ReviewRequest, State
from casework.deadlines.models import Deadline, Kind, Level, Notification, PeriodRule
from casework.exceptions import InvalidInput, NotAllowed, RefusedByRule
from casework.kernel import clock

pytestmark = pytest.mark.django_db

D = datetime.date
WEEK = datetime.timedelta(days=7)


def served_case(register, act, received, modes=("3",)):
    """A case decided a few days before ``received`` and served (received) on that day."""
    d0 = received - WEEK
    case = register(on=d0)
    case = act(case, "start", "mayor", on=d0)
    case = act(case, "submit_to_meeting", "mayor", on=d0, reason="事实清楚")
    case = act(case, "schedule", "secretariat", on=d0, meeting_date=d0)
    case = act(case, "deliberate", "secretariat", on=d0, minutes="纪要")
    case = act(case, "decide", "mayor", on=d0, modes=list(modes), reason="情节较重")
    return act(case, "serve", "investigator", on=received, received_on=received, method="in_person")


def notified_case(register, act, served_on):
    """A case whose findings were served on the official on ``served_on``."""
    d0 = served_on - WEEK
    case = register(on=d0)
    case = act(case, "start", "mayor", on=d0)
    case = act(case, "assign_investigation", "mayor", on=d0, working_days=30)
    return act(
        case, "notify_findings", "investigator", on=served_on, findings="属实", served_on=served_on
    )


# --- review window: 10 working days from receipt (Nanchong art. 14) -------------------------------

WINDOWS = [
    # received, 10th working day (last day of the window), 11th working day
    pytest.param(D(2026, 2, 9), D(2026, 2, 28), D(2026, 3, 2), id="2026-spring-festival"),
    pytest.param(D(2025, 1, 24), D(2025, 2, 13), D(2025, 2, 14), id="2025-spring-festival"),
]


@pytest.mark.parametrize("received, tenth, eleventh", WINDOWS)
def test_review_window_due_date(register, act, received, tenth, eleventh):
    case = served_case(register, act, received)
    window = case.deadlines.get(kind=Kind.REVIEW_WINDOW)
    assert window.start_date == received
    assert window.working_days == 10
    assert window.due == tenth
    assert window.provisional is False
    # A right of the official, not a duty: a clock but never a card.
    assert window.level_as_of(eleventh + WEEK) == Level.NORMAL


@pytest.mark.parametrize("received, tenth, eleventh", WINDOWS)
def test_request_review_on_the_last_day_of_the_window_is_accepted(
    register, act, received, tenth, eleventh
):
    case = served_case(register, act, received)
    case = act(case, "request_review", "head_education", on=tenth, grounds="事实不清")
    assert case.state == State.REVIEW_REQUESTED
    request = case.review_requests.get()
    assert (request.filed_on, request.window_due, request.late) == (tenth, tenth, False)
    assert case.deadlines.get(kind=Kind.REVIEW_WINDOW).done_at is not None


@pytest.mark.parametrize("received, tenth, eleventh", WINDOWS)
def test_request_review_on_the_eleventh_working_day_is_refused_but_recorded_late(
    register, act, received, tenth, eleventh
):
    case = served_case(register, act, received)
    with pytest.raises(RefusedByRule) as refused:
        act(case, "request_review", "head_education", on=eleventh, grounds="事实不清")
    assert refused.value.status == 422
    assert tenth.isoformat() in refused.value.message
    case.refresh_from_db()
    assert case.state == State.SERVED
    request = case.review_requests.get()
    assert request.late is True
    # Kept as an event, refused: not a request awaiting a decision.
    assert request.outcome == ReviewRequest.Outcome.LATE
    assert (request.filed_on, request.window_due) == (eleventh, tenth)
    assert request.late_accepted_by is None
    # The mayor, who alone may admit it, is told.
    told = Notification.objects.filter(title__contains="逾期的复核申请待决定")
    assert {n.recipient.username for n in told} == {"mayor"}
    # Filing it again does not record it twice.
    with pytest.raises(RefusedByRule):
        act(case, "request_review", "head_education", on=eleventh, grounds="再次申请")
    assert case.review_requests.count() == 1
    # Only the mayor may admit a late request; the official cannot grant it to himself.
    with pytest.raises(NotAllowed):
        act(case, "request_review", "head_education", on=eleventh, grounds="x", late_ok=True)
    # The refused request changes nothing: the decision becomes final all the same.
    case = act(case, "become_final", "secretariat", on=eleventh)
    assert case.state == State.FINAL


def test_mayor_admits_a_late_request_with_late_ok(register, act, people):
    received, eleventh = D(2026, 2, 9), D(2026, 3, 2)
    case = served_case(register, act, received)
    with pytest.raises(RefusedByRule):
        act(case, "request_review", "head_education", on=eleventh, grounds="事实不清")
    case = act(case, "request_review", "mayor", on=D(2026, 3, 3), grounds="逾期", late_ok=True)
    assert case.state == State.REVIEW_REQUESTED
    request = case.review_requests.get()
    assert request.late is True and request.late_accepted_by == people["mayor"]
    assert request.grounds == "事实不清"  # the official's request, recorded when filed


def test_a_posted_request_counts_on_its_postmark(register, act):
    """在途时间不计入期间 [rule]: filed_on (postmark) inside the window, entered later."""
    case = served_case(register, act, D(2026, 2, 9))
    case = act(
        case,
        "request_review",
        "head_education",
        on=D(2026, 3, 4),
        filed_on=D(2026, 2, 28),
        grounds="邮寄申请",
    )
    assert case.state == State.REVIEW_REQUESTED
    request = case.review_requests.get()
    assert request.filed_on == D(2026, 2, 28) and request.late is False


def test_a_posted_request_with_a_late_postmark_is_late(register, act):
    case = served_case(register, act, D(2026, 2, 9))
    with pytest.raises(RefusedByRule):
        act(
            case,
            "request_review",
            "head_education",
            on=D(2026, 3, 4),
            filed_on=D(2026, 3, 2),
            grounds="邮寄申请",
        )
    assert case.review_requests.get().late is True


def test_a_postmark_after_the_day_of_entry_is_invalid(register, act):
    case = served_case(register, act, D(2026, 2, 9))
    with pytest.raises(InvalidInput) as invalid:
        act(
            case,
            "request_review",
            "head_education",
            on=D(2026, 2, 10),
            filed_on=D(2026, 2, 11),
            grounds="x",
        )
    assert "filed_on" in invalid.value.fields


def test_a_postmark_before_the_receipt_of_the_decision_is_invalid(register, act):
    case = served_case(register, act, D(2026, 2, 9))
    with pytest.raises(InvalidInput):
        act(
            case,
            "request_review",
            "head_education",
            on=D(2026, 2, 10),
            filed_on=D(2026, 2, 6),
            grounds="x",
        )


@pytest.mark.parametrize("received, tenth, eleventh", WINDOWS)
def test_become_final_only_after_the_window(register, act, received, tenth, eleventh):
    case = served_case(register, act, received)
    with pytest.raises(RefusedByRule):
        act(case, "become_final", "secretariat", on=tenth)
    case = act(case, "become_final", "secretariat", on=eleventh)
    assert case.state == State.FINAL
    assert case.deadlines.get(kind=Kind.REVIEW_WINDOW).done_at is not None


# --- objection period: 5 working days [rule] (Nanchong art. 8) ------------------------------------

OBJECTIONS = [
    # served, 5th working day, 6th working day
    pytest.param(D(2026, 2, 12), D(2026, 2, 26), D(2026, 2, 27), id="2026-spring-festival"),
    pytest.param(D(2025, 1, 24), D(2025, 2, 7), D(2025, 2, 8), id="2025-spring-festival"),
]


@pytest.mark.parametrize("served, fifth, sixth", OBJECTIONS)
def test_objection_period_due_date(register, act, served, fifth, sixth):
    case = notified_case(register, act, served)
    deadline = case.deadlines.get(kind=Kind.OBJECTION)
    assert (deadline.start_date, deadline.working_days, deadline.due) == (served, 5, fifth)
    assert deadline.level_as_of(sixth + WEEK) == Level.NORMAL  # a right: no card
    assert deadline.responsible_user.username == "head_education"


@pytest.mark.parametrize("served, fifth, sixth", OBJECTIONS)
def test_objection_on_the_fifth_working_day_is_accepted(register, act, served, fifth, sixth):
    case = notified_case(register, act, served)
    case = act(case, "file_objection", "head_education", on=fifth, text="调查事实有误")
    assert case.state == State.FINDINGS_CLOSED
    assert (case.objection, case.objection_filed_on) == ("调查事实有误", fifth)
    assert case.deadlines.get(kind=Kind.OBJECTION).done_at is not None


@pytest.mark.parametrize("served, fifth, sixth", OBJECTIONS)
def test_objection_on_the_sixth_working_day_is_refused(register, act, served, fifth, sixth):
    case = notified_case(register, act, served)
    with pytest.raises(RefusedByRule) as refused:
        act(case, "file_objection", "head_education", on=sixth, text="迟到的异议")
    assert fifth.isoformat() in refused.value.message
    case.refresh_from_db()
    assert case.state == State.FINDINGS_NOTIFIED and case.objection == ""


@pytest.mark.parametrize("served, fifth, sixth", OBJECTIONS)
def test_findings_close_only_after_the_objection_period(register, act, served, fifth, sixth):
    case = notified_case(register, act, served)
    with pytest.raises(RefusedByRule):
        act(case, "close_findings", "investigator", on=fifth)
    case = act(case, "close_findings", "investigator", on=sixth)
    assert case.state == State.FINDINGS_CLOSED
    assert case.deadlines.get(kind=Kind.OBJECTION).done_at is not None


def test_the_objection_period_is_a_setting(register, act):
    """[rule] defaults are settings an administrator can change, not constants."""
    before = notified_case(register, act, D(2026, 3, 2))
    assert before.deadlines.get(kind=Kind.OBJECTION).due == D(2026, 3, 9)
    rule = PeriodRule.objects.get(key="objection_period")
    rule.working_days = 7
    rule.save()
    after = notified_case(register, act, D(2026, 3, 2))
    deadline = after.deadlines.get(kind=Kind.OBJECTION)
    assert (deadline.working_days, deadline.due) == (7, D(2026, 3, 11))
    assert "7个工作日" in after.documents.get(doc_type="findings_notice").body
    # The running case keeps the period it was told.
    assert before.deadlines.get(kind=Kind.OBJECTION).due == D(2026, 3, 9)


# --- review report: 20 working days (Nanchong art. 15) --------------------------------------------


def test_review_report_deadline_is_twenty_working_days(register, act):
    case = served_case(register, act, D(2026, 2, 9))
    case = act(case, "request_review", "head_education", on=D(2026, 2, 27), grounds="不服")
    case = act(case, "accept_review", "mayor", on=D(2026, 3, 2))
    deadline = case.deadlines.get(kind=Kind.REVIEW_REPORT)
    assert (deadline.start_date, deadline.working_days) == (D(2026, 3, 2), 20)
    assert deadline.due == D(2026, 3, 30)
    assert deadline.responsible_unit.code == "legal"
    # A duty: it gets cards (Xinxiang warning art. 5).
    assert deadline.level_as_of(D(2026, 3, 27)) == Level.PRE_WARNING
    assert deadline.level_as_of(D(2026, 3, 31)) == Level.YELLOW
    assert deadline.level_as_of(D(2026, 4, 2)) == Level.RED
    case = act(case, "submit_review_report", "legal", on=D(2026, 3, 30), report="复核报告")
    assert case.deadlines.get(kind=Kind.REVIEW_REPORT).level_as_of(D(2026, 4, 2)) == Level.DONE


def test_rectification_deadline_levels(register, act):
    """Mode 2 (限期整改): 20 working days [rule] from receipt; cards by Xinxiang warning art. 5."""
    case = served_case(register, act, D(2026, 2, 9), modes=("2",))
    deadline = case.deadlines.get(kind=Kind.RECTIFICATION)
    assert deadline.due == D(2026, 3, 13)  # Friday
    expected = {
        D(2026, 3, 11): Level.NORMAL,
        D(2026, 3, 12): Level.PRE_WARNING,
        D(2026, 3, 13): Level.PRE_WARNING,
        D(2026, 3, 14): Level.YELLOW,  # Saturday after the due date
        D(2026, 3, 16): Level.YELLOW,
        D(2026, 3, 17): Level.YELLOW,
        D(2026, 3, 18): Level.RED,  # 3 working days after the due date
    }
    for day, level in expected.items():
        assert deadline.level_as_of(day) == level, day
        annotated = Deadline.objects.with_level(day).get(pk=deadline.pk)
        assert annotated.level == level, day


# --- suspension during review (Nanchong art. 15) --------------------------------------------------


def test_suspension_stops_execution_and_uphold_moves_the_due_date(register, act):
    case = served_case(register, act, D(2026, 2, 9), modes=("2",))
    assert case.deadlines.get(kind=Kind.RECTIFICATION).due == D(2026, 3, 13)
    case = act(case, "request_review", "head_education", on=D(2026, 2, 12), grounds="不服")
    case = act(case, "accept_review", "mayor", on=D(2026, 2, 13), suspend=True)
    assert case.execution_suspended is True
    assert case.review_requests.get().suspend_execution is True
    rectification = case.deadlines.get(kind=Kind.RECTIFICATION)
    assert rectification.suspended_on == D(2026, 2, 13)
    # Suspended: no card even long after the due date, in Python and in SQL.
    assert rectification.level_as_of(D(2026, 3, 20)) == Level.NORMAL
    assert Deadline.objects.with_level(D(2026, 3, 20)).get(pk=rectification.pk).level == "normal"
    with pytest.raises(RefusedByRule):
        act(
            case,
            "record_execution",
            "secretariat",
            on=D(2026, 2, 13),
            kind="rectification",
            note="x",
        )
    case = act(case, "submit_review_report", "legal", on=D(2026, 2, 27), report="维持")
    case = act(case, "review_decide", "mayor", on=D(2026, 3, 3), outcome="uphold", reason="维持")
    assert case.state == State.FINAL and case.execution_suspended is False
    rectification.refresh_from_db()
    # Paused working days in (02-13, 03-03]: 02-14, 02-24..28, 03-02, 03-03 = 8.
    assert rectification.suspended_on is None
    assert rectification.due == D(2026, 3, 25)
    assert rectification.is_open


def test_accept_review_without_suspension_keeps_the_clock(register, act):
    case = served_case(register, act, D(2026, 2, 9), modes=("2",))
    case = act(case, "request_review", "head_education", on=D(2026, 2, 12), grounds="不服")
    case = act(case, "accept_review", "mayor", on=D(2026, 2, 13), suspend=False)
    rectification = case.deadlines.get(kind=Kind.RECTIFICATION)
    assert rectification.suspended_on is None and case.execution_suspended is False
    assert rectification.level_as_of(D(2026, 3, 18)) == Level.RED
    case = act(case, "submit_review_report", "legal", on=D(2026, 2, 27), report="维持")
    case = act(case, "review_decide", "mayor", on=D(2026, 3, 3), outcome="uphold", reason="维持")
    assert case.deadlines.get(kind=Kind.RECTIFICATION).due == D(2026, 3, 13)


# --- provisional due dates (docs/deadlines.md) ----------------------------------------------


def test_a_window_into_2027_is_provisional(register, act, monkeypatch):
    """A decision received in late December 2026: the window ends in 2027, a year the
    calendar does not mark complete, so the due date is provisional (暂定)."""
    monkeypatch.setattr(clock, "today", lambda: D(2026, 12, 31))
    case = served_case(register, act, D(2026, 12, 24), modes=("2",))
    window = case.deadlines.get(kind=Kind.REVIEW_WINDOW)
    assert window.due.year == 2027
    assert window.provisional is True
    rectification = case.deadlines.get(kind=Kind.RECTIFICATION)
    assert rectification.due.year == 2027 and rectification.provisional is True


def test_a_provisional_window_is_recomputed_when_2027_is_entered(register, act, monkeypatch):
    """Provisional, and recomputed automatically when that year's data is entered
    (docs/deadlines.md)."""
    from casework.workcalendar import services as calendar

    monkeypatch.setattr(clock, "today", lambda: D(2026, 12, 31))
    case = served_case(register, act, D(2026, 12, 24))
    window = case.deadlines.get(kind=Kind.REVIEW_WINDOW)
    assert (window.due, window.provisional) == (D(2027, 1, 7), True)  # Monday–Friday
    calendar.set_day(D(2027, 1, 1), False, "holiday", "元旦", reason="国务院办公厅通知")
    calendar.mark_year_complete(2027, reason="国务院办公厅通知")
    window.refresh_from_db()
    assert (window.due, window.provisional) == (D(2027, 1, 8), False)


def test_a_window_inside_2026_is_final(register, act):
    case = served_case(register, act, D(2026, 11, 2))
    window = case.deadlines.get(kind=Kind.REVIEW_WINDOW)
    assert window.due == D(2026, 11, 16) and window.provisional is False


# --- the day of the act ("on", docs/api.md) --------------------------------------------------


def test_an_act_may_not_be_dated_in_the_future(register, act):
    case = register(on=D(2026, 1, 5))
    tomorrow = clock.today() + datetime.timedelta(days=1)
    with pytest.raises(InvalidInput) as invalid:
        act(case, "start", "mayor", on=tomorrow)
    assert "on" in invalid.value.fields
    case = act(case, "start", "mayor", on=clock.today())
    assert case.state == State.INITIATED and case.last_act_on == clock.today()


def test_an_act_may_not_precede_the_previous_act(register, act):
    case = register(on=D(2026, 1, 5))
    case = act(case, "start", "mayor", on=D(2026, 1, 7))
    with pytest.raises(InvalidInput) as invalid:
        act(case, "submit_to_meeting", "mayor", on=D(2026, 1, 6), reason="x")
    assert "on" in invalid.value.fields
    case.refresh_from_db()
    assert case.state == State.INITIATED and case.last_act_on == D(2026, 1, 7)


def test_findings_served_before_the_previous_act_are_invalid(register, act):
    case = register(on=D(2026, 3, 2))
    case = act(case, "start", "mayor", on=D(2026, 3, 2))
    case = act(case, "assign_investigation", "mayor", on=D(2026, 3, 3), working_days=10)
    with pytest.raises(InvalidInput):
        act(
            case,
            "notify_findings",
            "investigator",
            on=D(2026, 3, 4),
            findings="x",
            served_on=D(2026, 3, 2),
        )


def test_receipt_before_the_decision_is_invalid(register, act):
    d0 = D(2026, 3, 2)
    case = register(on=d0)
    case = act(case, "start", "mayor", on=d0)
    case = act(case, "submit_to_meeting", "mayor", on=d0, reason="事实清楚")
    case = act(case, "schedule", "secretariat", on=d0, meeting_date=D(2026, 3, 5))
    with pytest.raises(RefusedByRule):  # the meeting has not been held yet
        act(case, "deliberate", "secretariat", on=D(2026, 3, 4), minutes="纪要")
    case = act(case, "deliberate", "secretariat", on=D(2026, 3, 5), minutes="纪要")
    case = act(case, "decide", "mayor", on=D(2026, 3, 6), modes=["3"], reason="r")
    with pytest.raises(InvalidInput) as invalid:
        act(
            case,
            "serve",
            "investigator",
            on=D(2026, 3, 9),
            received_on=D(2026, 3, 5),
            method="post",
        )
    assert "received_on" in invalid.value.fields


def test_a_period_set_by_the_mayor_must_end_after_the_act(register, act):
    case = register(on=D(2026, 3, 2))
    case = act(case, "start", "mayor", on=D(2026, 3, 2))
    with pytest.raises(InvalidInput):
        act(case, "assign_investigation", "mayor", on=D(2026, 3, 3), due=D(2026, 3, 3))
    case = act(case, "assign_investigation", "mayor", on=D(2026, 3, 3), due=D(2026, 4, 3))
    deadline = case.deadlines.get(kind=Kind.INVESTIGATION)
    assert deadline.due == D(2026, 4, 3) and deadline.responsible_unit.code == "supervision"
