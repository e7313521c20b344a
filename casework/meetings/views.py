"""The pages of the executive meeting. Staff: the list of meetings (and planning one), a
meeting with its agenda, attendance, matters agreed, documents and history, the acts of the
secretariat (print the agenda, postpone, record the meeting held, print the minutes) and the
minutes of one item. The person concerned: their own item, with the written statement they
may file before the meeting (Nanchong art. 11). The pages read; every write goes through
services.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from casework.documents.models import Amendment, Document
from casework.exceptions import ServiceError
from casework.kernel import clock, entrypoints
from casework.kernel.views import WorkspacePage

from . import forms, rules, services
from .models import AgendaItem, Meeting, MeetingState


def _history(rows, label):
    rows = list(rows)
    for row in rows:
        row.what = label
    return rows


def meeting_panel(meeting) -> dict:
    """Everything the meeting's page shows, in a fixed number of queries."""
    items = list(
        meeting.items.select_related("concerned", "written_statement_by").order_by("position", "id")
    )
    history = _history(meeting.history.select_related("history_user"), _("会议"))
    history += _history(
        AgendaItem.history.filter(meeting_id=meeting.pk).select_related("history_user"),
        _("议题"),
    )
    history.sort(key=lambda row: (row.history_date, row.history_id))
    document_ids = [pk for pk in (meeting.agenda_document_id, meeting.minutes_document_id) if pk]
    # An agenda printed again replaced the earlier one on the meeting: its history keeps it.
    document_ids += list(
        meeting.history.filter(agenda_document__isnull=False).values_list(
            "agenda_document_id", flat=True
        )
    )
    return {
        "items": items,
        "attendees": list(meeting.attendees.order_by("capacity", "id")),
        "matters": list(meeting.agreed_matters.order_by("seq")),
        "documents": list(Document.objects.filter(pk__in=document_ids).order_by("issued_on", "id")),
        "history": history,
        "postponed_from": list(meeting.postponed_from.order_by("date")),
    }


def supervision_offers(user, matters) -> dict:
    """For each agreed matter, its supervision matter or the offer to register one (Xi'an
    meeting rules, section 6 (4)): asked of the supervision app through its entry point, so
    that this app never imports it. ``{pk: (url, label)}``."""
    name = "supervision.agreed_matter_offers"
    if not matters or name not in entrypoints.provided():
        return {}
    return entrypoints.call(name, user, matters)


