"""Who keeps a deadline, who sees it, who may ask to extend it and who decides. Pure reads:
no writes. Every page, the API and the services ask these; none decides on its own.

The refusals that follow from these answers are worded once, in the module of each act
(``extensions``, ``letters``, ``investigations``).
"""

import datetime
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import Q

from casework.kernel import entrypoints
from casework.org.models import Delegation, Department, User
from casework.org.roles import CITY_STAFF, Role
from casework.org.rules import acting_mayors, acts_as_mayor

from .models import AdmonitionLetter, Deadline, ExtensionRule, Kind

# The unit codes whose work is done by a role rather than by a department's own staff.
UNIT_ROLES = {
    "supervision": Role.SUPERVISION,
    "legal": Role.LEGAL_AFFAIRS,
    "general_office": Role.SECRETARIAT,
    "complaints": Role.COMPLAINTS_OFFICE,
}


# The roles of the approvers an extension rule may name (the mayor acts through
# ``acts_as_mayor``, which counts a vice-mayor's delegation).
APPROVER_ROLES = {
    ExtensionRule.Approver.COMPLAINTS_HEAD: Role.COMPLAINTS_HEAD,
    ExtensionRule.Approver.SUPERVISION_LEADER: Role.SUPERVISION_LEADER,
}


# --- who keeps a deadline -----------------------------------------------------------------


def responsible_people(deadline):
    """The handler(s) to warn: the named person, else the people of the responsible unit."""
    if deadline.responsible_user_id is not None:
        return [deadline.responsible_user]
    unit = deadline.responsible_unit
    if unit is None:
        return []
    role = UNIT_ROLES.get(unit.code)
    if role is not None:
        return list(User.objects.filter(groups__name=role, is_active=True).distinct())
    return list(User.objects.filter(official__department=unit, is_active=True))


def is_responsible(user, deadline) -> bool:
    """Whether ``user`` keeps ``deadline``: named as the responsible person, or — when no
    one is named — one of the people of the responsible unit (``responsible_people``)."""
    if not user.is_authenticated:
        return False
    if deadline.responsible_user_id == user.pk:
        return True
    unit = deadline.responsible_unit
    if unit is None:
        return False
    role = UNIT_ROLES.get(unit.code)
    if role is not None:
        return user.has_role(role)
    official = getattr(user, "official", None)
    return official is not None and official.department_id == unit.pk


def my_units(user):
    """The departments whose deadlines are ``user``'s to keep: their own department, and the
    unit each of their roles stands for (``UNIT_ROLES``: the supervision bureau's deadlines
    are the bureau's staff's). A queryset, so that it joins into one SQL statement."""
    if not user.is_authenticated:
        return Department.objects.none()
    codes = [code for code, role in UNIT_ROLES.items() if user.has_role(role)]
    mine = Q(code__in=codes)
    official = getattr(user, "official", None)
    if official is not None:
        mine |= Q(pk=official.department_id)
    return Department.objects.filter(mine)


def responsible_filter(user, prefix=""):
    """``responsible_people`` turned around, in SQL: the deadlines whose handler is
    ``user`` — named as the responsible person, or, when no one is named, one of the people
    of the responsible unit."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    return Q(**{f"{prefix}responsible_user": user}) | Q(
        **{
            f"{prefix}responsible_user__isnull": True,
            f"{prefix}responsible_unit__in": my_units(user),
        }
    )


def supervision_leaders():
    return list(
        User.objects.filter(groups__name=Role.SUPERVISION_LEADER, is_active=True).distinct()
    )


# --- who sees deadlines -------------------------------------------------------------------


def visible_deadlines(user, queryset=None):
    """Staff of the procedures see every deadline; an official those of the cases against
    them (Liupanshui art. 12); the complaints office those that belong to no accountability
    case; and everyone the deadlines they must keep themselves (``responsible_filter``),
    since those are the ones they are warned about and may ask to extend."""
    queryset = queryset if queryset is not None else Deadline.objects.all()
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser or user.has_role(*CITY_STAFF):
        return queryset
    visible = Q(case__official__user=user) | responsible_filter(user)
    if user.has_role(Role.SUPERVISION_OFFICE, Role.SUPERVISION_OFFICE_HEAD):
        # Handan supervision measures, section 3 (一)(5): the office follows the matters it
        # assigned.
        visible |= Q(kind=Kind.SUPERVISION_FEEDBACK)
    if user.has_role(Role.COMPLAINTS_OFFICE):
        visible |= Q(case__isnull=True)
    return queryset.filter(visible)


def sees_all_deadlines(user) -> bool:
    """The warning board across departments: the supervision bureau, its leader and the
    mayor's office."""
    return user.is_superuser or user.has_role(
        Role.SUPERVISION,
        Role.SUPERVISION_LEADER,
        Role.MAYOR,
        Role.VICE_MAYOR,
        Role.SECRETARIAT,
        Role.SUPERVISION_OFFICE,
        Role.SUPERVISION_OFFICE_HEAD,
    )


