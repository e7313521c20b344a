"""Admonition letters (效能告诫书, Xinxiang warning art. 7 and 9): the list, and the warned
unit's written rectification report."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from casework.exceptions import ServiceError
from casework.kernel.views import next_work_url

from .. import letters, queries
from ..forms import ReportForm
from ..models import AdmonitionLetter, Deadline, Level
from ..rules import visible_letters
from .common import PAGE_SIZE, WorkspacePage, permitted, query_without_page


def _letters(user, today):
    return visible_letters(
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
        listed = _letters(user, today).order_by("-id")
        status = self.request.GET.get("status") or ""
        if status in dict(AdmonitionLetter.Status.choices):
            listed = listed.filter(status=status)
        page = Paginator(listed, PAGE_SIZE).get_page(self.request.GET.get("page"))
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
            query=query_without_page(self.request),
            **kwargs,
        )


class LetterReportView(WorkspacePage, FormView):
    """Xinxiang warning art. 9: the unit's written rectification report; irreversible, so
    confirmed."""

    template_name = "deadlines/letter_report.html"
    form_class = ReportForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.letter = get_object_or_404(
                _letters(request.user, timezone.localdate()), pk=kwargs["pk"]
            )
            permitted(letters.check_may_report, request.user, self.letter)
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
            letters.report_rectification(
                self.letter,
                self.request.user,
                report=form.cleaned_data["report"],
                ip=self.request.META.get("REMOTE_ADDR"),
            )
        except ServiceError as error:
            form.add_service_error(error)
            return self.form_invalid(form)
        messages.success(self.request, _("整改情况已书面报告。"))
        # On to the next piece of work, else back to the list.
        return HttpResponseRedirect(
            next_work_url(self.request.user) or reverse("deadlines:letters")
        )
