"""What the Nanchong measures require beyond the first pass: filings posted in time after the
case moved on, only heads held to account (and linked cases decided by the head), county
heads, the investigation period ending with the report, what a delegate may do, late requests
as events, the objection beside the findings, and electronic service received on opening."""

import datetime

import pytest

from casework.accountability import services
from casework.accountability.models import AccountabilityCase, ReviewRequest, State
from casework.deadlines.models import Kind
from casework.documents import rendering
from casework.documents.models import DocType
from casework.exceptions import InvalidInput, NotAllowed, RefusedByRule, WrongState
from casework.kernel import clock
from casework.org.models import Delegation, Department, Official

pytestmark = pytest.mark.django_db

D = datetime.date


def decided(register, act, on, official="head_education", modes=("3",)):
    case = register(official=official, on=on)
    case = act(case, "start", "mayor", on=on)
    case = act(case, "submit_to_meeting", "mayor", on=on, reason="事实清楚")
    case = act(case, "schedule", "secretariat", on=on, meeting_date=on)
    case = act(case, "deliberate", "secretariat", on=on, minutes="纪要")
    return act(case, "decide", "mayor", on=on, modes=list(modes), reason="情节较重")


def served(register, act, received, **kwargs):
    case = decided(register, act, received - datetime.timedelta(days=7), **kwargs)
    return act(case, "serve", "investigator", on=received, received_on=received, method="post")


def notified(register, act, served_on):
    d0 = served_on - datetime.timedelta(days=7)
    case = register(on=d0)
    case = act(case, "start", "mayor", on=d0)
    case = act(case, "assign_investigation", "mayor", on=d0, working_days=30)
    return act(
        case, "notify_findings", "investigator", on=served_on, findings="属实", served_on=served_on
    )


# --- 1. The postmark rule (Nanchong art. 8, 14) ---------------------------------------------


def test_a_request_posted_in_time_reopens_a_decision_that_became_final(register, act, people):
    """Nanchong art. 14, postmark rule: served 2026-09-17, the window ends 2026-10-08
    (National Day); final on 10-09; the request posted on 10-08 arrives and is entered on 10-12."""
    case = served(register, act, D(2026, 9, 17))
    window = case.deadlines.get(kind=Kind.REVIEW_WINDOW)
    assert window.due == D(2026, 10, 8)
    case = act(case, "become_final", "secretariat", on=D(2026, 10, 9))
    assert case.state == State.FINAL
    case = act(
        case,
        "request_review",
        "secretariat",
        on=D(2026, 10, 12),
        filed_on=D(2026, 10, 8),
        grounds="邮寄的复核申请",
    )
    assert case.state == State.REVIEW_REQUESTED
    request = case.review_requests.get()
    assert (request.filed_on, request.late, request.entered_by) == (
        D(2026, 10, 8),
        False,
        people["secretariat"],
    )
    # The finality is undone on the record: the case's history and the window's say why.
    row = case.history.latest("history_id")
    assert (row.action, row.from_state, row.state) == (
        "request_review",
        State.FINAL,
        State.REVIEW_REQUESTED,
    )
    assert "邮戳" in row.history_change_reason and "撤销“决定生效”" in row.history_change_reason
    window.refresh_from_db()
    assert "撤销“决定生效”" in window.history.latest("history_id").history_change_reason
    # The reopening is final: once refused, no second reopening by the same route.
    case = act(case, "refuse_review", "mayor", on=D(2026, 10, 13), reason="理由不成立")
    with pytest.raises(RefusedByRule):
        act(
            case,
            "request_review",
            "head_education",
            on=D(2026, 10, 14),
            filed_on=D(2026, 10, 8),
            grounds="再次",
        )


def test_a_request_posted_late_leaves_a_final_decision_final(register, act):
    """Nanchong art. 14: a postmark after the window reopens nothing."""
    case = served(register, act, D(2026, 9, 17))
    case = act(case, "become_final", "secretariat", on=D(2026, 10, 9))
    with pytest.raises(RefusedByRule) as refused:
        act(
            case,
            "request_review",
            "secretariat",
            on=D(2026, 10, 12),
            filed_on=D(2026, 10, 9),
            grounds="逾期邮寄",
        )
    assert refused.value.status == 422
    case.refresh_from_db()
    assert case.state == State.FINAL
    assert case.review_requests.get().outcome == ReviewRequest.Outcome.LATE