def visible_letters(user, queryset=None):
    """Admonition letters: the supervision bureau, its leader, the mayor's office see all;
    the people of a unit see their own unit's (and a person named on the report deadline,
    theirs)."""
    queryset = queryset if queryset is not None else AdmonitionLetter.objects.all()
    if not user.is_authenticated:
        return queryset.none()
    if sees_all_deadlines(user):
        return queryset
    return queryset.filter(
        Q(unit__in=my_units(user)) | Q(report_deadline__responsible_user=user)
    ).distinct()


def issues_letters(user) -> bool:
    """The supervision bureau runs the warnings and issues the admonition letters in its name
    (Xinxiang warning art. 7); it, and its leader, correct them."""
    return user.is_authenticated and user.has_role(Role.SUPERVISION, Role.SUPERVISION_LEADER)


# --- extensions (Xinxiang complaints art. 5–6; the caps and approvers are reference data) --


# The rules as read once by a read-only page that asks about many deadlines (``rules_read_once``).
_rules_read: ContextVar[dict | None] = ContextVar("extension_rules_read", default=None)


def extension_rule(kind) -> ExtensionRule | None:
    """The rule for deadlines of ``kind``, or None: such deadlines cannot be extended."""
    read = _rules_read.get()
    if read is not None:
        return read.get(kind)
    return ExtensionRule.objects.filter(kind=kind).first()


@contextmanager
def rules_read_once():
    """Within this block ``extension_rule`` answers from one read of every rule: for a list
    that asks, for each deadline it shows, whether its extension may be asked for (a GET,
    which changes no rule)."""
    token = _rules_read.set(extension_rules())
    try:
        yield
    finally:
        _rules_read.reset(token)


def extension_rules() -> dict[str, ExtensionRule]:
    """Every rule by kind, in one query: for a list that asks about many deadlines."""
    read = _rules_read.get()
    if read is not None:
        return read
    return {rule.kind: rule for rule in ExtensionRule.objects.all()}


def assigning_leaders(deadline) -> list:
    """The leader(s) who assigned the matter ``deadline`` belongs to (Handan supervision
    measures, section 4 (一)(3)): asked of the procedure that opened it, through the entry
    point ``deadlines.assigning_leaders.<kind>`` (none: no one)."""
    if deadline is None:
        return []
    name = f"deadlines.assigning_leaders.{deadline.kind}"
    if name not in entrypoints.provided():
        return []
    return list(entrypoints.call(name, deadline))


def is_approver(user, approver: str, day: datetime.date | None = None, deadline=None) -> bool:
    """Whether ``user`` is, on ``day``, the approver a rule names: the mayor (or a
    vice-mayor holding a delegation in force, Nanchong art. 6), a role, or — for the
    assigning leader — the person the deadline's procedure names."""
    if not user.is_authenticated:
        return False
    if approver == ExtensionRule.Approver.ASSIGNING_LEADER:
        return any(person.pk == user.pk for person in assigning_leaders(deadline))
    if approver == ExtensionRule.Approver.MAYOR:
        return acts_as_mayor(user, Delegation.Scope.ACCOUNTABILITY, day)
    role = APPROVER_ROLES.get(approver)
    return role is not None and user.has_role(role)


def extension_approvers(rule, day: datetime.date | None = None, deadline=None) -> list:
    """The people who may decide an extension under ``rule`` on ``day``: told when one is
    asked for."""
    if rule is None:
        return []
    if rule.approver == ExtensionRule.Approver.ASSIGNING_LEADER:
        return assigning_leaders(deadline)
    if rule.approver == ExtensionRule.Approver.MAYOR:
        return acting_mayors(Delegation.Scope.ACCOUNTABILITY, day)
    role = APPROVER_ROLES.get(rule.approver)
    if role is None:
        return []
    return list(User.objects.filter(groups__name=role, is_active=True).distinct())


def decidable_kinds(user, day: datetime.date) -> list[str]:
    """The kinds of deadline whose extensions ``user`` may decide on ``day``: one query for
    the rules, and each approver asked about once (at most one more query, for a
    vice-mayor's delegation)."""
    if not user.is_authenticated:
        return []
    by_approver: dict[str, list[str]] = {}
    for kind, approver in ExtensionRule.objects.values_list("kind", "approver"):
        by_approver.setdefault(approver, []).append(kind)
    return sorted(
        kind
        for approver, kinds in by_approver.items()
        if is_approver(user, approver, day)
        for kind in kinds
    )


# --- preliminary investigations (Xinxiang warning art. 8) ---------------------------------


def sees_investigations(user) -> bool:
    """Preliminary investigations (Xinxiang warning art. 8) are the supervision bureau's work,
    overseen by the mayor's office: the same people who see the warning board."""
    return user.is_authenticated and sees_all_deadlines(user)


def may_decide_investigation(user) -> bool:
    """Xinxiang warning art. 8: the supervision leader approves."""
    return user.is_authenticated and user.has_role(Role.SUPERVISION_LEADER)


def may_conclude_investigation(user) -> bool:
    """Xinxiang warning art. 8: the supervision bureau concludes."""
    return user.is_authenticated and user.has_role(Role.SUPERVISION, Role.SUPERVISION_LEADER)
