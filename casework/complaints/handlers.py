"""What each step of the complaint procedure does (the declaration names them), and the
rules that must hold before a step is taken (its guard). Xinxiang complaint measures, 2010.

A handler receives the ``Act`` of the kernel's pipeline — the locked complaint, the actor, the
validated body, the day of the act. Extensions go through the deadlines' one extension
service, which asks the deadlines' own rules (who may ask, the cap, the approver).
"""

from django.utils.translation import gettext as _

from casework.deadlines import extensions
from casework.deadlines import services as deadline_services
from casework.deadlines.models import Kind
from casework.documents import services as documents
from casework.documents.models import DocType
from casework.exceptions import InvalidInput, RefusedByRule
from casework.kernel import entrypoints
from casework.org.models import Department, Official

from . import rules
from .models import Complaint, ComplaintOutcome, State

# Xinxiang complaints art. 5: initial verification and handling within 15 working days of
# receipt, transfer time included; a transfer within 2 working days.
HANDLING_WORKING_DAYS = 15
TRANSFER_WORKING_DAYS = 2


def office_unit():
    return Department.objects.filter(code="complaints").first()


def _close(act, *kinds, cancel=False, reason=None):
    deadline_services.close_deadlines(
        act.obj.deadlines,
        *kinds,
        when=deadline_services.moment_of(act.on),
        cancel=cancel,
        reason=act.label if reason is None else reason,
    )


def _append_note(complaint, text):
    complaint.internal_notes = (
        complaint.internal_notes + "\n" if complaint.internal_notes else ""
    ) + text


# ------------------------------------------------------------------------------------------
# Guards
# ------------------------------------------------------------------------------------------


def feedback_first(complaint, day, actor=None):
    # Xinxiang complaints art. 8: a real-name complainant is told the result.
    if complaint.state == State.DECIDED and complaint.real_name:
        return RefusedByRule(_("实名投诉须先向投诉人反馈处理结果（第八条）。"))
    return None


def onsite_first(complaint, day, actor=None):
    # Xinxiang complaints art. 5: an urgent complaint is not finished before someone has
    # been on site and the response is recorded.
    if complaint.urgent and complaint.onsite_responded_on is None:
        return RefusedByRule(_("紧急投诉须先登记现场处置情况（第五条）。"))
    return None


def may_close(complaint, day, actor=None):
    return feedback_first(complaint, day, actor) or onsite_first(complaint, day, actor)


def real_name(complaint, day, actor=None):
    if not complaint.real_name:
        return RefusedByRule(_("匿名投诉无法反馈，可直接办结。"))
    return None


def urgent(complaint, day, actor=None):
    if not complaint.urgent:
        return RefusedByRule(_("只有紧急投诉需要登记现场处置。"))
    return None


def not_yet_urgent(complaint, day, actor=None):
    if complaint.urgent:
        return RefusedByRule(
            _("该投诉已于%(day)s标记紧急。") % {"day": complaint.urgent_marked_on.isoformat()}
        )
    return None


def extension_open_to(complaint, day, actor=None):
    """The deadlines' own rule: the complaint's deadline the actor asks about is theirs to
    extend now — running, not yet due, no request pending (Xinxiang complaints art. 6)."""
    deadline = extendable_deadline(complaint, actor, running=False)
    if deadline is None:
        return RefusedByRule(_("没有可以延期的期限。"))
    return extensions.refusal_to_ask(actor, deadline, day)


def extension_pending(complaint, day, actor=None):
    pending = rules.pending_extension(complaint)
    if pending is None:
        return RefusedByRule(_("没有待审批的延期申请。"))
    return extensions.refusal_to_decide(actor, pending, day)


# ------------------------------------------------------------------------------------------
# Handlers
# ------------------------------------------------------------------------------------------


def accept(act):
    complaint = act.obj
    complaint.accept()
    deadline_services.open_deadline(
        Kind.COMPLAINT_TRANSFER,
        complaint=complaint,
        start=complaint.received_on,
        days=TRANSFER_WORKING_DAYS,
        description=_("需要归口转办的，转交有关机关（第五条）"),
        unit=office_unit(),
    )


def reject_out_of_scope(act):
    complaint = act.obj
    complaint.reject_out_of_scope()
    complaint.out_of_scope_department = act.data["competent_department"]
    complaint.out_of_scope_notice = act.data["notice"]
    complaint.published_result = act.data["notice"]
    _close(act, Kind.COMPLAINT_HANDLING)


def verify(act):
    act.obj.verify()
    # Handled in-house: no transfer is needed any more.
    _close(act, Kind.COMPLAINT_TRANSFER, cancel=True, reason=_("自行核实，无需转办"))


