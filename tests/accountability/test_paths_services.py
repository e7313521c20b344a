"""Every path of docs/accountability.md through the services, dates entered after the fact; side
paths of Nanchong art. 18–20 and 22; the recorded history of each case."""

import datetime

import pytest

from casework.accountability.models import (
    Decision,
    LinkedCase,
    PriorSanction,
    Referral,
    ReviewRequest,
    State,
)
from casework.deadlines.models import Kind
from casework.documents.models import DocType
from casework.exceptions import NotAllowed, RefusedByRule, WrongState

pytestmark = pytest.mark.django_db

D = datetime.date
MARCH_2 = D(2026, 3, 2)


def history(case):
    """(action, from_state, state, username, reason) of every history row, oldest first."""
    return [
        (
            row.action,
            row.from_state,
            row.state,
            row.history_user.username,
            row.history_change_reason,
        )
        for row in case.history.order_by("history_id").select_related("history_user")
    ]


def doc_types(case):
    return list(case.documents.order_by("id").values_list("doc_type", flat=True))


def to_deliberated(register, act, official="head_education", day=MARCH_2):
    case = register(official=official, on=day)
    case = act(case, "start", "mayor", on=day)
    case = act(case, "submit_to_meeting", "mayor", on=day, reason="事实清楚")
    case = act(case, "schedule", "secretariat", on=day, meeting_date=D(2026, 3, 5))
    return act(
        case, "deliberate", "secretariat", on=D(2026, 3, 5), minutes="纪要", statement="申辩"
    )


def to_served(register, act, modes=("2", "3")):
    """Decided 2026-03-06, received 2026-03-09 (window due 2026-03-23)."""
    case = to_deliberated(register, act)
    case = act(case, "decide", "mayor", on=D(2026, 3, 6), modes=list(modes), reason="情节较重")
    return act(
        case, "serve", "investigator", on=D(2026, 3, 9), received_on=D(2026, 3, 9), method="post"
    )


def to_review_reported(register, act, modes=("2", "3"), suspend=False):
    case = to_served(register, act, modes)
    case = act(case, "request_review", "head_education", on=D(2026, 3, 12), grounds="情节认定过重")
    case = act(case, "accept_review", "mayor", on=D(2026, 3, 13), suspend=suspend)
    return act(case, "submit_review_report", "legal", on=D(2026, 4, 1), report="复核报告")


# --- the main paths -------------------------------------------------------------------------


def test_investigated_and_not_accountable(register, act):
    case = register(on=D(2026, 3, 2))
    case = act(case, "start", "mayor", on=D(2026, 3, 2))
    case = act(case, "assign_investigation", "mayor", on=D(2026, 3, 3), working_days=15)
    case = act(
        case,
        "notify_findings",
        "investigator",
        on=D(2026, 3, 16),
        findings="情节轻微",
        served_on=D(2026, 3, 16),
    )
    # Nanchong art. 9: the investigation period runs until the report and recommendation.
    assert case.deadlines.get(kind=Kind.INVESTIGATION).done_at is None
    case = act(case, "file_objection", "head_education", on=D(2026, 3, 18), text="已整改完毕")
    assert case.deadlines.get(kind=Kind.INVESTIGATION).done_at is None
    case = act(
        case,
        "submit_report",
        "investigator",
        on=D(2026, 3, 20),
        report="调查报告",
        recommendation="not_accountable",
    )
    assert case.deadlines.get(kind=Kind.INVESTIGATION).done_at is not None
    assert case.recommendation == "not_accountable"
    case = act(case, "decide_no_accountability", "mayor", on=D(2026, 3, 23), reason="情节轻微")
    assert case.state == State.NOT_ACCOUNTABLE
    assert case.no_accountability_reason == "情节轻微"
    notice = case.documents.get(doc_type=DocType.NO_ACCOUNTABILITY_NOTICE)
    assert "情节轻微" in notice.body and notice.issued_on == D(2026, 3, 23)
    case = act(case, "close", "secretariat", on=D(2026, 3, 24))
    assert case.state == State.CLOSED and case.closed_on == D(2026, 3, 24)
    assert not case.decisions.exists()
    assert doc_types(case) == [
        DocType.NOTICE_OF_START,
        DocType.INVESTIGATION_ASSIGNMENT,
        DocType.FINDINGS_NOTICE,
        DocType.NO_ACCOUNTABILITY_NOTICE,
    ]
    assert not case.deadlines.open().exists()
    assert history(case) == [
        ("register", "", State.PROPOSED, "secretariat", "登记问责案件"),
        ("start", State.PROPOSED, State.INITIATED, "mayor", "启动问责程序"),
        (
            "assign_investigation",
            State.INITIATED,
            State.INVESTIGATING,
            "mayor",
            "责成监察局调查核实",
        ),
        (
            "notify_findings",
            State.INVESTIGATING,
            State.FINDINGS_NOTIFIED,
            "investigator",
            "书面告知调查结果",
        ),
        (
            "file_objection",
            State.FINDINGS_NOTIFIED,
            State.FINDINGS_CLOSED,
            "head_education",
            "提出异议",
        ),
        (
            "submit_report",
            State.FINDINGS_CLOSED,
            State.REPORT_SUBMITTED,
            "investigator",
            "提交调查报告及问责建议",
        ),
        # Without a note, the history keeps the act's own reasons.
        (
            "decide_no_accountability",
            State.REPORT_SUBMITTED,
            State.NOT_ACCOUNTABLE,
            "mayor",
            "情节轻微",
        ),
        ("close", State.NOT_ACCOUNTABLE, State.CLOSED, "secretariat", "结案"),
    ]


