"""Deadlines: every period of every procedure is an object — what must happen, who must do
it, from which event, by when, with its extensions and its warning level."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.audit.history import AddressedHistory
from casework.workcalendar.models import CalendarDay
from casework.workcalendar.periods import level_boundaries, level_points, working_day_ordinal


class Level(models.TextChoices):
    """Warning levels (Xinxiang warning art. 5–8)."""

    DONE = "done", _("已完成")
    NORMAL = "normal", _("正常")
    PRE_WARNING = "pre_warning", _("预警提示")
    YELLOW = "yellow", _("黄牌")
    RED = "red", _("红牌")


class Kind(models.TextChoices):
    REPORT = "report", _("当面汇报")
    INVESTIGATION = "investigation", _("调查核实")
    OBJECTION = "objection", _("异议期")
    REVIEW_WINDOW = "review_window", _("申请复核期")
    REVIEW_REPORT = "review_report", _("复核报告")
    RECTIFICATION = "rectification", _("限期整改")
    FILING = "filing", _("备案")
    COMPLAINT_TRANSFER = "complaint_transfer", _("投诉转办")
    COMPLAINT_HANDLING = "complaint_handling", _("投诉办理")
    ORGAN_REPORT = "organ_report", _("承办机关报告")
    # Xinxiang complaints art. 5: an urgent matter calls for someone on site at once.
    ONSITE_RESPONSE = "onsite_response", _("紧急投诉现场处置")
    RECTIFICATION_REPORT = "rectification_report", _("书面报告整改情况")
    # An in-process item of another system, sent through the data interface (Quzhou plan,
    # task 3; Xinxiang warning art. 4 (三)): its promised time limit.
    INTERFACE_ITEM = "interface_item", _("在办事项承诺时限")
    # Handan supervision measures, section 4 (一)(1), (3): the lead unit's feedback on an
    # assigned matter by the due date of its assignment card.
    SUPERVISION_FEEDBACK = "supervision_feedback", _("督办事项办结反馈")


# Rights of the official are not duties: they have a clock but never a card.
RIGHT_KINDS = frozenset({Kind.OBJECTION, Kind.REVIEW_WINDOW})
# Execution of a decision: paused while a review suspends it (Nanchong art. 15).
EXECUTION_KINDS = frozenset({Kind.RECTIFICATION, Kind.FILING})


class PeriodRule(models.Model):
    """A period the law leaves open, fixed by a ruling that an administrator may change: a
    default of the procedure is data, not a constant in code."""

    key = models.SlugField(_("代码"), max_length=64, primary_key=True)
    name = models.CharField(_("名称"), max_length=128)
    working_days = models.PositiveIntegerField(_("工作日数"))
    basis = models.CharField(_("依据"), max_length=255, blank=True)
    history = HistoricalRecords(bases=[AddressedHistory])

    class Meta:
        verbose_name = _("期限规则")
        verbose_name_plural = _("期限规则")

    def __str__(self):
        return f"{self.name}：{self.working_days}个工作日"

    DEFAULTS = {
        "objection_period": (_("调查结果异议期"), 5, "南充办法第八条未规定期限；规则：5个工作日"),
        "report_default": (
            _("当面汇报期限（未指定时）"),
            5,
            "南充办法第六条未规定期限；规则：5个工作日",
        ),
        "rectification": (_("限期整改期限"), 20, "南充办法第十三条第（二）项；规则：20个工作日"),
        "filing": (
            _("停职反省、引咎辞职的备案期限"),
            10,
            "南充办法第十三条第二款；规则：10个工作日",
        ),
        "admonition_report": (
            _("效能告诫后书面报告整改情况的期限"),
            5,
            "新乡预警纠错办法第九条未规定期限；规则：5个工作日",
        ),
        "evaluation_objection": (
            _("部门对月度绩效测评结果提出异议的期限"),
            5,
            "新乡绩效测评办法第十二条未规定异议期；规则：公布后5个工作日",
        ),
    }

    @classmethod
    def days(cls, key: str) -> int:
        rule = cls.objects.filter(key=key).first()
        if rule is not None:
            return rule.working_days
        return cls.DEFAULTS[key][1]

    @classmethod
    def ensure_defaults(cls):
        for key, (name, days, basis) in cls.DEFAULTS.items():
            cls.objects.get_or_create(
                key=key, defaults={"name": str(name), "working_days": days, "basis": basis}
            )


class ExtensionRuleManager(models.Manager):
    """Looks rules up by the kind of deadline, so the reference fixture can omit the
    primary key and a second load updates instead of adding."""

    def get_by_natural_key(self, kind):
        return self.get(kind=kind)


class ExtensionRule(models.Model):
    """How far a deadline of one kind may be extended in total, and who approves: reference
    data that an administrator edits, with history. A kind without a rule cannot be
    extended (the rights of the official, the objection period and the review window, never
    have one)."""

    class Approver(models.TextChoices):
        MAYOR = "mayor", _("市长（含受委托的副市长、秘书长）")
        COMPLAINTS_HEAD = "complaints_head", _("效能投诉中心负责人")
        SUPERVISION_LEADER = "supervision_leader", _("监察局分管领导")
        # Handan supervision measures, section 4 (一)(3): the leader of the assigning side,
        # who approved the matter's registration (the procedure names them per deadline).
        ASSIGNING_LEADER = "assigning_leader", _("交办部门领导（审定立项的领导）")

    kind = models.CharField(_("期限类别"), max_length=32, choices=Kind.choices, unique=True)
    cap_working_days = models.PositiveIntegerField(
        _("延期合计上限（工作日）"),
        help_text=_("自原届满日期起算，同一期限各次延期合计不得超过的工作日数。"),
    )
    approver = models.CharField(_("审批人"), max_length=32, choices=Approver.choices)
    basis = models.CharField(_("依据"), max_length=255)
    history = HistoricalRecords(bases=[AddressedHistory])

    objects = ExtensionRuleManager()

    class Meta:
        verbose_name = _("延期规则")
        verbose_name_plural = _("延期规则")
        ordering = ["kind"]

    def __str__(self):
        return _("%(kind)s：合计不超过%(days)s个工作日，%(approver)s审批") % {
            "kind": self.get_kind_display(),
            "days": self.cap_working_days,
            "approver": self.get_approver_display(),
        }

    def natural_key(self):
        return (self.kind,)

    def clean(self):
        if self.kind in RIGHT_KINDS:
            raise ValidationError(
                {"kind": _("异议期、申请复核期是当事人的权利，不是职责，不能设定延期。")}
            )


# Kinds that never get a card, as stored (the partial indexes below name them literally).
_RIGHT_KIND_VALUES = sorted(str(kind) for kind in RIGHT_KINDS)
# An open duty that may get a card: the condition of the partial indexes.
_CARDABLE = Q(done_at__isnull=True, cancelled_at__isnull=True, suspended_on__isnull=True) & ~Q(
    kind__in=_RIGHT_KIND_VALUES
)


class DeadlineQuerySet(models.QuerySet):
    # Card levels in the order of their due dates, earliest first.
    BY_DUE = [Level.RED, Level.YELLOW, Level.PRE_WARNING]

    def open(self):
        return self.filter(done_at__isnull=True, cancelled_at__isnull=True)

    def with_level(self, as_of: datetime.date):
        """Annotate ``level`` as of ``as_of`` in SQL from the calendar's working-day ordinal
        (``CalendarDay.ordinal``): no loop over days.

        For an open duty due on D, as of X (Xinxiang warning art. 5–8): red when
        ord(X) − ord(D) > 2; yellow when X > D; pre-warning when ord(X) ≥ ord(D) − 1 (X is
        on or after the working day before D); else normal. The ordinals are turned into
        two boundary dates once per query (``periods.level_boundaries``), so the level is a
        comparison of ``due`` with constants; ``overdue_working_days`` still reads the due
        date's ordinal, and only where it is selected.
        """
        x, red_before, pre_before = level_points(as_of)
        due_ordinal = Subquery(
            CalendarDay.objects.filter(date=OuterRef("due")).values("ordinal")[:1]
        )
        return self.annotate(due_ordinal=due_ordinal).annotate(
            level=Case(
                When(
                    Q(done_at__isnull=False) | Q(cancelled_at__isnull=False), then=Value(Level.DONE)
                ),
                When(kind__in=_RIGHT_KIND_VALUES, then=Value(Level.NORMAL)),
                When(suspended_on__isnull=False, then=Value(Level.NORMAL)),
                When(due__lt=red_before, then=Value(Level.RED)),
                When(due__lt=as_of, then=Value(Level.YELLOW)),
                When(due__lt=pre_before, then=Value(Level.PRE_WARNING)),
                default=Value(Level.NORMAL),
                output_field=models.CharField(),
            ),
            overdue_working_days=Case(
                When(due__lt=as_of, then=Value(x) - F("due_ordinal")),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )

    def at_level(self, as_of: datetime.date, *levels):
        """Open duties (no rights, not suspended) at one of ``levels`` as of ``as_of``.

        The levels must be adjacent in due-date order (red, yellow, pre-warning), so that the
        selection is one range of ``due`` that the partial index ``deadline_open_duty_due``
        serves. Same answer as ``with_level(as_of).filter(level__in=levels)``.
        """
        red_before, pre_before = level_boundaries(as_of)
        edges = [None, red_before, as_of, pre_before]  # level i: edges[i] <= due < edges[i+1]
        picked = sorted(self.BY_DUE.index(level) for level in levels)
        if not picked or picked != list(range(picked[0], picked[-1] + 1)):
            raise ValueError("at_level takes adjacent card levels")
        low, high = edges[picked[0]], edges[picked[-1] + 1]
        duties = self.filter(_CARDABLE, due__lt=high)
        return duties if low is None else duties.filter(due__gte=low)


def moved_note(as_set: datetime.date, due: datetime.date) -> str:
    """What a page, the API and the history say of a due date moved off a rest day (顺延,
    Xinxiang warning art. 16)."""
    return _("%(as_set)s 为休息日，顺延至 %(due)s") % {
        "as_set": as_set.isoformat(),
        "due": due.isoformat(),
    }


class Deadline(models.Model):
    """What must happen, who must do it, from which event, by when."""

    case = models.ForeignKey(
        "accountability.AccountabilityCase",
        verbose_name=_("问责案件"),
        on_delete=models.CASCADE,
        related_name="deadlines",
        null=True,
        blank=True,
    )
    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("投诉"),
        on_delete=models.CASCADE,
        related_name="deadlines",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("类别"), max_length=32, choices=Kind.choices)
    description = models.CharField(_("事项"), max_length=255)
    responsible_unit = models.ForeignKey(
        "org.Department",
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deadlines",
    )
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deadlines",
    )
    start_date = models.DateField(_("起算事件日期"))
    working_days = models.PositiveIntegerField(_("期间（工作日）"), null=True, blank=True)
    due = models.DateField(_("届满日期"), db_index=True)
    # The due date before any extension, kept and shown beside the new one.
    original_due = models.DateField(_("原届满日期"), null=True, blank=True)
    # The date a person set when it fell on a rest day and ``due`` was moved to the next
    # working day (顺延, Xinxiang warning art. 16); empty otherwise.
    due_as_set = models.DateField(_("所定日期（休息日，已顺延）"), null=True, blank=True)
    provisional = models.BooleanField(_("暂定"), default=False)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    suspended_on = models.DateField(_("中止执行日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # The highest level already carded for the current due date ("" for none): a hint that
    # keeps the scan's reads small (bench/README.md); the WarningEvent unique constraint
    # stays the arbiter. Derived, so not in the history; reset whenever ``due`` changes.
    warned = models.CharField(
        _("已预警级别"), max_length=16, choices=Level.choices, blank=True, default=""
    )
    history = HistoricalRecords(bases=[AddressedHistory], excluded_fields=["warned"])

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = _("期限")
        verbose_name_plural = _("期限")
        ordering = ["due", "id"]
        indexes = [
            models.Index(
                fields=["due"],
                name="deadline_open_due",
                condition=Q(done_at__isnull=True, cancelled_at__isnull=True),
            ),
            # The cards of a level are one range of due dates (DeadlineQuerySet.at_level).
            models.Index(fields=["due"], name="deadline_open_duty_due", condition=_CARDABLE),
            # What the scan may still have to card: not yet red.
            models.Index(
                fields=["due"],
                name="deadline_to_warn",
                condition=_CARDABLE & ~Q(warned="red"),
            ),
            # "My deadlines": a person's own open deadlines, or their unit's, by due date.
            models.Index(
                fields=["responsible_user", "due"],
                name="deadline_open_user_due",
                condition=Q(done_at__isnull=True, cancelled_at__isnull=True),
            ),
            models.Index(
                fields=["responsible_unit", "due"],
                name="deadline_open_unit_due",
                condition=Q(done_at__isnull=True, cancelled_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.due}"

    def save(self, *args, **kwargs):
        # A new due date (extension, recalculation, resumption) warns again.
        loaded = getattr(self, "_loaded_due", None)
        if loaded is not None and self.due != loaded and self.warned:
            self.warned = ""
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "warned"}
        super().save(*args, **kwargs)
        self._loaded_due = self.due

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_due = instance.__dict__.get("due")
        return instance

    @property
    def due_note(self) -> str:
        """ "2027-02-28 为休息日，顺延至 2027-03-01" when the date set was moved, else ""."""
        if self.due_as_set is None:
            return ""
        return str(moved_note(self.due_as_set, self.due))

    @property
    def is_right(self) -> bool:
        return self.kind in RIGHT_KINDS

    @property
    def is_open(self) -> bool:
        return self.done_at is None and self.cancelled_at is None

    def level_as_of(self, as_of: datetime.date) -> str:
        """The same rule as ``DeadlineQuerySet.with_level``, for one object in Python."""
        if not self.is_open:
            return Level.DONE
        if self.is_right or self.suspended_on is not None:
            return Level.NORMAL
        x, d = working_day_ordinal(as_of), working_day_ordinal(self.due)
        if x - d > 2:
            return Level.RED
        if as_of > self.due:
            return Level.YELLOW
        if x >= d - 1:
            return Level.PRE_WARNING
        return Level.NORMAL


class Extension(models.Model):
    """A request to extend a deadline: asked before it falls due, with reasons, decided by the
    approver the procedure names (Xinxiang complaints art. 5–6)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("不予批准")

    deadline = models.ForeignKey(
        Deadline, verbose_name=_("期限"), on_delete=models.CASCADE, related_name="extensions"
    )
    reason = models.TextField(_("延期理由"))
    new_due = models.DateField(_("申请延至"))
    # The date asked for when it fell on a rest day and ``new_due`` is the next working day
    # (顺延, Xinxiang warning art. 16); empty otherwise.
    new_due_as_asked = models.DateField(_("申请的日期（休息日，已顺延）"), null=True, blank=True)
    requested_on = models.DateField(_("申请日期"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("审批结果"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_on = models.DateField(_("审批日期"), null=True, blank=True)
    decision_reason = models.TextField(_("审批意见"), blank=True)
    history = HistoricalRecords(bases=[AddressedHistory])

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["id"]

    def __str__(self):
        return f"{self.deadline} → {self.new_due}（{self.get_status_display()}）"

    @property
    def new_due_note(self) -> str:
        """ "… 为休息日，顺延至 …" when the date asked for was moved, else ""."""
        if self.new_due_as_asked is None:
            return ""
        return str(moved_note(self.new_due_as_asked, self.new_due))


# ---------------------------------------------------------------------------------------
# Early warning and correction (预警纠错, Xinxiang warning art. 5–9)
# ---------------------------------------------------------------------------------------


class WarningEvent(models.Model):
    """That the scan acted on ``deadline`` reaching ``level``: exactly once per pair, however
    often and on however many machines the scan runs (the unique constraint decides)."""

    deadline = models.ForeignKey(
        Deadline, verbose_name=_("期限"), on_delete=models.CASCADE, related_name="warning_events"
    )
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices)
    as_of = models.DateField(_("扫描日期"))
    due = models.DateField(_("当时的届满日期"))
    created_at = models.DateTimeField(_("发出时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("预警纠错记录")
        verbose_name_plural = _("预警纠错记录")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Per due date: an extended deadline that becomes late again warns again.
            models.UniqueConstraint(
                fields=["deadline", "level", "due"], name="one_warning_per_level"
            )
        ]

    def __str__(self):
        return f"{self.deadline} {self.get_level_display()}"


class Notification(models.Model):
    """A message to a person: in-app (the bell) and by e-mail when they have an address."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    title = models.CharField(_("标题"), max_length=255)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=255, blank=True)
    deadline = models.ForeignKey(
        Deadline,
        verbose_name=_("期限"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    emailed = models.BooleanField(_("已发邮件"), default=False)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.title


class AdmonitionLetter(models.Model):
    """效能告诫书 (Xinxiang warning art. 7): issued to the responsible unit on a yellow card; the
    unit reports its rectification in writing by a deadline (Xinxiang warning art. 9)."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("已发出，待书面报告整改情况")
        REPORTED = "reported", _("已报告整改情况")

    deadline = models.OneToOneField(
        Deadline,
        verbose_name=_("超期事项"),
        on_delete=models.PROTECT,
        related_name="admonition_letter",
    )
    unit = models.ForeignKey(
        "org.Department",
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    document = models.OneToOneField(
        "documents.Document", verbose_name=_("告诫书"), on_delete=models.PROTECT, related_name="+"
    )
    report_deadline = models.OneToOneField(
        Deadline,
        verbose_name=_("书面报告整改期限"),
        on_delete=models.PROTECT,
        related_name="admonition_report_for",
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.ISSUED
    )
    report = models.TextField(_("整改情况报告"), blank=True)
    reported_on = models.DateField(_("报告日期"), null=True, blank=True)
    history = HistoricalRecords(bases=[AddressedHistory])

    class Meta:
        verbose_name = _("效能告诫书")
        verbose_name_plural = _("效能告诫书")
        ordering = ["-id"]

    def __str__(self):
        return self.document.number


class PreliminaryInvestigation(models.Model):
    """Xinxiang warning art. 8: on a red card, with the supervision leader's approval, a preliminary
    investigation whose conclusion is "close after initial check" or "open a case"."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待分管领导审批")
        DISMISSED = "dismissed", _("不予调查")
        INVESTIGATING = "investigating", _("初步调查中")
        CLOSED = "closed", _("初核了结")
        CASE_OPENED = "case_opened", _("立案调查")

    deadline = models.OneToOneField(
        Deadline,
        verbose_name=_("超期事项"),
        on_delete=models.PROTECT,
        related_name="preliminary_investigation",
    )
    unit = models.ForeignKey(
        "org.Department",
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_on = models.DateField(_("提出日期"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_on = models.DateField(_("审批日期"), null=True, blank=True)
    decision_reason = models.TextField(_("审批意见"), blank=True)
    conclusion = models.TextField(_("调查结论"), blank=True)
    concluded_on = models.DateField(_("结论日期"), null=True, blank=True)
    accountability_case = models.ForeignKey(
        "accountability.AccountabilityCase",
        verbose_name=_("立案的问责案件"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(bases=[AddressedHistory])

    class Meta:
        verbose_name = _("初步调查")
        verbose_name_plural = _("初步调查")
        ordering = ["-id"]

    def __str__(self):
        return f"{self.deadline} {self.get_status_display()}"