def transfer(act):
    complaint = act.obj
    organ = Department.objects.filter(code=act.data["organ"], active=True).first()
    if organ is None:
        raise InvalidInput(_("未知的承办机关。"), {"organ": [_("未知的承办机关。")]})
    handling = complaint.deadlines.filter(kind=Kind.COMPLAINT_HANDLING).order_by("-id").first()
    due = act.data.get("due") or (handling.due if handling else None)
    if due is None or due <= act.on:
        message = _("报送办理结果的期限须晚于转办日期。")
        raise InvalidInput(message, {"due": [message]})
    # Xinxiang complaints art. 5: the 15 working days include the transfer, so the organ
    # reports within the handling period (as it stands, extensions included).
    if handling is not None and due > handling.due:
        message = _("报送办理结果的期限不得晚于投诉办理期限（%(due)s，含转办时间）。") % {
            "due": handling.due.isoformat()
        }
        raise InvalidInput(message, {"due": [message]})
    complaint.transfer()
    complaint.transferred_to = organ
    complaint.transferred_on = act.on
    _close(act, Kind.COMPLAINT_TRANSFER)
    # Xinxiang complaints art. 6: the transferring body sets the organ's reporting deadline.
    deadline_services.open_deadline(
        Kind.ORGAN_REPORT,
        complaint=complaint,
        start=act.on,
        due=due,
        description=_("承办机关办结并报送结果（第六条）"),
        unit=organ,
    )
    complaint.transfer_letter = _issue(
        act,
        DocType.COMPLAINT_TRANSFER_LETTER,
        _("关于转办%(complaint)s的函") % {"complaint": _number(complaint)},
        transfer_letter_body(complaint, due),
        addressee=organ.name,
    )


def _number(complaint) -> str:
    return _("投诉第%(number)s号") % {"number": complaint.pk}


def _day(day) -> str:
    """A date as a letter writes it: 2026年11月3日."""
    return f"{day.year}年{day.month}月{day.day}日"


def _issue(act, doc_type, title, body, addressee):
    """A numbered letter of the complaints office, issued the day of the act."""
    return documents.issue(
        case=None,
        doc_type=doc_type,
        title=title,
        body=body,
        addressee=addressee,
        issued_on=act.on,
        issued_by=act.actor,
        reason=title,
        ip=act.ip,
    )


def transfer_letter_body(complaint, due) -> str:
    """What the organ is told: the complaint (its number, category, the unit complained
    about, when it came, what it says) and the day its result is due (the period stated:
    Xinxiang complaints art. 6); never who complained nor how to reach them (the identity
    kept secret: Xinxiang complaints art. 8)."""
    return "\n".join(
        [
            _(
                "%(received)s，本中心收到%(complaint)s（%(category)s），反映%(respondent)s的有关问题。"
                "根据《新乡市电子监察系统投诉处理办法（试行）》第五条、第六条，现转你单位办理。"
            )
            % {
                "received": _day(complaint.received_on),
                "complaint": _number(complaint),
                "category": complaint.category.name,
                "respondent": complaint.respondent_department.name,
            },
            _("投诉内容：%(content)s") % {"content": " ".join(complaint.content.split())},
            _(
                "请于%(due)s前办结，并将办理结果报送本中心。因特殊原因需要延长办理期限的，"
                "请在期限届满前书面说明理由，报本中心负责人批准。"
            )
            % {"due": _day(due)},
            _("投诉人的身份和联系方式由本中心依照第八条严格保密，不随本函转送。"),
        ]
    )


def organ_report(act):
    complaint = act.obj
    complaint.organ_report()
    complaint.organ_result = act.data["report"]
    complaint.organ_reported_on = act.on
    _close(act, Kind.ORGAN_REPORT)


def extendable_deadline(complaint, actor, kind=None, running=True):
    """The (running) deadline of ``kind`` a request is about; by default the period of the
    one asking — the organ its report, the office its handling."""
    if kind is None:
        kind = Kind.ORGAN_REPORT if rules.ORGAN(actor, complaint) else Kind.COMPLAINT_HANDLING
    found = [d for d in complaint.deadlines.all() if d.kind == kind and (d.is_open or not running)]
    return max(found, key=lambda d: d.pk) if found else None


def request_extension(act):
    """Xinxiang complaints art. 6: asked in writing, before the deadline, with reasons —
    through the deadlines' one extension service (who may ask, the cap, the approver)."""
    deadline = extendable_deadline(act.obj, act.actor, act.data.get("kind"))
    if deadline is None:
        raise RefusedByRule(_("没有可以延期的期限。"))
    deadline_services.ask_for_extension(
        deadline,
        act.actor,
        {"reason": act.data["reason"], "new_due": act.data["new_due"].isoformat()},
        on=act.on,
    )


def approve_extension(act):
    extension = rules.pending_extension(act.obj)
    deadline_services.decide_on_extension(
        extension,
        act.actor,
        {"approve": act.data["approve"], "reason": act.data.get("reason", "")},
        on=act.on,
    )


