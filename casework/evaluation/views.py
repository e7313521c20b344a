"""The pages of the monthly evaluation: the months, a month's table, a line with the events
behind it, the step screen, the exports, the scheme and the trends. They read through
rules.py; the only writes go through services.py and the pipeline."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from casework.complaints import portal
from casework.exceptions import ServiceError
from casework.kernel.views import ActScreen, WorkspacePage

from . import exports, rules, services
from .declaration import EVALUATION
from .forms import MonthForm, ScoringItemForm, act_form
from .handlers import effective_amounts
from .models import Correction, Line, Objection, ScoringItem
from .trends import trends


def visible_month(user, key):
    try:
        month = services.parse_month(key)
    except ServiceError:
        raise Http404 from None
    evaluation = rules.visible(user).filter(month=month).first()
    if evaluation is None:
        raise Http404
    return evaluation


def table(user, evaluation) -> list[dict]:
    """The month's lines this person may see, by department, with totals and marks."""
    lines = rules.visible_lines(user, evaluation, evaluation.current_lines()).select_related(
        "department"
    )
    amounts = effective_amounts(evaluation)
    pending = set(
        Objection.objects.filter(line__in=lines, decision__isnull=True).values_list(
            "line_id", flat=True
        )
    )
    corrected = set(Correction.objects.filter(line__in=lines).values_list("line_id", flat=True))
    departments: dict[int, dict] = {}
    for line in lines:
        row = departments.setdefault(
            line.department_id, {"department": line.department, "lines": [], "total": 0}
        )
        line.effective = amounts[line.pk]
        line.under_objection = line.pk in pending
        line.corrected = line.pk in corrected
        row["lines"].append(line)
        row["total"] += line.effective
    return sorted(departments.values(), key=lambda row: (-row["total"], row["department"].code))


class MonthListView(WorkspacePage, TemplateView):
    template_name = "evaluation/month_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        if not rules.works_in_procedure(user):
            raise PermissionDenied
        return {
            **super().get_context_data(**kwargs),
            "evaluations": rules.visible(user),
            "can_compute": rules.is_bureau(user),
            "can_edit_scheme": rules.can_edit_scheme(user),
            "form": kwargs.get("form") or MonthForm(),
        }

    def post(self, request):
        form = MonthForm(request.POST)
        if form.is_valid():
            try:
                month = services.parse_month(form.cleaned_data["month"])
                evaluation, _outcome = services.evaluate_month(
                    month, request.user, ip=request.META.get("REMOTE_ADDR")
                )
            except ServiceError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("%(month)s：已计算。") % {"month": evaluation})
                return HttpResponseRedirect(evaluation.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))


class MonthView(WorkspacePage, TemplateView):
    template_name = "evaluation/month.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        evaluation = visible_month(user, kwargs["month"])
        return {
            **super().get_context_data(**kwargs),
            "evaluation": evaluation,
            "rows": table(user, evaluation),
            "available": [
                (name, EVALUATION.label(name))
                for name in services.available_transitions(user, evaluation)
            ],
            "history": evaluation.history.order_by("history_date") if rules.is_bureau(user) else [],
        }


class LineView(WorkspacePage, TemplateView):
    """A line and the events behind it: the deadlines, cards, complaints, decisions and
    ratings that produced its points; its objections, decisions and corrections."""

    template_name = "evaluation/line.html"

    def get_context_data(self, **kwargs):
        line = (
            Line.objects.select_related("evaluation", "department").filter(pk=kwargs["pk"]).first()
        )
        if line is None or not rules.can_see_line(self.request.user, line):
            raise Http404
        return {
            **super().get_context_data(**kwargs),
            "line": line,
            "evaluation": line.evaluation,
            "evidence": line.evidence.all(),
            "objections": line.objections.select_related("decision", "lodged_by").order_by("id"),
            "corrections": line.corrections.select_related("created_by").order_by("id"),
            "effective": effective_amounts(line.evaluation)[line.pk]
            if line.run == line.evaluation.run
            else line.amount,
        }


