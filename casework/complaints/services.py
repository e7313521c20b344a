"""The only code that changes a complaint (Xinxiang e-supervision complaint measures, 2010).

Confidentiality (art. 8) is kept here too: the identity is written only by ``submit`` and
``register``, read only by ``view_identity`` (which records who, when and why), and never
copied into history, logs or messages.
"""

import datetime
import uuid
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.deadlines import services as deadline_services
from casework.deadlines.models import Kind
from casework.exceptions import (
    InvalidInput,
    NotAllowed,
    RefusedByRule,
    TooLarge,
    WrongState,
    act_day,
    claimed_day,
    is_stale,
    validated,
)
from casework.kernel import entrypoints
from casework.org.models import Department, Official

from . import rules
from .models import Complaint, ComplaintCategory, ComplaintOutcome, IdentityAccess, State
from .payloads import PAYLOADS, PublicComplaint, StaffComplaint

# Xinxiang complaint measures art. 5: initial verification and handling within 15 working
# days of receipt, transfer time included; a transfer within 2 working days.
HANDLING_WORKING_DAYS = 15
TRANSFER_WORKING_DAYS = 2

ALLOWED_ATTACHMENTS = {
    "image/jpeg": ("jpg", "jpeg"),
    "image/png": ("png",),
    "application/pdf": ("pdf",),
}

LABELS = {
    "submit": _("网上投诉"),
    "register": _("登记来信来访来电投诉"),
    "accept": _("受理"),
    "reject_out_of_scope": _("不属受理范围，转有管辖权部门"),
    "verify": _("核实处理"),
    "transfer": _("转办"),
    "organ_report": _("承办机关报告办理结果"),
    "request_extension": _("申请延期"),
    "approve_extension": _("审批延期"),
    "decide": _("作出处理"),
    "give_feedback": _("反馈投诉人"),
    "close": _("办结"),
    "mark_urgent": _("标记紧急"),
    "record_onsite_response": _("登记现场处置"),
    "link_repeat": _("关联重复投诉"),
    "add_note": _("登记核实意见"),
}


def today():
    return timezone.localdate()


def label(name):
    return str(LABELS.get(name, name))


@dataclass
class Act:
    complaint: Complaint
    actor: object
    data: dict
    on: datetime.date
    reason: str


# ------------------------------------------------------------------------------------
# Submission
# ------------------------------------------------------------------------------------


def check_attachment(upload):
    """A photo or a PDF of limited size, judged by its content, not by its name."""
    if upload is None:
        return ""
    if upload.size > settings.COMPLAINT_ATTACHMENT_MAX_BYTES:
        limit = settings.COMPLAINT_ATTACHMENT_MAX_BYTES // (1024 * 1024)
        message = _("附件不得超过 %(mb)s MB。") % {"mb": limit}
        raise TooLarge(message, {"attachment": [message]})
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if (
        kind is None
        or kind.mime not in ALLOWED_ATTACHMENTS
        or extension not in ALLOWED_ATTACHMENTS[kind.mime]
    ):
        message = _("附件只能是照片（JPG、PNG）或 PDF 文件，且文件内容须与扩展名一致。")
        raise InvalidInput(message, {"attachment": [message]})
    return kind.mime


def _resolve_reference(payload):
    fields = {}
    category = ComplaintCategory.objects.filter(code=payload["category"], active=True).first()
    if category is None:
        fields["category"] = [_("未知的投诉类别。")]
    department = Department.objects.filter(
        code=payload["respondent_department"], active=True
    ).first()
    if department is None:
        fields["respondent_department"] = [_("未知的被投诉单位。")]
    if fields:
        raise InvalidInput(_("请求内容有误，请检查标出的字段。"), fields)
    return category, department