def decide(act):
    complaint = act.obj
    outcome = ComplaintOutcome.objects.filter(code=act.data["outcome"], active=True).first()
    if outcome is None:
        raise InvalidInput(_("未知的处理结果。"), {"outcome": [_("未知的处理结果。")]})
    official = None
    if act.data.get("official") is not None:
        official = _head_at_fault(complaint, outcome, act.data["official"])
    complaint.decide()
    complaint.outcome = outcome
    complaint.decision_text = act.data["text"]
    complaint.decided_on = act.on
    complaint.published_result = act.data.get("published_result") or _(
        "您的投诉已处理：%(outcome)s。"
    ) % {"outcome": outcome.name}
    _close(act, Kind.COMPLAINT_HANDLING, Kind.COMPLAINT_TRANSFER)
    if outcome.opens_accountability and official is not None:
        # Xinxiang complaints art. 7 (二): "pursue responsibility" against a department
        # head opens an accountability case, the supervision bureau its source.
        complaint.accountability_case = entrypoints.call(
            "accountability.open_case",
            official=official,
            actor=act.actor,
            on=act.on,
            summary=_("经投诉核实，追究过错责任（投诉第%(pk)s号，%(category)s）：%(text)s")
            % {
                "pk": complaint.pk,
                "category": complaint.category.name,
                "text": complaint.decision_text,
            },
            ground="4.4.2",
            reason=_("投诉处理结果：追究过错责任"),
        )


def _head_at_fault(complaint, outcome, pk):
    """The official a fault-liability outcome holds to account: the head of the department
    complained about (Xinxiang complaints art. 7 (二); Nanchong art. 2), or a 400 naming
    ``official``."""
    if not outcome.opens_accountability:
        message = _("处理结果“%(outcome)s”不启动问责，无需指定被问责人。") % {
            "outcome": outcome.name
        }
        raise InvalidInput(message, {"official": [message]})
    department = complaint.respondent_department
    official = (
        Official.objects.select_related("department")
        .filter(pk=pk, department=department, is_head=True, active=True)
        .first()
    )
    if official is None:
        head = Official.objects.filter(department=department, is_head=True, active=True).first()
        if head is None:
            message = _("被投诉单位（%(department)s）没有在任的行政首长，不能启动问责。") % {
                "department": department.name
            }
        else:
            message = _(
                "追究过错责任启动问责的，被问责人须为被投诉单位（%(department)s）的行政首长"
                "%(head)s。"
            ) % {"department": department.name, "head": head.name}
        raise InvalidInput(message, {"official": [message]})
    return official


def give_feedback(act):
    complaint = act.obj
    complaint.give_feedback()
    complaint.feedback = act.data["text"]
    complaint.feedback_on = act.on
    # Xinxiang complaints art. 8: the result told in a numbered letter of the office. It is
    # addressed to "the complainant" and names nobody: the identity stays encrypted on the
    # complaint, never in a document row; the letter itself is the office's alone.
    complaint.feedback_letter = _issue(
        act,
        DocType.COMPLAINT_FEEDBACK_LETTER,
        _("关于%(complaint)s处理结果的反馈意见书") % {"complaint": _number(complaint)},
        feedback_letter_body(complaint),
        addressee=_("投诉人"),
    )


def feedback_letter_body(complaint) -> str:
    return "\n".join(
        [
            _(
                "您于%(received)s反映%(respondent)s有关问题的投诉（%(complaint)s）已办理完毕。"
                "根据《新乡市电子监察系统投诉处理办法（试行）》第八条，现将处理结果反馈如下："
            )
            % {
                "received": _day(complaint.received_on),
                "respondent": complaint.respondent_department.name,
                "complaint": _number(complaint),
            },
            _("处理结果：%(outcome)s。") % {"outcome": complaint.outcome.name}
            if complaint.outcome_id
            else "",
            complaint.feedback,
            _("感谢您对机关效能建设的监督。"),
        ]
    )


def close(act):
    act.obj.close()
    act.obj.closed_on = act.on


def mark_urgent(act):
    complaint = act.obj
    complaint.urgent = True
    complaint.urgent_marked_on = act.on
    _append_note(complaint, _("紧急：%(reason)s") % {"reason": act.data["reason"]})
    # Xinxiang complaints art. 5: someone on site at once (立即) — a deadline due the day
    # the complaint is marked urgent, warned and carded like any other duty.
    deadline_services.open_deadline(
        Kind.ONSITE_RESPONSE,
        complaint=complaint,
        start=act.on,
        due=act.on,
        description=_("立即派人或责成有关单位派人到现场控制事态（第五条）"),
        unit=office_unit(),
    )


def record_onsite_response(act):
    complaint = act.obj
    complaint.onsite_responders = act.data["responders"]
    complaint.onsite_arrived_at = act.data.get("arrived_at")
    complaint.onsite_response = act.data["text"]
    complaint.onsite_responded_on = act.on
    _close(act, Kind.ONSITE_RESPONSE)


def link_repeat(act):
    complaint = act.obj
    earlier = Complaint.objects.filter(pk=act.data["earlier"]).first()
    if earlier is None or earlier.pk == complaint.pk or earlier.received_on > complaint.received_on:
        message = _("请指定较早的一件投诉。")
        raise InvalidInput(message, {"earlier": [message]})
    complaint.repeat_of = earlier
    # Xinxiang complaints art. 6: a repeat is counted against the organ that handled (or
    # shirked) the earlier one.
    complaint.repeat_counted_against_id = (
        earlier.transferred_to_id or earlier.respondent_department_id
    )


def add_note(act):
    _append_note(act.obj, act.data["text"])
