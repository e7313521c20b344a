"""Accountability of department heads (问责) — Nanchong measures, 2004.

Reference data of the measures: the grounds (Nanchong art. 4), the sources that may start a case
(Nanchong art. 5) and the modes of holding someone accountable (Nanchong art. 13). They are loaded
from fixtures/reference/*.json by ``manage.py load_reference`` and keyed by their ``code``, so a
second load updates the rows instead of adding new ones.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history import register as register_history
from simple_history.models import HistoricalRecords
from viewflow.workflow.models import Task

from casework.audit.history import ActHistory, AddressedHistory


class CodeManager(models.Manager):
    """Looks rows up by their stable code, so fixtures can omit the primary key."""

    def get_by_natural_key(self, code):
        return self.get(code=code)


class Ground(models.Model):
    """A circumstance in which a department head shall be held accountable (Nanchong art. 4)."""

    class Category(models.IntegerChoices):
        # Nanchong art. 4 (一)–(七)
        INEFFICIENCY = 1, _("效能低下，执行不力，政令不畅")
        IRRESPONSIBILITY = 2, _("责任意识淡薄，损害公共利益或相对人合法权益")
        RECKLESS_DECISION = 3, _("违反法定程序，盲目决策")
        UNLAWFUL_ADMINISTRATION = 4, _("不严格依法行政")
        COMMERCIAL_ACTIVITY = 5, _("在商务活动中损害政府形象或造成重大经济损失")
        IMPROPER_CONDUCT = 6, _("发表有损政府形象的言论或举止不端")
        OTHER = 7, _("市人民政府认为应当问责的其他情形")

    code = models.CharField(_("代码"), max_length=8, unique=True, help_text=_("如 4.1.1"))
    category = models.PositiveSmallIntegerField(_("类别"), choices=Category.choices)
    # Nanchong art. 4 (六) and (七) have no numbered items.
    item = models.PositiveSmallIntegerField(_("目"), null=True, blank=True)
    name = models.CharField(_("名称"), max_length=64)
    article = models.CharField(_("条款"), max_length=32, help_text=_("如 第四条第（一）项第1目"))
    ordering = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("有效"), default=True)

    objects = CodeManager()

    class Meta:
        verbose_name = _("问责情形")
        verbose_name_plural = _("问责情形")
        ordering = ["ordering", "code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    def natural_key(self):
        return (self.code,)


class Source(models.Model):
    """Who or what may lead the mayor to start a case (Nanchong art. 5)."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    article = models.CharField(_("条款"), max_length=32)
    ordering = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("有效"), default=True)

    objects = CodeManager()

    class Meta:
        verbose_name = _("问责来源")
        verbose_name_plural = _("问责来源")
        ordering = ["ordering", "code"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


class Mode(models.Model):
    """A mode of holding a head accountable (Nanchong art. 13); modes may be single or combined."""

    code = models.CharField(_("代码"), max_length=2, unique=True, help_text=_("第十三条的项序号"))
    name = models.CharField(_("名称"), max_length=64)
    # Nanchong art. 13 para. 2: suspension (6) and advice to resign (7) are filed with the organ
    # holding cadre-management authority.
    requires_filing = models.BooleanField(_("需报备案"), default=False)
    # Nanchong art. 13 (二): rectification within a time limit carries its own deadline.
    has_deadline = models.BooleanField(_("有整改期限"), default=False)
    article = models.CharField(_("条款"), max_length=32)
    ordering = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("有效"), default=True)

    objects = CodeManager()

    class Meta:
        verbose_name = _("问责方式")
        verbose_name_plural = _("问责方式")
        ordering = ["ordering", "code"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


# ---------------------------------------------------------------------------------------
# The case and its state machine (docs/accountability.md)
# ---------------------------------------------------------------------------------------


class State(models.TextChoices):
    PROPOSED = "proposed", _("已提出")
    INITIATED = "initiated", _("已启动")
    REPORT_ORDERED = "report_ordered", _("责成汇报")
    INVESTIGATING = "investigating", _("调查核实中")
    FINDINGS_NOTIFIED = "findings_notified", _("已告知调查结果")
    FINDINGS_CLOSED = "findings_closed", _("调查结果已确认")
    REPORT_SUBMITTED = "report_submitted", _("已提交调查报告")
    NOT_ACCOUNTABLE = "not_accountable", _("不予问责")
    AWAITING_MEETING = "awaiting_meeting", _("待提交常务会议")
    SCHEDULED = "scheduled", _("已列入会议议程")
    DELIBERATED = "deliberated", _("已经会议讨论")
    DECIDED = "decided", _("已作出问责决定")
    PROPOSAL_SENT = "proposal_sent", _("已发出问责建议")
    SERVED = "served", _("决定已送达")
    REVIEW_REQUESTED = "review_requested", _("已申请复核")
    UNDER_REVIEW = "under_review", _("复核中")
    REVIEW_REPORTED = "review_reported", _("已提交复核报告")
    FINAL = "final", _("决定已生效")
    CLOSED = "closed", _("已结案")


class CaseHistoryBase(ActHistory):
    """The case's history rows: the act's columns, and the delegation it was done under."""

    # Nanchong art. 6: an act of the mayor's done by a vice-mayor or the secretary-general
    # records the delegation it was done under.
    delegation = models.ForeignKey(
        "org.Delegation",
        verbose_name=_("受市长委托"),
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )

    class Meta:
        abstract = True


class AccountabilityCase(FSMModelMixin, models.Model):
    """An accountability inquiry against the administrative head of a department."""

    number = models.CharField(_("案件编号"), max_length=32, unique=True)
    official = models.ForeignKey(
        "org.Official", verbose_name=_("被问责人"), on_delete=models.PROTECT, related_name="cases"
    )
    # The department at registration (the official may move later).
    department = models.ForeignKey(
        "org.Department", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="cases"
    )
    # Nanchong art. 20: a case the head of a department brings, by reference to the measures,
    # against a deputy, a section chief or a staff member after the head's own case; the head
    # of the parent case decides it, not the mayor.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("原问责案件（第二十条）"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    grounds = models.ManyToManyField(Ground, verbose_name=_("问责情形"))
    source = models.ForeignKey(Source, verbose_name=_("来源"), on_delete=models.PROTECT)
    summary = models.TextField(_("案由摘要"))
    proposal_document = models.FileField(
        _("问责建议材料"), upload_to="accountability/proposals/%Y/", blank=True
    )
    proposal_original_location = models.CharField(_("原件存放处"), max_length=255, blank=True)
    state = FSMField(
        _("状态"), default=State.PROPOSED, choices=State.choices, protected=True, db_index=True
    )
    # Incremented by every transition: the If-Match version of the API (docs/api.md).
    version = models.PositiveIntegerField(_("版本"), default=1)
    # The day of the latest act: an act entered after the fact may not precede it.
    last_act_on = models.DateField(_("最近办理日期"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="registered_cases",
    )
    registered_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    # Facts recorded by the transitions
    report_notes = models.TextField(_("汇报情况"), blank=True)
    meeting_reason = models.TextField(_("提交会议理由"), blank=True)
    findings = models.TextField(_("调查结果"), blank=True)
    findings_served_on = models.DateField(_("调查结果送达日期"), null=True, blank=True)
    objection = models.TextField(_("异议"), blank=True)
    # The day the objection was handed in or posted (postmark): time in the post is not
    # counted.
    objection_filed_on = models.DateField(
        _("异议提出日期（邮寄以邮戳为准）"), null=True, blank=True
    )
    # Staff who entered an objection that arrived on paper, on the official's behalf.
    objection_entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("异议代为录入人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    investigation_report = models.TextField(_("调查报告"), blank=True)
    recommendation = models.CharField(_("问责建议"), max_length=20, blank=True)
    recommended_modes = models.ManyToManyField(
        Mode, verbose_name=_("建议问责方式"), blank=True, related_name="+"
    )
    no_accountability_reason = models.TextField(_("不予问责理由"), blank=True)
    meeting_date = models.DateField(_("常务会议日期"), null=True, blank=True)
    minutes = models.TextField(_("会议纪要"), blank=True)
    statement = models.TextField(_("陈述和申辩"), blank=True)
    proposal_organ = models.CharField(_("问责建议主送机关"), max_length=255, blank=True)
    execution_suspended = models.BooleanField(_("中止执行"), default=False)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)

    history = HistoricalRecords(bases=[CaseHistoryBase], excluded_fields=["registered_at"])

    class Meta:
        verbose_name = _("问责案件")
        verbose_name_plural = _("问责案件")
        ordering = ["-registered_at", "-id"]
        permissions = [("view_all_cases", _("查看全部问责案件"))]
        # The case list's order, read from the index instead of sorting every case.
        indexes = [models.Index(fields=["-registered_at", "-id"], name="case_list_order")]

    def __str__(self):
        return f"{self.number} {self.official.name}"

    def get_absolute_url(self):
        return reverse("accountability:case", args=[self.pk])

    @property
    def vertical(self) -> bool:
        return self.department.vertical

    @property
    def decision(self):
        """The decision in force: the latest one that no later decision supersedes, unless
        it was revoked (Nanchong art. 16 (三)). Read through ``decisions.all()``, so that a
        list that prefetched them asks nothing more."""
        decisions = list(self.decisions.all())
        superseded = {d.supersedes_id for d in decisions if d.supersedes_id is not None}
        current = [d for d in decisions if d.pk not in superseded]
        if not current:
            return None
        decision = max(current, key=lambda d: d.pk)
        return None if decision.status == Decision.Status.REVOKED else decision

    # --- transitions: the steps of declaration.py; the kernel's pipeline performs them ------

    @transition(field=state, source=State.PROPOSED, target=State.INITIATED)
    def start(self):
        """The mayor decides to start the accountability procedure (Nanchong art. 5)."""

    @transition(field=state, source=State.PROPOSED, target=State.CLOSED)
    def decline(self):
        """The mayor "may" start the procedure (Nanchong art. 5): he decides not to, with
        reasons, and the lead is closed."""

    @transition(field=state, source=State.INITIATED, target=State.REPORT_ORDERED)
    def order_report(self):
        """The head is ordered to report in person (Nanchong art. 6)."""

    @transition(field=state, source=State.REPORT_ORDERED, target=State.INITIATED)
    def report_heard(self):
        """The in-person report has been heard (Nanchong art. 6)."""

    @transition(
        field=state,
        source=[State.INITIATED, State.REPORT_SUBMITTED],
        target=State.AWAITING_MEETING,
    )
    def submit_to_meeting(self):
        """Facts clear: submit to the executive meeting (Nanchong art. 6); or pursue after the
        investigation report (Nanchong art. 11)."""

    @transition(field=state, source=State.INITIATED, target=State.INVESTIGATING)
    def assign_investigation(self):
        """The bureau is charged to investigate within a set period (Nanchong art. 6, 7, 9)."""

    @transition(field=state, source=State.INVESTIGATING, target=State.FINDINGS_NOTIFIED)
    def notify_findings(self):
        """Findings notified in writing, objections invited (Nanchong art. 8)."""

    @transition(
        field=state,
        source=[State.FINDINGS_NOTIFIED, State.FINDINGS_CLOSED],
        target=State.FINDINGS_CLOSED,
    )
    def file_objection(self):
        """The official objects to the findings (Nanchong art. 8); an objection posted within
        the period is admitted after the findings were closed too [rule: postmark]."""

    @transition(field=state, source=State.FINDINGS_NOTIFIED, target=State.FINDINGS_CLOSED)
    def accept_findings(self):
        """Asked whether he objects to the facts, the head declares he does not
        (Nanchong art. 8)."""

    @transition(field=state, source=State.FINDINGS_NOTIFIED, target=State.FINDINGS_CLOSED)
    def close_findings(self):
        """The objection period ended with none filed (Nanchong art. 8, [rule] 5 working days)."""

    @transition(field=state, source=State.FINDINGS_CLOSED, target=State.REPORT_SUBMITTED)
    def submit_report(self):
        """The bureau submits its report with a recommendation (Nanchong art. 9)."""

    @transition(field=state, source=State.REPORT_SUBMITTED, target=State.NOT_ACCOUNTABLE)
    def decide_no_accountability(self):
        """The mayor decides not to hold the head accountable (Nanchong art. 10)."""

    @transition(field=state, source=State.AWAITING_MEETING, target=State.SCHEDULED)
    def schedule(self):
        """Put on an executive meeting's agenda (Nanchong art. 11; Xi'an rules)."""

    @transition(field=state, source=State.SCHEDULED, target=State.DELIBERATED)
    def deliberate(self):
        """The meeting deliberated; the head may state and defend (Nanchong art. 11)."""

    @transition(
        field=state,
        source=[State.DELIBERATED, State.INITIATED, State.REPORT_SUBMITTED],
        target=State.DECIDED,
    )
    def decide(self):
        """The mayor decides the modes after the deliberation (Nanchong art. 12, 13); in a
        linked case the head decides after the report or the investigation (Nanchong
        Nanchong art. 20)."""

    @transition(field=state, source=State.DELIBERATED, target=State.PROPOSAL_SENT)
    def send_proposal(self):
        """Vertically managed department: a written proposal to its supervising organ
        (Nanchong art. 22)."""

    @transition(field=state, source=State.DECIDED, target=State.SERVED)
    def serve(self):
        """The bureau serves the decision with notice of the right to review (Nanchong art. 12)."""

    @transition(field=state, source=[State.SERVED, State.FINAL], target=State.REVIEW_REQUESTED)
    def request_review(self):
        """The head requests review within 10 working days of receipt (Nanchong art. 14); a
        request posted within them reopens a decision that became final meanwhile, and the
        mayor may admit a late one [rule]."""

    @transition(field=state, source=State.SERVED, target=State.FINAL)
    def waive_review(self):
        """The head declares he will not request review: the decision is final
        (Nanchong art. 14 gives the right; he may forgo it)."""

    @transition(field=state, source=State.SERVED, target=State.FINAL)
    def become_final(self):
        """No request within the review window: the decision is final (Nanchong art. 14)."""

    @transition(field=state, source=State.REVIEW_REQUESTED, target=State.FINAL)
    def refuse_review(self):
        """The mayor refuses the review, with reasons (Nanchong art. 14, 15)."""

    @transition(field=state, source=State.REVIEW_REQUESTED, target=State.UNDER_REVIEW)
    def accept_review(self):
        """The mayor accepts the review; execution may be suspended (Nanchong art. 15)."""

    @transition(field=state, source=State.UNDER_REVIEW, target=State.REVIEW_REPORTED)
    def submit_review_report(self):
        """The legal affairs office reports within 20 working days (Nanchong art. 15)."""

    @transition(field=state, source=State.REVIEW_REPORTED, target=State.FINAL)
    def review_decide(self):
        """Uphold, modify the modes, or revoke (Nanchong art. 16)."""

    @transition(
        field=state,
        source=[State.FINAL, State.NOT_ACCOUNTABLE, State.PROPOSAL_SENT],
        target=State.CLOSED,
    )
    def close(self):
        """Execution recorded and filings done: the case is closed."""


class Decision(models.Model):
    """An accountability decision (Nanchong art. 12–13). A modified decision (Nanchong art. 16) is a
    new record linked to the one it replaces; neither is ever edited."""

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("有效")
        SUPERSEDED = "superseded", _("已变更")
        REVOKED = "revoked", _("已撤销")

    case = models.ForeignKey(
        AccountabilityCase,
        verbose_name=_("案件"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    modes = models.ManyToManyField(Mode, verbose_name=_("问责方式"))
    reason = models.TextField(_("理由"))
    decided_on = models.DateField(_("决定日期"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("变更前的决定"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    status = models.CharField(
        _("效力"), max_length=16, choices=Status.choices, default=Status.IN_FORCE
    )
    received_on = models.DateField(_("收到日期"), null=True, blank=True)
    service_method = models.CharField(_("送达方式"), max_length=16, blank=True)
    # Electronic service: the day it was sent, and the moment the official first opened it
    # in casework, which is the receipt.
    sent_on = models.DateField(_("发送日期"), null=True, blank=True)
    opened_at = models.DateTimeField(_("首次查阅时间"), null=True, blank=True)
    document = models.OneToOneField(
        "documents.Document", verbose_name=_("决定书"), on_delete=models.PROTECT, null=True
    )
    history = HistoricalRecords(bases=[AddressedHistory])

    class Meta:
        verbose_name = _("问责决定")
        verbose_name_plural = _("问责决定")
        ordering = ["id"]

    def __str__(self):
        return f"{self.case.number} 决定（{self.decided_on}）"


class ReviewRequest(models.Model):
    """A request for review (Nanchong art. 14), recorded even when late ("untimely" is a recorded
    fact with an exemption path, not a silent refusal)."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("待决定")
        REFUSED = "refused", _("不予复核")
        ACCEPTED = "accepted", _("决定复核")
        # Refused as late with 422 and kept as an event: it blocks nothing; the mayor may
        # still admit it on legitimate grounds.
        LATE = "late", _("逾期未受理")

    class ReviewOutcome(models.TextChoices):
        UPHOLD = "uphold", _("维持原决定")
        MODIFY = "modify", _("变更问责方式")
        REVOKE = "revoke", _("撤销原决定")

    case = models.ForeignKey(
        AccountabilityCase,
        verbose_name=_("案件"),
        on_delete=models.CASCADE,
        related_name="review_requests",
    )
    decision = models.ForeignKey(
        Decision, verbose_name=_("被申请复核的决定"), on_delete=models.PROTECT, related_name="+"
    )
    grounds = models.TextField(_("申请理由"))
    filed_on = models.DateField(_("提出日期（邮寄以邮戳为准）"))
    window_due = models.DateField(_("复核申请期届满日"))
    late = models.BooleanField(_("逾期"), default=False)
    late_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("准予逾期申请"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    late_admission_reason = models.TextField(_("准予逾期申请的理由"), blank=True)
    # Staff who entered a request that arrived on paper, on the official's behalf.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代为录入人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(
        _("处理"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING
    )
    outcome_reason = models.TextField(_("处理理由"), blank=True)
    suspend_execution = models.BooleanField(_("中止执行"), default=False)
    report = models.TextField(_("复核报告"), blank=True)
    report_submitted_on = models.DateField(_("复核报告提交日期"), null=True, blank=True)
    review_outcome = models.CharField(
        _("复核结论"), max_length=16, choices=ReviewOutcome.choices, blank=True
    )
    review_reason = models.TextField(_("复核决定理由"), blank=True)
    history = HistoricalRecords(bases=[AddressedHistory])

    class Meta:
        verbose_name = _("复核申请")
        verbose_name_plural = _("复核申请")
        ordering = ["id"]

    def __str__(self):
        return f"{self.case.number} 复核申请（{self.filed_on}）"


class Referral(models.Model):
    """Nanchong art. 18: referral for a disciplinary sanction or to the judicial organs. The case
    continues."""

    class Kind(models.TextChoices):
        DISCIPLINARY = "disciplinary", _("移送行政处分")
        JUDICIAL = "judicial", _("移送司法机关")

    case = models.ForeignKey(
        AccountabilityCase,
        verbose_name=_("案件"),
        on_delete=models.CASCADE,
        related_name="referrals",
    )
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    organ = models.CharField(_("接收机关"), max_length=255)
    referred_on = models.DateField(_("移送日期"))
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords(bases=[AddressedHistory])

    class Meta:
        verbose_name = _("移送记录（第十八条）")
        verbose_name_plural = _("移送记录")

    def __str__(self):
        return f"{self.get_kind_display()}：{self.organ}"


class PriorSanction(models.Model):
    """Nanchong art. 19: a prior disciplinary sanction; recorded, and it does not block
    accountability."""

    case = models.ForeignKey(
        AccountabilityCase,
        verbose_name=_("案件"),
        on_delete=models.CASCADE,
        related_name="prior_sanctions",
    )
    sanction = models.CharField(_("处分"), max_length=64)
    imposed_by = models.CharField(_("作出机关"), max_length=255)
    imposed_on = models.DateField(_("处分日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords(bases=[AddressedHistory])

    class Meta:
        verbose_name = _("已受处分（第十九条）")
        verbose_name_plural = _("已受处分")

    def __str__(self):
        return f"{self.sanction}（{self.imposed_by}，{self.imposed_on}）"


class LinkedCase(models.Model):
    """Nanchong art. 20: after the head is held accountable, a case against a deputy, a section
    chief or staff, handled by the department."""

    parent = models.ForeignKey(
        AccountabilityCase,
        verbose_name=_("原问责案件"),
        on_delete=models.CASCADE,
        related_name="linked_cases",
    )
    person_name = models.CharField(_("姓名"), max_length=64)
    post = models.CharField(_("职务"), max_length=64)
    summary = models.TextField(_("情况"))
    handled_by = models.ForeignKey(
        "org.Department", verbose_name=_("承办部门"), on_delete=models.PROTECT, related_name="+"
    )
    opened_on = models.DateField(_("立案日期"))
    outcome = models.TextField(_("处理结果"), blank=True)
    # The case the head decides (Nanchong art. 20), when it was opened as one.
    case = models.OneToOneField(
        AccountabilityCase,
        verbose_name=_("关联问责案件"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="linked_record",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords(bases=[AddressedHistory])

    class Meta:
        verbose_name = _("关联问责（第二十条）")
        verbose_name_plural = _("关联问责")

    def __str__(self):
        return f"{self.person_name}（{self.post}）"


# viewflow's tasks carry history too: who claimed, executed or cancelled which step, and
# when. (The history table was created with this app; it stays here.)
if not hasattr(Task, "history"):
    register_history(
        Task,
        app="casework.accountability",
        table_name="accountability_historicaltask",
        bases=[AddressedHistory],
    )
