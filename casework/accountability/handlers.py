"""What each step of the accountability procedure does (the declaration names them), and
the legal rules that must hold before a step is taken (its guard).

A handler receives the ``Act`` of the kernel's pipeline — the locked case, the actor, the
validated body, the day of the act — calls the django-fsm method, and opens and closes
deadlines and issues documents. A guard returns the refusal of a step on a case on a day, or
None; it reads the case's related rows through ``.all()`` so that a list that prefetched
them asks nothing more.
"""

from django.utils.translation import gettext as _

from casework.audit.history import stamp
from casework.deadlines import services as deadline_services
from casework.deadlines.models import EXECUTION_KINDS, Kind, PeriodRule
from casework.documents import services as documents
from casework.documents.models import DocType
from casework.exceptions import InvalidInput, NotAllowed, RefusedByRule
from casework.kernel import clock
from casework.meetings import services as meetings
from casework.org.models import Department
from casework.org.rules import acting_mayors

from . import rules
from .models import (
    AccountabilityCase,
    Decision,
    LinkedCase,
    Mode,
    PriorSanction,
    Referral,
    ReviewRequest,
)

# Nanchong art. 14: 10 working days from receipt of the decision to request review.
REVIEW_WINDOW_WORKING_DAYS = 10
# Nanchong art. 15: the legal affairs office reports within 20 working days.
REVIEW_REPORT_WORKING_DAYS = 20


# ------------------------------------------------------------------------------------------
# What the handlers and the guards read of a case
# ------------------------------------------------------------------------------------------


def _latest_deadline(case, kind):
    rows = [d for d in case.deadlines.all() if d.kind == kind]
    return max(rows, key=lambda d: d.pk) if rows else None


def _open_deadline_kinds(case) -> set:
    return {d.kind for d in case.deadlines.all() if d.is_open}


def _pending_request(case):
    pending = [r for r in case.review_requests.all() if r.outcome == ReviewRequest.Outcome.PENDING]
    return max(pending, key=lambda r: r.pk) if pending else None


def _accepted_request(case):
    accepted = [
        r for r in case.review_requests.all() if r.outcome == ReviewRequest.Outcome.ACCEPTED
    ]
    return max(accepted, key=lambda r: r.pk) if accepted else None


def _unserved_modified_decision(case):
    decision = case.decision
    if decision is not None and decision.supersedes_id is not None and not decision.received_on:
        return decision
    return None


# ------------------------------------------------------------------------------------------
# Guards: the rule that must hold on the day of the act
# ------------------------------------------------------------------------------------------


def within_objection_period(case, day, actor=None):
    deadline = _latest_deadline(case, Kind.OBJECTION)
    if deadline is not None and day > deadline.due:
        return RefusedByRule(
            _("异议期已于%(due)s届满，不能再提出异议。") % {"due": deadline.due.isoformat()}
        )
    return None


def objection_period_over(case, day, actor=None):
    deadline = _latest_deadline(case, Kind.OBJECTION)
    if deadline is not None and day <= deadline.due:
        return RefusedByRule(
            _("异议期至%(due)s届满，届满前不能确认调查结果。") % {"due": deadline.due.isoformat()}
        )
    return None


def meeting_held(case, day, actor=None):
    if case.meeting_date and day < case.meeting_date:
        return RefusedByRule(
            _("常务会议定于%(date)s召开，会前不能登记会议讨论情况。")
            % {"date": case.meeting_date.isoformat()}
        )
    return None


def not_vertical(case, day, actor=None):
    # Nanchong art. 22: for a vertically managed department the city only proposes.
    if case.department.vertical:
        return RefusedByRule(
            _("%(dept)s实行垂直管理，市政府只能向其主管机关提出问责建议（第二十二条）。")
            % {"dept": case.department.name}
        )
    return None


def vertical(case, day, actor=None):
    if not case.department.vertical:
        return RefusedByRule(_("问责建议只适用于垂直管理部门（第二十二条）；本案应作出问责决定。"))
    return None


def review_window_over(case, day, actor=None):
    window = _latest_deadline(case, Kind.REVIEW_WINDOW)
    if window is not None and day <= window.due:
        return RefusedByRule(
            _("复核申请期至%(due)s届满，届满前决定不能生效。") % {"due": window.due.isoformat()}
        )
    if _pending_request(case) is not None:
        return RefusedByRule(_("已有逾期的复核申请待市长决定。"))
    return None


def modified_decision_unserved(case, day, actor=None):
    if _unserved_modified_decision(case) is None:
        return RefusedByRule(_("本案没有待送达的变更后问责决定。"))
    return None


