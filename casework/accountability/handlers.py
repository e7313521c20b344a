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
from casework.exceptions import InvalidInput, NotAllowed, RefusedByRule, WrongState
from casework.kernel import clock
from casework.meetings import services as meetings
from casework.org.models import Department, Official, User
from casework.org.roles import Role

from . import rules
from .models import (
    AccountabilityCase,
    Decision,
    LinkedCase,
    Mode,
    PriorSanction,
    Referral,
    ReviewRequest,
    Source,
    State,
)
from .registration import create_case

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


def _late_request(case, decision):
    """The latest late request recorded against ``decision`` and not admitted (an event)."""
    late = [
        r
        for r in case.review_requests.all()
        if r.outcome == ReviewRequest.Outcome.LATE and r.decision_id == decision.pk
    ]
    return max(late, key=lambda r: r.pk) if late else None


def _final_by_lapse(case) -> bool:
    """The decision in force became final because the review window lapsed: no request on it
    was ever taken up (admitted, accepted or refused), and it is not a decision modified on
    review (which opens no second review, Nanchong art. 16 [rule])."""
    decision = case.decision
    if decision is None or decision.supersedes_id is not None:
        return False
    # An official who forwent the review (Nanchong art. 14, waive_review) made it final
    # himself: no window lapsed, and nothing posted afterwards reopens it.
    if case.history.filter(action="waive_review").exists():
        return False
    return not any(
        r.decision_id == decision.pk and r.outcome != ReviewRequest.Outcome.LATE
        for r in case.review_requests.all()
    )


def _unreceived(decision) -> bool:
    """Served electronically and not yet opened by the official: no receipt yet."""
    return decision is not None and decision.service_method and decision.received_on is None


def _accepted_request(case):
    accepted = [
        r for r in case.review_requests.all() if r.outcome == ReviewRequest.Outcome.ACCEPTED
    ]
    return max(accepted, key=lambda r: r.pk) if accepted else None


def _unserved_modified_decision(case):
    decision = case.decision
    if (
        decision is not None
        and decision.supersedes_id is not None
        and not decision.received_on
        and not decision.service_method
    ):
        return decision
    return None


# ------------------------------------------------------------------------------------------
# Guards: the rule that must hold on the day of the act
# ------------------------------------------------------------------------------------------


def objection_open(case, day, actor=None):
    """Nanchong art. 8. Whether an objection was posted in time is read from its postmark
    (``filed_on``) by the handler; here: once findings are closed, only a closing by
    ``close_findings`` can be reopened, never a second objection."""
    if case.state == State.FINDINGS_CLOSED and case.objection:
        return RefusedByRule(_("已提出异议，不能再次提出。"))
    # The official files in casework on the day itself; a posted objection, with its
    # postmark, is entered by staff [rule].
    deadline = _latest_deadline(case, Kind.OBJECTION)
    if (
        deadline is not None
        and day > deadline.due
        and actor is not None
        and not rules.SECRETARIAT_OR_SUPERVISION(actor, case, day)
    ):
        return RefusedByRule(
            _("异议期已于%(due)s届满，不能再提出异议。") % {"due": deadline.due.isoformat()}
        )
    return None


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


def only_heads(case, day, actor=None):
    """Nanchong art. 2, 3, 21: the city holds the heads of its departments and of the county
    governments to account; anyone else only in a linked case (Nanchong art. 20)."""
    if case.parent_id is None and not case.official.is_head:
        message = _("%(official)s不是部门行政首长，市政府只对行政首长问责（第二、三条）。") % {
            "official": case.official
        }
        return InvalidInput(message, {"official": [message]})
    return None


def decision_open(case, day, actor=None):
    refusal = only_heads(case, day, actor)
    if refusal is not None:
        return refusal
    # Nanchong art. 12: the mayor decides after the executive meeting; the head deciding a
    # linked case (Nanchong art. 20) decides after the report or the investigation.
    if case.parent_id is None and case.state != State.DELIBERATED:
        # For the contract, the step is not open in this state (409).
        return WrongState(
            _(
                "案件当前状态为“%(state)s”，不能执行“%(action)s”（问责方式须经市政府常务会议讨论后决定，第十二条）。"
            )
            % {"state": case.get_state_display(), "action": _("作出问责决定")}
        )
    return not_vertical(case, day, actor)