def _create(payload, *, actor, channel, received_on, attachment):
    category, department = _resolve_reference(payload)
    mime = check_attachment(attachment)
    with transaction.atomic():
        complaint = Complaint(
            channel=channel,
            is_petition=channel != "portal",
            category=category,
            respondent_department=department,
            content=payload["content"],
            real_name=payload["real_name"],
            name=payload.get("name") or None,
            phone=payload.get("phone") or None,
            email=payload.get("email") or None,
            received_on=received_on,
            last_act_on=received_on,
            registered_by=actor,
            attachment_type=mime,
        )
        if attachment is not None:
            # Art. 8: the citizen's own file name ("张三的投诉.pdf") may name them; keep
            # only a random name with the extension of the checked type.
            extension = attachment.name.rsplit(".", 1)[-1].lower()
            attachment.name = f"{uuid.uuid4().hex}.{extension}"
            complaint.attachment = attachment
        complaint._history_user = actor
        complaint._change_reason = label("submit" if channel == "portal" else "register")
        complaint._history_action = "submit" if channel == "portal" else "register"
        complaint.save()
        deadline_services.open_deadline(
            Kind.COMPLAINT_HANDLING,
            complaint=complaint,
            start=received_on,
            days=HANDLING_WORKING_DAYS,
            description=_("初步核实和处理投诉（第五条，含转办时间）"),
            unit=Department.objects.filter(code="complaints").first(),
        )
        _workflow().complaint_registered(complaint, actor)
    return complaint


def submit(data, attachment=None) -> Complaint:
    """A citizen's complaint from the public portal (art. 2): received today."""
    payload = validated(PublicComplaint, data)
    return _create(
        payload, actor=None, channel="portal", received_on=today(), attachment=attachment
    )


def register(actor, data, attachment=None) -> Complaint:
    """A complaint by letter, visit or phone, registered by staff and flagged as a petition."""
    if not rules.is_office(actor):
        raise NotAllowed(_("只有效能投诉中心可以登记投诉。"))
    payload = validated(StaffComplaint, data)
    received_on = payload.get("on") or today()
    if received_on > today():
        raise InvalidInput(_("收到日期不得晚于今天。"), {"on": [_("收到日期不得晚于今天。")]})
    return _create(
        payload,
        actor=actor,
        channel=payload["channel"],
        received_on=received_on,
        attachment=attachment,
    )


# ------------------------------------------------------------------------------------
# Identity (art. 8)
# ------------------------------------------------------------------------------------


def view_identity(complaint, actor, *, reason, ip=None, channel="web") -> dict:
    """The complainant's identity, for the complaints office only; every view is recorded."""
    if not rules.sees_identity(actor):
        raise NotAllowed(_("投诉人身份信息仅效能投诉中心可以查看。"))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("查看投诉人身份须说明理由。"), {"reason": [_("请填写查看理由。")]})
    IdentityAccess.objects.create(
        complaint=complaint, user=actor, reason=reason[:255], ip_address=ip, channel=channel
    )
    return {
        "name": complaint.name or "",
        "phone": complaint.phone or "",
        "email": complaint.email or "",
    }


def mask(value: str | None) -> str:
    """ "张**", "138****5678": shows that a value exists without revealing it."""
    if not value:
        return ""
    if "@" in value:
        local, _at, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    if len(value) >= 7 and value.replace("-", "").isdigit():
        return f"{value[:3]}****{value[-4:]}"
    return value[:1] + "*" * (len(value) - 1)


# ------------------------------------------------------------------------------------
# Transitions
# ------------------------------------------------------------------------------------


def transition(complaint, name, actor, data=None, *, reason="", if_match=None, ip=None):
    if name not in rules.ACTORS:
        raise InvalidInput(_("未知的操作：%(name)s") % {"name": name}, {"name": [name]})
    if not rules.can_view(actor, complaint):
        raise NotAllowed(_("无权查看该投诉。"))
    # Permission before payload (architecture.md): a person who may not act learns nothing
    # of the body's shape.
    if not rules.may(actor, name, complaint, claimed_day(data)):
        raise NotAllowed(_("您无权执行“%(action)s”。") % {"action": label(name)})
    payload = validated(PAYLOADS[name], data or {})
    on = act_day(payload, today())
    if not rules.may(actor, name, complaint, on):
        raise NotAllowed(_("您无权执行“%(action)s”。") % {"action": label(name)})
    with transaction.atomic():
        locked = (
            Complaint.objects.select_for_update(of=("self",))
            .select_related("category")
            .get(pk=complaint.pk)
        )
        if is_stale(if_match, locked.version):
            raise WrongState(
                _("投诉已被他人更新（当前版本 %(version)s），请刷新后重试。")
                % {"version": locked.version}
            )
        if not rules.allowed_from(name, locked.state):
            raise WrongState(
                _("投诉当前状态为“%(state)s”，不能执行“%(action)s”。")
                % {"state": locked.get_state_display(), "action": label(name)}
            )
        if on < locked.last_act_on:
            message = _("办理日期不得早于上一办理日期（%(date)s）。") % {
                "date": locked.last_act_on.isoformat()
            }
            raise InvalidInput(message, {"on": [message]})
        from_state = locked.state
        HANDLERS[name](Act(complaint=locked, actor=actor, data=payload, on=on, reason=reason))
        locked.version += 1
        locked.last_act_on = on
        locked._history_user = actor
        locked._change_reason = reason or label(name)
        locked._history_action = name
        locked._history_from_state = from_state
        locked.save()
        if name not in rules.ACTIONS:
            _workflow().complaint_changed(locked, actor, name)
    return locked