def test_investigated_and_pursued(register, act):
    """Nanchong art. 11: after the report the mayor pursues → the executive meeting."""
    case = register(on=D(2026, 3, 2))
    case = act(case, "start", "mayor", on=D(2026, 3, 2))
    case = act(case, "assign_investigation", "mayor", on=D(2026, 3, 2), due=D(2026, 3, 31))
    case = act(
        case,
        "notify_findings",
        "investigator",
        on=D(2026, 3, 9),
        findings="属实",
        served_on=D(2026, 3, 9),
    )
    case = act(case, "close_findings", "investigator", on=D(2026, 3, 17))
    case = act(
        case,
        "submit_report",
        "investigator",
        on=D(2026, 3, 18),
        report="调查报告",
        recommendation="accountable",
        modes=["3", "4"],
    )
    assert set(case.recommended_modes.values_list("code", flat=True)) == {"3", "4"}
    case = act(case, "submit_to_meeting", "mayor", on=D(2026, 3, 19), reason="追究责任")
    assert case.state == State.AWAITING_MEETING and case.meeting_reason == "追究责任"


def test_direct_to_the_meeting_decided_served_final_closed(register, act):
    case = to_deliberated(register, act)
    assert (case.minutes, case.statement, case.meeting_date) == ("纪要", "申辩", D(2026, 3, 5))
    case = act(case, "decide", "mayor", on=D(2026, 3, 6), modes=["1", "3"], reason="情节较重")
    decision = case.decision
    assert decision.status == Decision.Status.IN_FORCE and decision.decided_on == D(2026, 3, 6)
    assert set(decision.modes.values_list("code", flat=True)) == {"1", "3"}
    assert decision.document.doc_type == DocType.DECISION
    assert "10个工作日内" in decision.document.body  # notice of the right to review
    case = act(
        case,
        "serve",
        "secretariat",
        on=D(2026, 3, 10),
        received_on=D(2026, 3, 9),
        method="in_person",
    )
    decision.refresh_from_db()
    assert (decision.received_on, decision.service_method) == (D(2026, 3, 9), "in_person")
    # Modes 1 and 3 need no execution deadline; the window runs from receipt.
    assert set(case.deadlines.values_list("kind", flat=True)) == {Kind.REVIEW_WINDOW}
    assert case.deadlines.get().due == D(2026, 3, 23)
    case = act(case, "become_final", "investigator", on=D(2026, 3, 24))
    case = act(case, "close", "secretariat", on=D(2026, 3, 24))
    assert case.state == State.CLOSED
    assert [row[0] for row in history(case)] == [
        "register",
        "start",
        "submit_to_meeting",
        "schedule",
        "deliberate",
        "decide",
        "serve",
        "become_final",
        "close",
    ]