def test_an_official_who_forwent_the_review_cannot_reopen_it_within_the_window(register, act):
    """Nanchong art. 14: the right may be forgone; the decision is then final by the
    official's own word, not by a lapsed window, and a request he posts afterwards, still
    inside the window, reopens nothing."""
    case = served(register, act, D(2026, 9, 17))
    case = act(case, "waive_review", "head_education", on=D(2026, 9, 18))
    assert case.state == State.FINAL
    with pytest.raises(RefusedByRule):
        act(
            case,
            "request_review",
            "secretariat",
            on=D(2026, 9, 22),
            filed_on=D(2026, 9, 21),
            grounds="放弃后又申请",
        )
    case.refresh_from_db()
    assert case.state == State.FINAL
    assert not case.review_requests.exists()


def test_staff_enter_a_paper_request_but_no_one_else_files_for_the_official(register, act, people):
    """Nanchong art. 14: the secretariat or the bureau enters a paper request, recorded."""
    case = served(register, act, D(2026, 3, 2))
    for username in ("legal", "head_transport"):
        with pytest.raises(NotAllowed):
            act(case, "request_review", username, on=D(2026, 3, 3), grounds="代为申请")
    case = act(case, "request_review", "investigator", on=D(2026, 3, 4), grounds="书面申请")
    assert case.review_requests.get().entered_by == people["investigator"]


def test_the_official_filing_himself_is_not_entered_by_anyone(register, act):
    case = served(register, act, D(2026, 3, 2))
    case = act(case, "request_review", "head_education", on=D(2026, 3, 3), grounds="不服")
    assert case.review_requests.get().entered_by is None


def test_an_objection_posted_in_time_reopens_closed_findings(register, act, people):
    """Nanchong art. 8, postmark rule: the objection reopens closed findings."""
    # Served 2026-02-12: 5 working days end 2026-02-26 (Spring Festival).
    case = notified(register, act, D(2026, 2, 12))
    case = act(case, "close_findings", "investigator", on=D(2026, 2, 27))
    assert case.state == State.FINDINGS_CLOSED
    case = act(
        case,
        "file_objection",
        "secretariat",
        on=D(2026, 3, 2),
        filed_on=D(2026, 2, 26),
        text="对调查事实有异议",
    )
    assert case.state == State.FINDINGS_CLOSED
    assert case.objection == "对调查事实有异议"
    assert case.objection_filed_on == D(2026, 2, 26)
    assert case.objection_entered_by == people["secretariat"]
    row = case.history.latest("history_id")
    assert row.action == "file_objection" and "撤销“确认调查结果”" in row.history_change_reason
    # A second objection is not admitted.
    with pytest.raises(RefusedByRule):
        act(case, "file_objection", "head_education", on=D(2026, 3, 2), text="再次")


def test_an_objection_posted_after_the_period_is_refused(register, act):
    case = notified(register, act, D(2026, 2, 12))
    case = act(case, "close_findings", "investigator", on=D(2026, 2, 27))
    with pytest.raises(RefusedByRule) as refused:
        act(
            case,
            "file_objection",
            "secretariat",
            on=D(2026, 3, 2),
            filed_on=D(2026, 2, 27),
            text="逾期",
        )
    assert "filed_on" in refused.value.fields
    case.refresh_from_db()
    assert case.objection == ""


def test_an_objection_postmark_after_its_entry_is_invalid(register, act):
    case = notified(register, act, D(2026, 2, 12))
    with pytest.raises(InvalidInput) as invalid:
        act(
            case,
            "file_objection",
            "head_education",
            on=D(2026, 2, 13),
            filed_on=D(2026, 2, 24),
            text="x",
        )
    assert "filed_on" in invalid.value.fields


# --- 2. Only heads; linked cases decided by the head (Nanchong art. 2, 3, 20) -----------------


def test_a_case_against_a_staff_member_is_refused_naming_official(register):
    """Nanchong art. 2, art. 3: only heads are held to account by the city."""
    with pytest.raises(InvalidInput) as invalid:
        register(official="staff_education")
    assert invalid.value.status == 400
    assert "official" in invalid.value.fields
    assert not AccountabilityCase.objects.exists()