def meeting_for_heads(case, day, actor=None):
    # Nanchong art. 11: the city's executive meeting deliberates on the heads of
    # departments; a linked case is decided by the head directly (Nanchong art. 20) [rule].
    if case.parent_id is not None:
        return RefusedByRule(
            _("关联问责案件由部门行政首长直接决定，不提交市政府常务会议（第二十条）。")
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
    # A late request recorded as an event blocks nothing (it is refused; the mayor may still
    # admit it on legitimate grounds).
    if _unreceived(case.decision):
        return RefusedByRule(
            _("问责决定已电子送达，被问责人尚未查阅，复核申请期尚未起算（第十四条）。")
        )
    window = _latest_deadline(case, Kind.REVIEW_WINDOW)
    if window is not None and day <= window.due:
        return RefusedByRule(
            _("复核申请期至%(due)s届满，届满前决定不能生效。") % {"due": window.due.isoformat()}
        )
    return None


def review_request_open(case, day, actor=None):
    """Nanchong art. 14. In ``final`` a request reopens the decision only if it became final
    because the window lapsed; one decided on review, refused or modified is not reopened.
    The mayor enters a request only to admit a late one on record."""
    if case.state == State.FINAL and not _final_by_lapse(case):
        return RefusedByRule(_("本决定已经复核程序处理，不能再申请复核（第十四至十六条）。"))
    if (
        actor is not None
        and not rules.OFFICIAL_OR_STAFF_ENTERING(actor, case, day)
        and (case.decision is None or _late_request(case, case.decision) is None)
    ):
        return RefusedByRule(_("没有待决定的逾期复核申请。"))
    return None


def decision_unopened(case, day, actor=None):
    if not _unreceived(case.decision):
        return RefusedByRule(_("本案没有待查阅的电子送达决定书。"))
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


def _under_delegation(act):
    """Nanchong art. 6: an act of the mayor's done by a delegate records the delegation on
    the case's history row and returns the line its document carries (受市长委托), or ""."""
    delegation = rules.delegation_used(act.actor, act.obj, act.on)
    if delegation is None:
        return ""
    act.obj._history_delegation = delegation
    return _("（%(delegate)s受市长委托办理，委托事项：%(scope)s，委托书编号 %(id)s）") % {
        "delegate": delegation.delegate,
        "scope": delegation.get_scope_display(),
        "id": delegation.pk,
    }


def _decider_text(case) -> str:
    """Who decides: the mayor, or in a linked case the head of the department (Nanchong art. 20)."""
    head = rules.decider_of_linked_case(case)
    if head is None:
        return _("市长")
    return _("%(department)s行政首长%(name)s") % {"department": head.department, "name": head.name}


def _findings_and_objection(case) -> str:
    """The findings as a document shows them, the official's objection beside them
    (Nanchong art. 8)."""
    if not case.findings:
        return ""
    text = _("调查结论：%(findings)s") % {"findings": case.findings}
    if case.objection:
        text += "\n" + _("被问责人的异议（%(on)s）：%(objection)s") % {
            "on": case.objection_filed_on.isoformat() if case.objection_filed_on else "—",
            "objection": case.objection,
        }
    else:
        text += "\n" + _("被问责人未提出异议。")
    return text


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
    if case.parent_id is not None:
        body = _(
            "根据《南充市政府对政府部门行政首长问责暂行办法》第二十条，%(decider)s决定参照该办法对"
            "%(official)s启动问责程序（原问责案件 %(parent)s）。问责情形：%(grounds)s。"
        ) % {
            "decider": _decider_text(case),
            "official": case.official,
            "parent": case.parent.number,
            "grounds": grounds,
        }
    else:
        body = _(
            "根据《南充市政府对政府部门行政首长问责暂行办法》第五条，市长决定对%(official)s启动问责程序。"
            "问责情形：%(grounds)s。"
        ) % {"official": case.official, "grounds": grounds}
    _issue(act, DocType.NOTICE_OF_START, _("启动问责程序通知书"), body)


def order_report(act):
    case = act.obj
    delegated = _under_delegation(act)
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
        _("请于%(due)s前向市长当面汇报有关情况（第六条）。") % {"due": deadline.due.isoformat()}
        + delegated,
    )


