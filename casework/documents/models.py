"""Numbered documents (docs/accountability.md): immutable once issued; corrections are appended
amendments (CBRC e-banking assessment guideline art. 37)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.audit.history import AddressedHistory


class DocType(models.TextChoices):
    # value, label; the number prefix is in PREFIXES
    NOTICE_OF_START = "notice_of_start", _("启动问责通知书")
    REPORT_ORDER = "report_order", _("责成当面汇报通知书")
    INVESTIGATION_ASSIGNMENT = "investigation_assignment", _("调查核实交办书")
    FINDINGS_NOTICE = "findings_notice", _("调查结果告知书")
    NO_ACCOUNTABILITY_NOTICE = "no_accountability_notice", _("不予问责告知书")
    DECISION = "decision", _("问责决定书")
    REVIEW_REQUEST_DECISION = "review_request_decision", _("复核申请处理决定书")
    REVIEW_DECISION = "review_decision", _("复核决定书")
    ACCOUNTABILITY_PROPOSAL = "accountability_proposal", _("问责建议书")
    ADMONITION_LETTER = "admonition_letter", _("效能告诫书")
    # The executive meeting (casework/meetings): its agenda and its minutes.
    MEETING_AGENDA = "meeting_agenda", _("市政府常务会议议程")
    MEETING_MINUTES = "meeting_minutes", _("市政府常务会议纪要")
    # Xinxiang performance art. 12: the monthly results are reported in a 通报.
    EVALUATION_BULLETIN = "evaluation_bulletin", _("绩效测评结果通报")
    # The complaint procedure (casework/complaints). Xinxiang complaints art. 5, 6: the letter
    # transferring a complaint to the competent organ, with its reporting period.
    # Xinxiang complaints art. 8: the letter telling a real-name complainant the result.
    COMPLAINT_TRANSFER_LETTER = "complaint_transfer_letter", _("投诉转办函")
    COMPLAINT_FEEDBACK_LETTER = "complaint_feedback_letter", _("投诉处理结果反馈意见书")
    # Handan supervision measures, section 4: the assignment card, the supervision letter
    # and the notice of criticism of the city government's supervision office.
    SUPERVISION_CARD = "supervision_card", _("督查督办交办卡片")
    SUPERVISION_LETTER = "supervision_letter", _("督办函")
    SUPERVISION_CRITICISM = "supervision_criticism", _("督查通报批评")


PREFIXES = {
    "case": "南府问案",  # the case number itself (not a document)
    DocType.NOTICE_OF_START: "南府问启",
    DocType.REPORT_ORDER: "南府问汇",
    DocType.INVESTIGATION_ASSIGNMENT: "南府问调",
    DocType.FINDINGS_NOTICE: "南监问告",
    DocType.NO_ACCOUNTABILITY_NOTICE: "南监不问",
    DocType.DECISION: "南府问",
    DocType.REVIEW_REQUEST_DECISION: "南府复受",
    DocType.REVIEW_DECISION: "南府复",
    DocType.ACCOUNTABILITY_PROPOSAL: "南府问建",
    DocType.ADMONITION_LETTER: "南监效告",
    DocType.MEETING_AGENDA: "南府常议",
    DocType.MEETING_MINUTES: "南府常纪",
    DocType.EVALUATION_BULLETIN: "监绩通",
    DocType.COMPLAINT_TRANSFER_LETTER: "南监投转",
    DocType.COMPLAINT_FEEDBACK_LETTER: "南监投馈",
    DocType.SUPERVISION_CARD: "南府督交",
    DocType.SUPERVISION_LETTER: "南府督函",
    DocType.SUPERVISION_CRITICISM: "南府督通",
}


class DocumentCounter(models.Model):
    """The last number issued per type per year; locked while a number is taken."""

    doc_type = models.CharField(max_length=40, choices=DocType.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["doc_type", "year"], name="one_counter_per_type_year")
        ]

    def __str__(self):
        return f"{self.doc_type} {self.year}: {self.last}"


class ImmutableDocumentError(Exception):
    pass


class DocumentQuerySet(models.QuerySet):
    """Bulk writes would bypass ``Document.save``/``delete``: an issued document stays as it is."""

    def update(self, **kwargs):
        raise ImmutableDocumentError("文书一经签发不得修改，更正请追加补正记录。")

    def delete(self):
        raise ImmutableDocumentError("文书一经签发不得删除。")

    update.queryset_only = True
    delete.queryset_only = True


class Document(models.Model):
    case = models.ForeignKey(
        "accountability.AccountabilityCase",
        verbose_name=_("问责案件"),
        on_delete=models.PROTECT,
        related_name="documents",
        null=True,
        blank=True,
    )
    doc_type = models.CharField(_("文书类别"), max_length=40, choices=DocType.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    seq = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("文号"), max_length=64, unique=True)
    title = models.CharField(_("标题"), max_length=255)
    addressee = models.CharField(_("主送"), max_length=255, blank=True)
    body = models.TextField(_("正文"))
    issued_on = models.DateField(_("签发日期"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("签发人"), on_delete=models.PROTECT
    )
    original_location = models.CharField(
        _("原件存放处"),
        max_length=255,
        blank=True,
        help_text=_("系统记录不替代纸质原件（六盘水办法第十三条）"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords(bases=[AddressedHistory])

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("文书")
        verbose_name_plural = _("文书")
        ordering = ["issued_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["doc_type", "year", "seq"], name="one_number_per_type")
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ImmutableDocumentError("文书一经签发不得修改，更正请追加补正记录。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableDocumentError("文书一经签发不得删除。")


class Amendment(models.Model):
    """A correction appended to an issued document, shown beside the original."""

    document = models.ForeignKey(
        Document, verbose_name=_("原文书"), on_delete=models.PROTECT, related_name="amendments"
    )
    text = models.TextField(_("补正内容"))
    reason = models.TextField(_("补正理由"))
    basis = models.CharField(_("依据"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("补正人"), on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("补正时间"), auto_now_add=True)
    history = HistoricalRecords(bases=[AddressedHistory])

    class Meta:
        verbose_name = _("补正记录")
        verbose_name_plural = _("补正记录")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.document.number} 补正"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ImmutableDocumentError("补正记录不得修改。")
        super().save(*args, **kwargs)

    @property
    def ordinal(self) -> int:
        """The amendment's number among the document's amendments (补正第 n 号): the order in
        which they were appended, which never changes (they are append-only)."""
        return Amendment.objects.filter(document_id=self.document_id, pk__lte=self.pk).count()


class DocumentFile(models.Model):
    """The PDF of an issued document (GB/T 9704-2012, docs/documents.md), or of one of its
    amendments: rendered once, stored as it was rendered, never replaced. Its SHA-256 is part
    of the row, which the audit chain seals like the document itself."""

    document = models.ForeignKey(
        Document, verbose_name=_("文书"), on_delete=models.PROTECT, related_name="files"
    )
    amendment = models.OneToOneField(
        Amendment,
        verbose_name=_("补正记录"),
        on_delete=models.PROTECT,
        related_name="file",
        null=True,
        blank=True,
    )
    content = models.BinaryField(_("PDF 文件"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("字节数"))
    pages = models.PositiveSmallIntegerField(_("页数"))
    render_ms = models.PositiveIntegerField(_("生成耗时（毫秒）"))
    rendered_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("文书 PDF")
        verbose_name_plural = _("文书 PDF")
        ordering = ["document_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document"],
                condition=models.Q(amendment__isnull=True),
                name="one_pdf_per_document",
            )
        ]

    def __str__(self):
        return f"{self.document.number} PDF"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ImmutableDocumentError("文书 PDF 一经生成不得修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableDocumentError("文书 PDF 不得删除。")
