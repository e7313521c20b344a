"""The only code that changes an accountability case (architecture.md, "the one path").

``transition(case, name, actor, data)``: permission (rules.py) → payload → dates → row lock
and version → legal checks → the django-fsm method → deadlines and documents → history →
the viewflow task of the step is completed and the next one opened.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.deadlines import services as deadline_services
from casework.deadlines.models import EXECUTION_KINDS, Kind, PeriodRule
from casework.documents import services as documents
from casework.documents.models import DocType
from casework.exceptions import (
    InvalidInput,
    NotAllowed,
    RefusedByRule,
    WrongState,
    act_day,
    claimed_day,
    is_stale,
    validated,
)
from casework.org.models import Department, Official
from casework.org.rules import acting_mayors
from casework.workcalendar import periods

from . import rules
from .models import (
    AccountabilityCase,
    Decision,
    Ground,
    LinkedCase,
    Mode,
    PriorSanction,
    Referral,
    ReviewRequest,
    Source,
)
from .payloads import PAYLOADS, RegisterCase

# Nanchong art. 14: 10 working days from receipt of the decision to request review.
REVIEW_WINDOW_WORKING_DAYS = 10
# Nanchong art. 15: the legal affairs office reports within 20 working days.
REVIEW_REPORT_WORKING_DAYS = 20

TRANSITION_LABELS = {
    "register": _("登记问责案件"),
    "start": _("启动问责程序"),
    "order_report": _("责成当面汇报"),
    "report_heard": _("听取汇报"),
    "submit_to_meeting": _("提交常务会议讨论"),
    "assign_investigation": _("责成监察局调查核实"),
    "notify_findings": _("书面告知调查结果"),
    "file_objection": _("提出异议"),
    "close_findings": _("异议期届满，确认调查结果"),
    "submit_report": _("提交调查报告及问责建议"),
    "decide_no_accountability": _("决定不予问责"),
    "schedule": _("列入常务会议议程"),
    "deliberate": _("常务会议讨论"),
    "decide": _("作出问责决定"),
    "send_proposal": _("向主管机关提出问责建议"),
    "serve": _("送达问责决定"),
    "request_review": _("申请复核"),
    "become_final": _("复核申请期届满，决定生效"),
    "refuse_review": _("决定不予复核"),
    "accept_review": _("决定复核"),
    "submit_review_report": _("提交复核报告"),
    "review_decide": _("作出复核决定"),
    "close": _("结案"),
    "serve_modified": _("送达变更后的问责决定"),
    "record_execution": _("登记执行情况"),
    "record_referral": _("登记移送（第十八条）"),
    "record_prior_sanction": _("登记已受处分（第十九条）"),
    "open_linked_case": _("登记关联问责（第二十条）"),
}


@dataclass
class Act:
    """What a handler receives: the locked case, who acts, the validated body, the day."""

    case: AccountabilityCase
    actor: object
    data: dict
    on: datetime.date
    reason: str


def today() -> datetime.date:
    return timezone.localdate()


def label(name: str) -> str:
    return str(TRANSITION_LABELS.get(name, name))


# ------------------------------------------------------------------------------------
# Registration
# ------------------------------------------------------------------------------------


def register_case(actor, data: dict, proposal_document=None) -> AccountabilityCase:
    """Register a case against an official (art. 5: grounds, source, the proposal attached)."""
    if not rules.can_register(actor):
        raise NotAllowed(_("只有市政府办公室或市长可以登记问责案件。"))
    payload = _validate(RegisterCase, data)
    fields = {}
    official = (
        Official.objects.select_related("department", "user")
        .filter(pk=payload["official"], active=True)
        .first()
    )
    if official is None:
        fields["official"] = [_("没有该被问责人。")]
    grounds = list(Ground.objects.filter(code__in=payload["grounds"], active=True))
    unknown = sorted(set(payload["grounds"]) - {g.code for g in grounds})
    if unknown:
        fields["grounds"] = [_("未知的问责情形：%(codes)s") % {"codes": "、".join(unknown)}]
    source = Source.objects.filter(code=payload["source"], active=True).first()
    if source is None:
        fields["source"] = [_("未知的问责来源：%(code)s") % {"code": payload["source"]}]
    on = payload.get("on") or today()
    if on > today():
        fields["on"] = [_("办理日期不得晚于今天。")]
    if fields:
        raise InvalidInput(_("请求内容有误，请检查标出的字段。"), fields)

    return _create_case(
        actor,
        official=official,
        grounds=grounds,
        source=source,
        summary=payload["summary"],
        on=on,
        original_location=payload.get("proposal_original_location", ""),
        proposal_document=proposal_document,
    )


def _create_case(
    actor,
    *,
    official,
    grounds,
    source,
    summary,
    on,
    original_location="",
    proposal_document=None,
    reason="",
):
    with transaction.atomic():
        _seq, number = documents.next_number("case", on.year)
        case = AccountabilityCase(
            number=number,
            official=official,
            department=official.department,
            source=source,
            summary=summary,
            proposal_original_location=original_location,
            last_act_on=on,
            registered_by=actor,
        )
        if proposal_document is not None:
            case.proposal_document = proposal_document
        _stamp(case, actor, "register", "", reason or label("register"))
        case.save()
        case.grounds.set(grounds)
        _workflow().case_registered(case, actor)
    return case


def open_case(*, official, actor, on, summary, ground="4.1.2", reason=""):
    """A case the supervision bureau proposes (Nanchong art. 5 (三)): after a red card's
    preliminary investigation (Xinxiang warning art. 8) or a complaint whose outcome pursues
    a department head's fault responsibility (Xinxiang complaints art. 7 (二)). Other
    procedures reach it as the entry point "accountability.open_case"."""
    return _create_case(
        actor,
        official=official,
        grounds=[Ground.objects.get(code=ground)],
        source=Source.objects.get(code="supervision"),
        summary=summary,
        on=on,
        reason=reason or summary,
    )


# ------------------------------------------------------------------------------------
# Transitions
# ------------------------------------------------------------------------------------


def transition(case, name: str, actor, data=None, *, reason="", if_match=None, ip=None):
    """Perform transition (or recording action) ``name`` on ``case`` as ``actor``."""
    if name not in rules.ACTORS:
        raise InvalidInput(_("未知的操作：%(name)s") % {"name": name}, {"name": [name]})
    if not rules.can_view(actor, case):
        raise NotAllowed(_("无权查看该案件。"))
    # Permission before payload (architecture.md): someone who may not act learns nothing
    # from the validation of their body. A delegation counts on the day of the act.
    if not rules.may(actor, name, case, claimed_day(data)):
        raise NotAllowed(_("您无权执行“%(action)s”。") % {"action": label(name)})
    payload = _validate(PAYLOADS[name], data or {})
    on = act_day(payload, today())
    if not rules.may(actor, name, case, on):
        raise NotAllowed(_("您无权执行“%(action)s”。") % {"action": label(name)})

    try:
        with transaction.atomic():
            locked = (
                # Lock the case row only: PostgreSQL refuses to lock the nullable side of
                # the outer join to the official's user.
                AccountabilityCase.objects.select_for_update(of=("self",))
                .select_related("official__user", "department")
                .get(pk=case.pk)
            )
            if is_stale(if_match, locked.version):
                raise WrongState(
                    _("案件已被他人更新（当前版本 %(version)s），请刷新后重试。")
                    % {"version": locked.version}
                )
            if not rules.allowed_from(name, locked.state):
                raise WrongState(
                    _("案件当前状态为“%(state)s”，不能执行“%(action)s”。")
                    % {"state": locked.get_state_display(), "action": label(name)}
                )
            if on < locked.last_act_on:
                message = _("办理日期不得早于本案上一办理日期（%(date)s）。") % {
                    "date": locked.last_act_on.isoformat()
                }
                raise InvalidInput(message, {"on": [message]})
            from_state = locked.state
            act = Act(case=locked, actor=actor, data=payload, on=on, reason=reason)
            HANDLERS[name](act)
            locked.version += 1
            locked.last_act_on = on
            _stamp(locked, actor, name, from_state, reason or label(name), ip)
            locked.save()
            if name not in rules.ACTIONS:
                _workflow().case_changed(locked, actor, name)
    except _LateReviewRequest as late:
        _record_late_request(case, actor, late, ip)
        raise RefusedByRule(late.message, late.fields) from None
    return locked


_validate = validated


def _stamp(case, actor, action, from_state, reason, ip=None):
    case._history_user = actor
    case._change_reason = reason
    case._history_action = action
    case._history_from_state = from_state
    case._history_ip = ip


def _workflow():
    from workflows import accountability

    return accountability


# ------------------------------------------------------------------------------------
# Deadlines and documents
# ------------------------------------------------------------------------------------


def open_deadline(case, kind, **kwargs):
    return deadline_services.open_deadline(kind, case=case, **kwargs)


def close_deadlines(case, *kinds, **kwargs):
    deadline_services.close_deadlines(case.deadlines, *kinds, **kwargs)


_moment = deadline_services.moment_of


def _unit(code):
    return Department.objects.filter(code=code).first()


def _issue(act: Act, doc_type, title, body, addressee=None):
    case = act.case
    return documents.issue(
        case=case,
        doc_type=doc_type,
        title=title,
        body=body,
        addressee=addressee or f"{case.department.name} {case.official.name}",
        issued_on=act.on,
        issued_by=act.actor,
        reason=act.reason,
    )


def _modes_text(modes) -> str:
    return "；".join(f"（{m.code}）{m.name}" for m in modes)


# ------------------------------------------------------------------------------------
# Handlers, one per transition
# ------------------------------------------------------------------------------------


def _start(act):
    act.case.start()
    grounds = "、".join(f"{g.code} {g.name}" for g in act.case.grounds.all())
    _issue(
        act,
        DocType.NOTICE_OF_START,
        _("启动问责程序通知书"),
        _(
            "根据《南充市政府对政府部门行政首长问责暂行办法》第五条，市长决定对%(official)s启动问责程序。"
            "问责情形：%(grounds)s。"
        )
        % {"official": act.case.official, "grounds": grounds},
    )


def _order_report(act):
    act.case.order_report()
    case = act.case
    if act.data.get("due") is not None:
        if act.data["due"] <= act.on:
            raise InvalidInput(
                _("汇报期限须晚于办理日期。"), {"due": [_("汇报期限须晚于办理日期。")]}
            )
        deadline = open_deadline(
            case,
            Kind.REPORT,
            start=act.on,
            due=act.data["due"],
            description=_("当面汇报情况（第六条）"),
            unit=case.department,
            user=case.official.user,
        )
    else:
        deadline = open_deadline(
            case,
            Kind.REPORT,
            start=act.on,
            days=PeriodRule.days("report_default"),
            description=_("当面汇报情况（第六条）"),
            unit=case.department,
            user=case.official.user,
        )
    _issue(
        act,
        DocType.REPORT_ORDER,
        _("责成当面汇报通知书"),
        _("请于%(due)s前向市长当面汇报有关情况（第六条）。") % {"due": deadline.due.isoformat()},
    )


def _report_heard(act):
    act.case.report_heard()
    act.case.report_notes = act.data["notes"]
    close_deadlines(act.case, Kind.REPORT, when=_moment(act.on), reason=label("report_heard"))


def _submit_to_meeting(act):
    act.case.submit_to_meeting()
    act.case.meeting_reason = act.data["reason"]


def _assign_investigation(act):
    act.case.assign_investigation()
    case = act.case
    if "due" in act.data:
        if act.data["due"] <= act.on:
            raise InvalidInput(
                _("调查期限须晚于办理日期。"), {"due": [_("调查期限须晚于办理日期。")]}
            )
        deadline = open_deadline(
            case,
            Kind.INVESTIGATION,
            start=act.on,
            due=act.data["due"],
            description=_("完成调查核实并提出问责建议（第九条）"),
            unit=_unit("supervision"),
        )
    else:
        deadline = open_deadline(
            case,
            Kind.INVESTIGATION,
            start=act.on,
            days=act.data["working_days"],
            description=_("完成调查核实并提出问责建议（第九条）"),
            unit=_unit("supervision"),
        )
    _issue(
        act,
        DocType.INVESTIGATION_ASSIGNMENT,
        _("调查核实交办书"),
        _(
            "责成市监察局对%(official)s的问责情形进行调查核实，于%(due)s前完成并提出问责建议"
            "（第六、七、九条）。"
        )
        % {"official": case.official, "due": deadline.due.isoformat()},
        addressee=_("南充市监察局"),
    )


def _notify_findings(act):
    case = act.case
    served_on = act.data["served_on"]
    if served_on > today() or served_on < case.last_act_on:
        message = _("送达日期不得晚于今天，也不得早于上一办理日期。")
        raise InvalidInput(message, {"served_on": [message]})
    case.notify_findings()
    case.findings = act.data["findings"]
    case.findings_served_on = served_on
    close_deadlines(case, Kind.INVESTIGATION, when=_moment(act.on), reason=label("notify_findings"))
    days = PeriodRule.days("objection_period")
    deadline = open_deadline(
        case,
        Kind.OBJECTION,
        start=served_on,
        days=days,
        description=_("对调查结果提出异议（第八条）"),
        unit=case.department,
        user=case.official.user,
    )
    _issue(
        act,
        DocType.FINDINGS_NOTICE,
        _("调查结果告知书"),
        _(
            "调查结果：%(findings)s\n如对调查事实有异议，请于%(due)s前（%(days)s个工作日内）书面提出（第八条）。"
        )
        % {"findings": case.findings, "due": deadline.due.isoformat(), "days": days},
    )


def _objection_deadline(case):
    return case.deadlines.filter(kind=Kind.OBJECTION).order_by("-id").first()


def _file_objection(act):
    case = act.case
    deadline = _objection_deadline(case)
    if deadline is not None and act.on > deadline.due:
        raise RefusedByRule(
            _("异议期已于%(due)s届满，不能再提出异议。") % {"due": deadline.due.isoformat()}
        )
    case.file_objection()
    case.objection = act.data["text"]
    case.objection_filed_on = act.on
    close_deadlines(case, Kind.OBJECTION, when=_moment(act.on), reason=label("file_objection"))


def _close_findings(act):
    case = act.case
    deadline = _objection_deadline(case)
    if deadline is not None and act.on <= deadline.due:
        raise RefusedByRule(
            _("异议期至%(due)s届满，届满前不能确认调查结果。") % {"due": deadline.due.isoformat()}
        )
    case.close_findings()
    close_deadlines(case, Kind.OBJECTION, when=_moment(act.on), reason=label("close_findings"))


def _submit_report(act):
    case = act.case
    case.submit_report()
    case.investigation_report = act.data["report"]
    case.recommendation = act.data["recommendation"]
    case.recommended_modes.set(Mode.objects.filter(code__in=act.data.get("modes", [])))


def _decide_no_accountability(act):
    case = act.case
    case.decide_no_accountability()
    case.no_accountability_reason = act.data["reason"]
    _issue(
        act,
        DocType.NO_ACCOUNTABILITY_NOTICE,
        _("不予问责告知书"),
        _(
            "经调查，市长决定对%(official)s不予问责（第十条）。调查结论：%(findings)s\n理由：%(reason)s"
        )
        % {
            "official": case.official,
            "findings": case.findings or "—",
            "reason": act.data["reason"],
        },
    )


def _schedule(act):
    act.case.schedule()
    act.case.meeting_date = act.data["meeting_date"]


def _deliberate(act):
    case = act.case
    if case.meeting_date and act.on < case.meeting_date:
        raise RefusedByRule(
            _("常务会议定于%(date)s召开，会前不能登记会议讨论情况。")
            % {"date": case.meeting_date.isoformat()}
        )
    case.deliberate()
    case.minutes = act.data["minutes"]
    case.statement = act.data.get("statement", "")


def _decide(act):
    case = act.case
    if case.vertical:
        # Nanchong art. 22: for a vertically managed department the city only proposes.
        raise RefusedByRule(
            _("%(dept)s实行垂直管理，市政府只能向其主管机关提出问责建议（第二十二条）。")
            % {"dept": case.department.name}
        )
    case.decide()
    modes = list(Mode.objects.filter(code__in=act.data["modes"]).order_by("ordering", "code"))
    document = _issue(
        act,
        DocType.DECISION,
        _("问责决定书"),
        _(
            "经市政府常务会议讨论，市长决定对%(official)s予以问责，方式为：%(modes)s。\n理由：%(reason)s\n"
            "如不服本决定，可自收到本决定之日起10个工作日内向市人民政府申请复核（第十四条）。"
        )
        % {"official": case.official, "modes": _modes_text(modes), "reason": act.data["reason"]},
    )
    decision = Decision(
        case=case,
        reason=act.data["reason"],
        decided_on=act.on,
        decided_by=act.actor,
        document=document,
    )
    decision._change_reason = label("decide")
    decision.save()
    decision.modes.set(modes)


def _send_proposal(act):
    case = act.case
    if not case.vertical:
        raise RefusedByRule(_("问责建议只适用于垂直管理部门（第二十二条）；本案应作出问责决定。"))
    case.send_proposal()
    case.proposal_organ = act.data["organ"]
    _issue(
        act,
        DocType.ACCOUNTABILITY_PROPOSAL,
        _("问责建议书"),
        act.data["text"],
        addressee=act.data["organ"],
    )


def _open_execution_deadlines(case, decision, start):
    codes = set(decision.modes.values_list("code", flat=True))
    if "2" in codes:  # art. 13 (二): rectification within a time limit
        open_deadline(
            case,
            Kind.RECTIFICATION,
            start=start,
            days=PeriodRule.days("rectification"),
            description=_("限期整改（第十三条第（二）项）"),
            unit=case.department,
            user=case.official.user,
        )
    if codes & {"6", "7"}:  # art. 13, second paragraph: filing with the cadre-management organ
        open_deadline(
            case,
            Kind.FILING,
            start=start,
            days=PeriodRule.days("filing"),
            description=_("报有关机关备案（第十三条第二款）"),
            unit=_unit("general_office"),
        )


def _serve(act):
    case = act.case
    decision = case.decision
    received_on = act.data["received_on"]
    if received_on > today() or received_on < decision.decided_on:
        message = _("收到日期不得晚于今天，也不得早于决定日期。")
        raise InvalidInput(message, {"received_on": [message]})
    case.serve()
    decision.received_on = received_on
    decision.service_method = act.data["method"]
    decision._change_reason = label("serve")
    decision.save()
    # Art. 14: the review window runs from receipt, not from signing.
    open_deadline(
        case,
        Kind.REVIEW_WINDOW,
        start=received_on,
        days=REVIEW_WINDOW_WORKING_DAYS,
        description=_("申请复核（第十四条）"),
        unit=case.department,
        user=case.official.user,
    )
    _open_execution_deadlines(case, decision, received_on)


def _review_window(case):
    return case.deadlines.filter(kind=Kind.REVIEW_WINDOW).order_by("-id").first()


class _LateReviewRequest(Exception):
    def __init__(self, message, fields, data, window):
        self.message, self.fields, self.data, self.window = message, fields, data, window


def _request_review(act):
    case = act.case
    window = _review_window(case)
    filed_on = act.data.get("filed_on") or act.on
    if filed_on > act.on:
        message = _("提出日期不得晚于办理日期。")
        raise InvalidInput(message, {"filed_on": [message]})
    # Art. 14: the window opens on receipt of the decision; nothing is filed before it.
    received_on = case.decision.received_on if case.decision else None
    if received_on and filed_on < received_on:
        message = _("提出日期不得早于收到决定之日（%(date)s）。") % {
            "date": received_on.isoformat()
        }
        raise InvalidInput(message, {"filed_on": [message]})
    late = window is not None and filed_on > window.due
    is_official = rules.ACTORS["file_objection"](act.actor, case, act.on)
    late_ok = act.data.get("late_ok") and rules.ACTORS["accept_review"](act.actor, case, act.on)
    if act.data.get("late_ok") and not late_ok:
        raise NotAllowed(_("只有市长（或受委托人）可以准予逾期的复核申请。"))
    if late and not late_ok:
        raise _LateReviewRequest(
            _(
                "复核申请期已于%(due)s届满（收到决定之日起10个工作日，第十四条）。申请已登记为逾期，由市长决定是否受理。"
            )
            % {"due": window.due.isoformat()},
            {"filed_on": [_("逾期")]},
            {"grounds": act.data["grounds"], "filed_on": filed_on, "on": act.on},
            window,
        )
    if not is_official and not late_ok:
        raise NotAllowed(_("复核申请须由被问责人本人提出。"))
    case.request_review()
    request = case.review_requests.filter(outcome=ReviewRequest.Outcome.PENDING, late=True).first()
    if request is None:
        request = ReviewRequest(
            case=case,
            decision=case.decision,
            grounds=act.data["grounds"],
            filed_on=filed_on,
            window_due=window.due if window else filed_on,
            late=late,
        )
    if late_ok and late:
        request.late_accepted_by = act.actor
    request._change_reason = label("request_review")
    request.save()
    close_deadlines(case, Kind.REVIEW_WINDOW, when=_moment(act.on), reason=label("request_review"))


def _record_late_request(case, actor, late, ip):
    """A late request is still recorded and flagged (Caseflow: "untimely" is a recorded fact
    with an exemption path) — outside the refused transaction."""
    with transaction.atomic():
        locked = AccountabilityCase.objects.select_for_update().get(pk=case.pk)
        if locked.review_requests.filter(outcome=ReviewRequest.Outcome.PENDING).exists():
            return
        request = ReviewRequest(
            case=locked,
            decision=locked.decision,
            grounds=late.data["grounds"],
            filed_on=late.data["filed_on"],
            window_due=late.window.due,
            late=True,
        )
        request._history_user = actor
        request._change_reason = _("逾期的复核申请（已登记，待市长决定）")
        request.save()
        # The mayor decides whether to admit it (late_ok): tell whoever acts as mayor today.
        deadline_services.notify(
            acting_mayors(),
            _("逾期的复核申请待决定：%(number)s") % {"number": locked.number},
            _(
                "被问责人于%(filed)s提出复核申请，申请期已于%(due)s届满（第十四条）。是否受理由市长决定。"
            )
            % {"filed": request.filed_on.isoformat(), "due": late.window.due.isoformat()},
            link=f"/accountability/{locked.pk}/",
        )


def _pending_request(case):
    return (
        case.review_requests.filter(outcome=ReviewRequest.Outcome.PENDING).order_by("-id").first()
    )


def _become_final(act):
    case = act.case
    window = _review_window(case)
    if window is not None and act.on <= window.due:
        raise RefusedByRule(
            _("复核申请期至%(due)s届满，届满前决定不能生效。") % {"due": window.due.isoformat()}
        )
    if _pending_request(case) is not None:
        raise RefusedByRule(_("已有逾期的复核申请待市长决定。"))
    case.become_final()
    close_deadlines(case, Kind.REVIEW_WINDOW, when=_moment(act.on), reason=label("become_final"))


def _refuse_review(act):
    case = act.case
    case.refuse_review()
    request = _pending_request(case)
    request.outcome = ReviewRequest.Outcome.REFUSED
    request.outcome_reason = act.data["reason"]
    request._change_reason = label("refuse_review")
    request.save()
    _issue(
        act,
        DocType.REVIEW_REQUEST_DECISION,
        _("复核申请处理决定书"),
        _("市长决定对%(official)s的复核申请不予复核。理由：%(reason)s")
        % {"official": case.official, "reason": act.data["reason"]},
    )


def _accept_review(act):
    case = act.case
    case.accept_review()
    request = _pending_request(case)
    request.outcome = ReviewRequest.Outcome.ACCEPTED
    request.suspend_execution = act.data.get("suspend", False)
    request._change_reason = label("accept_review")
    request.save()
    open_deadline(
        case,
        Kind.REVIEW_REPORT,
        start=act.on,
        days=REVIEW_REPORT_WORKING_DAYS,
        description=_("提交复核报告（第十五条）"),
        unit=_unit("legal"),
    )
    if request.suspend_execution:
        # Art. 15: during review the original decision may be suspended; its clocks stop.
        case.execution_suspended = True
        for deadline in case.deadlines.open().filter(kind__in=EXECUTION_KINDS):
            deadline.suspended_on = act.on
            deadline._change_reason = _("复核期间中止执行（第十五条）")
            deadline.save()
    _issue(
        act,
        DocType.REVIEW_REQUEST_DECISION,
        _("复核申请处理决定书"),
        _("市长决定对%(official)s的复核申请进行复核，交由市政府法制办公室承办。%(suspend)s")
        % {
            "official": case.official,
            "suspend": _("复核期间原问责决定中止执行。") if request.suspend_execution else "",
        },
    )


def _submit_review_report(act):
    case = act.case
    case.submit_review_report()
    request = (
        case.review_requests.filter(outcome=ReviewRequest.Outcome.ACCEPTED).order_by("-id").first()
    )
    request.report = act.data["report"]
    request.report_submitted_on = act.on
    request._change_reason = label("submit_review_report")
    request.save()
    close_deadlines(
        case, Kind.REVIEW_REPORT, when=_moment(act.on), reason=label("submit_review_report")
    )


def _resume_execution(case, on):
    """The suspension ends: each paused deadline moves by the working days it was paused."""
    for deadline in case.deadlines.open().filter(
        kind__in=EXECUTION_KINDS, suspended_on__isnull=False
    ):
        paused = max(periods.working_days_between(deadline.suspended_on, on).count, 0)
        result = periods.add_working_days(deadline.due, paused)
        deadline.due, deadline.provisional = result.due, result.provisional
        deadline.suspended_on = None
        deadline._change_reason = _("恢复执行，期限顺延%(days)s个工作日") % {"days": paused}
        deadline.save()
    case.execution_suspended = False


def _review_decide(act):
    case = act.case
    outcome = act.data["outcome"]
    request = (
        case.review_requests.filter(outcome=ReviewRequest.Outcome.ACCEPTED).order_by("-id").first()
    )
    old = case.decision
    case.review_decide()
    request.review_outcome = outcome
    request.review_reason = act.data["reason"]
    request._change_reason = label("review_decide")
    request.save()
    if outcome == "uphold":
        _resume_execution(case, act.on)
        text = _("原调查报告事实清楚，证据确凿，维持原问责决定（第十六条第（一）项）。")
    elif outcome == "revoke":
        close_deadlines(case, *EXECUTION_KINDS, cancel=True, reason=_("原问责决定已撤销"))
        old.status = Decision.Status.REVOKED
        old._change_reason = _("复核撤销（第十六条第（三）项）")
        old.save()
        case.execution_suspended = False
        text = _("原调查报告有重大错误，撤销原问责决定（第十六条第（三）项）。")
    else:
        # Art. 16 (二): a new decision linked to the old one; it does not reopen review [rule].
        modes = list(Mode.objects.filter(code__in=act.data["modes"]).order_by("ordering", "code"))
        close_deadlines(case, *EXECUTION_KINDS, cancel=True, reason=_("问责方式已变更"))
        old.status = Decision.Status.SUPERSEDED
        old._change_reason = _("复核变更（第十六条第（二）项）")
        old.save()
        document = _issue(
            act,
            DocType.DECISION,
            _("问责决定书（变更）"),
            _("经复核，变更对%(official)s的问责方式为：%(modes)s。理由：%(reason)s")
            % {
                "official": case.official,
                "modes": _modes_text(modes),
                "reason": act.data["reason"],
            },
        )
        new = Decision(
            case=case,
            reason=act.data["reason"],
            decided_on=act.on,
            decided_by=act.actor,
            supersedes=old,
            document=document,
        )
        new._change_reason = label("review_decide")
        new.save()
        new.modes.set(modes)
        case.execution_suspended = False
        # The new decision is served again (serve_modified); its execution runs from receipt.
        text = _(
            "原调查报告基本事实清楚，但情节轻重有偏差，变更问责方式为：%(modes)s（第十六条第（二）项）。"
        ) % {"modes": _modes_text(modes)}
    _issue(act, DocType.REVIEW_DECISION, _("复核决定书"), f"{text}\n{act.data['reason']}")


def _serve_modified(act):
    """Art. 16 (二): the modified decision is served like the first; its clock starts at
    receipt. It does not reopen a second review [rule]."""
    case = act.case
    decision = case.decision
    if decision is None or decision.supersedes_id is None or decision.received_on is not None:
        raise RefusedByRule(_("本案没有待送达的变更后问责决定。"))
    received_on = act.data["received_on"]
    if received_on > today() or received_on < decision.decided_on:
        message = _("收到日期不得晚于今天，也不得早于决定日期。")
        raise InvalidInput(message, {"received_on": [message]})
    decision.received_on = received_on
    decision.service_method = act.data["method"]
    decision._change_reason = label("serve_modified")
    decision.save()
    _open_execution_deadlines(case, decision, received_on)


def _close(act):
    case = act.case
    decision = case.decision
    if decision is not None and decision.supersedes_id is not None and decision.received_on is None:
        raise RefusedByRule(_("变更后的问责决定尚未送达，不能结案。"))
    open_kinds = set(case.deadlines.open().values_list("kind", flat=True))
    if open_kinds & set(EXECUTION_KINDS):
        raise RefusedByRule(_("尚有未完成的执行事项或备案（第十三条），不能结案。"))
    case.close()
    case.closed_on = act.on


def _record_execution(act):
    case = act.case
    deadline = case.deadlines.open().filter(kind=act.data["kind"]).first()
    if deadline is None:
        raise RefusedByRule(_("本案没有待完成的该项执行事项。"))
    if deadline.suspended_on is not None:
        raise RefusedByRule(_("复核期间原决定中止执行。"))
    deadline.done_at = _moment(act.on)
    deadline._change_reason = act.data["note"]
    deadline.save()


def _record_referral(act):
    referral = Referral(
        case=act.case,
        kind=act.data["kind"],
        organ=act.data["organ"],
        referred_on=act.on,
        note=act.data.get("note", ""),
        recorded_by=act.actor,
    )
    referral._change_reason = label("record_referral")
    referral.save()


def _record_prior_sanction(act):
    sanction = PriorSanction(
        case=act.case,
        sanction=act.data["sanction"],
        imposed_by=act.data["imposed_by"],
        imposed_on=act.data["imposed_on"],
        recorded_by=act.actor,
    )
    sanction._change_reason = label("record_prior_sanction")
    sanction.save()


def _open_linked_case(act):
    case = act.case
    if not case.decisions.filter(status=Decision.Status.IN_FORCE).exists():
        raise RefusedByRule(
            _("须在对行政首长问责后方可对分管副职、科（室）负责人或工作人员问责（第二十条）。")
        )
    linked = LinkedCase(
        parent=case,
        person_name=act.data["person_name"],
        post=act.data["post"],
        summary=act.data["summary"],
        handled_by=case.department,
        opened_on=act.on,
        recorded_by=act.actor,
    )
    linked._change_reason = label("open_linked_case")
    linked.save()


HANDLERS = {
    "start": _start,
    "order_report": _order_report,
    "report_heard": _report_heard,
    "submit_to_meeting": _submit_to_meeting,
    "assign_investigation": _assign_investigation,
    "notify_findings": _notify_findings,
    "file_objection": _file_objection,
    "close_findings": _close_findings,
    "submit_report": _submit_report,
    "decide_no_accountability": _decide_no_accountability,
    "schedule": _schedule,
    "deliberate": _deliberate,
    "decide": _decide,
    "send_proposal": _send_proposal,
    "serve": _serve,
    "request_review": _request_review,
    "become_final": _become_final,
    "refuse_review": _refuse_review,
    "accept_review": _accept_review,
    "submit_review_report": _submit_review_report,
    "review_decide": _review_decide,
    "close": _close,
    "serve_modified": _serve_modified,
    "record_execution": _record_execution,
    "record_referral": _record_referral,
    "record_prior_sanction": _record_prior_sanction,
    "open_linked_case": _open_linked_case,
}
