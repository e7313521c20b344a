"""The only code that changes a complaint (Xinxiang e-supervision complaint measures, 2010):
filing and registration here, every step through the kernel's pipeline with the procedure's
declaration (``declaration.COMPLAINTS``).

Confidentiality (Xinxiang complaints art. 8) is kept here too: the identity is written only
by ``submit`` and ``register``, read only by ``view_identity`` (which records who, when and
why), and never copied into history, logs or messages.
"""

import uuid

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from casework.audit import history
from casework.deadlines import services as deadline_services
from casework.deadlines.models import Kind
from casework.exceptions import InvalidInput, NotAllowed, TooLarge, validated
from casework.kernel import clock, pipeline
from casework.org.models import Department

from . import attachments, rules
from .declaration import COMPLAINTS
from .handlers import HANDLING_WORKING_DAYS, office_unit
from .models import Complaint, ComplaintCategory, IdentityAccess
from .payloads import PublicComplaint, StaffComplaint

ALLOWED_ATTACHMENTS = {
    "image/jpeg": ("jpg", "jpeg"),
    "image/png": ("png",),
    "application/pdf": ("pdf",),
}


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


def _create(payload, *, actor, channel, received_on, attachment, ip=None):
    category, department = _resolve_reference(payload)
    mime = check_attachment(attachment)
    if attachment is not None:
        attachment.seek(0)
        clean = attachments.strip_metadata(attachment.read(), mime)
    action = "submit" if channel == "portal" else "register"
    # The deadlines and the flow's task opened with it record the address and the act too.
    with transaction.atomic(), history.acting(ip, COMPLAINTS.label(action)):
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
            # Xinxiang complaints art. 8: the citizen's own file name ("张三的投诉.pdf") may name
            # them; keep only a random name with the extension of the checked type. The
            # content is kept without its metadata, and encrypted (attachments.py).
            extension = attachment.name.rsplit(".", 1)[-1].lower()
            complaint.attachment = ContentFile(clean, name=f"{uuid.uuid4().hex}.{extension}")
        pipeline.save_new(COMPLAINTS, complaint, actor, action, ip=ip)
        deadline_services.open_deadline(
            Kind.COMPLAINT_HANDLING,
            complaint=complaint,
            start=received_on,
            days=HANDLING_WORKING_DAYS,
            description=_("初步核实和处理投诉（第五条，含转办时间）"),
            unit=office_unit(),
        )
        pipeline.announce_opened(COMPLAINTS, complaint, actor)
    return complaint


def submit(data, attachment=None, ip=None) -> Complaint:
    """A citizen's complaint from the public portal (Xinxiang complaints art. 2): received
    today."""
    payload = validated(PublicComplaint, data)
    return _create(
        payload,
        actor=None,
        channel="portal",
        received_on=clock.today(),
        attachment=attachment,
        ip=ip,
    )


def register(actor, data, attachment=None, ip=None) -> Complaint:
    """A complaint by letter, visit or phone, registered by staff and flagged as a petition."""
    if not rules.is_office(actor):
        raise NotAllowed(_("只有效能投诉中心可以登记投诉。"))
    payload = validated(StaffComplaint, data)
    received_on = payload.get("on") or clock.today()
    if received_on > clock.today():
        raise InvalidInput(_("收到日期不得晚于今天。"), {"on": [_("收到日期不得晚于今天。")]})
    return _create(
        payload,
        actor=actor,
        channel=payload["channel"],
        received_on=received_on,
        attachment=attachment,
        ip=ip,
    )


# ------------------------------------------------------------------------------------
# Identity (Xinxiang complaints art. 8)
# ------------------------------------------------------------------------------------


def view_identity(complaint, actor, *, reason, ip=None, channel="web") -> dict:
    """The complainant's identity, for the complaints office only; every view is recorded."""
    if not rules.sees_identity(actor):
        raise NotAllowed(_("投诉人身份信息仅效能投诉中心可以查看。"))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("查看投诉人身份须说明理由。"), {"reason": [_("请填写查看理由。")]})
    with transaction.atomic():  # the row and its seal in the audit chain, together
        IdentityAccess.objects.create(
            complaint=complaint, user=actor, reason=reason[:255], ip_address=ip, channel=channel
        )
    return {
        "name": complaint.name or "",
        "phone": complaint.phone or "",
        "email": complaint.email or "",
    }


def open_attachment(complaint, actor, *, reason, ip=None, channel="web") -> bytes:
    """The attachment's content, for the complaints office only: it may show who complained,
    so every view is recorded like a view of the identity."""
    if not rules.sees_identity(actor):
        raise NotAllowed(_("附件可能含有投诉人信息，仅效能投诉中心可以查看。"))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("查看附件须说明理由。"), {"reason": [_("请填写查看理由。")]})
    with transaction.atomic():
        IdentityAccess.objects.create(
            complaint=complaint,
            user=actor,
            reason=reason[:255],
            ip_address=ip,
            channel=channel,
            kind=IdentityAccess.Kind.ATTACHMENT,
        )
        with complaint.attachment.storage.open(complaint.attachment.name) as stored:
            return stored.read()


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
# Steps
# ------------------------------------------------------------------------------------


def label(name) -> str:
    """How a page and the history name a step (or the filing of a complaint)."""
    return COMPLAINTS.label(name)


def transition(complaint, name, actor, data=None, *, reason="", if_match=None, ip=None):
    """Take step ``name`` on ``complaint`` as ``actor`` (the kernel's pipeline)."""
    return pipeline.transition(
        COMPLAINTS, complaint, name, actor, data, reason=reason, if_match=if_match, ip=ip
    )


def available_transitions(user, complaint, day=None) -> list[str]:
    return COMPLAINTS.available(user, complaint, day)