def _workflow():
    from workflows import complaints

    return complaints


def _close(complaint, *kinds, on, cancel=False, reason=""):
    deadline_services.close_deadlines(
        complaint.deadlines,
        *kinds,
        when=deadline_services.moment_of(on),
        cancel=cancel,
        reason=reason,
    )


def _accept(act):
    complaint = act.complaint
    complaint.accept()
    deadline_services.open_deadline(
        Kind.COMPLAINT_TRANSFER,
        complaint=complaint,
        start=complaint.received_on,
        days=TRANSFER_WORKING_DAYS,
        description=_("需要归口转办的，转交有关机关（第五条）"),
        unit=Department.objects.filter(code="complaints").first(),
    )


def _reject_out_of_scope(act):
    complaint = act.complaint
    complaint.reject_out_of_scope()
    complaint.out_of_scope_department = act.data["competent_department"]
    complaint.out_of_scope_notice = act.data["notice"]
    complaint.published_result = act.data["notice"]
    _close(complaint, Kind.COMPLAINT_HANDLING, on=act.on, reason=label("reject_out_of_scope"))


def _verify(act):
    complaint = act.complaint
    complaint.verify()
    # Handled in-house: no transfer is needed any more.
    _close(
        complaint, Kind.COMPLAINT_TRANSFER, on=act.on, cancel=True, reason=_("自行核实，无需转办")
    )


def _transfer(act):
    complaint = act.complaint
    organ = Department.objects.filter(code=act.data["organ"], active=True).first()
    if organ is None:
        raise InvalidInput(_("未知的承办机关。"), {"organ": [_("未知的承办机关。")]})
    handling = complaint.deadlines.filter(kind=Kind.COMPLAINT_HANDLING).order_by("-id").first()
    due = act.data.get("due") or (handling.due if handling else None)
    if due is None or due <= act.on:
        message = _("报送办理结果的期限须晚于转办日期。")
        raise InvalidInput(message, {"due": [message]})
    complaint.transfer()
    complaint.transferred_to = organ
    complaint.transferred_on = act.on
    _close(complaint, Kind.COMPLAINT_TRANSFER, on=act.on, reason=label("transfer"))
    # Art. 6: the transferring body sets the organ's reporting deadline.
    deadline_services.open_deadline(
        Kind.ORGAN_REPORT,
        complaint=complaint,
        start=act.on,
        due=due,
        description=_("承办机关办结并报送结果（第六条）"),
        unit=organ,
    )


def _organ_report(act):
    complaint = act.complaint
    complaint.organ_report()
    complaint.organ_result = act.data["report"]
    complaint.organ_reported_on = act.on
    _close(complaint, Kind.ORGAN_REPORT, on=act.on, reason=label("organ_report"))


def _request_extension(act):
    complaint = act.complaint
    kind = act.data.get("kind", "organ_report")
    organ = rules.ACTORS["organ_report"](act.actor, complaint)
    if (kind == "organ_report") != organ:
        raise NotAllowed(_("承办机关只能申请延长报送期限；投诉办理期限的延期由效能投诉中心申请。"))
    deadline = complaint.deadlines.open().filter(kind=kind).order_by("-id").first()
    if deadline is None:
        raise RefusedByRule(_("没有可以延期的期限。"))
    deadline_services.ask_for_extension(
        deadline,
        act.actor,
        {"reason": act.data["reason"], "new_due": act.data["new_due"]},
        on=act.on,
    )