class MeetingListView(WorkspacePage, TemplateView):
    """Staff: every meeting, newest first, and planning one (the secretariat). Anyone else:
    the agenda items concerning them."""

    template_name = "meetings/meeting_list.html"

    def get_context_data(self, form=None, **kwargs):
        user = self.request.user
        return super().get_context_data(
            staff=rules.is_staff(user),
            meetings=rules.visible_meetings(user).select_related("chair")[:200],
            own_items=rules.visible_items(user, AgendaItem.objects.filter(concerned=user))
            .select_related("meeting")
            .order_by("-meeting__date", "-id"),
            may_organise=rules.organises(user),
            form=form or forms.PlanMeetingForm(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = forms.PlanMeetingForm(request.POST)
        if form.is_valid():
            try:
                meeting = services.plan_meeting(
                    request.user, form.payload(), ip=request.META.get("REMOTE_ADDR")
                )
            except ServiceError as error:
                if error.status == 403:
                    raise PermissionDenied(error.message) from error
                form.add_service_error(error)
            else:
                messages.success(request, _("已安排%(meeting)s。") % {"meeting": meeting})
                return HttpResponseRedirect(meeting.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))


def _meeting(request, pk):
    return get_object_or_404(
        rules.visible_meetings(request.user, Meeting.objects.select_related("chair")), pk=pk
    )


ACTS = {
    # name in the URL: (form, service, message)
    "agenda": (forms.DayForm, services.print_agenda, _("已印发会议议程。")),
    "postpone": (forms.PostponeForm, services.postpone, _("会议已延期，议题已顺延并通知当事人。")),
    "hold": (forms.HoldForm, services.hold, _("已登记会议召开及出席情况。")),
    "minutes-document": (forms.DayForm, services.print_minutes, _("已印发会议纪要。")),
}


class MeetingDetailView(WorkspacePage, TemplateView):
    template_name = "meetings/meeting_detail.html"

    def get_context_data(self, bound=None, **kwargs):
        meeting = _meeting(self.request, self.kwargs["pk"])
        organiser = rules.organises(self.request.user)
        act_forms = {}
        if organiser:
            for name, (form_class, _service, _message) in ACTS.items():
                act_forms[name.replace("-", "_")] = form_class(prefix=name)
            if bound is not None:
                act_forms[bound[0].replace("-", "_")] = bound[1]
        panel = meeting_panel(meeting)
        return super().get_context_data(
            meeting=meeting,
            organiser=organiser,
            supervision=supervision_offers(self.request.user, panel["matters"]),
            planned=meeting.state == MeetingState.PLANNED,
            held=meeting.state == MeetingState.HELD,
            forms=act_forms,
            **panel,
            **kwargs,
        )


class MeetingActView(MeetingDetailView):
    """One act of the secretariat on the meeting (the forms of the meeting's page post here);
    a refusal is shown beside its form."""

    http_method_names = ["post"]

    def post(self, request, pk, act):
        if act not in ACTS:
            raise Http404
        meeting = _meeting(request, pk)
        form_class, service, message = ACTS[act]
        form = form_class(request.POST, prefix=act)
        if form.is_valid():
            try:
                result = service(
                    meeting, request.user, form.payload(), ip=request.META.get("REMOTE_ADDR")
                )
            except ServiceError as error:
                if error.status == 403:
                    raise PermissionDenied(error.message) from error
                form.add_service_error(error)
            else:
                messages.success(request, message)
                target = result if isinstance(result, Meeting) else meeting
                return HttpResponseRedirect(target.get_absolute_url())
        return self.render_to_response(self.get_context_data(bound=(act, form)))


class MinutesEntryView(WorkspacePage, FormView):
    """The minutes of one item (the secretariat): the statement and defence made at the
    meeting, the discussion, the matters agreed. An accountability item moves its case to
    ``deliberated``."""

    template_name = "meetings/minutes_entry.html"
    form_class = forms.MinutesForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.meeting = _meeting(request, kwargs["pk"])
            self.item = get_object_or_404(self.meeting.items, pk=kwargs["item"])
            if not rules.organises(request.user):
                raise PermissionDenied(_("只有市政府办公室可以登记会议讨论情况。"))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, item=self.item, **kwargs)

    def form_valid(self, form):
        try:
            services.record_minutes(
                self.meeting,
                self.request.user,
                {"item": self.item.pk, **form.payload()},
                ip=self.request.META.get("REMOTE_ADDR"),
            )
        except ServiceError as error:
            form.add_service_error(error)
            return self.form_invalid(form)
        messages.success(self.request, _("已登记议题讨论情况。"))
        return HttpResponseRedirect(self.meeting.get_absolute_url())


class ItemView(WorkspacePage, FormView):
    """One agenda item, as the person concerned sees it: the meeting's date and place, their
    right to state and defend (Nanchong art. 11), and the written statement form while the
    meeting has not been held."""

    template_name = "meetings/item.html"
    form_class = forms.StatementForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.item = get_object_or_404(
                rules.visible_items(
                    request.user, AgendaItem.objects.select_related("meeting", "concerned")
                ),
                pk=kwargs["pk"],
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        may_file = rules.may_file_statement(user, self.item, clock.today())
        return super().get_context_data(
            item=self.item,
            meeting=self.item.meeting,
            may_file=may_file,
            refusal=None if may_file else rules.statement_refusal(user, self.item, clock.today()),
            staff=rules.is_staff(user),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.file_statement(
                self.item,
                self.request.user,
                form.payload(),
                ip=self.request.META.get("REMOTE_ADDR"),
            )
        except ServiceError as error:
            form.add_service_error(error)
            return self.form_invalid(form)
        messages.success(self.request, _("书面陈述和申辩已提交。"))
        return HttpResponseRedirect(self.item.get_absolute_url())


class DocumentView(WorkspacePage, TemplateView):
    """The agenda or the minutes as printed (staff), with the amendments appended below."""

    template_name = "meetings/document.html"

    def get_context_data(self, **kwargs):
        if not rules.is_staff(self.request.user):
            raise Http404
        document = get_object_or_404(
            Document.objects.filter(case__isnull=True, doc_type__startswith="meeting_")
            .select_related("issued_by")
            .prefetch_related(
                Prefetch("amendments", queryset=Amendment.objects.select_related("created_by"))
            ),
            pk=self.kwargs["pk"],
        )
        meeting = Meeting.objects.filter(agenda_document=document).first() or (
            Meeting.objects.filter(minutes_document=document).first()
        )
        if meeting is None:
            meeting = Meeting.history.filter(agenda_document=document).first()
        return super().get_context_data(
            document=document,
            meeting_pk=meeting.id if meeting is not None else None,
            issuer=_("南充市人民政府"),
            paragraphs=[line for line in document.body.splitlines() if line.strip()],
            amendments=list(document.amendments.all()),
            **kwargs,
        )
