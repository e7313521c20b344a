"""Tables written as CSV (with a BOM, so that Excel reads the Chinese as UTF-8) or as an
Excel workbook (openpyxl), both from one list of columns keyed by field name: a row is a
dict, and no writer knows a column by its position."""

import csv
import datetime
import io
from dataclasses import dataclass

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    width: int = 12  # in Excel's character widths
    is_date: bool = False


def _attachment(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _as_text(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else value


def csv_response(columns, rows, filename):
    """``rows``: an iterable of dicts keyed by the columns' fields."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.DictWriter(buffer, fieldnames=[column.field for column in columns])
    writer.writerow({column.field: str(column.header) for column in columns})
    for row in rows:
        writer.writerow({column.field: _as_text(row[column.field]) for column in columns})
    return _attachment(buffer.getvalue(), "text/csv; charset=utf-8", filename)


def xlsx_response(columns, rows, filename, *, title, fills=None):
    """One sheet, a bold frozen header, dates as dates. ``fills`` colours a cell by its
    value: ``{field: {value: "RRGGBB"}}``."""
    fills = {
        field: {value: PatternFill("solid", fgColor=colour) for value, colour in by_value.items()}
        for field, by_value in (fills or {}).items()
    }
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(title)
    sheet.append([str(column.header) for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(["" if row[column.field] is None else row[column.field] for column in columns])
        for index, column in enumerate(columns, start=1):
            cell = sheet.cell(row=sheet.max_row, column=index)
            if column.is_date:
                cell.number_format = "yyyy-mm-dd"
            fill = fills.get(column.field, {}).get(cell.value)
            if fill is not None:
                cell.fill = fill
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = column.width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(buffer.getvalue(), XLSX_TYPE, filename)
