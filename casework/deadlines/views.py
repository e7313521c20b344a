"""Web pages of early warning and correction (预警纠错; procedures.md section 3, issue 5):
my deadlines and how each was computed, the warning board and its exports, extension
requests and decisions, preliminary investigations, admonition letters, notifications.

They read through ``queries`` and write only through ``services`` (and ``notifications`` for
marking one's own notices read). Who may open a page is decided by ``rules`` (and the same
role checks the services make), never by the template alone. Every list asks for a fixed
number of queries whatever the number of rows.
"""

import csv
import datetime
import io
from collections import Counter

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from casework.exceptions import NotAllowed, ServiceError

from . import extensions, letters, notifications, queries, services
from . import rules as deadline_rules
from .forms import (
    BoardFilters,
    ConclusionForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    InvestigationDecisionForm,
    ReportForm,
)
from .models import (
    AdmonitionLetter,
    Deadline,
    Extension,
    Level,
    PreliminaryInvestigation,
)
from .rules import extension_rule, extension_rules, sees_all_deadlines, visible_deadlines

PAGE_SIZE = 100

LEVEL_ORDER = [Level.RED, Level.YELLOW, Level.PRE_WARNING, Level.NORMAL]


class WorkspacePage(LoginRequiredMixin):
    """Pages outside viewflow's site that still show the workspace menu (inbox, queue) and
    the bell."""

    def dispatch(self, request, *args, **kwargs):
        from casework.site import site

        match = request.resolver_match
        match.site = site
        match.app = site.viewsets[0]
        return super().dispatch(request, *args, **kwargs)


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return query.urlencode()


def _levels(counter):
    return [
        {
            "level": level,
            "label": Level(level).label,
            "colour": queries.LEVEL_COLOURS[level],
            "count": counter.get(level, 0),
        }
        for level in LEVEL_ORDER
    ]


def _deadline_or_404(user, pk):
    return get_object_or_404(
        visible_deadlines(
            user, Deadline.objects.select_related("responsible_unit", "responsible_user", "case")
        ),
        pk=pk,
    )


def _permitted(check, *args):
    """Ask a service's check; its refusal (with the service's own words) is a 403 page."""
    try:
        return check(*args)
    except NotAllowed as refusal:
        raise PermissionDenied(refusal.message) from refusal


def _safe_next(request, fallback):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# ------------------------------------------------------------------------------------------
# 我的期限 and "how was this computed"
# ------------------------------------------------------------------------------------------


class MyDeadlinesView(WorkspacePage, TemplateView):
    """The signed-in person's own open deadlines (rules.responsible_people turned around:
    named, or of their unit or role), coloured by level as of today."""

    template_name = "deadlines/mine.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        today = timezone.localdate()
        pending = Prefetch(
            "extensions",
            queryset=Extension.objects.filter(status=Extension.Status.PENDING),
            to_attr="pending_extensions",
        )
        rows = queries.annotate_days_left(
            queries.my_open_deadlines(user, today).prefetch_related(pending), today
        )
        rules = extension_rules()
        for row in rows:
            row.can_extend = not row.pending_extensions and extensions.may_ask(
                user, row, rule=rules.get(row.kind), on=today
            )
        counts = Counter(row.level for row in rows if not row.is_right)
        return super().get_context_data(rows=rows, levels=_levels(counts), today=today, **kwargs)


class ExplainView(WorkspacePage, TemplateView):
    """ "如何计算": every day of the period, counted or skipped and why; the overdue working
    days; the extension beside the original due date; the recorded changes."""

    template_name = "deadlines/explain.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        deadline = _deadline_or_404(user, self.kwargs["pk"])
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


# ------------------------------------------------------------------------------------------
# Extensions
# ------------------------------------------------------------------------------------------


