"""我的期限, and "how was this computed" for one deadline."""

from collections import Counter

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.generic import TemplateView

from casework.kernel.search import matches
from casework.kernel.tables import Column, Table

from .. import extensions, queries
from ..models import Extension, Level
from ..rules import extension_rule, extension_rules
from .common import PAGE_SIZE, WorkspacePage, deadline_or_404, level_counts, query_without_page

# My deadlines' columns: what the page shows and what its exports write.
MINE_TABLE = Table(
    columns=(
        Column("level", _l("预警"), width=10),
        Column("description", _l("事项"), width=36, sort="description"),
        Column("matter", _l("案件 / 投诉"), width=22, sort="case_number", nowrap=True),
        Column("due", _l("届满日期"), width=12, is_date=True, sort="due", nowrap=True),
        Column("days_left", _l("剩余 / 逾期"), width=12, sort="due", nowrap=True),
    ),
    default_sort="due",
)
MINE_SEARCH = ("description", "case__number", "responsible_unit__name")


def mine_row(row) -> dict:
    if row.case_number:
        matter = row.case_number
    elif row.complaint_ref:
        matter = _("投诉第%(pk)s号") % {"pk": row.complaint_ref}
    else:
        matter = ""
    if row.suspended_on:
        left = _("中止执行")
    elif row.working_days_left is None:
        left = ""
    elif row.working_days_left >= 0:
        left = _("剩余 %(n)s 个工作日") % {"n": row.working_days_left}
    else:
        left = _("逾期 %(n)s 个工作日") % {"n": row.overdue_working_days}
    return {
        "level": _("权利期限") if row.is_right else str(Level(row.level).label),
        "description": row.description,
        "matter": matter,
        "due": row.due,
        "days_left": left,
    }


class MyDeadlinesView(WorkspacePage, TemplateView):
    """The signed-in person's own open deadlines (named to them, or of their unit or role),
    coloured by level as of today."""

    template_name = "deadlines/mine.html"

    def deadlines(self, today):
        request = self.request
        listed = matches(
            queries.my_open_deadlines(request.user, today), MINE_SEARCH, request.GET.get("q")
        )
        return listed.order_by(*MINE_TABLE.order_by(request, "id"))

    def get(self, request, *args, **kwargs):
        today = timezone.localdate()
        if request.GET.get("format"):
            rows = queries.annotate_days_left(self.deadlines(today), today)
            export = MINE_TABLE.export(
                request, (mine_row(row) for row in rows), f"my-deadlines-{today}", _("我的期限")
            )
            if export is not None:
                return export
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        request = self.request
        user = request.user
        today = timezone.localdate()
        pending = Prefetch(
            "extensions",
            queryset=Extension.objects.filter(status=Extension.Status.PENDING),
            to_attr="pending_extensions",
        )
        listed = self.deadlines(today)
        page = Paginator(listed.prefetch_related(pending), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        rows = queries.annotate_days_left(page.object_list, today)
        rules = extension_rules()
        for row in rows:
            row.can_extend = not row.pending_extensions and extensions.may_ask(
                user, row, rule=rules.get(row.kind), on=today
            )
        counts = Counter(
            dict(
                listed.exclude(kind__in=list(queries.RIGHT_KINDS))
                .order_by()
                .values_list("level")
                .annotate(n=Count("pk"))
                .values_list("level", "n")
            )
        )
        return super().get_context_data(
            rows=rows,
            page=page,
            levels=level_counts(counts),
            today=today,
            q=request.GET.get("q", ""),
            query=query_without_page(request),
            head=MINE_TABLE.header(request),
            csv_query=MINE_TABLE.export_query(request, "csv"),
            xlsx_query=MINE_TABLE.export_query(request, "xlsx"),
            **kwargs,
        )


class ExplainView(WorkspacePage, TemplateView):
    """ "如何计算": every day of the period, counted or skipped and why; the overdue working
    days; the extension beside the original due date; the recorded changes."""

    template_name = "deadlines/explain.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        deadline = deadline_or_404(user, self.kwargs["pk"])
        today = timezone.localdate()
        data = queries.explain_deadline(deadline, today)
        history = list(
            deadline.history.select_related("history_user").order_by("history_date", "history_id")
        )
        return super().get_context_data(
            deadline=deadline,
            explanation=data,
            colour=queries.LEVEL_COLOURS[data["level"]],
            extensions=list(deadline.extensions.select_related("requested_by", "decided_by")),
            history=history,
            can_extend=extensions.may_ask(
                user, deadline, rule=extension_rule(deadline.kind), on=today
            ),
            today=today,
            **kwargs,
        )
