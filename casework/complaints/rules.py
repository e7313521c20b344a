"""The policy of the complaint procedure: who may act, who may see what. Pure checks.

Xinxiang complaints art. 8: the complainant's identity and contact details are seen by the
complaints office only; transferred organs, officials concerned, exports and reports see a
redacted complaint. What each person may see of a complaint is ``disclosure(user)``: the API,
the pages, the history, the exports and the notifications all ask it.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.deadlines import extensions
from casework.deadlines import rules as deadline_rules
from casework.deadlines.models import Extension, Kind
from casework.exceptions import NotAllowed
from casework.kernel.declaration import Actor
from casework.org.models import User
from casework.org.roles import Role

from .models import Complaint

OFFICE_ROLES = (Role.COMPLAINTS_OFFICE, Role.COMPLAINTS_HEAD)


def is_office(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(*OFFICE_ROLES))


def is_office_head(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(Role.COMPLAINTS_HEAD))


def organ_department_id(user):
    """The department a user works in (head or staff), for complaints transferred to it."""
    official = getattr(user, "official", None) if user.is_authenticated else None
    return official.department_id if official is not None else None


def _is_organ(user, complaint, day=None) -> bool:
    department_id = organ_department_id(user)
    return department_id is not None and complaint.transferred_to_id == department_id


def pending_extension(complaint):
    """The request to extend one of the complaint's deadlines that waits for a decision (the
    latest), or None: from the extensions a list prefetched, else one query."""
    deadlines = {d.pk: d for d in complaint.deadlines.all()}
    if all("extensions" in getattr(d, "_prefetched_objects_cache", {}) for d in deadlines.values()):
        waiting = [
            extension
            for deadline in deadlines.values()
            for extension in deadline.extensions.all()
            if extension.status == Extension.Status.PENDING
        ]
        pending = max(waiting, key=lambda extension: extension.pk, default=None)
    else:
        pending = (
            Extension.objects.filter(deadline_id__in=deadlines, status=Extension.Status.PENDING)
            .order_by("-id")
            .first()
        )
    if pending is not None:
        pending.deadline = deadlines[pending.deadline_id]
    return pending


def _approves_complaint_extensions(user, complaint, day):
    """The approver the deadlines' rules name for a complaint's periods (Xinxiang complaints art. 6:
    the head of the transferring body) — and, for a pending request, the deadlines' own refusal
    (never one's own request)."""
    kinds = {Kind.COMPLAINT_TRANSFER, Kind.COMPLAINT_HANDLING, Kind.ORGAN_REPORT}
    if not any(
        deadline_rules.is_approver(user, rule.approver, day)
        for kind, rule in deadline_rules.extension_rules().items()
        if kind in kinds
    ):
        return False
    pending = pending_extension(complaint) if complaint is not None else None
    refusal = extensions.refusal_to_decide(user, pending, day) if pending is not None else None
    if isinstance(refusal, NotAllowed):
        raise refusal
    return True


OFFICE = Actor("act_as_office", _("效能投诉中心"), lambda user, complaint, day: is_office(user))
# Xinxiang complaints art. 6: the organ to which the complaint was transferred; its task
# waits in the queue of that department's people.
ORGAN = Actor(
    "act_for_department",
    _("承办机关"),
    _is_organ,
    scope=lambda complaint: complaint.transferred_to_id,
    scopes_of=lambda user: {organ_department_id(user)} - {None},
    scope_name=lambda complaint: (
        complaint.transferred_to.name if complaint.transferred_to_id else ""
    ),
)
# Who may ask for one of a complaint's periods to be extended: the office for its own, the
# organ for its report; which deadline, and whether now, the deadlines' rules decide.
EXTENSION_ASKER = OFFICE | ORGAN
EXTENSION_APPROVER = Actor(
    "approves_complaint_extensions",
    _("延期的审批人"),
    _approves_complaint_extensions,
    per_object=True,
)


def sole_organ_account(complaint):
    """The organ's one account when it has exactly one (its task goes to that person's
    inbox); otherwise None: the task waits in the queue of the department's people."""
    users = list(
        User.objects.filter(
            is_active=True,
            official__department_id=complaint.transferred_to_id,
            official__active=True,
        )[:2]
    )
    return users[0] if len(users) == 1 else None


# ------------------------------------------------------------------------------------------
# Who sees what
# ------------------------------------------------------------------------------------------


def sees_all_complaints(user) -> bool:
    """The office (with the identity) and the supervision bureau (redacted) see every one."""
    return is_office(user) or user.has_role(Role.SUPERVISION) or user.is_superuser


def sees_complaint_list(user) -> bool:
    """Whether the staff complaint list is for ``user`` at all: those who see every
    complaint, and an organ's head or staff (what was transferred to it)."""
    if not user.is_authenticated:
        return False
    return sees_all_complaints(user) or organ_department_id(user) is not None


def visible_complaints(user, queryset=None):
    """The office sees every complaint; the supervision bureau sees them redacted; an organ
    sees (redacted) what was transferred to it; nobody else sees any."""
    queryset = queryset if queryset is not None else Complaint.objects.all()
    if not user.is_authenticated:
        return queryset.none()
    if sees_all_complaints(user):
        return queryset
    department_id = organ_department_id(user)
    if department_id is None:
        return queryset.none()
    return queryset.filter(Q(transferred_to_id=department_id))


visible = visible_complaints


def works_in_procedure(user) -> bool:
    """Whoever may hold a task of the procedure: the office, the bureau, an organ."""
    return sees_complaint_list(user)


def can_view(user, complaint) -> bool:
    if not user.is_authenticated:
        return False
    return sees_all_complaints(user) or _is_organ(user, complaint)


# What identifies the complainant: their identity and contact details, their tracking code
# (a credential), the feedback letter addressed to them, the file they uploaded.
IDENTIFYING_FIELDS = frozenset(
    {
        "name",
        "phone",
        "email",
        "tracking_code",
        "feedback",
        "feedback_letter",
        "attachment",
        "attachment_type",
    }
)
# The office's own working: notes, who registered a letter or visit, the reasons given in
# the history and the names of the staff who acted.
# The on-site responders name the office's people: the organ sees the office as a unit.
INTERNAL_FIELDS = frozenset({"internal_notes", "registered_by", "onsite_responders"})


@dataclass(frozen=True)
class Disclosure:
    """What one person may see of a complaint (Xinxiang complaints art. 8)."""

    identity: bool  # IDENTIFYING_FIELDS: the complaints office only
    internal: bool  # INTERNAL_FIELDS, history reasons, staff names: office, bureau, admin

    @property
    def hidden_fields(self) -> frozenset:
        hidden = set()
        if not self.identity:
            hidden |= IDENTIFYING_FIELDS
        if not self.internal:
            hidden |= INTERNAL_FIELDS
        return frozenset(hidden)

    def redact(self, data: dict) -> dict:
        """``data`` (a complaint's fields by name) without what this person may not see."""
        return {key: value for key, value in data.items() if key not in self.hidden_fields}


def disclosure(user) -> Disclosure:
    return Disclosure(
        identity=is_office(user),
        internal=bool(user.is_authenticated and sees_all_complaints(user)),
    )


def sees_identity(user) -> bool:
    """Xinxiang complaints art. 8: only the complaints office sees who complained."""
    return disclosure(user).identity


def is_staff(user) -> bool:
    """Staff of the procedure: they see internal notes, history reasons and staff names
    (never the identity, unless office)."""
    return disclosure(user).internal


def shows_staff_names(user) -> bool:
    """The organ sees the office as a unit, never its people."""
    return is_staff(user)


# ------------------------------------------------------------------------------------------
# The complaint's letters (Xinxiang complaints art. 6, 8)
# ------------------------------------------------------------------------------------------

# Which of the complaint's fields holds each letter; the feedback letter is addressed to the
# complainant, so it is one of the IDENTIFYING_FIELDS: the office's alone.
LETTER_FIELDS = ("transfer_letter", "feedback_letter")


def complaint_of_letter(document):
    """The complaint a transfer or feedback letter was issued on, or None."""
    for field in LETTER_FIELDS:
        complaint = Complaint.objects.filter(**{field: document}).first()
        if complaint is not None:
            return complaint, field
    return None, None


def may_see_letter(user, complaint, field) -> bool:
    """The one rule of who sees a complaint's letter, asked by the documents' format (and so
    by the document's page, its PDF and the document API), by the complaint's API and pages:
    the letter's field must be one this person may see of the complaint (``disclosure``) —
    the feedback letter, like the identity, the complaints office's alone — and the complaint
    must be theirs to see (the transfer letter: the office, the bureau, the organ it was sent
    to)."""
    if not getattr(user, "is_authenticated", False) or complaint is None:
        return False
    if field in disclosure(user).hidden_fields:
        return False
    return can_view(user, complaint)


def can_view_letter(user, document) -> bool:
    """Whether ``user`` may see ``document``, a letter of the complaint procedure. A letter
    tied to no complaint is the office's alone."""
    complaint, field = complaint_of_letter(document)
    if complaint is None:
        return is_office(user)
    return may_see_letter(user, complaint, field)


def visible_letters(user, complaint) -> list:
    """The complaint's letters ``user`` may see, in the order they were issued."""
    return [
        getattr(complaint, field)
        for field in LETTER_FIELDS
        if getattr(complaint, f"{field}_id") is not None and may_see_letter(user, complaint, field)
    ]


def may_amend_letter(user, document) -> bool:
    """The complaints office issued the letter and corrects it."""
    return is_office(user)
