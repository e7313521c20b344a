"""Who may do what with a complaint, and who sees what. Pure checks: no writes.

Art. 8 of the Xinxiang complaint measures: the complainant's identity is seen by the
complaints office only; everyone else sees a redacted complaint.
"""

from django.db.models import Q

from casework.org.roles import Role

from .models import Complaint, State

OFFICE = (Role.COMPLAINTS_OFFICE, Role.COMPLAINTS_HEAD)


def is_office(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(*OFFICE))


def is_office_head(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(Role.COMPLAINTS_HEAD))


def organ_department_id(user):
    """The department a user works in (head or staff), for complaints transferred to it."""
    official = getattr(user, "official", None) if user.is_authenticated else None
    return official.department_id if official is not None else None


def _organ(user, complaint, day=None):
    department_id = organ_department_id(user)
    return department_id is not None and complaint.transferred_to_id == department_id


def _office(user, complaint, day=None):
    return is_office(user)


def _office_head(user, complaint, day=None):
    return is_office_head(user)


ACTORS = {
    "accept": _office,
    "reject_out_of_scope": _office,
    "verify": _office,
    "transfer": _office,
    "organ_report": _organ,
    # art. 6: the organ asks, in writing, before its deadline; the office for its own period
    # The organ only while its reporting deadline runs (state TRANSFERRED).
    "request_extension": lambda user, complaint, day=None: (
        (_organ(user, complaint) and complaint.state == State.TRANSFERRED) or is_office(user)
    ),
    "approve_extension": _office_head,  # art. 6: the transferring organ's head approves
    "decide": _office,
    "give_feedback": _office,
    "close": _office,
    "mark_urgent": _office,
    "record_onsite_response": _office,
    "link_repeat": _office,
    "add_note": _office,
}

# Actions that record facts without changing the state, and the states they are open in.
OPEN = set(State.values) - {State.CLOSED, State.OUT_OF_SCOPE}
ACTIONS = {
    "request_extension": {
        State.ACCEPTED,
        State.TRANSFERRED,
        State.HANDLED_BY_ORGAN,
        State.VERIFYING,
    },
    "approve_extension": {State.TRANSFERRED, State.ACCEPTED, State.VERIFYING},
    "mark_urgent": OPEN - {State.DECIDED, State.FEEDBACK_GIVEN},
    "record_onsite_response": OPEN,
    "link_repeat": OPEN,
    "add_note": OPEN,
}


def _sources():
    sources: dict[str, set[str]] = {}
    for transition in Complaint._meta.get_field("state").get_all_transitions(Complaint):
        sources.setdefault(transition.name, set()).add(transition.source)
    return sources


SOURCES = _sources()


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


def can_view(user, complaint) -> bool:
    return visible_complaints(user, Complaint.objects.filter(pk=complaint.pk)).exists()


def sees_identity(user) -> bool:
    """Art. 8: only the complaints office sees who complained."""
    return is_office(user)


def may(user, name, complaint, day=None) -> bool:
    check = ACTORS.get(name)
    return bool(check and user.is_authenticated and check(user, complaint, day))


def allowed_from(name, state) -> bool:
    if name in ACTIONS:
        return state in ACTIONS[name]
    return state in SOURCES.get(name, set())


def available_transitions(user, complaint, day=None) -> list[str]:
    names = [n for n in ACTORS if allowed_from(n, complaint.state) and may(user, n, complaint, day)]
    if complaint.state == State.DECIDED and complaint.real_name:
        names = [n for n in names if n != "close"]  # feedback first (art. 8)
    if complaint.state == State.DECIDED and not complaint.real_name:
        names = [n for n in names if n != "give_feedback"]
    return names