def test_a_case_registered_before_against_a_non_head_cannot_be_decided(register, act):
    """Nanchong art. 2: no decision against someone who is no head."""
    case = register(on=D(2026, 3, 2))
    case = act(case, "start", "mayor", on=D(2026, 3, 2))
    case = act(case, "submit_to_meeting", "mayor", on=D(2026, 3, 2), reason="事实清楚")
    case = act(case, "schedule", "secretariat", on=D(2026, 3, 2), meeting_date=D(2026, 3, 3))
    case = act(case, "deliberate", "secretariat", on=D(2026, 3, 3), minutes="纪要")
    head = case.official
    head.is_head = False
    head._change_reason = "职务变动"
    head.save()
    with pytest.raises(InvalidInput) as invalid:
        act(case, "decide", "mayor", on=D(2026, 3, 4), modes=["3"], reason="r")
    assert "official" in invalid.value.fields


def linked_case(register, act, people):
    parent = served(register, act, D(2026, 3, 2))
    staff = Official.objects.get(user__username="staff_education")
    parent = act(
        parent,
        "open_linked_case",
        "head_education",
        on=D(2026, 3, 3),
        official=staff.pk,
        summary="经办人员未按期报送材料",
    )
    record = parent.linked_cases.get()
    return parent, record.case


def test_the_head_holds_a_staff_member_to_account_by_reference(register, act, people):
    """Nanchong art. 20: the linked case is decided by the head, not the mayor."""
    parent, child = linked_case(register, act, people)
    assert child.parent == parent and child.official.user.username == "staff_education"
    assert child.state == State.PROPOSED and child.source.code == "department_head"
    record = parent.linked_cases.get()
    assert (record.person_name, record.post) == ("何丽", "教育局办公室科员")
    # The mayor does not decide it; the head does.
    with pytest.raises(NotAllowed):
        act(child, "start", "mayor", on=D(2026, 3, 3))
    child = act(child, "start", "head_education", on=D(2026, 3, 3))
    assert "第二十条" in child.documents.get(doc_type=DocType.NOTICE_OF_START).body
    # Not to the city's executive meeting: the head decides after the report.
    with pytest.raises(RefusedByRule):
        act(child, "submit_to_meeting", "head_education", on=D(2026, 3, 4), reason="r")
    child = act(child, "order_report", "head_education", on=D(2026, 3, 4))
    child = act(child, "report_heard", "head_education", on=D(2026, 3, 5), notes="已汇报")
    with pytest.raises(NotAllowed):
        act(child, "decide", "mayor", on=D(2026, 3, 6), modes=["3"], reason="r")
    child = act(child, "decide", "head_education", on=D(2026, 3, 6), modes=["3"], reason="失职")
    assert child.state == State.DECIDED
    decision = child.documents.get(doc_type=DocType.DECISION)
    assert "刘建华" in decision.body and "申请复核" in decision.body
    # The department issues it under its own name, not the city government's.
    printed = rendering.render_html(decision, standalone=False)
    assert "南充市教育局文件" in printed and "南充市人民政府文件" not in printed
    parents = rendering.render_html(parent.decision.document, standalone=False)
    assert "南充市人民政府文件" in parents
    # Same notice and review right; the head decides on the request.
    child = act(
        child,
        "serve",
        "secretariat",
        on=D(2026, 3, 9),
        received_on=D(2026, 3, 9),
        method="in_person",
    )
    child = act(child, "request_review", "staff_education", on=D(2026, 3, 10), grounds="不服")
    with pytest.raises(NotAllowed):
        act(child, "refuse_review", "mayor", on=D(2026, 3, 11), reason="r")
    child = act(child, "refuse_review", "head_education", on=D(2026, 3, 11), reason="理由不成立")
    assert child.state == State.FINAL


def test_a_linked_case_is_against_someone_of_the_department(register, act):
    parent = served(register, act, D(2026, 3, 2))
    other = Official.objects.get(user__username="head_transport")
    with pytest.raises(InvalidInput) as invalid:
        act(
            parent,
            "open_linked_case",
            "head_education",
            on=D(2026, 3, 3),
            official=other.pk,
            summary="s",
        )
    assert "official" in invalid.value.fields
    assert not parent.linked_cases.exists()


def test_the_mayor_cannot_decide_a_head_case_without_the_meeting(register, act):
    case = register(on=D(2026, 3, 2))
    case = act(case, "start", "mayor", on=D(2026, 3, 2))
    with pytest.raises(WrongState):
        act(case, "decide", "mayor", on=D(2026, 3, 3), modes=["3"], reason="r")


# --- 3. County heads (Nanchong art. 21) -------------------------------------------------------


def test_a_county_head_is_held_to_account(register, act):
    """Nanchong art. 21: the heads of the county and district governments."""
    county = Department.objects.get(code="shunqing")
    assert county.kind == Department.Kind.COUNTY
    assert Department.objects.filter(kind=Department.Kind.COUNTY).count() == 9
    assert (
        Official.objects.filter(department__kind=Department.Kind.COUNTY, is_head=True).count() == 9
    )
    case = decided(register, act, D(2026, 3, 2), official="head_shunqing")
    assert case.state == State.DECIDED and case.department == county


