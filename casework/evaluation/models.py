"""Monthly performance evaluation (绩效测评) — Xinxiang performance measures, 2010.

* ``ScoringItem``: the scoring scheme as data (Xinxiang performance art. 9: 评分、扣分、加分),
  edited by the supervision bureau with history. A month's lines keep a copy of the item as
  it was when computed, so a later edit changes no table already drawn.
* ``MonthlyEvaluation``: the month's table, a declared procedure (declaration.py): a draft,
  reviewed by the bureau, then published and frozen with a numbered 通报.
* ``Line`` (one item for one department) and its ``Evidence`` (the deadlines, cards,
  complaints, decisions and ratings that produced it): appended per computation run, never
  changed.
* ``Objection`` → ``ObjectionDecision`` → ``Correction``: a department's objection marks the
  line "under objection" until the bureau decides (Hubei art. 14); a correction is appended
  beside the line, never written over it.
* ``Rating``: a complainant's satisfaction with the handling, once, after the result is
  published (Xinxiang performance art. 8 (九), art. 10 (三)).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from casework.audit.history import ActHistory, AddressedHistory


class Basis(models.TextChoices):
    """What an item counts (Xinxiang performance art. 8 (三)(九)(十))."""

    DEADLINES = "deadlines", _("到期事项的按期率（按期/超期）")
    DEADLINE_MET = "deadline_met", _("按期完成的期限")
    DEADLINE_MISSED = "deadline_missed", _("超期的期限")
    YELLOW_CARD = "yellow_card", _("黄牌警告")
    RED_CARD = "red_card", _("红牌警告")
    COMPLAINT_UPHELD = "complaint_upheld", _("查实的投诉")
    REPEAT_COMPLAINT = "repeat_complaint", _("重复投诉")
    ACCOUNTABILITY_DECISION = "accountability_decision", _("问责决定")
    # The feedback deadlines of supervision matters (docs/supervision.md) missed.
    SUPERVISION_LATE = "supervision_late", _("督查督办事项逾期")
    SATISFACTION = "satisfaction", _("投诉人满意度评价")


class Method(models.TextChoices):
    """Xinxiang performance art. 9: 评分、扣分和加分."""

    SCORE = "score", _("评分")
    DEDUCTION = "deduction", _("扣分")
    BONUS = "bonus", _("加分")


class ScoringItemManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class ScoringItem(models.Model):
    """One item of the scheme. A score gives ``points`` × the rate of its events (all of
    ``points`` when there is none); a deduction takes, and a bonus gives, ``points`` per event,
    at most ``cap``; the result is multiplied by ``weight``."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    basis = models.CharField(_("计分依据"), max_length=32, choices=Basis.choices)
    method = models.CharField(_("计分方式"), max_length=16, choices=Method.choices)
    points = models.DecimalField(
        _("分值"),
        max_digits=7,
        decimal_places=2,
        help_text=_("评分：满分；扣分、加分：每件分值"),
    )
    cap = models.DecimalField(
        _("上限"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("扣分、加分的合计上限；空：不设上限"),
    )
    weight = models.DecimalField(_("权重"), max_digits=5, decimal_places=2, default=Decimal("1"))
    article = models.CharField(_("条款"), max_length=64, blank=True)
    ordering = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("有效"), default=True)
    history = HistoricalRecords(bases=[AddressedHistory])

    objects = ScoringItemManager()

    class Meta:
        verbose_name = _("测评项目")
        verbose_name_plural = _("测评项目（评分细则）")
        ordering = ["ordering", "code"]

    def __str__(self):
        return f"{self.name}（{self.get_method_display()}）"

    def natural_key(self):
        return (self.code,)


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    REVIEWED = "reviewed", _("已审核")
    PUBLISHED = "published", _("已公布")


