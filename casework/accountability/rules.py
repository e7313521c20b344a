"""Who may do what in an accountability case. Pure checks: no writes.

One row per transition of shared/spec/api.md. The mayor's acts may be done by a vice-mayor or
the secretary-general holding a recorded delegation (Nanchong art. 6).
"""

import datetime

from django.db.models import Q

from casework.org.models import Delegation
from casework.org.roles import Role
from casework.org.rules import acts_as_mayor

from .models import AccountabilityCase, State


def _mayor(scope=Delegation.Scope.ACCOUNTABILITY):
    def check(user, case, day):
        return acts_as_mayor(user, scope, day)

    return check


def _role(*roles):
    def check(user, case, day):
        return user.has_role(*roles)

    return check


def _official_concerned(user, case, day):
    return case.official.user_id is not None and case.official.user_id == user.pk


# transition → who may perform it
ACTORS = {
    "start": _mayor(),  # art. 5
    "order_report": _mayor(Delegation.Scope.HEAR_REPORT),  # art. 6
    "report_heard": _mayor(Delegation.Scope.HEAR_REPORT),  # art. 6
    "submit_to_meeting": _mayor(),  # art. 6, 11
    "assign_investigation": _mayor(),  # art. 6
    "notify_findings": _role(Role.SUPERVISION),  # art. 8
    "file_objection": _official_concerned,  # art. 8
    "close_findings": _role(Role.SUPERVISION),  # art. 8
    "submit_report": _role(Role.SUPERVISION),  # art. 9
    "decide_no_accountability": _mayor(),  # art. 10
    "schedule": _role(Role.SECRETARIAT),  # art. 11
    "deliberate": _role(Role.SECRETARIAT),  # art. 11 (the minutes are recorded by staff)
    "decide": _mayor(),  # art. 12, 13
    "send_proposal": _mayor(),  # art. 22
    "serve": _role(Role.SUPERVISION, Role.SECRETARIAT),  # art. 12
    # art. 14: the official requests; the mayor may enter a late request and admit it
    # anyway (late_ok) — the service refuses anyone else without late_ok.
    "request_review": lambda user, case, day: (
        _official_concerned(user, case, day) or acts_as_mayor(user, Delegation.Scope.REVIEW, day)
    ),
    "become_final": _role(Role.SECRETARIAT, Role.SUPERVISION),  # art. 14
    "refuse_review": _mayor(Delegation.Scope.REVIEW),  # art. 14, 15
    "accept_review": _mayor(Delegation.Scope.REVIEW),  # art. 15
    "submit_review_report": _role(Role.LEGAL_AFFAIRS),  # art. 15
    "review_decide": _mayor(Delegation.Scope.REVIEW),  # art. 16
    "close": _role(Role.SECRETARIAT),
    # Not state changes: execution and side records while the case runs.
    "serve_modified": _role(Role.SUPERVISION, Role.SECRETARIAT),  # art. 12, 16
    "record_execution": _role(Role.SECRETARIAT, Role.SUPERVISION),
    "record_referral": _role(Role.SUPERVISION),  # art. 18
    "record_prior_sanction": _role(Role.SUPERVISION, Role.SECRETARIAT),  # art. 19
    "open_linked_case": _role(Role.SECRETARIAT, Role.SUPERVISION),  # art. 20
}

# Actions that record facts without changing the state, and the states they are open in.
ACTIONS = {
    "record_execution": {
        State.SERVED,
        State.REVIEW_REQUESTED,
        State.UNDER_REVIEW,
        State.REVIEW_REPORTED,
        State.FINAL,
    },
    "record_referral": set(State.values) - {State.CLOSED},
    "record_prior_sanction": set(State.values) - {State.CLOSED},
    "open_linked_case": {State.SERVED, State.FINAL, State.CLOSED},
    "serve_modified": {State.FINAL},
}


def _build_sources():
    """Each transition's source states, read from the state machine on the model."""
    sources: dict[str, set[str]] = {}
    field = AccountabilityCase._meta.get_field("state")
    for transition in field.get_all_transitions(AccountabilityCase):
        sources.setdefault(transition.name, set()).add(transition.source)
    return sources


STAFF_ROLES = (
    Role.MAYOR,
    Role.VICE_MAYOR,
    Role.SECRETARIAT,
    Role.SUPERVISION,
    Role.LEGAL_AFFAIRS,
    Role.ADMINISTRATOR,
)


def can_register(user) -> bool:
    """Secretariat staff register cases; the mayor may too (art. 5)."""
    return user.is_authenticated and (user.has_role(Role.SECRETARIAT) or acts_as_mayor(user))


def visible_cases(user, queryset=None):
    """Staff of the procedure see every case; an official sees only their own
    (Liupanshui art. 12: no one reads another's work items without authorisation)."""
    queryset = queryset if queryset is not None else AccountabilityCase.objects.all()
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser or user.has_role(*STAFF_ROLES):
        return queryset
    return queryset.filter(Q(official__user=user))


def can_view(user, case) -> bool:
    return visible_cases(user, AccountabilityCase.objects.filter(pk=case.pk)).exists()


def may(user, name: str, case, day: datetime.date | None = None) -> bool:
    """May ``user`` do ``name`` on ``case`` (on ``day``), whatever the case's state?"""
    check = ACTORS.get(name)
    return bool(check and user.is_authenticated and check(user, case, day))


def allowed_from(name: str, state: str) -> bool:
    if name in ACTIONS:
        return state in ACTIONS[name]
    return state in transition_sources().get(name, set())


_SOURCES: dict[str, set[str]] | None = None


def transition_sources() -> dict[str, set[str]]:
    global _SOURCES
    if _SOURCES is None:
        _SOURCES = _build_sources()
    return _SOURCES


def available_transitions(user, case, day=None) -> list[str]:
    """What this person may do now: allowed from the case's state and by their role.
    Conditions that depend on the law (a window still open) are checked when acting."""
    names = [n for n in ACTORS if allowed_from(n, case.state) and may(user, n, case, day)]
    if case.vertical:
        names = [n for n in names if n != "decide"]
    else:
        names = [n for n in names if n != "send_proposal"]
    return names