# --- 4. The investigation ends with the report (Nanchong art. 9) ------------------------------


def test_a_bureau_that_never_reports_keeps_an_open_investigation_deadline(register, act):
    """Nanchong art. 9: the investigation period ends with the report and recommendation."""
    case = notified(register, act, D(2026, 3, 2))
    case = act(case, "close_findings", "investigator", on=D(2026, 3, 10))
    deadline = case.deadlines.get(kind=Kind.INVESTIGATION)
    assert deadline.done_at is None and deadline.is_open
    case = act(
        case,
        "submit_report",
        "investigator",
        on=D(2026, 3, 11),
        report="报告",
        recommendation="accountable",
    )
    deadline.refresh_from_db()
    assert deadline.done_at is not None


# --- 5. Delegation (Nanchong art. 6 vs art. 5, 12, 15, 16) ------------------------------------


def test_a_delegate_orders_and_hears_and_the_record_says_under_which_delegation(
    register, act, people
):
    """Nanchong art. 6: what a delegate may do, and the record of the delegation."""
    delegation = Delegation.objects.get(delegate=people["vicemayor"])
    case = register(on=D(2026, 3, 2))
    with pytest.raises(NotAllowed):
        act(case, "start", "vicemayor", on=D(2026, 3, 2))
    case = act(case, "start", "mayor", on=D(2026, 3, 2))
    assert case.history.latest("history_id").delegation is None
    case = act(case, "order_report", "vicemayor", on=D(2026, 3, 3))
    assert case.history.latest("history_id").delegation == delegation
    order = case.documents.get(doc_type=DocType.REPORT_ORDER)
    assert "受市长委托" in order.body
    case = act(case, "report_heard", "vicemayor", on=D(2026, 3, 4), notes="已汇报")
    assert case.history.latest("history_id").delegation == delegation
    with pytest.raises(NotAllowed):
        act(case, "submit_to_meeting", "vicemayor", on=D(2026, 3, 5), reason="r")
    case = act(case, "assign_investigation", "vicemayor", on=D(2026, 3, 5), working_days=10)
    assert "受市长委托" in case.documents.get(doc_type=DocType.INVESTIGATION_ASSIGNMENT).body


def test_the_mayor_decides_the_modes(register, act):
    case = decided(register, act, D(2026, 3, 2))
    assert case.state == State.DECIDED
    case = act(
        case, "serve", "secretariat", on=D(2026, 3, 3), received_on=D(2026, 3, 3), method="post"
    )
    assert case.state == State.SERVED


def test_a_delegate_does_not_decide_the_modes(register, act):
    """Nanchong art. 12: the modes are the mayor's own."""
    case = register(on=D(2026, 3, 2))
    case = act(case, "start", "mayor", on=D(2026, 3, 2))
    case = act(case, "submit_to_meeting", "mayor", on=D(2026, 3, 2), reason="事实清楚")
    case = act(case, "schedule", "secretariat", on=D(2026, 3, 2), meeting_date=D(2026, 3, 3))
    case = act(case, "deliberate", "secretariat", on=D(2026, 3, 3), minutes="纪要")
    with pytest.raises(NotAllowed):
        act(case, "decide", "vicemayor", on=D(2026, 3, 3), modes=["3"], reason="r")


def test_a_review_scope_delegation_grants_no_review_decision(register, act, people):
    """Nanchong art. 15, art. 16: the review is the mayor's own."""
    Delegation.objects.create(
        delegator=people["mayor"],
        delegate=people["vicemayor"],
        scope=Delegation.Scope.REVIEW,
        valid_from=D(2026, 1, 1),
    )
    case = served(register, act, D(2026, 3, 2))
    case = act(case, "request_review", "head_education", on=D(2026, 3, 3), grounds="不服")
    for step, body in (("refuse_review", {"reason": "r"}), ("accept_review", {})):
        with pytest.raises(NotAllowed):
            act(case, step, "vicemayor", on=D(2026, 3, 4), **body)


# --- 6. A refused late request changes nothing (Nanchong art. 14) -----------------------------