class EvaluationActScreen(ActScreen):
    """A step on a month: the task screen (the flow opens it with the task) and the screen of
    the recordings (an objection, its decision)."""

    procedure = EVALUATION
    template_name = "evaluation/task.html"

    def dispatch(self, request, *args, **kwargs):
        if "month" in kwargs and request.user.is_authenticated:
            kwargs["pk"] = visible_month(request.user, kwargs.pop("month")).pk
        return super().dispatch(request, *args, **kwargs)

    def act_form(self, action):
        return act_form(action)

    def panel(self, evaluation):
        return {"evaluation": evaluation, "rows": table(self.request.user, evaluation)}


class ExportView(WorkspacePage, View):
    def get(self, request, month, fmt):
        evaluation = visible_month(request.user, month)
        lines = rules.visible_lines(request.user, evaluation, evaluation.current_lines())
        if fmt == "csv":
            body, kind = exports.as_csv(evaluation, lines), "text/csv; charset=utf-8"
        else:
            body = exports.as_xlsx(evaluation, lines)
            kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(body, content_type=kind)
        response["Content-Disposition"] = (
            f'attachment; filename="evaluation-{evaluation.key}.{fmt}"'
        )
        return response


class SchemeView(WorkspacePage, TemplateView):
    template_name = "evaluation/scheme.html"

    def get_context_data(self, **kwargs):
        if not rules.works_in_procedure(self.request.user):
            raise PermissionDenied
        return {
            **super().get_context_data(**kwargs),
            "items": ScoringItem.objects.all(),
            "can_edit": rules.can_edit_scheme(self.request.user),
        }


class SchemeItemView(WorkspacePage, FormView):
    template_name = "evaluation/scheme_item.html"
    form_class = ScoringItemForm

    def dispatch(self, request, *args, **kwargs):
        self.item = ScoringItem.objects.filter(pk=kwargs["pk"]).first()
        if self.item is None:
            raise Http404
        if request.user.is_authenticated and not rules.can_edit_scheme(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {
            name: getattr(self.item, name) for name in ("name", "points", "cap", "weight", "active")
        }

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "item": self.item,
            "history": self.item.history.order_by("-history_date")[:20],
        }

    def form_valid(self, form):
        try:
            services.edit_item(
                self.item,
                self.request.user,
                form.payload(),
                reason=form.cleaned_data["reason"],
                ip=self.request.META.get("REMOTE_ADDR"),
            )
        except ServiceError as error:
            form.add_service_error(error)
            return self.form_invalid(form)
        messages.success(self.request, _("评分细则已修改。"))
        return HttpResponseRedirect(reverse("evaluation:scheme"))


class TrendsView(WorkspacePage, TemplateView):
    template_name = "evaluation/trends.html"

    def get_context_data(self, **kwargs):
        if not rules.works_in_procedure(self.request.user):
            raise PermissionDenied
        return {**super().get_context_data(**kwargs), "trends": trends(self.request.user)}


class PortalRatingView(View):
    """The form of the portal's tracking page (``evaluation/_rating_form.html``): the rating
    through the tracking code, no login, limited like the tracking itself."""

    http_method_names = ["post"]

    def post(self, request):
        if portal.tracking_blocked(request):
            return portal.rate_limited(request)
        complaint = portal.find_by_code(request.POST.get("tracking_code", ""))
        if complaint is None:
            portal.count_tracking_miss(request)
            return render(
                request,
                "evaluation/portal_rated.html",
                {"error": _("没有找到该查询码对应的投诉。")},
                status=404,
            )
        try:
            rating = services.rate(
                complaint, request.POST.get("rating", ""), ip=request.META.get("REMOTE_ADDR")
            )
        except ServiceError as error:
            return render(
                request,
                "evaluation/portal_rated.html",
                {"error": error.message},
                status=error.status,
            )
        return render(request, "evaluation/portal_rated.html", {"rating": rating})
