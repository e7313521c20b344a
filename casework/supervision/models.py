"""Supervision of assigned matters (督查督办) — Handan supervision measures, 2004, section 4.

* ``SupervisionMatter``: one matter, a declared procedure (declaration.py): proposed by the
  supervision office (拟办), approved by its head or — a major matter — by a government
  leader (立项), assigned with a numbered card (交办卡片: lead unit, co-units, due date,
  requirements), urged (督办), answered by the lead unit's feedback (反馈) which each
  co-unit's head countersigns (会签) and the lead unit's head signs off, and archived (归档)
  with the original instruction, the feedback and the supervision report.
* ``ProblemInstruction``: the assigning leader's instruction (批示) on a major problem an
  urging found (Handan supervision art. 4 (2): 督办中发现的重大问题，应及时向有关领导反映).
* ``Countersign``: a co-unit head's countersignature of the drafted feedback, one per unit.
* ``Urging``: one act of urging — by telephone, on site, by a supervision letter (督办函) or a
  press visit — with who, when and what was found; a major problem is reported to the leader.
* ``Criticism``: a notice of criticism (通报批评) of a unit that stalled.

Countersignatures, urgings, the leaders' instructions and criticisms are appended, never
changed.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from casework.audit.history import ActHistory


class Source(models.TextChoices):
    """Where a matter comes from (Handan supervision measures, sections 2 and 3 (一)(5))."""

    WORK_REPORT = "work_report", _("政府工作报告任务")
    MEETING_DECISION = "meeting_decision", _("常务会议议定事项")
    LEADER_INSTRUCTION = "leader_instruction", _("领导批示件")
    HIGHER_DOCUMENT = "higher_document", _("上级机关文件")


class State(models.TextChoices):
    PROPOSED = "proposed", _("拟办待审定")
    ASSIGNED = "assigned", _("已立项交办")
    FEEDBACK_DRAFTED = "feedback_drafted", _("反馈材料会签签发中")
    FEEDBACK_SUBMITTED = "feedback_submitted", _("已反馈待归档")
    ARCHIVED = "archived", _("已归档")
    NOT_REGISTERED = "not_registered", _("不予立项")


class SupervisionMatter(FSMModelMixin, models.Model):
    """One matter under supervision (Handan supervision measures, section 4)."""

    title = models.CharField(_("督办事项"), max_length=255)
    source = models.CharField(_("来源"), max_length=32, choices=Source.choices)
    source_reference = models.CharField(_("来源文号或出处"), max_length=255, blank=True)
    # The original instruction (督办批示原件): what the leader wrote, the task of the work
    # report, the decision of the meeting, the higher authority's requirement.
    instruction = models.TextField(_("批示或交办内容"))
    agreed_matter = models.ForeignKey(
        "meetings.AgreedMatter",
        verbose_name=_("常务会议议定事项"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Handan supervision measures, section 4 (一)(1): a major matter is approved by a
    # government leader.
    major = models.BooleanField(_("重大督查事项"), default=False)
    lead_unit = models.ForeignKey(
        "org.Department",
        verbose_name=_("牵头承办单位"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    co_units = models.ManyToManyField(
        "org.Department", verbose_name=_("协办单位"), blank=True, related_name="+"
    )
    due = models.DateField(_("办结时间"))
    requirements = models.TextField(_("办理要求"))
    proposal = models.TextField(_("拟办意见"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("拟办人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_on = models.DateField(_("拟办日期"))
    state = FSMField(
        _("状态"), default=State.PROPOSED, choices=State.choices, protected=True, db_index=True
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    last_act_on = models.DateField(_("最近办理日期"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审定人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_on = models.DateField(_("审定日期"), null=True, blank=True)
    approval_opinion = models.TextField(_("审定意见"), blank=True)
    card = models.OneToOneField(
        "documents.Document",
        verbose_name=_("交办卡片"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    deadline = models.OneToOneField(
        "deadlines.Deadline",
        verbose_name=_("办结反馈期限"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervision_matter",
    )
    # Handan supervision measures, section 4 (一)(3): the feedback, drafted by the lead unit,
    # countersigned by the co-units' heads, signed off by the lead unit's head.
    feedback = models.TextField(_("反馈材料"), blank=True)
    # Which draft is current: a draft sent back is redrafted and countersigned anew.
    draft_number = models.PositiveIntegerField(_("反馈稿次"), default=0)
    feedback_drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("反馈拟稿人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    feedback_drafted_on = models.DateField(_("反馈拟稿日期"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_off_on = models.DateField(_("反馈日期"), null=True, blank=True)
    late = models.BooleanField(_("逾期反馈"), default=False)
    late_reason = models.TextField(_("未按时办结原因"), blank=True)
    report = models.TextField(_("督查报告"), blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("归档人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    archived_on = models.DateField(_("归档日期"), null=True, blank=True)
    # The co-units are set once, at the proposal, and printed on the card.
    history = HistoricalRecords(bases=[ActHistory])

    class Meta:
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")
        ordering = ["-id"]

    def __str__(self):
        return _("督办事项第%(pk)s号：%(title)s") % {"pk": self.pk, "title": self.title}

    def get_absolute_url(self):
        return reverse("supervision:matter", args=[self.pk])

    def co_unit_ids(self) -> list[int]:
        return sorted(self.co_units.values_list("pk", flat=True))

    def unsigned_co_units(self):
        """The co-units whose head has not yet countersigned the current draft, in order."""
        signed = self.countersigns.filter(draft=self.draft_number).values("unit_id")
        return self.co_units.exclude(pk__in=signed).order_by("code")

    # --- transitions: the steps of declaration.py; the kernel's pipeline performs them ------

    @transition(field=state, source=State.PROPOSED, target=State.ASSIGNED)
    def approve(self):
        """Registered and assigned with a numbered card (Handan supervision art. 4 (1))."""

    @transition(field=state, source=State.PROPOSED, target=State.NOT_REGISTERED)
    def decline(self):
        """Not taken up (Handan supervision art. 4 (1): the head or the leader decides)."""

    @transition(field=state, source=State.ASSIGNED, target=State.FEEDBACK_DRAFTED)
    def draft_feedback(self):
        """The lead unit drafts the feedback (Handan supervision art. 4 (3))."""

    @transition(field=state, source=State.FEEDBACK_DRAFTED, target=State.FEEDBACK_DRAFTED)
    def countersign(self):
        """A co-unit's head countersigns (会签, Handan supervision art. 4 (3))."""

    @transition(field=state, source=State.FEEDBACK_DRAFTED, target=State.ASSIGNED)
    def return_draft(self):
        """The draft goes back to the lead unit to be redrafted."""

    @transition(field=state, source=State.FEEDBACK_DRAFTED, target=State.FEEDBACK_SUBMITTED)
    def sign_off(self):
        """The lead unit's head signs the feedback off (Handan supervision art. 4 (3))."""

    @transition(field=state, source=State.FEEDBACK_SUBMITTED, target=State.ARCHIVED)
    def archive(self):
        """Bound into one file and archived (Handan supervision art. 4 (4))."""


