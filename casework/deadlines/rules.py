"""Who is responsible for a deadline, who may ask to extend it, who decides. No writes."""

from django.conf import settings

from casework.org.models import Delegation, User
from casework.org.roles import Role
from casework.org.rules import acting_mayors, acts_as_mayor

from .models import RIGHT_KINDS, Kind

# The unit codes whose work is done by a role rather than by a department's own staff.
UNIT_ROLES = {
    "supervision": Role.SUPERVISION,
    "legal": Role.LEGAL_AFFAIRS,
    "general_office": Role.SECRETARIAT,
    "complaints": Role.COMPLAINTS_OFFICE,
}

# The approver the procedure names for an extension of each kind of deadline.
MAYOR_KINDS = {Kind.REPORT, Kind.INVESTIGATION, Kind.REVIEW_REPORT, Kind.RECTIFICATION, Kind.FILING}
COMPLAINTS_KINDS = {Kind.COMPLAINT_TRANSFER, Kind.COMPLAINT_HANDLING, Kind.ORGAN_REPORT}
SUPERVISION_KINDS = {Kind.RECTIFICATION_REPORT}


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


def supervision_leaders():
    return list(
        User.objects.filter(groups__name=Role.SUPERVISION_LEADER, is_active=True).distinct()
    )


def extension_approvers(deadline) -> list:
    """The people who may decide an extension of ``deadline`` (``may_decide_extension``):
    told when one is asked for. Vice-mayors count only with a delegation in force today."""
    if deadline.kind in MAYOR_KINDS:
        return acting_mayors()
    if deadline.kind in COMPLAINTS_KINDS:
        role = Role.COMPLAINTS_HEAD
    elif deadline.kind in SUPERVISION_KINDS:
        role = Role.SUPERVISION_LEADER
    else:
        return []
    return list(User.objects.filter(groups__name=role, is_active=True).distinct())


def is_responsible(user, deadline) -> bool:
    """Whether ``user`` keeps ``deadline``: named as the responsible person, or one of the
    people of the responsible unit (``responsible_people``)."""
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


def may_request_extension(user, deadline) -> bool:
    return deadline.kind not in RIGHT_KINDS and is_responsible(user, deadline)


def may_decide_extension(user, deadline, day=None) -> bool:
    if not user.is_authenticated:
        return False
    if deadline.kind in MAYOR_KINDS:
        return acts_as_mayor(user, Delegation.Scope.ACCOUNTABILITY, day)
    if deadline.kind in COMPLAINTS_KINDS:
        return user.has_role(Role.COMPLAINTS_HEAD)
    if deadline.kind in SUPERVISION_KINDS:
        return user.has_role(Role.SUPERVISION_LEADER)
    return False


def extension_cap(kind: str) -> int:
    """Total working days a deadline of ``kind`` may be extended by (a setting)."""
    caps = settings.DEADLINE_EXTENSION_CAPS
    return int(caps.get(kind, caps.get("default", 30)))


def sees_all_deadlines(user) -> bool:
    return user.is_superuser or user.has_role(
        Role.SUPERVISION, Role.SUPERVISION_LEADER, Role.MAYOR, Role.VICE_MAYOR, Role.SECRETARIAT
    )


# --- preliminary investigations (Xinxiang early-warning measures art. 8) ---------------


def sees_investigations(user) -> bool:
    """Preliminary investigations (art. 8) are the supervision bureau's work, overseen by the
    mayor's office: the same people who see the warning board."""
    return user.is_authenticated and sees_all_deadlines(user)


def may_decide_investigation(user) -> bool:
    """Art. 8: the supervision leader approves."""
    return user.is_authenticated and user.has_role(Role.SUPERVISION_LEADER)


def may_conclude_investigation(user) -> bool:
    """Art. 8: the supervision bureau concludes."""
    return user.is_authenticated and user.has_role(Role.SUPERVISION, Role.SUPERVISION_LEADER)