def report_heard(act):
    _under_delegation(act)
    act.obj.report_heard()
    act.obj.report_notes = act.data["notes"]
    _close_deadlines(act, Kind.REPORT)


def submit_to_meeting(act):
    act.obj.submit_to_meeting()
    act.obj.meeting_reason = act.data["reason"]


def assign_investigation(act):
    case = act.obj
    delegated = _under_delegation(act)
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
        % {"official": case.official, "due": deadline.due.isoformat()}
        + delegated,
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
    # Nanchong art. 9: the investigation period runs until the report and recommendation
    # (submit_report), not until the findings are notified.
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


def _filed_on(act, not_before, not_before_message):
    """The day a filing was handed in or posted (its postmark): not after the day of entry,
    not before the act it answers (400, naming ``filed_on``)."""
    filed_on = act.data.get("filed_on") or act.on
    if filed_on > act.on:
        message = _("提出日期不得晚于办理日期。")
        raise InvalidInput(message, {"filed_on": [message]})
    if not_before and filed_on < not_before:
        message = not_before_message % {"date": not_before.isoformat()}
        raise InvalidInput(message, {"filed_on": [message]})
    return filed_on


def _entered_for_official(act):
    """Staff entering a filing that arrived on paper, on the official's behalf (None: the
    official filed it himself)."""
    return None if rules.OFFICIAL(act.actor, act.obj, act.on) else act.actor


def file_objection(act):
    case = act.obj
    filed_on = _filed_on(
        act, case.findings_served_on, _("提出日期不得早于调查结果送达之日（%(date)s）。")
    )
    deadline = _latest_deadline(case, Kind.OBJECTION)
    if deadline is not None and filed_on > deadline.due:
        message = _("异议期已于%(due)s届满，不能再提出异议。") % {"due": deadline.due.isoformat()}
        raise RefusedByRule(message, {"filed_on": [message]})
    reopened = case.state == State.FINDINGS_CLOSED
    case.file_objection()
    case.objection = act.data["text"]
    case.objection_filed_on = filed_on
    case.objection_entered_by = _entered_for_official(act)
    if reopened:
        # A posted objection is timely by its postmark: the closing of the findings is undone
        # on the record [rule].
        case._history_why = _(
            "异议于%(filed)s寄出（邮戳），在异议期（至%(due)s）内，撤销“确认调查结果”，登记异议（第八条）"
        ) % {"filed": filed_on.isoformat(), "due": deadline.due.isoformat() if deadline else "—"}
        if deadline is not None:
            deadline.done_at = deadline_services.moment_of(act.on)
            deadline._change_reason = _("异议依邮戳在期内提出，异议期因提出异议结束")
            deadline.save()
    else:
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
    # Nanchong art. 9: the bureau finishes the investigation *and* proposes within the
    # mayor's period.
    _close_deadlines(act, Kind.INVESTIGATION)
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
            "经调查，%(decider)s决定对%(official)s不予问责（第十条）。\n%(findings)s\n理由：%(reason)s"
        )
        % {
            "decider": _decider_text(case),
            "official": case.official,
            "findings": _findings_and_objection(case),
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
            "%(basis)s%(decider)s决定对%(official)s予以问责，方式为：%(modes)s。\n理由：%(reason)s\n"
            "%(findings)s"
            "如不服本决定，可自收到本决定之日起10个工作日内申请复核（第十四条）。"
        )
        % {
            "basis": _("经市政府常务会议讨论，") if case.parent_id is None else _("参照第二十条，"),
            "decider": _decider_text(case),
            "official": case.official,
            "modes": _modes_text(modes),
            "reason": act.data["reason"],
            "findings": (_findings_and_objection(case) + "\n") if case.findings else "",
        },
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
    """The receipt of a decision (Nanchong art. 12, 14). Served electronically, it is
    received the day the official first opens it in casework (``open_decision``): no date is
    typed, and the clocks wait for that day."""
    if act.data["method"] == "electronic":
        decision.sent_on = act.on
        decision.service_method = "electronic"
        decision._change_reason = act.label
        decision.save()
        return None
    received_on = act.data["received_on"]
    if received_on > clock.today() or received_on < decision.decided_on:
        message = _("收到日期不得晚于今天，也不得早于决定日期。")
        raise InvalidInput(message, {"received_on": [message]})
    decision.received_on = received_on
    decision.service_method = act.data["method"]
    decision._change_reason = act.label
    decision.save()
    return received_on


