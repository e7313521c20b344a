"""Preliminary investigations (初步调查, Xinxiang warning art. 8): the list, the leader's
decision and the bureau's conclusion. Who may see and act, and the words of a refusal,
come from ``casework.deadlines.investigations``."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from casework.exceptions import ServiceError
from casework.kernel.views import next_work_url

from .. import investigations, queries
from ..forms import ConclusionForm, InvestigationDecisionForm
from ..models import Deadline, Level, PreliminaryInvestigation
from ..rules import may_conclude_investigation, may_decide_investigation
from .common import PAGE_SIZE, WorkspacePage, permitted, query_without_page


def _investigations(today):
    return PreliminaryInvestigation.objects.select_related(
        "unit", "approved_by", "accountability_case"
    ).prefetch_related(
        Prefetch(
            "deadline",
            queryset=Deadline.objects.with_level(today).select_related("case", "responsible_unit"),
        )
    )


class InvestigationListView(WorkspacePage, TemplateView):
    template_name = "deadlines/investigation_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        permitted(investigations.check_may_see, user)
        today = timezone.localdate()
        status = self.request.GET.get("status") or ""
        statuses = dict(PreliminaryInvestigation.Status.choices)
        listed = _investigations(today).order_by("-id")
        if status in statuses:
            listed = listed.filter(status=status)
        page = Paginator(listed, PAGE_SIZE).get_page(self.request.GET.get("page"))
        rows = list(page.object_list)
        for row in rows:
            row.colour = queries.LEVEL_COLOURS.get(row.deadline.level, "#9e9e9e")
            row.level_label = Level(row.deadline.level).label
        return super().get_context_data(
            page=page,
            rows=rows,
            status=status,
            statuses=PreliminaryInvestigation.Status.choices,
            can_decide=may_decide_investigation(user),
            can_conclude=may_conclude_investigation(user),
            query=query_without_page(self.request),
            **kwargs,
        )


class InvestigationActionView(WorkspacePage, FormView):
    """Shared by the decision (leader) and the conclusion (bureau)."""

    template_name = "deadlines/investigation_action.html"
    check = None  # the service's check of who may act
    title = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            permitted(investigations.check_may_see, request.user)
            self.investigation = get_object_or_404(
                _investigations(timezone.localdate()), pk=kwargs["pk"]
            )
            permitted(self.check, request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        investigation = self.investigation
        return super().get_context_data(
            investigation=investigation,
            deadline=investigation.deadline,
            colour=queries.LEVEL_COLOURS.get(investigation.deadline.level, "#9e9e9e"),
            level_label=Level(investigation.deadline.level).label,
            title=self.title,
            open_status=self.open_status(),
            **kwargs,
        )

    def open_status(self):
        raise NotImplementedError

    def act(self, data):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.act(form.cleaned_data)
        except ServiceError as error:
            form.add_service_error(error)
            return self.form_invalid(form)
        self.investigation.refresh_from_db()
        messages.success(
            self.request,
            _("初步调查：%(status)s。") % {"status": self.investigation.get_status_display()},
        )
        # On to the next piece of work, else back to the list.
        return HttpResponseRedirect(
            next_work_url(self.request.user) or reverse("deadlines:investigations")
        )


class InvestigationDecisionView(InvestigationActionView):
    form_class = InvestigationDecisionForm
    check = staticmethod(investigations.check_may_decide)
    title = gettext_lazy("审批初步调查")

    def open_status(self):
        return self.investigation.status == PreliminaryInvestigation.Status.PROPOSED

    def act(self, data):
        investigations.decide_investigation(
            self.investigation,
            self.request.user,
            approve=data["approve"],
            reason=data["reason"],
            ip=self.request.META.get("REMOTE_ADDR"),
        )


class InvestigationConclusionView(InvestigationActionView):
    form_class = ConclusionForm
    check = staticmethod(investigations.check_may_conclude)
    title = gettext_lazy("作出初步调查结论")

    def open_status(self):
        return self.investigation.status == PreliminaryInvestigation.Status.INVESTIGATING

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        # Xinxiang warning art. 8: only the head of the unit whose deadline was late.
        field = form.fields["official"]
        field.queryset = field.queryset.filter(department=self.investigation.unit)
        return form

    def act(self, data):
        investigations.conclude_investigation(
            self.investigation,
            self.request.user,
            open_case=data["open_case"],
            conclusion=data["conclusion"],
            official=data.get("official"),
            ip=self.request.META.get("REMOTE_ADDR"),
        )
