"""Staff pages of the complaint procedure: the list, the complaint page, registering a
complaint that came by letter, visit or phone, the screens that act on a complaint and the
identity-access log. They read; the only writes go through services.py.

Confidentiality (Xinxiang complaints art. 8), as in casework/api/complaints.py:
* the identity (name, phone, e-mail) is shown to the complaints office only, masked; the
  full values once, with a stated reason, through ``services.view_identity`` (recorded);
* everyone else sees no identity field at all — not even masked — and no tracking code;
* the organ (and anyone who is not office, supervision bureau or administrator) sees no
  internal notes, no history reasons and no staff names: the office appears as a unit.

Every page asks for a fixed number of queries, whatever the number of complaints, history
rows or deadlines.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Subquery
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from casework.deadlines.models import Deadline, Extension, Level
from casework.exceptions import ServiceError
from casework.kernel import entrypoints
from casework.kernel.views import ActScreen, WorkspacePage
from casework.org.models import Department, User
from casework.workcalendar import periods

from . import rules, services
from .declaration import COMPLAINTS
from .forms import ComplaintFilters, IdentityForm, RegisterComplaintForm, act_form
from .handlers import extendable_deadline
from .models import Complaint, ComplaintCategory, ComplaintOutcome, IdentityAccess, State

PAGE_SIZE = 50

LEVEL_COLOURS = {
    Level.DONE: "#9e9e9e",
    Level.NORMAL: "#2e7d32",
    Level.PRE_WARNING: "#ef6c00",
    Level.YELLOW: "#f9a825",
    Level.RED: "#c62828",
}

# History fields never shown on a page: bookkeeping (the API's NOISY_FIELDS too).
NOISY_FIELDS = frozenset({"version", "last_act_on"})

OFFICE_UNIT = gettext_lazy("效能投诉中心")

VISIBLE_FIELDS = frozenset(field.name for field in Complaint._meta.fields)


def complaint_number(complaint_or_pk) -> str:
    pk = getattr(complaint_or_pk, "pk", complaint_or_pk)
    return _("投诉第%(number)s号") % {"number": pk}


def _visible(user):
    return rules.visible_complaints(
        user,
        Complaint.objects.select_related(
            "category",
            "respondent_department",
            "transferred_to",
            "outcome",
            "repeat_of__category",
            "repeat_counted_against",
            "accountability_case",
            "registered_by",
        ),
    )


def get_visible_complaint(user, pk) -> Complaint:
    """The complaint if this person may see it (rules.visible_complaints), else 404."""
    return get_object_or_404(_visible(user), pk=pk)


# ---------------------------------------------------------------------------------------
# What a page says about a complaint
# ---------------------------------------------------------------------------------------


def identity_panel(complaint, user, identity=None) -> dict:
    """The complainant, for the office only: masked, or in full after a stated reason."""
    if not rules.sees_identity(user):
        return {"shows_identity": False}
    masked = {
        field: services.mask(getattr(complaint, field)) for field in ("name", "phone", "email")
    }
    return {
        "shows_identity": True,
        "identity": identity,
        "masked_identity": masked,
        "identity_form": IdentityForm(),
    }


def _display(field, value, lookups):
    """A history value as a person reads it."""
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if field.name == "state":
        return str(dict(State.choices).get(value, value))
    if field.choices:
        return str(dict(field.choices).get(value, value))
    if field.is_relation:
        return lookups(field.related_model).get(value, str(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def history_rows(complaint, user) -> list:
    """The recorded changes, oldest first, redacted by ``rules.disclosure`` like the API's
    history: the history tables never hold the identity; whoever is not staff sees no
    internal notes, no reasons and the office as a unit instead of its people. A fixed
    number of queries."""
    disclosure = rules.disclosure(user)
    staff = disclosure.internal
    hidden = set(NOISY_FIELDS) | set(disclosure.hidden_fields)
    records = list(
        complaint.history.select_related("history_user__official__department").order_by(
            "history_date", "history_id"
        )
    )
    cache: dict = {}

    def lookups(model):
        # One query per related model at most, whatever the number of rows.
        if model not in cache:
            if model is Department:
                cache[model] = dict(Department.objects.values_list("pk", "name"))
            elif model is ComplaintOutcome:
                cache[model] = dict(ComplaintOutcome.objects.values_list("pk", "name"))
            elif model is ComplaintCategory:
                cache[model] = dict(ComplaintCategory.objects.values_list("pk", "name"))
            elif model is Complaint:
                cache[model] = _NumberLookup()
            elif (
                model is Complaint.accountability_case.field.related_model
                and complaint.accountability_case_id
            ):
                cache[model] = {
                    complaint.accountability_case_id: complaint.accountability_case.number
                }
            elif model is User and complaint.registered_by_id:  # staff only: STAFF_ONLY_FIELDS
                cache[model] = {complaint.registered_by_id: complaint.registered_by.get_full_name()}
            else:
                cache[model] = {}
        return cache[model]

    fields = {f.name: f for f in Complaint._meta.get_fields() if hasattr(f, "attname")}
    states = dict(State.choices)
    rows, previous = [], None
    for record in records:
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=sorted(hidden))
            for change in delta.changes:
                if change.field in ("state",):
                    continue  # shown in its own column
                field = fields.get(change.field)
                if field is None:
                    continue
                changes.append(
                    {
                        "label": str(field.verbose_name),
                        "value": _display(field, change.new, lookups),
                    }
                )
        actor = _actor(record, staff)
        rows.append(
            {
                "at": record.history_date,
                "actor": actor,
                "action": record.action or "",
                "action_label": COMPLAINTS.label(record.action)
                if record.action
                else {"+": _("登记"), "~": _("修改"), "-": _("删除")}[record.history_type],
                "from_state": states.get(record.from_state, record.from_state)
                if record.from_state and record.from_state != record.state
                else "",
                "state": states.get(record.state, record.state),
                "reason": _reason(record) if staff else "",
                "changes": changes,
            }
        )
        previous = record
    return rows


def _reason(record) -> str:
    """The reason given, unless it only repeats the name of the act (the services' default)."""
    reason = record.history_change_reason or ""
    return "" if reason == COMPLAINTS.label(record.action or "submit") else reason


def _actor(record, staff) -> str:
    """Who acted, as this viewer may know it: a person's name for staff; for anyone else
    the unit — the office, or the organ whose people reported."""
    user = record.history_user
    if user is None:
        return _("投诉人（网上投诉）") if record.history_type == "+" else _("系统")
    if staff:
        return user.get_full_name()
    official = getattr(user, "official", None)
    if official is not None:
        return official.department.name
    return str(OFFICE_UNIT)


class _NumberLookup(dict):
    def get(self, key, default=None):
        return complaint_number(key)


def deadline_rows(complaint) -> list:
    """The complaint's deadlines with their warning level and colour, and the extension
    requests of each (the organ sees no names of who asked or decided)."""
    today = timezone.localdate()
    deadlines = list(
        complaint.deadlines.with_level(today)
        .select_related("responsible_unit", "responsible_user")
        .prefetch_related(
            Prefetch(
                "extensions",
                queryset=Extension.objects.select_related("requested_by", "decided_by").order_by(
                    "id"
                ),
            )
        )
        .order_by("due", "id")
    )
    now_ordinal = None
    for deadline in deadlines:
        if deadline.is_open:
            if now_ordinal is None:
                now_ordinal = periods.working_day_ordinal(today)
            if deadline.due_ordinal is not None:
                deadline.working_days_left = deadline.due_ordinal - now_ordinal
            else:  # beyond the calendar table
                deadline.working_days_left = periods.working_days_between(today, deadline.due).count
        deadline.colour = LEVEL_COLOURS.get(deadline.level, LEVEL_COLOURS[Level.NORMAL])
        deadline.level_label = Level(deadline.level).label
        deadline.extension_list = list(deadline.extensions.all())
    return deadlines


def complaint_panel(complaint, user, identity=None) -> dict:
    """The complaint beside a form or on its page."""
    return {
        "complaint": complaint,
        "complaint_number": complaint_number(complaint),
        "staff": rules.is_staff(user),
        # The fields this person may see (rules.disclosure): the template asks it.
        "visible": VISIBLE_FIELDS - rules.disclosure(user).hidden_fields,
        "office": rules.is_office(user),
        "deadlines": deadline_rows(complaint),
        "history": history_rows(complaint, user),
        "repeats": list(complaint.repeats.order_by("id").values_list("pk", flat=True)),
        **identity_panel(complaint, user, identity),
    }


def reveal_identity(request, complaint):
    """Handle the small "查看投诉人身份" form: (identity, form). The identity is None and the
    form carries the errors when no reason was given. Anyone but the office: 403."""
    if not rules.sees_identity(request.user):
        raise PermissionDenied(_("投诉人身份信息仅效能投诉中心可以查看。"))
    form = IdentityForm(request.POST)
    if not form.is_valid():
        return None, form
    try:
        identity = services.view_identity(
            complaint,
            request.user,
            reason=form.cleaned_data["identity_reason"],
            ip=request.META.get("REMOTE_ADDR"),
        )
    except ServiceError as error:
        form.add_error("identity_reason", error.message)
        return None, form
    return identity, IdentityForm()


def no_store(response):
    """Pages that may show an identity are never cached (Xinxiang complaints art. 8)."""
    response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------------------------------
# The list
# ---------------------------------------------------------------------------------------


def _open_deadlines():
    return Deadline.objects.open().filter(suspended_on__isnull=True)


class ComplaintListView(WorkspacePage, TemplateView):
    """Complaints this person may see (rules.visible_complaints), filtered by state,
    department complained about, receiving organ, category and overdue. No identity."""

    template_name = "complaints/staff_list.html"

    def get_context_data(self, **kwargs):
        request = self.request
        today = timezone.localdate()

        filters = ComplaintFilters(request.GET or None)
        complaints = entrypoints.call(
            "workflows.annotate_open_task",
            COMPLAINTS,
            rules.visible_complaints(
                request.user,
                Complaint.objects.select_related(
                    "category", "respondent_department", "transferred_to"
                ),
            ).annotate(
                overdue=Exists(_open_deadlines().filter(complaint=OuterRef("pk"), due__lt=today)),
                next_due=Subquery(
                    _open_deadlines()
                    .filter(complaint=OuterRef("pk"))
                    .order_by("due")
                    .values("due")[:1]
                ),
            ),
        )
        if filters.is_valid():
            data = filters.cleaned_data
            if data["state"]:
                complaints = complaints.filter(state=data["state"])
            if data["department"]:
                complaints = complaints.filter(respondent_department=data["department"])
            if data["organ"]:
                complaints = complaints.filter(transferred_to=data["organ"])
            if data["category"]:
                complaints = complaints.filter(category=data["category"])
            if data["overdue"]:
                complaints = complaints.filter(overdue=True)
        page = Paginator(complaints.order_by("-received_on", "-id"), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        staff = rules.is_staff(request.user)
        for complaint in page:
            complaint.number = complaint_number(complaint)
            complaint.task_title = complaint.task_ref.task_title if complaint.task_ref else ""
            if not staff:
                complaint.task_owner = ""
        query = request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filters=filters,
            page=page,
            complaints=page.object_list,
            query=query.urlencode(),
            can_register=rules.is_office(request.user),
            is_head=rules.is_office_head(request.user),
            **kwargs,
        )


# ---------------------------------------------------------------------------------------
# The complaint page
# ---------------------------------------------------------------------------------------


class ComplaintDetailView(WorkspacePage, TemplateView):
    """One complaint: its facts, deadlines, open task and history — redacted for whoever is
    not the office. The office may ask to see the identity (POST, with a reason)."""

    template_name = "complaints/staff_detail.html"

    def get(self, request, *args, **kwargs):
        complaint = get_visible_complaint(request.user, kwargs["pk"])
        return no_store(self.render_to_response(self.context(complaint)))

    def post(self, request, *args, **kwargs):
        complaint = get_visible_complaint(request.user, kwargs["pk"])
        identity, form = reveal_identity(request, complaint)
        context = self.context(complaint, identity)
        context["identity_form"] = form
        return no_store(self.render_to_response(context))

    def context(self, complaint, identity=None):
        user = self.request.user
        recordings = [
            (name, COMPLAINTS.label(name))
            for name in COMPLAINTS.available(user, complaint)
            if not COMPLAINTS.step(name).changes_state
        ]
        return self.get_context_data(
            recordings=recordings,
            **complaint_panel(complaint, user, identity),
            **entrypoints.call("workflows.task_summary", COMPLAINTS, complaint, user),
        )


# ---------------------------------------------------------------------------------------
# Acting on a complaint: the task screen (workflows/complaint_screens.py) and the screen of
# recordings that leave the state as it is (an extension approved while the organ holds
# the task, a note, an urgent mark)
# ---------------------------------------------------------------------------------------


class ComplaintActScreen(ActScreen):
    """A step on a complaint: the task screen (workflows opens it with the task) and the
    screen of recordings that leave the state as it is (an extension approved while the
    organ holds the task, a note, an urgent mark). The office may ask to see the identity
    here too; the screen is never cached (Xinxiang complaints art. 8)."""

    procedure = COMPLAINTS
    template_name = "complaints/staff_task.html"

    def act_form(self, action):
        return act_form(action)

    def panel(self, complaint):
        return complaint_panel(complaint, self.request.user, getattr(self, "identity", None))

    def extra_context(self):
        # Which period a request for more time is about (the handler's own default).
        deadline = extendable_deadline(self.obj, self.request.user)
        return {"extension_kind": deadline.kind if deadline is not None else ""}

    def post(self, request, *args, **kwargs):
        if "identity_reason" in request.POST:
            self.identity, identity_form = reveal_identity(request, self.obj)
            changes, recordings = self.offered()
            action = self.chosen(request.GET.get("action"), changes, recordings)
            return self.render(
                self.form_for(action), action, changes, recordings, identity_form=identity_form
            )
        return super().post(request, *args, **kwargs)

    def render(self, *args, **kwargs):
        return no_store(super().render(*args, **kwargs))


class RecordView(ComplaintActScreen):
    """Recordings only: they change no state and so complete no task."""

    only_recordings = True


# ---------------------------------------------------------------------------------------
# Registering, the attachment, the identity-access log
# ---------------------------------------------------------------------------------------


class RegisterComplaintView(WorkspacePage, FormView):
    """A complaint by letter, visit or phone (Xinxiang complaints art. 2), registered by the office
    and flagged as a petition; anyone else is refused."""

    template_name = "complaints/staff_register.html"
    form_class = RegisterComplaintForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not rules.is_office(request.user):
            raise PermissionDenied(_("只有效能投诉中心可以登记投诉。"))
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            complaint = services.register(
                self.request.user,
                form.payload(),
                form.cleaned_data.get("attachment"),
                ip=self.request.META.get("REMOTE_ADDR"),
            )
        except ServiceError as error:
            form.add_service_error(error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("已登记%(complaint)s（信访件），待受理审查。")
            % {"complaint": complaint_number(complaint)},
        )
        return HttpResponseRedirect(reverse("complaints:staff-detail", args=[complaint.pk]))

    def render_to_response(self, context, **response_kwargs):
        return no_store(super().render_to_response(context, **response_kwargs))


class AttachmentView(LoginRequiredMixin, View):
    """The attachment, for the complaints office only: a photo or a letter may show who
    complained (Xinxiang complaints art. 8)."""

    def get(self, request, pk):
        complaint = get_visible_complaint(request.user, pk)
        if not rules.sees_identity(request.user):
            raise PermissionDenied(_("附件可能含有投诉人信息，仅效能投诉中心可以查看。"))
        if not complaint.attachment:
            raise Http404
        response = FileResponse(
            complaint.attachment.open("rb"),
            content_type=complaint.attachment_type or "application/octet-stream",
            as_attachment=True,
            filename=f"complaint-{complaint.pk}.{complaint.attachment.name.rsplit('.', 1)[-1]}",
        )
        return no_store(response)


class IdentityAccessLogView(WorkspacePage, TemplateView):
    """Who viewed which complainant's identity, when and why: the complaints office head
    only (Xinxiang complaints art. 8). Filter by complaint number."""

    template_name = "complaints/staff_identity_log.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not rules.is_office_head(request.user):
            raise PermissionDenied(_("只有效能投诉中心负责人可以查阅身份查看记录。"))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        queryset = IdentityAccess.objects.select_related("user").order_by("-at", "-id")
        complaint = self.request.GET.get("complaint", "").strip()
        error = ""
        if complaint:
            if complaint.isdigit():
                queryset = queryset.filter(complaint_id=int(complaint))
            else:
                error = _("投诉编号须为数字。")
        page = Paginator(queryset, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            page=page,
            accesses=page.object_list,
            complaint=complaint,
            error=error,
            **kwargs,
        )