def test_report_ordered_and_heard(register, act):
    case = register(on=D(2026, 3, 2))
    case = act(case, "start", "mayor", on=D(2026, 3, 2))
    case = act(case, "order_report", "vicemayor", on=D(2026, 3, 3))
    assert case.state == State.REPORT_ORDERED
    deadline = case.deadlines.get(kind=Kind.REPORT)
    assert deadline.due == D(2026, 3, 10)  # report_default: 5 working days [rule]
    assert deadline.responsible_user.username == "head_education"
    assert case.documents.filter(doc_type=DocType.REPORT_ORDER).count() == 1
    case = act(case, "report_heard", "vicemayor", on=D(2026, 3, 9), notes="已当面汇报")
    assert case.state == State.INITIATED and case.report_notes == "已当面汇报"
    assert case.deadlines.get(kind=Kind.REPORT).done_at is not None
    # Ordered again with a due date set by the mayor.
    case = act(case, "order_report", "mayor", on=D(2026, 3, 10), due=D(2026, 3, 20))
    assert case.deadlines.open().get(kind=Kind.REPORT).due == D(2026, 3, 20)
    case = act(case, "report_heard", "mayor", on=D(2026, 3, 19), notes="再次汇报")
    case = act(case, "submit_to_meeting", "mayor", on=D(2026, 3, 19), reason="事实清楚")
    assert case.state == State.AWAITING_MEETING
    rows = history(case)
    assert [r[:3] for r in rows[2:4]] == [
        ("order_report", State.INITIATED, State.REPORT_ORDERED),
        ("report_heard", State.REPORT_ORDERED, State.INITIATED),
    ]
    assert rows[2][3] == "vicemayor"


def test_review_refused(register, act, people):
    case = to_served(register, act)
    case = act(case, "request_review", "head_education", on=D(2026, 3, 12), grounds="不服")
    assert case.state == State.REVIEW_REQUESTED
    # Nanchong art. 15, 16: the decisions on review are the mayor's own, never delegated.
    with pytest.raises(NotAllowed):
        act(case, "refuse_review", "vicemayor", on=D(2026, 3, 16), reason="理由不成立")
    case = act(case, "refuse_review", "mayor", on=D(2026, 3, 16), reason="理由不成立")
    assert case.state == State.FINAL
    request = case.review_requests.get()
    assert request.outcome == ReviewRequest.Outcome.REFUSED
    assert request.outcome_reason == "理由不成立"
    assert request.decision == case.decision
    document = case.documents.get(doc_type=DocType.REVIEW_REQUEST_DECISION)
    assert "不予复核" in document.body and document.issued_by == people["mayor"]
    # Execution still open: the case cannot close until it is recorded.
    with pytest.raises(RefusedByRule):
        act(case, "close", "secretariat", on=D(2026, 3, 17))
    case = act(
        case,
        "record_execution",
        "investigator",
        on=D(2026, 3, 20),
        kind="rectification",
        note="完成",
    )
    case = act(case, "close", "secretariat", on=D(2026, 3, 20))
    assert case.state == State.CLOSED


def test_review_upheld(register, act):
    case = to_review_reported(register, act)
    request = case.review_requests.get()
    assert request.outcome == ReviewRequest.Outcome.ACCEPTED and request.report == "复核报告"
    assert case.deadlines.get(kind=Kind.REVIEW_REPORT).done_at is not None
    old = case.decision
    case = act(case, "review_decide", "mayor", on=D(2026, 4, 2), outcome="uphold", reason="维持")
    assert case.state == State.FINAL
    assert case.decision == old and old.status == Decision.Status.IN_FORCE
    request.refresh_from_db()
    assert request.review_outcome == "uphold" and request.review_reason == "维持"
    review = case.documents.get(doc_type=DocType.REVIEW_DECISION)
    assert "维持原问责决定" in review.body
    assert case.deadlines.open().get(kind=Kind.RECTIFICATION).due == D(2026, 4, 7)