def execution_finished(case, day, actor=None):
    if _unserved_modified_decision(case) is not None:
        return RefusedByRule(_("变更后的问责决定尚未送达，不能结案。"))
    if _open_deadline_kinds(case) & set(EXECUTION_KINDS):
        return RefusedByRule(_("尚有未完成的执行事项或备案（第十三条），不能结案。"))
    return None


def execution_pending(case, day, actor=None):
    if not _open_deadline_kinds(case) & set(EXECUTION_KINDS):
        return RefusedByRule(_("本案没有待完成的执行事项。"))
    return None


def head_held_accountable(case, day, actor=None):
    # Nanchong art. 20: the deputy, section chief or staff only after the head.
    if not any(d.status == Decision.Status.IN_FORCE for d in case.decisions.all()):
        return RefusedByRule(
            _("须在对行政首长问责后方可对分管副职、科（室）负责人或工作人员问责（第二十条）。")
        )
    return None


# ------------------------------------------------------------------------------------------
# Deadlines and documents of a case
# ------------------------------------------------------------------------------------------


def _open_deadline(case, kind, **kwargs):
    return deadline_services.open_deadline(kind, case=case, **kwargs)


def _close_deadlines(act, *kinds, cancel=False, reason=None):
    deadline_services.close_deadlines(
        act.obj.deadlines,
        *kinds,
        when=deadline_services.moment_of(act.on),
        cancel=cancel,
        reason=act.label if reason is None else reason,
    )


def _unit(code):
    return Department.objects.filter(code=code).first()


def _issue(act, doc_type, title, body, addressee=None):
    case = act.obj
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


def _modes(codes) -> list:
    return list(Mode.objects.filter(code__in=codes).order_by("ordering", "code"))


def _due_after_act(act, field, message):
    if act.data[field] <= act.on:
        raise InvalidInput(message, {field: [message]})


# ------------------------------------------------------------------------------------------
# Handlers, one per step
# ------------------------------------------------------------------------------------------


def start(act):
    case = act.obj
    case.start()
    grounds = "、".join(f"{g.code} {g.name}" for g in case.grounds.all())
    _issue(
        act,
        DocType.NOTICE_OF_START,
        _("启动问责程序通知书"),
        _(
            "根据《南充市政府对政府部门行政首长问责暂行办法》第五条，市长决定对%(official)s启动问责程序。"
            "问责情形：%(grounds)s。"
        )
        % {"official": case.official, "grounds": grounds},
    )


def order_report(act):
    case = act.obj
    case.order_report()
    period = {"description": _("当面汇报情况（第六条）"), "unit": case.department}
    if act.data.get("due") is not None:
        _due_after_act(act, "due", _("汇报期限须晚于办理日期。"))
        period["due"] = act.data["due"]
    else:
        period["days"] = PeriodRule.days("report_default")
    deadline = _open_deadline(
        case, Kind.REPORT, start=act.on, user=rules.official_account(case), **period
    )
    _issue(
        act,
        DocType.REPORT_ORDER,
        _("责成当面汇报通知书"),
        _("请于%(due)s前向市长当面汇报有关情况（第六条）。") % {"due": deadline.due.isoformat()},
    )


def report_heard(act):
    act.obj.report_heard()
    act.obj.report_notes = act.data["notes"]
    _close_deadlines(act, Kind.REPORT)


def submit_to_meeting(act):
    act.obj.submit_to_meeting()
    act.obj.meeting_reason = act.data["reason"]


def assign_investigation(act):
    case = act.obj
    case.assign_investigation()
    period = {
        "description": _("完成调查核实并提出问责建议（第九条）"),
        "unit": _unit("supervision"),
    }
    if "due" in act.data:
        _due_after_act(act, "due", _("调查期限须晚于办理日期。"))
        period["due"] = act.data["due"]
    else:
        period["days"] = act.data["working_days"]
    deadline = _open_deadline(case, Kind.INVESTIGATION, start=act.on, **period)
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