def _check_electronic_service(act):
    if act.data["method"] == "electronic" and rules.official_account(act.obj) is None:
        message = _("被问责人没有系统账号，不能电子送达。")
        raise InvalidInput(message, {"method": [message]})


def _open_review_window(case, received_on):
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


def serve(act):
    case = act.obj
    decision = case.decision
    _check_electronic_service(act)
    received_on = _record_service(act, decision)
    case.serve()
    if received_on is not None:
        _open_review_window(case, received_on)
        _open_execution_deadlines(case, decision, received_on)


def serve_modified(act):
    """Nanchong art. 16 (二): the modified decision is served like the first; its clock
    starts at receipt. It does not reopen a second review [rule]."""
    case = act.obj
    decision = _unserved_modified_decision(case)
    _check_electronic_service(act)
    received_on = _record_service(act, decision)
    if received_on is not None:
        _open_execution_deadlines(case, decision, received_on)


def open_decision(act):
    """The official opens, in casework, a decision served electronically: that day is its
    receipt; the review window (unless the decision was modified on review) and the
    execution periods run from it."""
    case = act.obj
    decision = case.decision
    decision.received_on = act.on
    decision.opened_at = deadline_services.moment_of(act.on)
    decision._change_reason = act.label
    decision.save()
    if decision.supersedes_id is None:
        _open_review_window(case, act.on)
    _open_execution_deadlines(case, decision, act.on)


def request_review(act):
    """Nanchong art. 14. A request is timely when handed in or posted (``filed_on``, the
    postmark) within 10 working days of receipt, even if entered after the decision became
    final: it reopens the decision [rule]. A late one is refused (422) and kept as an event
    that blocks nothing; the mayor may admit it on legitimate grounds (``late_ok``)."""
    case = act.obj
    decision = case.decision
    window = _latest_deadline(case, Kind.REVIEW_WINDOW)
    # Nanchong art. 14: the window opens on receipt of the decision; nothing is filed before.
    filed_on = _filed_on(
        act,
        decision.received_on if decision else None,
        _("提出日期不得早于收到决定之日（%(date)s）。"),
    )
    late = window is not None and filed_on > window.due
    late_ok = bool(act.data.get("late_ok"))
    if late_ok and not rules.MAYOR_ON_REVIEW(act.actor, case, act.on):
        raise NotAllowed(_("只有市长可以准予逾期的复核申请。"))
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
    recorded = _late_request(case, decision) if late_ok else None
    if not rules.OFFICIAL_OR_STAFF_ENTERING(act.actor, case, act.on) and recorded is None:
        raise NotAllowed(_("复核申请须由被问责人本人提出，或由工作人员代为录入书面申请。"))
    from_final = case.state == State.FINAL
    case.request_review()
    if recorded is not None:
        request = recorded
        request.outcome = ReviewRequest.Outcome.PENDING
    else:
        request = ReviewRequest(
            case=case,
            decision=decision,
            grounds=act.data["grounds"],
            filed_on=filed_on,
            window_due=window.due if window else filed_on,
            late=late,
            entered_by=_entered_for_official(act),
        )
    if late_ok and request.late:
        request.late_accepted_by = act.actor
        request.late_admission_reason = act.data.get("late_reason", "") or act.reason
    request._change_reason = act.label
    request.save()
    if from_final:
        # The finality is undone on the record: why, and the window's end.
        if request.late:
            why = _("市长准予逾期的复核申请（%(filed)s提出），撤销“决定生效”，进入复核申请程序")
        else:
            why = _(
                "复核申请于%(filed)s寄出（邮戳），在申请期（至%(due)s）内，撤销“决定生效”（第十四条）"
            )
        case._history_why = why % {
            "filed": filed_on.isoformat(),
            "due": window.due.isoformat() if window else "—",
        }
        if window is not None and window.done_at is not None and not request.late:
            window.done_at = deadline_services.moment_of(act.on)
            window._change_reason = _(
                "复核申请依邮戳在期内提出，申请期因提出申请结束（撤销“决定生效”）"
            )
            window.save()
    else:
        _close_deadlines(act, Kind.REVIEW_WINDOW)


