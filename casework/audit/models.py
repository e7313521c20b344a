"""The tamper-evident record (CBRC art. 37, 49; Liupanshui art. 13): a hash chain over every
append-only row — every history row, every issued document and amendment, every view of a
complainant's identity or attachment. See ``chain.py``."""

import pgtrigger
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One row of an append-only table, sealed: the hash of its content and of the entry
    before it. Written in the same transaction as the row."""

    seq = models.PositiveBigIntegerField(_("序号"), primary_key=True)
    table_name = models.CharField(_("数据表"), max_length=128)
    row_id = models.CharField(_("记录主键"), max_length=64)
    # The columns hashed, as they were when the row was written: a column added later to the
    # table does not change what this entry proves.
    columns = models.TextField(_("字段"))
    content_hash = models.CharField(_("内容摘要"), max_length=64)
    previous_hash = models.CharField(_("前一条摘要"), max_length=64, unique=True)
    entry_hash = models.CharField(_("本条摘要"), max_length=64, unique=True)
    recorded_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("审计链记录")
        verbose_name_plural = _("审计链记录")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["table_name", "row_id"], name="audit_entry_row")]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self):
        return f"#{self.seq} {self.table_name}:{self.row_id}"


class AuditVerification(models.Model):
    """One run of ``verify_audit``: what it checked and what it found."""

    ran_at = models.DateTimeField(_("校验时间"), auto_now_add=True)
    ok = models.BooleanField(_("完整"))
    entries = models.PositiveBigIntegerField(_("审计链记录数"))
    rows = models.PositiveBigIntegerField(_("数据记录数"))
    problem_count = models.PositiveIntegerField(_("问题数"))
    problems = models.TextField(_("问题"), blank=True)
    head_seq = models.PositiveBigIntegerField(_("链头序号"), null=True, blank=True)
    head_hash = models.CharField(_("链头摘要"), max_length=64, blank=True)
    seconds = models.FloatField(_("用时（秒）"))

    class Meta:
        verbose_name = _("审计链校验")
        verbose_name_plural = _("审计链校验")
        ordering = ["-ran_at", "-id"]

    def __str__(self):
        return f"{self.ran_at:%Y-%m-%d %H:%M} {'✓' if self.ok else '✗'}"
