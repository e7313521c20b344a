"""Web pages of the accountability procedure: the case list, the case page, registering a
case, the screen that takes a step and the printable documents. They read; the only writes
go through services.py and the kernel's pipeline.

Every page asks for a fixed number of queries, whatever the number of cases, history rows,
deadlines or documents (prefetches and SQL annotations, no per-row lookups).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Subquery
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.generic import FormView, TemplateView

from casework.deadlines.queries import annotate_days_left, duties
from casework.documents.models import Amendment
from casework.exceptions import ServiceError
from casework.kernel import entrypoints
from casework.kernel.tables import Column, Table
from casework.kernel.views import ActScreen, WorkspacePage

from . import rules, search, services
from .declaration import ACCOUNTABILITY
from .forms import CaseFilters, RegisterCaseForm, act_form
from .models import AccountabilityCase, State

PAGE_SIZE = 50

# The case list's columns: what the page shows and what its exports write.
CASE_TABLE = Table(
    columns=(
        Column("number", _l("案件编号"), width=22, sort="number", nowrap=True),
        Column("official", _l("被问责人"), width=12, sort="official__name"),
        Column("department", _l("部门"), width=20, sort="department__name"),
        Column("state", _l("状态"), width=16, sort="state"),
        Column("task", _l("当前环节"), width=20),
        Column("next_due", _l("最近期限"), width=12, is_date=True, sort="next_due", nowrap=True),
        Column(
            "registered_at",
            _l("登记时间"),
            width=12,
            is_date=True,
            sort="registered_at",
            nowrap=True,
        ),
    ),
    default_sort="-registered_at",
)


def case_row(case) -> dict:
    """One case as its row is exported (and shown)."""
    task = str(case.task_ref.task_title) if case.task_ref else ""
    return {
        "number": case.number,
        "official": case.official.name,
        "department": case.department.name,
        "state": str(case.get_state_display()),
        "task": f"{task}（{case.task_owner}）" if task and case.task_owner else task,
        "next_due": case.next_due,
        "registered_at": timezone.localtime(case.registered_at).date(),
    }


def case_panel(case) -> dict:
    """The case beside a form or on its page: grounds, deadlines, documents, decisions,
    review requests, side records and the history, oldest first."""
    today = timezone.localdate()
    deadlines = annotate_days_left(
        case.deadlines.with_level(today)
        .select_related("responsible_unit", "responsible_user")
        .order_by("due", "id"),
        today,
    )
    history = list(
        case.history.select_related("history_user").order_by("history_date", "history_id")
    )
    states = dict(State.choices)
    for row in history:
        row.action_label = (
            ACCOUNTABILITY.label(row.action)
            if row.action
            else {"+": _("登记"), "~": _("修改"), "-": _("删除")}[row.history_type]
        )
        row.state_label = states.get(row.state, row.state)
        row.from_state_label = states.get(row.from_state, row.from_state)
    return {
        "grounds": list(case.grounds.all()),
        # The modes the bureau recommends, by name (Nanchong art. 9, 13).
        "recommended_modes": list(case.recommended_modes.order_by("ordering", "code")),
        "deadlines": deadlines,
        "documents": list(
            case.documents.select_related("issued_by")
            .prefetch_related(Prefetch("amendments", queryset=Amendment.objects.order_by("id")))
            .order_by("issued_on", "id")
        ),
        "decisions": list(
            case.decisions.select_related("document", "decided_by")
            .prefetch_related("modes")
            .order_by("id")
        ),
        "review_requests": list(
            case.review_requests.select_related("entered_by", "late_accepted_by").order_by("id")
        ),
        "referrals": list(case.referrals.order_by("referred_on", "id")),
        "prior_sanctions": list(case.prior_sanctions.order_by("imposed_on", "id")),
        "linked_cases": list(case.linked_cases.select_related("handled_by", "case").order_by("id")),
        "history": history,
        "today": today,
    }


class CaseListView(WorkspacePage, TemplateView):
    """Cases this person may see (rules.visible_cases), filtered by state, department,
    official, overdue and words (search.py), sorted by any sortable column, exported as CSV
    or Excel with the columns shown (``?format=csv|xlsx``)."""

    template_name = "accountability/case_list.html"

    def get(self, request, *args, **kwargs):
        export = CASE_TABLE.export(
            request,
            (case_row(case) for case in self.cases().iterator(chunk_size=2000)),
            f"cases-{timezone.localdate().isoformat()}",
            _("问责案件"),
        )
        return export or super().get(request, *args, **kwargs)

    def cases(self):
        """The visible cases, filtered and sorted as asked."""
        request = self.request
        today = timezone.localdate()
        filters = self.filters = CaseFilters(request.GET or None)
        cases = entrypoints.call(
            "workflows.annotate_open_task",
            ACCOUNTABILITY,
            rules.visible_cases(
                request.user,
                AccountabilityCase.objects.select_related("official", "department"),
            ).annotate(
                overdue=Exists(duties().filter(case=OuterRef("pk"), due__lt=today)),
                next_due=Subquery(
                    duties().filter(case=OuterRef("pk")).order_by("due").values("due")[:1]
                ),
            ),
        )
        if filters.is_valid():
            data = filters.cleaned_data
            if data["state"]:
                cases = cases.filter(state=data["state"])
            if data["department"]:
                cases = cases.filter(department=data["department"])
            if data["official"]:
                cases = cases.filter(official=data["official"])
            if data["overdue"]:
                cases = cases.filter(overdue=True)
            if data["q"]:
                cases = search.search(request.user, data["q"], cases)
        return cases.order_by(*CASE_TABLE.order_by(request, "-id"))

    def get_context_data(self, **kwargs):
        request = self.request
        staff = rules.is_staff(request.user)
        page = Paginator(self.cases(), PAGE_SIZE).get_page(request.GET.get("page"))
        filters = self.filters
        for case in page:
            case.task_title = case.task_ref.task_title if case.task_ref else ""
        query = request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filters=filters,
            page=page,
            cases=page.object_list,
            query=query.urlencode(),
            show_filters=staff,
            can_register=rules.can_register(request.user),
            head=CASE_TABLE.header(request),
            csv_query=CASE_TABLE.export_query(request, "csv"),
            xlsx_query=CASE_TABLE.export_query(request, "xlsx"),
            **kwargs,
        )


class CaseDetailView(WorkspacePage, TemplateView):
    template_name = "accountability/case_detail.html"

    def get_context_data(self, **kwargs):
        queryset = rules.visible_cases(
            self.request.user,
            AccountabilityCase.objects.select_related(
                "official__user",
                "department",
                "source",
                "registered_by",
                "parent",
                "objection_entered_by",
            ),
        )
        case = get_object_or_404(queryset, pk=self.kwargs["pk"])
        # Electronic service: the official's first opening is the receipt (recorded).
        if services.open_served_decision(
            case, self.request.user, ip=self.request.META.get("REMOTE_ADDR")
        ):
            case = queryset.get(pk=case.pk)
        return super().get_context_data(
            case=case,
            **case_panel(case),
            **entrypoints.call("workflows.task_summary", ACCOUNTABILITY, case, self.request.user),
            **kwargs,
        )


class RegisterCaseView(WorkspacePage, FormView):
    """Register a case (Nanchong art. 5): the secretariat or the mayor; anyone else is refused."""

    template_name = "accountability/register.html"
    form_class = RegisterCaseForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not rules.can_register(request.user):
            raise PermissionDenied(_("只有市政府办公室或市长可以登记问责案件。"))
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            case = services.register_case(
                self.request.user,
                form.payload(),
                proposal_document=form.cleaned_data.get("proposal_document"),
                ip=self.request.META.get("REMOTE_ADDR"),
            )
        except ServiceError as error:
            form.add_service_error(error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("已登记问责案件 %(number)s，待市长决定是否启动。") % {"number": case.number},
        )
        return HttpResponseRedirect(reverse("accountability:case", args=[case.pk]))


class CaseActScreen(ActScreen):
    """The screen of a case's task (workflows' task node opens it): the case beside the
    form; after a state change, on to the person's next piece of work."""

    procedure = ACCOUNTABILITY
    template_name = "accountability/task.html"

    def act_form(self, action):
        return act_form(action)

    def panel(self, case):
        return case_panel(case)

    def extra_context(self):
        return {"case": self.obj, "task": self.task, "process": getattr(self.task, "process", None)}
