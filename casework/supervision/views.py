"""The pages of the supervision of assigned matters: the list, the office's proposal form, a
matter with its card, deadline, countersignatures, urgings, criticisms and history, the step
screen, and the archived file as one PDF. They read through rules.py; the only writes go
through services.py and the pipeline."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from casework.deadlines.models import Deadline, Extension
from casework.deadlines.queries import annotate_days_left
from casework.exceptions import ServiceError
from casework.kernel import clock
from casework.kernel.views import ActScreen, WorkspacePage
from casework.meetings.models import AgreedMatter

from . import archive, rules, services
from .declaration import SUPERVISION
from .forms import RegisterForm, act_form
from .models import State


def visible_matter(user, pk):
    matter = (
        rules.visible(user)
        .select_related("lead_unit", "deadline", "card", "proposed_by", "approved_by")
        .filter(pk=pk)
        .first()
    )
    if matter is None:
        raise Http404
    return matter


def deadline_rows(matter) -> list:
    if matter.deadline_id is None:
        return []
    today = clock.today()
    rows = annotate_days_left(
        Deadline.objects.filter(pk=matter.deadline_id)
        .with_level(today)
        .select_related("responsible_unit", "responsible_user")
        .prefetch_related(
            Prefetch(
                "extensions",
                queryset=Extension.objects.select_related("requested_by", "decided_by").order_by(
                    "id"
                ),
            )
        ),
        today,
    )
    for row in rows:
        row.extension_list = list(row.extensions.all())
    return rows


def history_rows(matter) -> list:
    rows = list(
        matter.history.select_related("history_user").order_by("history_date", "history_id")
    )
    states = dict(State.choices)
    for row in rows:
        row.action_label = (
            SUPERVISION.label(row.action)
            if row.action
            else {"+": _("登记"), "~": _("修改"), "-": _("删除")}[row.history_type]
        )
        row.state_label = states.get(row.state, row.state)
        row.from_state_label = states.get(row.from_state, row.from_state)
    return rows


def matter_panel(user, matter) -> dict:
    """The matter beside a form or on its page."""
    return {
        "matter": matter,
        "co_units": list(matter.co_units.order_by("code")),
        "deadlines": deadline_rows(matter),
        "countersigns": list(
            matter.countersigns.filter(draft=matter.draft_number).select_related(
                "unit", "signed_by"
            )
        ),
        "unsigned": list(matter.unsigned_co_units()) if matter.draft_number else [],
        "urgings": list(matter.urgings.select_related("by", "letter", "instruction__by")),
        "criticisms": list(matter.criticisms.select_related("unit", "document")),
        "history": history_rows(matter),
        "show_people": True,
    }


class MatterListView(WorkspacePage, TemplateView):
    template_name = "supervision/matter_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        if not rules.works_in_procedure(user):
            raise PermissionDenied
        today = clock.today()
        matters = list(
            rules.visible(user).select_related("lead_unit", "deadline").order_by("-id")[:200]
        )
        for matter in matters:
            matter.level = matter.deadline.level_as_of(today) if matter.deadline else ""
        return {
            **super().get_context_data(**kwargs),
            "matters": matters,
            "can_register": rules.may_register(user),
        }


class RegisterView(WorkspacePage, TemplateView):
    """Handan supervision art. 4 (1): the office proposes a matter with its card."""

    template_name = "supervision/register.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not rules.may_register(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def initial(self):
        agreed = None
        pk = self.request.GET.get("agreed_matter", "")
        if pk.isdigit():
            agreed = AgreedMatter.objects.select_related("meeting").filter(pk=pk).first()
        if agreed is None:
            return {}, None
        return {
            "agreed_matter": agreed.pk,
            "source": "meeting_decision",
            "title": agreed.text[:255],
            "source_reference": str(agreed.meeting),
        }, agreed

    def get_context_data(self, **kwargs):
        initial, agreed = self.initial()
        return {
            **super().get_context_data(**kwargs),
            "form": kwargs.get("form") or RegisterForm(initial=initial),
            "agreed": agreed,
        }

    def post(self, request):
        form = RegisterForm(request.POST)
        if form.is_valid():
            try:
                matter = services.register(
                    form.payload(), request.user, ip=request.META.get("REMOTE_ADDR")
                )
            except ServiceError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("已拟办，待审定立项：%(m)s") % {"m": matter})
                return HttpResponseRedirect(matter.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))


class MatterView(WorkspacePage, TemplateView):
    template_name = "supervision/matter.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        matter = visible_matter(user, kwargs["pk"])
        return {
            **super().get_context_data(**kwargs),
            **matter_panel(user, matter),
            "available": [
                (name, SUPERVISION.label(name))
                for name in services.available_transitions(user, matter)
            ],
        }


class SupervisionActScreen(ActScreen):
    """A step on a matter: the task screen (the flow opens it with the task) and the screen
    of the recordings (urging, criticism, extension)."""

    procedure = SUPERVISION
    template_name = "supervision/task.html"

    def act_form(self, action):
        return act_form(action)

    def panel(self, matter):
        return matter_panel(self.request.user, matter)

    def form_for(self, action, data=None):
        form = super().form_for(action, data)
        # The inbox's row opens the screen on its problem (``?urging=``).
        urging = self.request.GET.get("urging", "")
        if form is not None and data is None and "urging" in form.fields and urging.isdigit():
            form.initial["urging"] = int(urging)
        return form


class ArchiveFileView(WorkspacePage, TemplateView):
    """Handan supervision art. 4 (4): the archived file — the original instruction, the
    feedback and the supervision report bound as one PDF."""

    def get(self, request, pk):
        matter = visible_matter(request.user, pk)
        if matter.state != State.ARCHIVED:
            raise Http404
        response = HttpResponse(archive.file_pdf(matter), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="supervision-{matter.pk}.pdf"'
        return response
