"""What every staff page of the complaint procedure shows of a complaint: its number, its
facts, its deadlines and its history — each as ``rules.disclosure`` lets the viewer see it
(Xinxiang complaints art. 8): the identity for the complaints office only, masked until a
reason is given (and that view recorded); the office's internal working for the staff of
the procedure; the office as a unit, never its people, for the organ. A fixed number of
queries whatever the number of history rows or deadlines."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.deadlines.models import Extension
from casework.deadlines.queries import annotate_days_left
from casework.documents.models import Document
from casework.exceptions import ServiceError
from casework.org.models import Department, User

from .. import rules, services
from ..declaration import COMPLAINTS
from ..forms import IdentityForm
from ..models import Complaint, ComplaintCategory, ComplaintOutcome, State

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
            "transfer_letter",
            "feedback_letter",
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
            elif model is Document:
                # The complaint's letters, by number (the feedback letter's field is hidden
                # from whoever may not see it, like the identity).
                letters = [getattr(complaint, f"{field}_id") for field in rules.LETTER_FIELDS]
                cache[model] = dict(
                    Document.objects.filter(pk__in=letters).values_list("pk", "number")
                )
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
    """The complaint's deadlines with their warning level and working days left, and the
    extension requests of each (the organ sees no names of who asked or decided)."""
    today = timezone.localdate()
    deadlines = annotate_days_left(
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
        .order_by("due", "id"),
        today,
    )
    for deadline in deadlines:
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
        # The transfer and feedback letters this person may see (Xinxiang complaints art. 8).
        "letters": rules.visible_letters(user, complaint),
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
