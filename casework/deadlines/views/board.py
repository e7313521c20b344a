"""The warning board (预警看板): every yellow and red card across departments, with the
counts per department, and its CSV and Excel exports."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from .. import queries
from ..forms import BoardFilters
from ..models import Level
from ..rules import sees_all_deadlines
from .common import PAGE_SIZE, WorkspacePage, query_without_page
from .exports import Column, csv_response, xlsx_response

EXPORT_COLUMNS = [
    Column("procedure", gettext_lazy("程序"), width=8),
    Column("kind", gettext_lazy("期限类别"), width=16),
    Column("unit", gettext_lazy("责任单位"), width=24),
    Column("due", gettext_lazy("届满日期"), width=12, is_date=True),
    Column("original_due", gettext_lazy("原届满日期"), width=12, is_date=True),
    Column("level", gettext_lazy("预警级别"), width=10),
    Column("overdue", gettext_lazy("逾期工作日"), width=10),
    Column("case_number", gettext_lazy("问责案件编号"), width=20),
    Column("complaint", gettext_lazy("投诉编号"), width=10),
]


def export_row(card) -> dict:
    """One card as exported: deadline facts only, never a complainant's identity
    (Xinxiang complaints art. 8) — the complaint appears by its number alone."""
    return {
        "procedure": str(queries.PROCEDURES.get(card.procedure, "")),
        "kind": str(card.get_kind_display()),
        "unit": card.responsible_unit.name if card.responsible_unit_id else "",
        "due": card.due,
        "original_due": card.original_due,
        "level": str(Level(card.level).label),
        "overdue": card.overdue_working_days,
        "case_number": card.case_number or "",
        "complaint": card.complaint_ref or "",
    }


class BoardView(WorkspacePage, TemplateView):
    """Every yellow and red card across departments, filterable by department, kind and
    procedure, with the counts per department; ``?format=csv`` or ``?format=xlsx`` exports
    the filtered cards."""

    template_name = "deadlines/board.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not sees_all_deadlines(request.user):
            raise PermissionDenied(_("预警看板仅供市监察局、市政府领导和市政府办公室查看。"))
        return super().dispatch(request, *args, **kwargs)

    def filters(self):
        form = BoardFilters(self.request.GET or None)
        chosen = {}
        if form.is_valid():
            data = form.cleaned_data
            chosen = {
                "unit": data["unit"].code if data["unit"] else None,
                "kind": data["kind"] or None,
                "procedure": data["procedure"] or None,
            }
        return form, chosen

    def cards(self, today, chosen):
        return (
            queries.cards(today, **chosen)
            .select_related(
                "responsible_unit",
                "responsible_user",
                "admonition_letter__document",
                "preliminary_investigation",
            )
            .order_by("-overdue_working_days", "due", "id")
        )

    def get(self, request, *args, **kwargs):
        export = request.GET.get("format")
        if export in ("csv", "xlsx"):
            today = timezone.localdate()
            _form, chosen = self.filters()
            rows = (
                export_row(card) for card in self.cards(today, chosen).iterator(chunk_size=2000)
            )
            filename = f"warning-board-{today.isoformat()}.{export}"
            if export == "csv":
                return csv_response(EXPORT_COLUMNS, rows, filename)
            return xlsx_response(
                EXPORT_COLUMNS,
                rows,
                filename,
                title=_("预警看板"),
                fills={
                    "level": {
                        str(Level.RED.label): "FFCDD2",
                        str(Level.YELLOW.label): "FFF59D",
                    }
                },
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        form, chosen = self.filters()
        page = Paginator(self.cards(today, chosen), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        rows = queries.annotate_days_left(page.object_list, today)
        per_unit = list(
            queries.cards(today, kind=chosen.get("kind"), procedure=chosen.get("procedure"))
            .values("responsible_unit__code", "responsible_unit__name")
            .annotate(
                red=Count("pk", filter=Q(level=Level.RED)),
                yellow=Count("pk", filter=Q(level=Level.YELLOW)),
            )
            .order_by("responsible_unit__code")
        )
        for unit in per_unit:
            unit["total"] = unit["red"] + unit["yellow"]
            link = {k: v for k, v in chosen.items() if v and k != "unit"}
            if unit["responsible_unit__code"]:
                link["unit"] = unit["responsible_unit__code"]
            unit["query"] = urlencode(link)
        totals = {
            "red": sum(u["red"] for u in per_unit),
            "yellow": sum(u["yellow"] for u in per_unit),
        }
        return super().get_context_data(
            filters=form,
            page=page,
            rows=rows,
            per_unit=per_unit,
            totals=totals,
            chosen_unit=chosen.get("unit"),
            query=query_without_page(self.request),
            today=today,
            red_colour=queries.LEVEL_COLOURS[Level.RED],
            yellow_colour=queries.LEVEL_COLOURS[Level.YELLOW],
            **kwargs,
        )