def test_a_late_request_blocks_nothing_and_the_mayor_may_admit_it_from_final(register, act, people):
    """Nanchong art. 14: a refused late request changes nothing; the mayor may admit it."""
    case = served(register, act, D(2026, 3, 2))  # window ends 2026-03-16
    with pytest.raises(RefusedByRule):
        act(case, "request_review", "head_education", on=D(2026, 3, 17), grounds="事实不清")
    request = case.review_requests.get()
    assert (request.late, request.outcome) == (True, ReviewRequest.Outcome.LATE)
    case = act(case, "become_final", "secretariat", on=D(2026, 3, 17))
    assert case.state == State.FINAL
    # The mayor admits it on legitimate grounds: the case reopens into review.
    assert "request_review" in services.available_transitions(people["mayor"], case, D(2026, 3, 18))
    case = act(
        case,
        "request_review",
        "mayor",
        on=D(2026, 3, 18),
        grounds="事实不清",
        late_ok=True,
        late_reason="申请人住院，有医院证明",
    )
    assert case.state == State.REVIEW_REQUESTED
    request.refresh_from_db()
    assert request.outcome == ReviewRequest.Outcome.PENDING
    assert request.late_accepted_by == people["mayor"]
    assert request.late_admission_reason == "申请人住院，有医院证明"
    assert case.review_requests.count() == 1
    case = act(case, "accept_review", "mayor", on=D(2026, 3, 19))
    assert case.state == State.UNDER_REVIEW


def test_without_a_late_request_the_mayor_files_nothing(register, act):
    case = served(register, act, D(2026, 3, 2))
    with pytest.raises(RefusedByRule):
        act(case, "request_review", "mayor", on=D(2026, 3, 3), grounds="代为申请")


# --- 7. The objection beside the findings (Nanchong art. 8) -----------------------------------


def test_the_objection_appears_in_the_no_accountability_notice(register, act):
    """Nanchong art. 8, art. 10: the objection beside the findings in the notice."""
    case = notified(register, act, D(2026, 3, 2))
    case = act(case, "file_objection", "head_education", on=D(2026, 3, 3), text="数据有误")
    case = act(
        case,
        "submit_report",
        "investigator",
        on=D(2026, 3, 4),
        report="报告",
        recommendation="not_accountable",
    )
    case = act(case, "decide_no_accountability", "mayor", on=D(2026, 3, 5), reason="情节轻微")
    notice = case.documents.get(doc_type=DocType.NO_ACCOUNTABILITY_NOTICE)
    assert "属实" in notice.body and "数据有误" in notice.body


def test_the_objection_appears_in_the_decision(register, act):
    """Nanchong art. 8, art. 12: the objection beside the findings in the decision."""
    case = notified(register, act, D(2026, 3, 2))
    case = act(case, "file_objection", "head_education", on=D(2026, 3, 3), text="数据有误")
    case = act(
        case,
        "submit_report",
        "investigator",
        on=D(2026, 3, 4),
        report="报告",
        recommendation="accountable",
    )
    case = act(case, "submit_to_meeting", "mayor", on=D(2026, 3, 5), reason="追究")
    case = act(case, "schedule", "secretariat", on=D(2026, 3, 5), meeting_date=D(2026, 3, 6))
    case = act(case, "deliberate", "secretariat", on=D(2026, 3, 6), minutes="纪要")
    case = act(case, "decide", "mayor", on=D(2026, 3, 6), modes=["3"], reason="r")
    decision = case.documents.get(doc_type=DocType.DECISION)
    assert "调查结论：属实" in decision.body and "数据有误" in decision.body


# --- 8. Electronic service: received when first opened (Nanchong art. 12, 14) -----------------


def test_an_electronic_decision_is_received_when_the_official_first_opens_it(register, act, people):
    """Nanchong art. 12, art. 14: electronic service is received on the first opening."""
    today = clock.today()
    case = decided(register, act, today - datetime.timedelta(days=3))
    with pytest.raises(InvalidInput) as invalid:
        act(case, "serve", "investigator", on=today, received_on=today, method="electronic")
    assert "received_on" in invalid.value.fields
    case = act(case, "serve", "investigator", on=today, method="electronic")
    assert case.state == State.SERVED
    decision = case.decision
    assert decision.received_on is None and decision.sent_on == today
    assert not case.deadlines.filter(kind=Kind.REVIEW_WINDOW).exists()
    # Not final before the official has it.
    with pytest.raises(RefusedByRule):
        act(case, "become_final", "secretariat", on=today)
    # Staff opening the case is no receipt.
    assert services.open_served_decision(case, people["secretariat"]) is False
    assert services.open_served_decision(case, people["head_education"]) is True
    case.refresh_from_db()
    decision = case.decision
    assert decision.received_on == today and decision.opened_at is not None
    window = case.deadlines.get(kind=Kind.REVIEW_WINDOW)
    assert window.start_date == today
    row = case.history.latest("history_id")
    assert row.action == "open_decision" and row.history_user == people["head_education"]
    # Only the first opening counts.
    assert services.open_served_decision(case, people["head_education"]) is False
    assert case.deadlines.filter(kind=Kind.REVIEW_WINDOW).count() == 1