def _record_late_request(case_pk, actor, grounds, filed_on, window):
    """A late request is refused and kept as an event (outside the refused transaction): it
    blocks nothing, and the mayor is told, who may admit it on legitimate grounds."""
    case = AccountabilityCase.objects.select_for_update().get(pk=case_pk)
    if _late_request(case, case.decision) is not None:
        return
    request = ReviewRequest(
        case=case,
        decision=case.decision,
        grounds=grounds,
        filed_on=filed_on,
        window_due=window.due,
        late=True,
        outcome=ReviewRequest.Outcome.LATE,
        entered_by=None if rules.OFFICIAL(actor, case, None) else actor,
    )
    request._history_user = actor
    request._change_reason = _("逾期的复核申请（已登记，不予受理；市长可基于正当理由准予）")
    request.save()
    head = rules.decider_of_linked_case(case)
    if head is not None:
        recipients = [head.user] if head.user_id else []
    else:
        recipients = list(User.objects.filter(groups__name=Role.MAYOR, is_active=True))
    deadline_services.notify(
        recipients,
        _("逾期的复核申请待决定：%(number)s") % {"number": case.number},
        _(
            "被问责人于%(filed)s提出复核申请，申请期已于%(due)s届满（第十四条），已登记为逾期，不影响决定生效。"
            "如有正当理由，可准予并进入复核程序。"
        )
        % {"filed": request.filed_on.isoformat(), "due": window.due.isoformat()},
        link=f"/accountability/{case.pk}/",
    )


def waive_review(act):
    act.obj.waive_review()
    _close_deadlines(act, Kind.REVIEW_WINDOW)


def no_request_pending(case, day, actor=None):
    """Forgoing the review is refused while a request taken up by the mayor awaits his
    decision (a late one kept as an event blocks nothing)."""
    if _pending_request(case) is not None:
        return RefusedByRule(_("已有复核申请待市长决定，不能再表示不申请复核。"))
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
    """Nanchong art. 20: after the head was held to account, a case against the deputy,
    section chief or staff member whose conduct caused it, listed under this one. Given
    ``official``, it is a case of its own, decided by this case's head ("by reference")."""
    case = act.obj
    child = None
    if act.data.get("official") is not None:
        child = _open_child_case(act)
    linked = LinkedCase(
        parent=case,
        person_name=act.data.get("person_name") or (child.official.name if child else ""),
        post=act.data.get("post") or (child.official.title if child else ""),
        summary=act.data["summary"],
        handled_by=case.department,
        opened_on=act.on,
        recorded_by=act.actor,
        case=child,
    )
    linked._change_reason = act.label
    linked.save()


def _open_child_case(act):
    case = act.obj
    official = (
        Official.objects.select_related("department", "user")
        .filter(pk=act.data["official"], active=True)
        .first()
    )
    if (
        official is None
        or official.department_id != case.department_id
        or official == case.official
    ):
        message = _("关联问责的对象须为本部门的分管副职、科（室）负责人或工作人员（第二十条）。")
        raise InvalidInput(message, {"official": [message]})
    return create_case(
        act.actor,
        parent=case,
        official=official,
        grounds=list(case.grounds.all()),
        source=Source.objects.get(code="department_head"),
        summary=act.data["summary"],
        on=act.on,
        ip=act.ip,
    )