class ExtensionRequestView(WorkspacePage, FormView):
    """The person responsible asks, before the deadline and with reasons (rules.
    may_request_extension; the service checks the window and the cap)."""

    template_name = "deadlines/extension_request.html"
    form_class = ExtensionRequestForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.deadline = _deadline_or_404(request.user, kwargs["pk"])
            self.rule = extension_rule(self.deadline.kind)
            _permitted(extensions.check_may_ask, request.user, self.deadline, self.rule)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        deadline = self.deadline
        return super().get_context_data(
            deadline=deadline,
            cap=self.rule.cap_working_days,
            extensions=list(deadline.extensions.select_related("requested_by", "decided_by")),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            extensions.ask(
                self.deadline,
                self.request.user,
                {"reason": form.cleaned_data["reason"], "new_due": form.cleaned_data["new_due"]},
            )
        except ServiceError as error:
            form.add_service_error(error)
            return self.form_invalid(form)
        messages.success(self.request, _("延期申请已提交，等待审批。"))
        return HttpResponseRedirect(reverse("deadlines:explain", args=[self.deadline.pk]))


class ExtensionListView(WorkspacePage, TemplateView):
    """The extension requests this person may decide (rules.may_decide_extension, asked once
    per kind of deadline), pending first."""

    template_name = "deadlines/extension_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        kinds = _permitted(extensions.kinds_to_decide, user, timezone.localdate())
        base = (
            Extension.objects.filter(
                deadline__kind__in=kinds,
                deadline__in=visible_deadlines(user, Deadline.objects.all()),
            )
            .select_related(
                "deadline__responsible_unit", "deadline__case", "requested_by", "decided_by"
            )
            .order_by("-id")
        )
        return super().get_context_data(
            pending=list(base.filter(status=Extension.Status.PENDING)),
            decided=list(base.exclude(status=Extension.Status.PENDING)[:20]),
            **kwargs,
        )


class ExtensionDecisionView(WorkspacePage, FormView):
    """The approver the procedure names grants or refuses; irreversible, so confirmed."""

    template_name = "deadlines/extension_decide.html"
    form_class = ExtensionDecisionForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.extension = get_object_or_404(
                Extension.objects.select_related(
                    "deadline__responsible_unit", "deadline__case", "requested_by", "decided_by"
                ).filter(deadline__in=visible_deadlines(request.user, Deadline.objects.all())),
                pk=kwargs["pk"],
            )
            self.rule = extension_rule(self.extension.deadline.kind)
            _permitted(
                extensions.check_may_decide,
                request.user,
                self.extension,
                self.rule,
                timezone.localdate(),
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        from casework.workcalendar import periods

        extension = self.extension
        deadline = extension.deadline
        base = deadline.original_due or deadline.due
        return super().get_context_data(
            extension=extension,
            deadline=deadline,
            cap=self.rule.cap_working_days,
            total_days=periods.working_days_between(base, extension.new_due).count,
            pending=extension.status == Extension.Status.PENDING,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            extension = extensions.decide(
                self.extension,
                self.request.user,
                {"approve": form.cleaned_data["approve"], "reason": form.cleaned_data["reason"]},
            )
        except ServiceError as error:
            form.add_service_error(error)
            return self.form_invalid(form)
        if extension.status == Extension.Status.APPROVED:
            text = _("已批准延期，新的届满日期 %(due)s。") % {"due": extension.new_due.isoformat()}
        else:
            text = _("已不予批准延期。")
        messages.success(self.request, text)
        return HttpResponseRedirect(reverse("deadlines:extensions"))


# ------------------------------------------------------------------------------------------
# The warning board and its exports
# ------------------------------------------------------------------------------------------

EXPORT_COLUMNS = [
    ("procedure", _("程序")),
    ("kind", _("期限类别")),
    ("unit", _("责任单位")),
    ("due", _("届满日期")),
    ("original_due", _("原届满日期")),
    ("level", _("预警级别")),
    ("overdue", _("逾期工作日")),
    ("case_number", _("问责案件编号")),
    ("complaint", _("投诉编号")),
]


def export_row(card) -> list:
    """One card as exported: deadline facts only, never a complainant's identity (Xinxiang
    complaint measures art. 8) — the complaint appears by its number alone."""
    return [
        str(queries.PROCEDURES.get(card.procedure, "")),
        str(card.get_kind_display()),
        card.responsible_unit.name if card.responsible_unit_id else "",
        card.due,
        card.original_due,
        str(Level(card.level).label),
        card.overdue_working_days,
        card.case_number or "",
        card.complaint_ref or "",
    ]


def _as_text(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else value


class BoardView(WorkspacePage, TemplateView):
    """Every yellow and red card across departments (rules.sees_all_deadlines), filterable by
    department, kind and procedure, with the counts per department; ``?format=csv`` or
    ``?format=xlsx`` exports the filtered cards."""

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
            cards = self.cards(today, chosen)
            if export == "csv":
                return self.csv_response(cards, today)
            return self.xlsx_response(cards, today)
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
        query = _query_without_page(self.request)
        return super().get_context_data(
            filters=form,
            page=page,
            rows=rows,
            per_unit=per_unit,
            totals=totals,
            chosen_unit=chosen.get("unit"),
            query=query,
            today=today,
            red_colour=queries.LEVEL_COLOURS[Level.RED],
            yellow_colour=queries.LEVEL_COLOURS[Level.YELLOW],
            **kwargs,
        )

    def _filename(self, today, extension):
        return f"warning-board-{today.isoformat()}.{extension}"

    def csv_response(self, cards, today):
        buffer = io.StringIO()
        buffer.write("\ufeff")  # a BOM, so that Excel reads the Chinese as UTF-8
        writer = csv.writer(buffer)
        writer.writerow([str(label) for _key, label in EXPORT_COLUMNS])
        for card in cards.iterator(chunk_size=2000):
            writer.writerow([_as_text(value) for value in export_row(card)])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self._filename(today, "csv")}"'
        return response

    def xlsx_response(self, cards, today):
        from openpyxl import Workbook
        from openpyxl.styles import Font, PatternFill

        workbook = Workbook(write_only=False)
        sheet = workbook.active
        sheet.title = _("预警看板")
        sheet.append([str(label) for _key, label in EXPORT_COLUMNS])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        fills = {
            str(Level.RED.label): PatternFill("solid", fgColor="FFCDD2"),
            str(Level.YELLOW.label): PatternFill("solid", fgColor="FFF59D"),
        }
        level_column = [key for key, _label in EXPORT_COLUMNS].index("level") + 1
        for card in cards.iterator(chunk_size=2000):
            sheet.append([value if value is not None else "" for value in export_row(card)])
            row = sheet.max_row
            level_cell = sheet.cell(row=row, column=level_column)
            if level_cell.value in fills:
                level_cell.fill = fills[level_cell.value]
            for column in (4, 5):  # due, original due
                sheet.cell(row=row, column=column).number_format = "yyyy-mm-dd"
        for index, width in enumerate([8, 16, 24, 12, 12, 10, 10, 20, 10], start=1):
            sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
        sheet.freeze_panes = "A2"
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{self._filename(today, "xlsx")}"'
        return response


# ------------------------------------------------------------------------------------------
# Preliminary investigations (初步调查, art. 8)
# ------------------------------------------------------------------------------------------


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
        if not deadline_rules.sees_investigations(user):
            raise PermissionDenied(_("只有市监察局和市政府领导可以查看初步调查。"))
        today = timezone.localdate()
        status = self.request.GET.get("status") or ""
        statuses = dict(PreliminaryInvestigation.Status.choices)
        investigations = _investigations(today).order_by("-id")
        if status in statuses:
            investigations = investigations.filter(status=status)
        page = Paginator(investigations, PAGE_SIZE).get_page(self.request.GET.get("page"))
        rows = list(page.object_list)
        for row in rows:
            row.colour = queries.LEVEL_COLOURS.get(row.deadline.level, "#9e9e9e")
            row.level_label = Level(row.deadline.level).label
        return super().get_context_data(
            page=page,
            rows=rows,
            status=status,
            statuses=PreliminaryInvestigation.Status.choices,
            can_decide=deadline_rules.may_decide_investigation(user),
            can_conclude=deadline_rules.may_conclude_investigation(user),
            query=_query_without_page(self.request),
            **kwargs,
        )


class InvestigationActionView(WorkspacePage, FormView):
    """Shared by the decision (leader) and the conclusion (bureau)."""

    template_name = "deadlines/investigation_action.html"
    allowed = None  # a function of the user
    refusal = ""
    title = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if not deadline_rules.sees_investigations(request.user):
                raise PermissionDenied(_("只有市监察局和市政府领导可以查看初步调查。"))
            self.investigation = get_object_or_404(
                _investigations(timezone.localdate()), pk=kwargs["pk"]
            )
            if not self.allowed(request.user):
                raise PermissionDenied(self.refusal)
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
        return HttpResponseRedirect(reverse("deadlines:investigations"))


class InvestigationDecisionView(InvestigationActionView):
    form_class = InvestigationDecisionForm
    allowed = staticmethod(deadline_rules.may_decide_investigation)
    refusal = _("初步调查须经监察局分管领导批准。")
    title = _("审批初步调查")

    def open_status(self):
        return self.investigation.status == PreliminaryInvestigation.Status.PROPOSED

    def act(self, data):
        services.decide_investigation(
            self.investigation, self.request.user, approve=data["approve"], reason=data["reason"]
        )


class InvestigationConclusionView(InvestigationActionView):
    form_class = ConclusionForm
    allowed = staticmethod(deadline_rules.may_conclude_investigation)
    refusal = _("只有市监察局可以作出初步调查结论。")
    title = _("作出初步调查结论")

    def open_status(self):
        return self.investigation.status == PreliminaryInvestigation.Status.INVESTIGATING

    def act(self, data):
        services.conclude_investigation(
            self.investigation,
            self.request.user,
            open_case=data["open_case"],
            conclusion=data["conclusion"],
            official=data.get("official"),
        )


# ------------------------------------------------------------------------------------------
# Admonition letters (效能告诫书, art. 7 and 9)
# ------------------------------------------------------------------------------------------


def _letters(user, today):
    return deadline_rules.visible_letters(
        user,
        AdmonitionLetter.objects.select_related("unit", "document").prefetch_related(
            Prefetch(
                "deadline",
                queryset=Deadline.objects.with_level(today).select_related("case"),
            ),
            Prefetch(
                "report_deadline",
                queryset=Deadline.objects.with_level(today).select_related(
                    "responsible_unit", "responsible_user"
                ),
            ),
        ),
    )


class LetterListView(WorkspacePage, TemplateView):
    """All letters for the supervision bureau and the mayor's office; a unit's own for its
    people."""

    template_name = "deadlines/letter_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        today = timezone.localdate()
        visible = _letters(user, today).order_by("-id")
        status = self.request.GET.get("status") or ""
        if status in dict(AdmonitionLetter.Status.choices):
            visible = visible.filter(status=status)
        page = Paginator(visible, PAGE_SIZE).get_page(self.request.GET.get("page"))
        rows = list(page.object_list)
        for row in rows:
            row.can_report = letters.may_report(user, row)
            row.report_colour = queries.LEVEL_COLOURS.get(row.report_deadline.level)
            row.report_level_label = Level(row.report_deadline.level).label
        return super().get_context_data(
            page=page,
            rows=rows,
            status=status,
            statuses=AdmonitionLetter.Status.choices,
            query=_query_without_page(self.request),
            **kwargs,
        )


class LetterReportView(WorkspacePage, FormView):
    """Art. 9: the unit reports its rectification in writing; irreversible, so confirmed."""

    template_name = "deadlines/letter_report.html"
    form_class = ReportForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.letter = get_object_or_404(
                _letters(request.user, timezone.localdate()), pk=kwargs["pk"]
            )
            _permitted(letters.check_may_report, request.user, self.letter)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        letter = self.letter
        return super().get_context_data(
            letter=letter,
            paragraphs=[line for line in letter.document.body.splitlines() if line.strip()],
            open_status=letter.status == AdmonitionLetter.Status.ISSUED,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.report_rectification(
                self.letter, self.request.user, report=form.cleaned_data["report"]
            )
        except ServiceError as error:
            form.add_service_error(error)
            return self.form_invalid(form)
        messages.success(self.request, _("整改情况已书面报告。"))
        return HttpResponseRedirect(reverse("deadlines:letters"))


# ------------------------------------------------------------------------------------------
# Notifications (the bell)
# ------------------------------------------------------------------------------------------


class NotificationListView(WorkspacePage, TemplateView):
    template_name = "deadlines/notifications.html"

    def get_context_data(self, **kwargs):
        page = Paginator(notifications.own(self.request.user), 50).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(page=page, rows=list(page.object_list), **kwargs)


class NotificationReadView(WorkspacePage, View):
    """POST: mark one of one's own notices read, then go where it points (or back)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        notification = get_object_or_404(notifications.own(request.user), pk=pk)
        notifications.mark_read(notification)
        return HttpResponseRedirect(_safe_next(request, reverse("deadlines:notifications")))


class NotificationReadAllView(WorkspacePage, View):
    http_method_names = ["post"]

    def post(self, request):
        marked = notifications.mark_all_read(request.user)
        messages.success(request, _("已将 %(n)s 条通知标为已读。") % {"n": marked})
        return HttpResponseRedirect(reverse("deadlines:notifications"))