def test_review_modifies_the_modes(register, act):
    case = to_review_reported(register, act, modes=("2", "3"))
    old = case.decision
    old_rectification = case.deadlines.get(kind=Kind.RECTIFICATION)
    case = act(
        case,
        "review_decide",
        "mayor",
        on=D(2026, 4, 2),
        outcome="modify",
        modes=["6"],
        reason="情节认定有偏差",
    )
    assert case.state == State.FINAL
    old.refresh_from_db()
    new = case.decision
    assert new != old
    assert new.supersedes == old and old.superseded_by == new
    assert old.status == Decision.Status.SUPERSEDED and new.status == Decision.Status.IN_FORCE
    assert set(new.modes.values_list("code", flat=True)) == {"6"}
    assert set(old.modes.values_list("code", flat=True)) == {"2", "3"}  # never edited
    assert new.decided_on == D(2026, 4, 2) and new.document.doc_type == DocType.DECISION
    assert new.document != old.document
    # Old execution cancelled; the new decision's runs from its receipt (served again).
    old_rectification.refresh_from_db()
    assert old_rectification.cancelled_at is not None
    assert new.received_on is None
    assert not case.deadlines.open().filter(kind__in=[Kind.RECTIFICATION, Kind.FILING]).exists()
    assert case.documents.filter(doc_type=DocType.DECISION).count() == 2
    assert case.documents.filter(doc_type=DocType.REVIEW_DECISION).count() == 1
    # No second review [rule].
    with pytest.raises(RefusedByRule) as refused:
        act(case, "request_review", "head_education", on=D(2026, 4, 3), grounds="再次申请")
    assert "不能再申请复核" in refused.value.message
    assert case.review_requests.count() == 1
    # Not served yet: the case cannot close.
    with pytest.raises(RefusedByRule):
        act(case, "close", "secretariat", on=D(2026, 4, 3))
    case = act(
        case,
        "serve_modified",
        "investigator",
        on=D(2026, 4, 8),
        received_on=D(2026, 4, 7),
        method="in_person",
    )
    assert case.state == State.FINAL
    new.refresh_from_db()
    assert (new.received_on, new.service_method) == (D(2026, 4, 7), "in_person")
    filing = case.deadlines.open().get(kind=Kind.FILING)
    assert (filing.start_date, filing.due) == (D(2026, 4, 7), D(2026, 4, 21))
    assert not case.deadlines.open().filter(kind=Kind.RECTIFICATION).exists()
    # Served again, but no new review window.
    assert case.deadlines.filter(kind=Kind.REVIEW_WINDOW).count() == 1
    with pytest.raises(RefusedByRule):  # served once only
        act(
            case,
            "serve_modified",
            "investigator",
            on=D(2026, 4, 8),
            received_on=D(2026, 4, 8),
            method="post",
        )
    # The filing (mode 6) blocks closing until recorded.
    with pytest.raises(RefusedByRule):
        act(case, "close", "secretariat", on=D(2026, 4, 8))
    case = act(
        case, "record_execution", "secretariat", on=D(2026, 4, 9), kind="filing", note="已备案"
    )
    case = act(case, "close", "secretariat", on=D(2026, 4, 9))
    assert case.state == State.CLOSED
    assert [r[0] for r in history(case)][-5:] == [
        "submit_review_report",
        "review_decide",
        "serve_modified",
        "record_execution",
        "close",
    ]


def test_serving_again_is_only_for_a_modified_decision(register, act):
    case = to_served(register, act, modes=("3",))
    case = act(case, "become_final", "secretariat", on=D(2026, 3, 24))
    with pytest.raises(RefusedByRule):
        act(
            case,
            "serve_modified",
            "secretariat",
            on=D(2026, 3, 24),
            received_on=D(2026, 3, 24),
            method="post",
        )


def test_review_revokes_the_decision(register, act):
    case = to_review_reported(register, act, modes=("2", "6"), suspend=True)
    assert case.execution_suspended
    old = case.decision
    case = act(
        case, "review_decide", "mayor", on=D(2026, 4, 2), outcome="revoke", reason="重大错误"
    )
    assert case.state == State.FINAL and case.execution_suspended is False
    old.refresh_from_db()
    assert old.status == Decision.Status.REVOKED
    executions = case.deadlines.filter(kind__in=[Kind.RECTIFICATION, Kind.FILING])
    assert executions.count() == 2
    assert all(d.cancelled_at is not None and d.done_at is None for d in executions)
    assert "撤销原问责决定" in case.documents.get(doc_type=DocType.REVIEW_DECISION).body
    # Nothing left to execute: the case closes; no linked case after a revoked decision.
    with pytest.raises(RefusedByRule):
        act(
            case,
            "open_linked_case",
            "secretariat",
            on=D(2026, 4, 3),
            person_name="王五",
            post="副局长",
            summary="s",
        )
    case = act(case, "close", "secretariat", on=D(2026, 4, 3))
    assert case.state == State.CLOSED