def test_an_official_without_an_account_cannot_be_served_electronically(register, act):
    today = clock.today()
    case = decided(register, act, today - datetime.timedelta(days=3))
    official = case.official
    official.user = None
    official._change_reason = "账号注销"
    official.save()
    with pytest.raises(InvalidInput) as invalid:
        act(case, "serve", "investigator", on=today, method="electronic")
    assert "method" in invalid.value.fields


# --- over HTTP ---------------------------------------------------------------------------------


def test_the_api_refuses_a_case_against_a_clerk_with_400_naming_official(login_api):
    staff = Official.objects.get(user__username="staff_education")
    response = login_api("secretariat").post(
        "/api/v1/accountability-cases",
        {"official": staff.pk, "grounds": ["4.1.1"], "source": "mayor", "summary": "s"},
        format="json",
    )
    assert response.status_code == 400
    assert "official" in response.json()["fields"]


def test_the_official_reading_his_case_over_the_api_receives_the_decision(register, act, login_api):
    """Nanchong art. 12, art. 14: the first reading by the official is the receipt."""
    today = clock.today()
    case = decided(register, act, today - datetime.timedelta(days=3))
    case = act(case, "serve", "investigator", on=today, method="electronic")
    url = f"/api/v1/accountability-cases/{case.pk}"
    staff_view = login_api("secretariat").get(url).json()
    assert staff_view["decisions"][0]["received_on"] is None
    assert staff_view["decisions"][0]["sent_on"] == today.isoformat()
    body = login_api("head_education").get(url).json()
    assert body["decisions"][0]["received_on"] == today.isoformat()
    assert body["decisions"][0]["opened_at"] is not None
    assert [d["kind"] for d in body["deadlines"] if d["kind"] == "review_window"] == [
        "review_window"
    ]


@pytest.mark.parametrize(
    "path",
    ["/accountability/documents/{pk}/", "/documents/{pk}/pdf", "/api/v1/documents/{pk}/pdf"],
)
def test_the_official_opening_the_decision_document_receives_it(
    register, act, login_api, client, people, path
):
    """Nanchong art. 12, art. 14: the decision's own page or PDF, opened by the official, is
    as much the first opening as his case; opened by staff, or another document, it is not."""
    today = clock.today()
    case = decided(register, act, today - datetime.timedelta(days=3))
    case = act(case, "serve", "investigator", on=today, method="electronic")
    decision = case.decision
    notice = case.documents.exclude(pk=decision.document_id).first()
    url = path.format(pk=decision.document_id)

    def opened_by(username, url):
        if url.startswith("/api/"):
            return login_api(username).get(url)
        client.force_login(people[username])
        return client.get(url)

    assert opened_by("secretariat", url).status_code == 200
    assert opened_by("head_education", path.format(pk=notice.pk)).status_code == 200
    decision.refresh_from_db()
    assert decision.received_on is None
    assert opened_by("head_education", url).status_code == 200
    decision.refresh_from_db()
    assert decision.received_on == today and decision.opened_at is not None
    assert case.deadlines.get(kind=Kind.REVIEW_WINDOW).start_date == today
    assert case.history.latest("history_id").action == "open_decision"
    # A second opening records nothing more.
    assert opened_by("head_education", url).status_code == 200
    assert case.history.filter(action="open_decision").count() == 1


def test_the_api_history_names_the_delegation(register, act, login_api, people):
    """Nanchong art. 6: the history entry of an act under a delegation names it."""
    delegation = Delegation.objects.get(delegate=people["vicemayor"])
    case = register(on=D(2026, 3, 2))
    case = act(case, "start", "mayor", on=D(2026, 3, 2))
    case = act(case, "order_report", "vicemayor", on=D(2026, 3, 3))
    entries = login_api("mayor").get(f"/api/v1/accountability-cases/{case.pk}/history").json()
    assert [(e["action"], e["delegation"]) for e in entries[1:]] == [
        ("start", None),
        ("order_report", delegation.pk),
    ]
