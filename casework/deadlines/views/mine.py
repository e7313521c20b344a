"""我的期限, and "how was this computed" for one deadline."""

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.utils import timezone
from django.views.generic import TemplateView

from .. import extensions, queries
from ..models import RIGHT_KINDS, Extension
from ..rules import extension_rule, extension_rules
from .common import PAGE_SIZE, WorkspacePage, deadline_or_404, level_counts, query_without_page


class MyDeadlinesView(WorkspacePage, TemplateView):
    """The signed-in person's own open deadlines (named to them, or of their unit or role),
    coloured by level as of today."""

    template_name = "deadlines/mine.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        today = timezone.localdate()
        pending = Prefetch(
            "extensions",
            queryset=Extension.objects.filter(status=Extension.Status.PENDING),
            to_attr="pending_extensions",
        )
        mine = queries.my_open_deadlines(user, today)
        # A page at a time, in due-date order, read from the open deadlines' ranges by
        # person and by unit (deadline_open_user_due, deadline_open_unit_due).
        page = Paginator(mine.prefetch_related(pending), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        rows = queries.annotate_days_left(page.object_list, today)
        rules = extension_rules()
        for row in rows:
            row.can_extend = not row.pending_extensions and extensions.may_ask(
                user, row, rule=rules.get(row.kind), on=today
            )
        # The counts by level over every page, in one query (rights get no card).
        counts = dict(
            mine.exclude(kind__in=RIGHT_KINDS)
            .order_by()
            .values_list("level")
            .annotate(n=Count("pk"))
        )
        return super().get_context_data(
            rows=rows,
            page=page,
            query=query_without_page(self.request),
            levels=level_counts(counts),
            today=today,
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