class AppendOnly(models.Model):
    """A row written once (the audit chain seals it; PostgreSQL refuses UPDATE and DELETE)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("append-only row")
        super().save(*args, **kwargs)


class Countersign(AppendOnly):
    """A co-unit head's countersignature of a draft of the feedback (会签)."""

    matter = models.ForeignKey(
        SupervisionMatter,
        verbose_name=_("督办事项"),
        on_delete=models.PROTECT,
        related_name="countersigns",
    )
    draft = models.PositiveIntegerField(_("反馈稿次"))
    unit = models.ForeignKey(
        "org.Department", verbose_name=_("协办单位"), on_delete=models.PROTECT, related_name="+"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("会签人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_on = models.DateField(_("会签日期"))
    opinion = models.TextField(_("会签意见"), blank=True)

    class Meta:
        verbose_name = _("会签")
        verbose_name_plural = _("会签")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["matter", "draft", "unit"], name="one_countersign_per_unit_and_draft"
            )
        ]

    def __str__(self):
        return f"{self.unit} {self.signed_on}"


class Urging(AppendOnly):
    """One act of urging (督办, Handan supervision art. 4 (2))."""

    class Method(models.TextChoices):
        PHONE = "phone", _("电话催办")
        ON_SITE = "on_site", _("现场督办")
        LETTER = "letter", _("督办函")
        PRESS = "press", _("新闻督访")

    matter = models.ForeignKey(
        SupervisionMatter,
        verbose_name=_("督办事项"),
        on_delete=models.PROTECT,
        related_name="urgings",
    )
    method = models.CharField(_("督办方式"), max_length=16, choices=Method.choices)
    on = models.DateField(_("督办日期"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("督办人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    contact = models.CharField(_("联系对象"), max_length=255, blank=True)
    findings = models.TextField(_("督办情况"))
    major_problem = models.BooleanField(_("发现重大问题"), default=False)
    letter = models.OneToOneField(
        "documents.Document",
        verbose_name=_("督办函"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("督办记录")
        verbose_name_plural = _("督办记录")
        ordering = ["on", "id"]

    def __str__(self):
        return f"{self.on} {self.get_method_display()}"


class ProblemInstruction(AppendOnly):
    """The assigning leader reads a major problem found in urging and instructs on it
    (阅示、批示, Handan supervision art. 4 (2)); one per urging."""

    urging = models.OneToOneField(
        Urging,
        verbose_name=_("督办记录"),
        on_delete=models.PROTECT,
        related_name="instruction",
    )
    text = models.TextField(_("批示内容"))
    on = models.DateField(_("阅示日期"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("阅示领导"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("重大问题批示")
        verbose_name_plural = _("重大问题批示")
        ordering = ["id"]

    def __str__(self):
        return f"{self.urging} {self.on}"


class Criticism(AppendOnly):
    """A notice of criticism (通报批评) of a unit that shirked or stalled
    (Handan supervision art. 4 (3))."""

    matter = models.ForeignKey(
        SupervisionMatter,
        verbose_name=_("督办事项"),
        on_delete=models.PROTECT,
        related_name="criticisms",
    )
    unit = models.ForeignKey(
        "org.Department", verbose_name=_("被通报单位"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("通报理由"))
    on = models.DateField(_("通报日期"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("通报人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    document = models.OneToOneField(
        "documents.Document", verbose_name=_("通报"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("通报批评")
        verbose_name_plural = _("通报批评")
        ordering = ["id"]

    def __str__(self):
        return f"{self.unit} {self.on}"