def _approve_extension(act):
    from casework.deadlines.models import Extension

    extension = (
        Extension.objects.filter(deadline__complaint=act.complaint, status=Extension.Status.PENDING)
        .order_by("-id")
        .first()
    )
    if extension is None:
        raise RefusedByRule(_("没有待审批的延期申请。"))
    deadline_services.decide_on_extension(
        extension,
        act.actor,
        {"approve": act.data.get("approve", True), "reason": act.data.get("reason", "")},
        on=act.on,
    )


def _decide(act):
    complaint = act.complaint
    outcome = ComplaintOutcome.objects.filter(code=act.data["outcome"], active=True).first()
    if outcome is None:
        raise InvalidInput(_("未知的处理结果。"), {"outcome": [_("未知的处理结果。")]})
    official = None
    if act.data.get("official") is not None:
        official = (
            Official.objects.select_related("department")
            .filter(pk=act.data["official"], is_head=True)
            .first()
        )
        if official is None:
            raise InvalidInput(_("没有该部门行政首长。"), {"official": [_("没有该部门行政首长。")]})
    complaint.decide()
    complaint.outcome = outcome
    complaint.decision_text = act.data["text"]
    complaint.decided_on = act.on
    complaint.published_result = act.data.get("published_result") or _(
        "您的投诉已处理：%(outcome)s。"
    ) % {"outcome": outcome.name}
    _close(
        complaint,
        Kind.COMPLAINT_HANDLING,
        Kind.COMPLAINT_TRANSFER,
        on=act.on,
        reason=label("decide"),
    )
    if outcome.opens_accountability and official is not None:
        # Section 2: "pursue responsibility" against a department head opens an
        # accountability case, with the supervision bureau as its source (Nanchong art. 5).
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


def _give_feedback(act):
    complaint = act.complaint
    if not complaint.real_name:
        raise RefusedByRule(_("匿名投诉无法反馈，可直接办结。"))
    complaint.give_feedback()
    complaint.feedback = act.data["text"]
    complaint.feedback_on = act.on


def _close_complaint(act):
    complaint = act.complaint
    if complaint.state == State.DECIDED and complaint.real_name:
        raise RefusedByRule(_("实名投诉须先向投诉人反馈处理结果（第八条）。"))
    complaint.close()
    complaint.closed_on = act.on


def _mark_urgent(act):
    complaint = act.complaint
    complaint.urgent = True
    complaint.urgent_marked_on = act.on
    complaint.internal_notes = (
        complaint.internal_notes + "\n" if complaint.internal_notes else ""
    ) + _("紧急：%(reason)s") % {"reason": act.data["reason"]}


def _record_onsite_response(act):
    complaint = act.complaint
    if not complaint.urgent:
        raise RefusedByRule(_("只有紧急投诉需要登记现场处置。"))
    complaint.onsite_response = act.data["text"]
    complaint.onsite_responded_on = act.on


def _link_repeat(act):
    complaint = act.complaint
    earlier = Complaint.objects.filter(pk=act.data["earlier"]).first()
    if earlier is None or earlier.pk == complaint.pk or earlier.received_on > complaint.received_on:
        message = _("请指定较早的一件投诉。")
        raise InvalidInput(message, {"earlier": [message]})
    complaint.repeat_of = earlier
    # Art. 6: a repeat is counted against the organ that handled (or shirked) the earlier one.
    complaint.repeat_counted_against_id = (
        earlier.transferred_to_id or earlier.respondent_department_id
    )


def _add_note(act):
    complaint = act.complaint
    complaint.internal_notes = (
        complaint.internal_notes + "\n" if complaint.internal_notes else ""
    ) + act.data["text"]


HANDLERS = {
    "accept": _accept,
    "reject_out_of_scope": _reject_out_of_scope,
    "verify": _verify,
    "transfer": _transfer,
    "organ_report": _organ_report,
    "request_extension": _request_extension,
    "approve_extension": _approve_extension,
    "decide": _decide,
    "give_feedback": _give_feedback,
    "close": _close_complaint,
    "mark_urgent": _mark_urgent,
    "record_onsite_response": _record_onsite_response,
    "link_repeat": _link_repeat,
    "add_note": _add_note,
}