def notify_findings(act):
    case = act.obj
    served_on = act.data["served_on"]
    if served_on > clock.today() or served_on < case.last_act_on:
        message = _("送达日期不得晚于今天，也不得早于上一办理日期。")
        raise InvalidInput(message, {"served_on": [message]})
    case.notify_findings()
    case.findings = act.data["findings"]
    case.findings_served_on = served_on
    _close_deadlines(act, Kind.INVESTIGATION)
    days = PeriodRule.days("objection_period")
    deadline = _open_deadline(
        case,
        Kind.OBJECTION,
        start=served_on,
        days=days,
        description=_("对调查结果提出异议（第八条）"),
        unit=case.department,
        user=rules.official_account(case),
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


def file_objection(act):
    case = act.obj
    case.file_objection()
    case.objection = act.data["text"]
    case.objection_filed_on = act.on
    _close_deadlines(act, Kind.OBJECTION)


def decline(act):
    # Nanchong art. 5: the reasons are the history's (the pipeline records them).
    act.obj.decline()


def accept_findings(act):
    act.obj.accept_findings()
    _close_deadlines(act, Kind.OBJECTION)


def close_findings(act):
    act.obj.close_findings()
    _close_deadlines(act, Kind.OBJECTION)


def submit_report(act):
    case = act.obj
    case.submit_report()
    case.investigation_report = act.data["report"]
    case.recommendation = act.data["recommendation"]
    case.recommended_modes.set(Mode.objects.filter(code__in=act.data.get("modes", [])))


def decide_no_accountability(act):
    case = act.obj
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


def schedule(act):
    """Nanchong art. 11: the case goes on the agenda of an executive meeting (a meeting
    chosen, or the one of the date, created if there is none); the head is notified of the
    date and of his right to state and defend himself."""
    case = act.obj
    case.schedule()
    item = meetings.put_on_agenda(
        act.procedure.name,
        case,
        subject=_("问责案件 %(number)s：%(department)s%(official)s")
        % {"number": case.number, "department": case.department.name, "official": case.official},
        concerned=rules.official_account(case),
        concerned_name=case.official.name,
        step="deliberate",
        actor=act.actor,
        on=act.on,
        meeting=act.data.get("meeting"),
        date=act.data.get("meeting_date"),
        place=act.data.get("place", ""),
        reason=act.reason or act.label,
    )
    case.meeting_date = item.meeting.date


def deliberate(act):
    """Nanchong art. 11: the minutes of the case's item — the head's statement and defence,
    the discussion, the matters agreed — also kept on the meeting's record."""
    case = act.obj
    case.deliberate()
    case.minutes = act.data["minutes"]
    case.statement = act.data.get("statement", "")
    meetings.record_deliberation(
        act.procedure.name,
        case,
        actor=act.actor,
        on=act.on,
        minutes=act.data["minutes"],
        statement=act.data.get("statement", ""),
        defence=act.data.get("defence", ""),
        decisions=act.data.get("decisions", []),
    )


def meeting_moved(sender, item, old_date, new_date, actor, on, **kwargs):
    """A postponed meeting moved the case's item (``casework.meetings.signals.item_moved``):
    the case's meeting date follows, on its record (Nanchong art. 11)."""
    case = AccountabilityCase.objects.select_for_update().get(pk=item.object_id)
    if case.state != "scheduled":
        return
    case.meeting_date = new_date
    case.version += 1
    # A change of the case's record, not a step of its own: the history shows an update
    # with this reason.
    stamp(
        case,
        actor,
        "",
        case.state,
        _("常务会议由%(old)s延期至%(new)s") % {"old": old_date, "new": new_date},
    )
    case.save()


def decide(act):
    case = act.obj
    case.decide()
    modes = _modes(act.data["modes"])
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
    decision._change_reason = act.label
    decision.save()
    decision.modes.set(modes)


def send_proposal(act):
    case = act.obj
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
    """What the modes of the decision require (reference data of Nanchong art. 13): a
    rectification period for a mode with a deadline (Nanchong art. 13 (二)), a filing with the
    cadre-management organ for a mode that requires one (Nanchong art. 13, second paragraph)."""
    modes = list(decision.modes.all())
    if any(mode.has_deadline for mode in modes):
        _open_deadline(
            case,
            Kind.RECTIFICATION,
            start=start,
            days=PeriodRule.days("rectification"),
            description=_("限期整改（第十三条第（二）项）"),
            unit=case.department,
            user=rules.official_account(case),
        )
    if any(mode.requires_filing for mode in modes):
        _open_deadline(
            case,
            Kind.FILING,
            start=start,
            days=PeriodRule.days("filing"),
            description=_("报有关机关备案（第十三条第二款）"),
            unit=_unit("general_office"),
        )


def _record_service(act, decision):
    received_on = act.data["received_on"]
    if received_on > clock.today() or received_on < decision.decided_on:
        message = _("收到日期不得晚于今天，也不得早于决定日期。")
        raise InvalidInput(message, {"received_on": [message]})
    decision.received_on = received_on
    decision.service_method = act.data["method"]
    decision._change_reason = act.label
    decision.save()
    return received_on


def serve(act):
    case = act.obj
    decision = case.decision
    received_on = _record_service(act, decision)
    case.serve()
    # Nanchong art. 14: the review window runs from receipt, not from signing.
    _open_deadline(
        case,
        Kind.REVIEW_WINDOW,
        start=received_on,
        days=REVIEW_WINDOW_WORKING_DAYS,
        description=_("申请复核（第十四条）"),
        unit=case.department,
        user=rules.official_account(case),
    )
    _open_execution_deadlines(case, decision, received_on)


def serve_modified(act):
    """Nanchong art. 16 (二): the modified decision is served like the first; its clock
    starts at receipt. It does not reopen a second review [rule]."""
    case = act.obj
    decision = _unserved_modified_decision(case)
    received_on = _record_service(act, decision)
    _open_execution_deadlines(case, decision, received_on)


def request_review(act):
    case = act.obj
    window = _latest_deadline(case, Kind.REVIEW_WINDOW)
    filed_on = act.data.get("filed_on") or act.on
    if filed_on > act.on:
        message = _("提出日期不得晚于办理日期。")
        raise InvalidInput(message, {"filed_on": [message]})
    # Nanchong art. 14: the window opens on receipt of the decision; nothing is filed before.
    decision = case.decision
    received_on = decision.received_on if decision else None
    if received_on and filed_on < received_on:
        message = _("提出日期不得早于收到决定之日（%(date)s）。") % {
            "date": received_on.isoformat()
        }
        raise InvalidInput(message, {"filed_on": [message]})
    late = window is not None and filed_on > window.due
    mayor = rules.MAYOR_ON_REVIEW(act.actor, case, act.on)
    late_ok = act.data.get("late_ok") and mayor
    if act.data.get("late_ok") and not late_ok:
        raise NotAllowed(_("只有市长（或受委托人）可以准予逾期的复核申请。"))
    if late and not late_ok:
        raise RefusedByRule(
            _(
                "复核申请期已于%(due)s届满（收到决定之日起10个工作日，第十四条）。申请已登记为逾期，由市长决定是否受理。"
            )
            % {"due": window.due.isoformat()},
            {"filed_on": [_("逾期")]},
            record=lambda: _record_late_request(
                case.pk, act.actor, act.data["grounds"], filed_on, window
            ),
        )
    if not rules.OFFICIAL(act.actor, case, act.on) and not late_ok:
        raise NotAllowed(_("复核申请须由被问责人本人提出。"))
    case.request_review()
    request = _pending_request(case)
    if request is None or not request.late:
        request = ReviewRequest(
            case=case,
            decision=decision,
            grounds=act.data["grounds"],
            filed_on=filed_on,
            window_due=window.due if window else filed_on,
            late=late,
        )
    if late_ok and late:
        request.late_accepted_by = act.actor
    request._change_reason = act.label
    request.save()
    _close_deadlines(act, Kind.REVIEW_WINDOW)


def _record_late_request(case_pk, actor, grounds, filed_on, window):
    """A late request is still recorded and flagged ("untimely" is a recorded fact with an
    exemption path): outside the refused transaction, and the acting mayors are told."""
    case = AccountabilityCase.objects.select_for_update().get(pk=case_pk)
    if _pending_request(case) is not None:
        return
    request = ReviewRequest(
        case=case,
        decision=case.decision,
        grounds=grounds,
        filed_on=filed_on,
        window_due=window.due,
        late=True,
    )
    request._history_user = actor
    request._change_reason = _("逾期的复核申请（已登记，待市长决定）")
    request.save()
    # The mayor decides whether to admit it (late_ok): tell whoever acts as mayor today.
    deadline_services.notify(
        acting_mayors(),
        _("逾期的复核申请待决定：%(number)s") % {"number": case.number},
        _(
            "被问责人于%(filed)s提出复核申请，申请期已于%(due)s届满（第十四条）。是否受理由市长决定。"
        )
        % {"filed": request.filed_on.isoformat(), "due": window.due.isoformat()},
        link=f"/accountability/{case.pk}/",
    )


def waive_review(act):
    act.obj.waive_review()
    _close_deadlines(act, Kind.REVIEW_WINDOW)


def no_request_pending(case, day, actor=None):
    if _pending_request(case) is not None:
        return RefusedByRule(_("已有逾期的复核申请待市长决定。"))
    return None


def become_final(act):
    act.obj.become_final()
    _close_deadlines(act, Kind.REVIEW_WINDOW)


def refuse_review(act):
    case = act.obj
    case.refuse_review()
    request = _pending_request(case)
    request.outcome = ReviewRequest.Outcome.REFUSED
    request.outcome_reason = act.data["reason"]
    request._change_reason = act.label
    request.save()
    _issue(
        act,
        DocType.REVIEW_REQUEST_DECISION,
        _("复核申请处理决定书"),
        _("市长决定对%(official)s的复核申请不予复核。理由：%(reason)s")
        % {"official": case.official, "reason": act.data["reason"]},
    )


def accept_review(act):
    case = act.obj
    case.accept_review()
    request = _pending_request(case)
    request.outcome = ReviewRequest.Outcome.ACCEPTED
    request.suspend_execution = act.data.get("suspend", False)
    request._change_reason = act.label
    request.save()
    _open_deadline(
        case,
        Kind.REVIEW_REPORT,
        start=act.on,
        days=REVIEW_REPORT_WORKING_DAYS,
        description=_("提交复核报告（第十五条）"),
        unit=_unit("legal"),
    )
    if request.suspend_execution:
        # Nanchong art. 15: during review the original decision may be suspended; its
        # clocks stop.
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


def submit_review_report(act):
    case = act.obj
    case.submit_review_report()
    request = _accepted_request(case)
    request.report = act.data["report"]
    request.report_submitted_on = act.on
    request._change_reason = act.label
    request.save()
    _close_deadlines(act, Kind.REVIEW_REPORT)


def _resume_execution(case, on):
    """The suspension ends: each paused deadline moves by the working days it was paused."""
    for deadline in case.deadlines.open().filter(
        kind__in=EXECUTION_KINDS, suspended_on__isnull=False
    ):
        deadline_services.resume(deadline, on, _("恢复执行，期限顺延%(days)s个工作日"))
    case.execution_suspended = False


def review_decide(act):
    case = act.obj
    outcome = act.data["outcome"]
    request = _accepted_request(case)
    old = case.decision
    case.review_decide()
    request.review_outcome = outcome
    request.review_reason = act.data["reason"]
    request._change_reason = act.label
    request.save()
    if outcome == "uphold":
        _resume_execution(case, act.on)
        text = _("原调查报告事实清楚，证据确凿，维持原问责决定（第十六条第（一）项）。")
    elif outcome == "revoke":
        _close_deadlines(act, *EXECUTION_KINDS, cancel=True, reason=_("原问责决定已撤销"))
        old.status = Decision.Status.REVOKED
        old._change_reason = _("复核撤销（第十六条第（三）项）")
        old.save()
        case.execution_suspended = False
        text = _("原调查报告有重大错误，撤销原问责决定（第十六条第（三）项）。")
    else:
        # Nanchong art. 16 (二): a new decision linked to the old one; it does not reopen
        # review [rule].
        modes = _modes(act.data["modes"])
        _close_deadlines(act, *EXECUTION_KINDS, cancel=True, reason=_("问责方式已变更"))
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
        new._change_reason = act.label
        new.save()
        new.modes.set(modes)
        case.execution_suspended = False
        # The new decision is served again (serve_modified); its execution runs from receipt.
        text = _(
            "原调查报告基本事实清楚，但情节轻重有偏差，变更问责方式为：%(modes)s（第十六条第（二）项）。"
        ) % {"modes": _modes_text(modes)}
    _issue(act, DocType.REVIEW_DECISION, _("复核决定书"), f"{text}\n{act.data['reason']}")


def close(act):
    act.obj.close()
    act.obj.closed_on = act.on


def record_execution(act):
    case = act.obj
    deadline = case.deadlines.open().filter(kind=act.data["kind"]).first()
    if deadline is None:
        raise RefusedByRule(_("本案没有待完成的该项执行事项。"))
    if deadline.suspended_on is not None:
        raise RefusedByRule(_("复核期间原决定中止执行。"))
    deadline.done_at = deadline_services.moment_of(act.on)
    deadline._change_reason = act.data["note"]
    deadline.save()


def record_referral(act):
    referral = Referral(
        case=act.obj,
        kind=act.data["kind"],
        organ=act.data["organ"],
        referred_on=act.on,
        note=act.data.get("note", ""),
        recorded_by=act.actor,
    )
    referral._change_reason = act.label
    referral.save()


def record_prior_sanction(act):
    sanction = PriorSanction(
        case=act.obj,
        sanction=act.data["sanction"],
        imposed_by=act.data["imposed_by"],
        imposed_on=act.data["imposed_on"],
        recorded_by=act.actor,
    )
    sanction._change_reason = act.label
    sanction.save()


def open_linked_case(act):
    case = act.obj
    linked = LinkedCase(
        parent=case,
        person_name=act.data["person_name"],
        post=act.data["post"],
        summary=act.data["summary"],
        handled_by=case.department,
        opened_on=act.on,
        recorded_by=act.actor,
    )
    linked._change_reason = act.label
    linked.save()