def test_vertical_department_gets_a_proposal_not_a_decision(register, act):
    """Nanchong art. 22: head_tax heads a vertically managed department."""
    case = to_deliberated(register, act, official="head_tax")
    assert case.vertical
    with pytest.raises(RefusedByRule) as refused:
        act(case, "decide", "mayor", on=D(2026, 3, 6), modes=["3"], reason="r")
    assert "第二十二条" in refused.value.message
    case.refresh_from_db()
    assert case.state == State.DELIBERATED and not case.decisions.exists()
    case = act(
        case,
        "send_proposal",
        "mayor",
        on=D(2026, 3, 6),
        organ="四川省国家税务局",
        text="建议对其予以问责",
    )
    assert case.state == State.PROPOSAL_SENT and case.proposal_organ == "四川省国家税务局"
    proposal = case.documents.get(doc_type=DocType.ACCOUNTABILITY_PROPOSAL)
    assert proposal.addressee == "四川省国家税务局" and proposal.body == "建议对其予以问责"
    assert not case.deadlines.filter(kind=Kind.REVIEW_WINDOW).exists()
    case = act(case, "close", "secretariat", on=D(2026, 3, 9))
    assert case.state == State.CLOSED
    assert [r[0] for r in history(case)][-2:] == ["send_proposal", "close"]


def test_a_proposal_is_only_for_vertical_departments(register, act):
    case = to_deliberated(register, act)
    with pytest.raises(RefusedByRule):
        act(case, "send_proposal", "mayor", on=D(2026, 3, 6), organ="某机关", text="建议")
    case.refresh_from_db()
    assert case.state == State.DELIBERATED


# --- side paths -----------------------------------------------------------------------------


def test_referral_and_prior_sanction_are_recorded_and_the_case_continues(register, act, people):
    case = register(on=D(2026, 3, 2))
    case = act(case, "start", "mayor", on=D(2026, 3, 2))
    version = case.version
    # Nanchong art. 19: a prior sanction does not block accountability.
    case = act(
        case,
        "record_prior_sanction",
        "secretariat",
        on=D(2026, 3, 3),
        sanction="记过",
        imposed_by="市监察局",
        imposed_on=D(2025, 11, 3),
    )
    assert case.state == State.INITIATED
    sanction = PriorSanction.objects.get(case=case)
    assert (sanction.sanction, sanction.imposed_on) == ("记过", D(2025, 11, 3))
    assert sanction.recorded_by == people["secretariat"]
    # Nanchong art. 18: a referral for a sanction or to the judicial organs.
    case = act(
        case,
        "record_referral",
        "investigator",
        on=D(2026, 3, 4),
        kind="judicial",
        organ="南充市人民检察院",
        note="涉嫌犯罪",
    )
    assert case.state == State.INITIATED
    referral = Referral.objects.get(case=case)
    assert (referral.kind, referral.organ, referral.referred_on) == (
        "judicial",
        "南充市人民检察院",
        D(2026, 3, 4),
    )
    assert case.version == version + 2
    rows = history(case)
    assert [r[:3] for r in rows[-2:]] == [
        ("record_prior_sanction", State.INITIATED, State.INITIATED),
        ("record_referral", State.INITIATED, State.INITIATED),
    ]
    # The case goes on.
    case = act(case, "submit_to_meeting", "mayor", on=D(2026, 3, 4), reason="事实清楚")
    assert case.state == State.AWAITING_MEETING


