"""The published table as CSV and XLSX (openpyxl): one row per department and item, with the
amount as computed, the correction appended (if any) and the objection mark."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from .handlers import effective_amounts
from .models import Correction, Objection


def rows(evaluation, lines) -> list[list]:
    amounts = effective_amounts(evaluation)
    pending = set(
        Objection.objects.filter(line__in=lines, decision__isnull=True).values_list(
            "line_id", flat=True
        )
    )
    corrected = set(Correction.objects.filter(line__in=lines).values_list("line_id", flat=True))
    out = []
    for line in lines.select_related("department"):
        out.append(
            [
                evaluation.key,
                line.department.code,
                line.department.name,
                line.item_name,
                line.get_method_display(),
                line.events,
                str(line.amount),
                str(amounts[line.pk]) if line.pk in corrected else "",
                _("异议处理中") if line.pk in pending else "",
            ]
        )
    return out


def header() -> list[str]:
    return [
        _("月份"),
        _("部门代码"),
        _("部门"),
        _("测评项目"),
        _("计分方式"),
        _("事项数"),
        _("得分"),
        _("更正后得分"),
        _("标注"),
    ]


def as_csv(evaluation, lines) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header())
    writer.writerows(rows(evaluation, lines))
    # With a byte-order mark, so that spreadsheet programs read the Chinese correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(evaluation, lines) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = evaluation.key
    sheet.append(header())
    for row in rows(evaluation, lines):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