class MonthlyEvaluation(FSMModelMixin, models.Model):
    """The table of one month (Xinxiang performance art. 9: each month)."""

    month = models.DateField(_("测评月份"), unique=True, help_text=_("该月第一天"))
    state = FSMField(
        _("状态"), default=State.DRAFT, choices=State.choices, protected=True, db_index=True
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    last_act_on = models.DateField(_("最近办理日期"))
    # The lines of the current computation; earlier runs stay on the record.
    run = models.PositiveIntegerField(_("计算批次"), default=1)
    computed_at = models.DateTimeField(_("计算时间"))
    reviewed_on = models.DateField(_("审核日期"), null=True, blank=True)
    published_on = models.DateField(_("公布日期"), null=True, blank=True)
    objection_until = models.DateField(_("异议期届满"), null=True, blank=True)
    bulletin = models.OneToOneField(
        "documents.Document",
        verbose_name=_("通报"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(bases=[ActHistory])

    class Meta:
        verbose_name = _("月度绩效测评")
        verbose_name_plural = _("月度绩效测评")
        ordering = ["-month"]

    def __str__(self):
        return _("%(year)s年%(month)s月绩效测评") % {
            "year": self.month.year,
            "month": self.month.month,
        }

    def get_absolute_url(self):
        return reverse("evaluation:month", args=[self.key])

    @property
    def key(self) -> str:
        return self.month.strftime("%Y-%m")

    def current_lines(self):
        return self.lines.filter(run=self.run)

    # --- transitions: the steps of declaration.py; the kernel's pipeline performs them ------

    @transition(field=state, source=State.DRAFT, target=State.REVIEWED)
    def review(self):
        """The bureau has checked the draft table."""

    @transition(field=state, source=State.REVIEWED, target=State.DRAFT)
    def return_to_draft(self):
        """Sent back to be computed again."""

    @transition(field=state, source=State.REVIEWED, target=State.PUBLISHED)
    def publish(self):
        """Published with a numbered 通报 and frozen (Xinxiang performance art. 6, 12)."""


class AppendOnly(models.Model):
    """A row that is written once (the audit chain seals it; PostgreSQL refuses UPDATE and
    DELETE)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("append-only row")
        super().save(*args, **kwargs)


class Line(AppendOnly):
    """One item of the scheme for one department in one computation run; a copy of the item
    as it was then."""

    evaluation = models.ForeignKey(
        MonthlyEvaluation,
        verbose_name=_("月度测评"),
        on_delete=models.PROTECT,
        related_name="lines",
    )
    run = models.PositiveIntegerField(_("计算批次"))
    department = models.ForeignKey(
        "org.Department", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        ScoringItem, verbose_name=_("测评项目"), on_delete=models.PROTECT, related_name="+"
    )
    item_name = models.CharField(_("项目名称"), max_length=64)
    basis = models.CharField(_("计分依据"), max_length=32, choices=Basis.choices)
    method = models.CharField(_("计分方式"), max_length=16, choices=Method.choices)
    points = models.DecimalField(_("分值"), max_digits=7, decimal_places=2)
    cap = models.DecimalField(_("上限"), max_digits=7, decimal_places=2, null=True, blank=True)
    weight = models.DecimalField(_("权重"), max_digits=5, decimal_places=2)
    events = models.PositiveIntegerField(_("事项数"))
    amount = models.DecimalField(_("得分"), max_digits=8, decimal_places=2)
    ordering = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("测评明细")
        verbose_name_plural = _("测评明细")
        ordering = ["department__code", "ordering", "id"]
        indexes = [models.Index(fields=["evaluation", "run", "department"])]

    def __str__(self):
        return f"{self.department} {self.item_name} {self.amount}"


class Source(models.TextChoices):
    DEADLINE = "deadline", _("期限")
    WARNING = "warning", _("预警纠错记录")
    COMPLAINT = "complaint", _("投诉")
    DECISION = "decision", _("问责决定")
    RATING = "rating", _("满意度评价")


class Evidence(AppendOnly):
    """One event behind a line: which object (by kind and id), what it was, what it counted."""

    line = models.ForeignKey(
        Line, verbose_name=_("测评明细"), on_delete=models.PROTECT, related_name="evidence"
    )
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    source_id = models.PositiveBigIntegerField(_("来源编号"))
    on = models.DateField(_("日期"))
    label = models.CharField(_("事项"), max_length=255)
    value = models.DecimalField(_("计分值"), max_digits=4, decimal_places=2)

    class Meta:
        verbose_name = _("测评依据")
        verbose_name_plural = _("测评依据")
        ordering = ["on", "id"]

    def __str__(self):
        return self.label


class Objection(AppendOnly):
    """A department's objection to one line (Hubei art. 13–14: the line is marked until the
    bureau decides)."""

    line = models.ForeignKey(
        Line, verbose_name=_("测评明细"), on_delete=models.PROTECT, related_name="objections"
    )
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    lodged_on = models.DateField(_("提出日期"))
    reason = models.TextField(_("异议理由"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("测评异议")
        verbose_name_plural = _("测评异议")
        ordering = ["id"]

    def __str__(self):
        return f"{self.line} 异议"


class ObjectionDecision(AppendOnly):
    """The bureau's decision on an objection (Hubei art. 15)."""

    objection = models.OneToOneField(
        Objection, verbose_name=_("异议"), on_delete=models.PROTECT, related_name="decision"
    )
    upheld = models.BooleanField(_("异议成立"))
    reason = models.TextField(_("处理意见"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField(_("决定日期"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("异议处理决定")
        verbose_name_plural = _("异议处理决定")
        ordering = ["id"]

    def __str__(self):
        return f"{self.objection} {'成立' if self.upheld else '不成立'}"


class Correction(AppendOnly):
    """A corrected amount for a line, appended beside it (Hubei art. 15 (一))."""

    line = models.ForeignKey(
        Line, verbose_name=_("测评明细"), on_delete=models.PROTECT, related_name="corrections"
    )
    decision = models.OneToOneField(
        ObjectionDecision,
        verbose_name=_("异议处理决定"),
        on_delete=models.PROTECT,
        related_name="correction",
    )
    amount = models.DecimalField(_("更正后得分"), max_digits=8, decimal_places=2)
    reason = models.TextField(_("更正理由"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("更正人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_on = models.DateField(_("更正日期"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("测评更正")
        verbose_name_plural = _("测评更正")
        ordering = ["id"]

    def __str__(self):
        return f"{self.line} → {self.amount}"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    FAIRLY_SATISFIED = "fairly_satisfied", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


# What a rating counts towards a satisfaction score (ruling: 满意 1, 基本满意 0.5, 不满意 0).
SATISFACTION_VALUES = {
    Satisfaction.SATISFIED: Decimal("1"),
    Satisfaction.FAIRLY_SATISFIED: Decimal("0.5"),
    Satisfaction.DISSATISFIED: Decimal("0"),
}


class Rating(AppendOnly):
    """A complainant's rating of the handling of their complaint: once, after the result is
    published (Xinxiang performance art. 8 (九), art. 10 (三)). No identity is kept: the
    tracking code alone says it is theirs."""

    complaint = models.OneToOneField(
        "complaints.Complaint",
        verbose_name=_("投诉"),
        on_delete=models.PROTECT,
        related_name="rating",
    )
    # The department whose handling is rated: the organ it was transferred to, else the
    # department complained about.
    department = models.ForeignKey(
        "org.Department", verbose_name=_("被评价单位"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.CharField(_("评价"), max_length=20, choices=Satisfaction.choices)
    rated_on = models.DateField(_("评价日期"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("满意度评价")
        verbose_name_plural = _("满意度评价")
        ordering = ["-rated_on", "-id"]

    def __str__(self):
        return f"{self.complaint_id} {self.get_value_display()}"