def test_linked_cases_only_after_a_decision(register, act):
    """Nanchong art. 20: after the head is held accountable, cases against deputies or staff."""
    case = to_deliberated(register, act)
    with pytest.raises(WrongState):
        act(
            case,
            "open_linked_case",
            "secretariat",
            on=D(2026, 3, 6),
            person_name="王五",
            post="副局长",
            summary="s",
        )
    case = act(case, "decide", "mayor", on=D(2026, 3, 6), modes=["3"], reason="r")
    with pytest.raises(WrongState):  # decided, not yet served
        act(
            case,
            "open_linked_case",
            "secretariat",
            on=D(2026, 3, 6),
            person_name="王五",
            post="副局长",
            summary="s",
        )
    case = act(
        case,
        "serve",
        "investigator",
        on=D(2026, 3, 9),
        received_on=D(2026, 3, 9),
        method="in_person",
    )
    case = act(
        case,
        "open_linked_case",
        "investigator",
        on=D(2026, 3, 10),
        person_name="王五",
        post="分管副局长",
        summary="分管工作不力",
    )
    assert case.state == State.SERVED
    linked = LinkedCase.objects.get(parent=case)
    assert linked.handled_by == case.department and linked.opened_on == D(2026, 3, 10)
    case = act(case, "become_final", "secretariat", on=D(2026, 3, 24))
    case = act(case, "close", "secretariat", on=D(2026, 3, 24))
    case = act(
        case,
        "open_linked_case",
        "secretariat",
        on=D(2026, 3, 25),
        person_name="赵六",
        post="科长",
        summary="具体经办",
    )
    assert case.state == State.CLOSED and case.linked_cases.count() == 2


@pytest.mark.parametrize("mode", ["6", "7"])
def test_suspension_or_resignation_needs_a_filing_before_closing(register, act, mode):
    case = to_served(register, act, modes=(mode,))
    filing = case.deadlines.get(kind=Kind.FILING)
    assert filing.start_date == D(2026, 3, 9) and filing.responsible_unit.code == "general_office"
    assert filing.due == D(2026, 3, 23)  # 10 working days [rule]
    case = act(case, "become_final", "secretariat", on=D(2026, 3, 24))
    with pytest.raises(RefusedByRule):
        act(case, "close", "secretariat", on=D(2026, 3, 24))
    with pytest.raises(RefusedByRule):  # nothing of that kind to record
        act(
            case,
            "record_execution",
            "secretariat",
            on=D(2026, 3, 24),
            kind="rectification",
            note="x",
        )
    case = act(
        case, "record_execution", "secretariat", on=D(2026, 3, 25), kind="filing", note="已报备"
    )
    filing.refresh_from_db()
    assert filing.done_at is not None
    case = act(case, "close", "secretariat", on=D(2026, 3, 25))
    assert case.state == State.CLOSED


def test_every_act_bumps_the_version_and_the_day(register, act):
    case = register(on=D(2026, 3, 2))
    assert case.version == 1 and case.last_act_on == D(2026, 3, 2)
    case = act(case, "start", "mayor", on=D(2026, 3, 3))
    assert case.version == 2 and case.last_act_on == D(2026, 3, 3)


def test_a_stale_version_is_refused(register, act, people):
    from casework.accountability import services

    case = register(on=D(2026, 3, 2))
    stale = case.version
    case = act(case, "start", "mayor", on=D(2026, 3, 2))
    with pytest.raises(WrongState) as wrong:
        services.transition(
            case,
            "submit_to_meeting",
            people["mayor"],
            {"reason": "r", "on": "2026-03-02"},
            if_match=stale,
        )
    assert str(case.version) in wrong.value.message
    case = services.transition(
        case,
        "submit_to_meeting",
        people["mayor"],
        {"reason": "r", "on": "2026-03-02"},
        if_match=f'"{case.version}"',
    )
    assert case.state == State.AWAITING_MEETING


def test_history_records_the_typed_reason_and_ip(register, people):
    from casework.accountability import services

    case = register(on=D(2026, 3, 2))
    services.transition(
        case, "start", people["mayor"], {"on": "2026-03-02"}, reason="市长批示启动", ip="10.0.0.7"
    )
    row = case.history.latest("history_id")
    assert (row.action, row.history_change_reason, row.ip_address) == (
        "start",
        "市长批示启动",
        "10.0.0.7",
    )
    start_notice = case.documents.get(doc_type=DocType.NOTICE_OF_START)
    assert start_notice.history.get().history_change_reason == "市长批示启动"
