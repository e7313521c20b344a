"""Complaints (投诉) — Xinxiang e-supervision complaint measures, 2010.

Reference data of the measures: the categories of complaint accepted (Xinxiang complaints art. 4)
and the outcomes of handling (Xinxiang complaints art. 7). They are loaded from
fixtures/reference/*.json by ``manage.py load_reference`` and keyed by their ``code``, so a second
load updates the rows instead of adding new ones.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from encrypted_fields.fields import EncryptedCharField, EncryptedEmailField
from simple_history.models import HistoricalRecords

from casework.audit.history import ActHistory

from . import attachments


class CodeManager(models.Manager):
    """Looks rows up by their stable code, so fixtures can omit the primary key."""

    def get_by_natural_key(self, code):
        return self.get(code=code)


class ComplaintCategory(models.Model):
    """A kind of conduct the e-supervision system accepts complaints about
    (Xinxiang complaints art. 4)."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    article = models.CharField(_("条款"), max_length=32, help_text=_("如 第四条第（一）项"))
    ordering = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("有效"), default=True)

    objects = CodeManager()

    class Meta:
        verbose_name = _("投诉类别")
        verbose_name_plural = _("投诉类别")
        ordering = ["ordering", "code"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


class ComplaintOutcome(models.Model):
    """How a complaint is disposed of after initial verification (Xinxiang complaints art. 7)."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    article = models.CharField(_("条款"), max_length=32, help_text=_("如 第七条第（二）项"))
    # Xinxiang complaints art. 7 (二): pursuing fault responsibility of a department head may
    # open an accountability case (Nanchong measures) linked to the complaint.
    opens_accountability = models.BooleanField(_("可启动问责"), default=False)
    ordering = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("有效"), default=True)

    objects = CodeManager()

    class Meta:
        verbose_name = _("投诉处理结果")
        verbose_name_plural = _("投诉处理结果")
        ordering = ["ordering", "code"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


# ---------------------------------------------------------------------------------------
# The complaint and its state machine (docs/complaints.md)
# ---------------------------------------------------------------------------------------

# No 0/O/1/I/L: a code read aloud over the phone or copied by hand stays unambiguous.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_tracking_code() -> str:
    """16 random symbols (about 79 bits): not guessable, so the code alone may show status."""
    raw = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


class State(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("已受理")
    OUT_OF_SCOPE = "out_of_scope", _("不属受理范围，已转有管辖权部门")
    VERIFYING = "verifying", _("核实处理中")
    TRANSFERRED = "transferred", _("已转办")
    HANDLED_BY_ORGAN = "handled_by_organ", _("承办机关已报告")
    DECIDED = "decided", _("已作出处理")
    FEEDBACK_GIVEN = "feedback_given", _("已反馈投诉人")
    CLOSED = "closed", _("已办结")


class Channel(models.TextChoices):
    PORTAL = "portal", _("网上投诉")
    LETTER = "letter", _("来信")
    VISIT = "visit", _("来访")
    PHONE = "phone", _("来电")


class Complaint(FSMModelMixin, models.Model):
    """A complaint about a department or its staff (Xinxiang complaint measures)."""

    tracking_code = models.CharField(
        _("查询码"), max_length=19, unique=True, default=new_tracking_code, editable=False
    )
    channel = models.CharField(
        _("投诉渠道"), max_length=16, choices=Channel.choices, default=Channel.PORTAL
    )
    # Xinxiang complaints art. 2: other channels are handled under the petition (信访) rules.
    is_petition = models.BooleanField(_("信访件"), default=False)
    category = models.ForeignKey(
        ComplaintCategory, verbose_name=_("投诉类别"), on_delete=models.PROTECT
    )
    respondent_department = models.ForeignKey(
        "org.Department", verbose_name=_("被投诉单位"), on_delete=models.PROTECT, related_name="+"
    )
    content = models.TextField(_("投诉内容"))
    # Metadata stripped on upload, encrypted at rest (attachments.py).
    attachment = models.FileField(
        _("附件"), upload_to="complaints/%Y/%m/", blank=True, storage=attachments.storage
    )
    attachment_type = models.CharField(_("附件类型"), max_length=64, blank=True)
    # Xinxiang complaints art. 8: identity and contact details are encrypted at rest, visible only
    # to the complaints office, and never copied into the history tables.
    real_name = models.BooleanField(_("实名投诉"), default=False)
    name = EncryptedCharField(_("姓名"), max_length=64, blank=True, null=True)
    phone = EncryptedCharField(_("电话"), max_length=32, blank=True, null=True)
    email = EncryptedEmailField(_("电子邮箱"), blank=True, null=True)
    received_on = models.DateField(_("收到日期"))
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    state = FSMField(
        _("状态"), default=State.SUBMITTED, choices=State.choices, protected=True, db_index=True
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    last_act_on = models.DateField(_("最近办理日期"))
    # Xinxiang complaints art. 5: urgent matters get an on-site response at once (立即): a
    # deadline due the day the complaint is marked urgent.
    urgent = models.BooleanField(_("紧急"), default=False)
    urgent_marked_on = models.DateField(_("标记紧急日期"), null=True, blank=True)
    onsite_response = models.TextField(_("现场处置情况"), blank=True)
    # Who went: the office's own people, or the unit it ordered to send someone
    # (Xinxiang complaints art. 5).
    onsite_responders = models.CharField(_("到场人员"), max_length=255, blank=True)
    onsite_responded_on = models.DateField(_("现场处置日期"), null=True, blank=True)
    onsite_arrived_at = models.TimeField(_("到场时间"), null=True, blank=True)
    out_of_scope_department = models.CharField(_("有管辖权的部门"), max_length=255, blank=True)
    out_of_scope_notice = models.TextField(_("告知投诉人"), blank=True)
    transferred_to = models.ForeignKey(
        "org.Department",
        verbose_name=_("承办机关"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transferred_complaints",
    )
    transferred_on = models.DateField(_("转办日期"), null=True, blank=True)
    # Xinxiang complaints art. 6: the numbered letter that transfers the complaint and states
    # the reporting period. It never names the complainant: Xinxiang complaints art. 8.
    transfer_letter = models.OneToOneField(
        "documents.Document",
        verbose_name=_("转办函"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organ_result = models.TextField(_("承办机关办理结果"), blank=True)
    organ_reported_on = models.DateField(_("报告日期"), null=True, blank=True)
    internal_notes = models.TextField(_("内部核实意见"), blank=True)
    outcome = models.ForeignKey(
        ComplaintOutcome,
        verbose_name=_("处理结果"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    decision_text = models.TextField(_("处理意见"), blank=True)
    decided_on = models.DateField(_("处理日期"), null=True, blank=True)
    # Xinxiang complaints art. 9: what may be published, already redacted; the complainant sees it
    # with the code.
    published_result = models.TextField(_("公开的处理结果"), blank=True)
    feedback = models.TextField(_("反馈内容"), blank=True)
    feedback_on = models.DateField(_("反馈日期"), null=True, blank=True)
    # Xinxiang complaints art. 8: the numbered letter to the complainant — the office's alone.
    feedback_letter = models.OneToOneField(
        "documents.Document",
        verbose_name=_("反馈意见书"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    # Xinxiang complaints art. 6: a repeat about the same matter is linked, and counted against
    # the organ.
    repeat_of = models.ForeignKey(
        "self",
        verbose_name=_("重复投诉所涉原投诉"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repeats",
    )
    repeat_counted_against = models.ForeignKey(
        "org.Department",
        verbose_name=_("重复投诉计入单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    accountability_case = models.ForeignKey(
        "accountability.AccountabilityCase",
        verbose_name=_("引发的问责案件"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )

    history = HistoricalRecords(
        bases=[ActHistory],
        excluded_fields=["name", "phone", "email", "submitted_at", "tracking_code"],
    )

    class Meta:
        verbose_name = _("投诉")
        verbose_name_plural = _("投诉")
        ordering = ["-received_on", "-id"]
        # The complaint list's order, read from the index instead of sorting every complaint.
        indexes = [models.Index(fields=["-received_on", "-id"], name="complaint_list_order")]

    def __str__(self):
        return f"投诉 {self.pk}（{self.category.name}）"

    def get_absolute_url(self):
        return reverse("complaints:staff-detail", args=[self.pk])

    @property
    def anonymous(self) -> bool:
        return not self.real_name

    # --- transitions: the steps of declaration.py; the kernel's pipeline performs them ------

    @transition(field=state, source=State.SUBMITTED, target=State.ACCEPTED)
    def accept(self):
        """Within the scope of Xinxiang complaints art. 4: accepted by the complaints office
        (Xinxiang complaints art. 5)."""

    @transition(field=state, source=State.SUBMITTED, target=State.OUT_OF_SCOPE)
    def reject_out_of_scope(self):
        """Not within scope: passed to the competent department, complainant told
        (Xinxiang complaints art. 5)."""

    @transition(
        field=state, source=[State.ACCEPTED, State.HANDLED_BY_ORGAN], target=State.VERIFYING
    )
    def verify(self):
        """The office verifies itself, or goes on after the organ's report
        (Xinxiang complaints art. 5, 7)."""

    @transition(field=state, source=State.ACCEPTED, target=State.TRANSFERRED)
    def transfer(self):
        """Transferred to the competent organ in 2 working days (Xinxiang complaints art. 5, 6)."""

    @transition(field=state, source=State.TRANSFERRED, target=State.HANDLED_BY_ORGAN)
    def organ_report(self):
        """The organ reports its handling result by the deadline (Xinxiang complaints art. 6)."""

    @transition(field=state, source=State.VERIFYING, target=State.DECIDED)
    def decide(self):
        """The outcome of Xinxiang complaints art. 7 after initial verification."""

    @transition(field=state, source=State.DECIDED, target=State.FEEDBACK_GIVEN)
    def give_feedback(self):
        """A real-name complainant is told the result (Xinxiang complaints art. 8)."""

    @transition(field=state, source=[State.DECIDED, State.FEEDBACK_GIVEN], target=State.CLOSED)
    def close(self):
        """Closed: after feedback, or straight after the decision when anonymous."""


class IdentityAccess(models.Model):
    """Every view of a complainant's identity or of the attachment (which may show who
    complained): who, when, why, from where (Xinxiang complaints art. 8; CBRC art. 49)."""

    class Kind(models.TextChoices):
        IDENTITY = "identity", _("投诉人身份")
        ATTACHMENT = "attachment", _("附件")

    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("投诉"),
        on_delete=models.PROTECT,
        related_name="identity_accesses",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("查看人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("查看时间"), auto_now_add=True)
    reason = models.CharField(_("查看理由"), max_length=255)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    channel = models.CharField(_("途径"), max_length=16, default="web")
    kind = models.CharField(
        _("查看内容"), max_length=16, choices=Kind.choices, default=Kind.IDENTITY
    )

    class Meta:
        verbose_name = _("投诉人身份查看记录")
        verbose_name_plural = _("投诉人身份查看记录")
        ordering = ["-at", "-id"]
        permissions = [("view_identity_log", _("查阅投诉人身份查看记录"))]

    def __str__(self):
        return f"{self.user} {self.at:%Y-%m-%d %H:%M} {self.reason}"
