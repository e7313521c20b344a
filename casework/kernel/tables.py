"""The lists of the workspace as tables (docs/search.md#lists): one list of columns per list,
from which the page draws its header (with the sort links) and the exports write theirs, so a
list exports exactly the columns it shows.

Tables are written as CSV (with a BOM, so that Excel reads the Chinese as UTF-8) or as an
Excel workbook (openpyxl), both from the same columns keyed by field name: a row is a dict,
and no writer knows a column by its position."""

import csv
import datetime
import io
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    width: int = 12  # in Excel's character widths
    is_date: bool = False
    # The ORM ordering that sorts the list by this column (None: not sortable).
    sort: str | None = None
    # A number, a date, a case number: a cell that must never wrap mid-token.
    nowrap: bool = False


def _attachment(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _as_text(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else value


def _as_cell(value):
    if value is None:
        return ""
    if isinstance(value, Promise):  # a lazy translation
        return str(value)
    return value


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
        sheet.append([_as_cell(row[column.field]) for column in columns])
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


EXPORT_FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Table:
    """A list's columns, its default sort (a column's field, "-" for descending) and how it
    sorts, exports and describes its header."""

    columns: tuple
    default_sort: str

    def sort_key(self, request) -> str:
        """The chosen sort (``?sort=field`` or ``?sort=-field``), if a sortable column, else
        the default."""
        wanted = request.GET.get("sort") or ""
        field = wanted.removeprefix("-")
        if any(column.field == field and column.sort for column in self.columns):
            return wanted
        return self.default_sort

    def order_by(self, request, *tie_breakers) -> list:
        key = self.sort_key(request)
        column = next(column for column in self.columns if column.field == key.removeprefix("-"))
        order = column.sort
        if key.startswith("-"):
            order = order[1:] if order.startswith("-") else "-" + order
        return [order, *tie_breakers]

    def header(self, request) -> list[dict]:
        """The header cells: label, the sort link's query string, aria-sort."""
        current = self.sort_key(request)
        query = request.GET.copy()
        query.pop("page", None)
        query.pop("format", None)
        cells = []
        for column in self.columns:
            cell = {"label": column.header, "field": column.field, "nowrap": column.nowrap}
            if column.sort:
                ascending = current != column.field
                query["sort"] = column.field if ascending else f"-{column.field}"
                cell["query"] = query.urlencode()
                if current.removeprefix("-") == column.field:
                    cell["aria_sort"] = "descending" if current.startswith("-") else "ascending"
            cells.append(cell)
        return cells

    def export_query(self, request, fmt) -> str:
        query = request.GET.copy()
        query.pop("page", None)
        query["format"] = fmt
        return query.urlencode()

    def export(self, request, rows, filename, title):
        """The response for ``?format=csv|xlsx``, or None when no export is asked."""
        fmt = request.GET.get("format")
        if fmt not in EXPORT_FORMATS:
            return None
        filename = f"{filename}.{fmt}"
        if fmt == "csv":
            return csv_response(self.columns, rows, filename)
        return xlsx_response(self.columns, rows, filename, title=title)
