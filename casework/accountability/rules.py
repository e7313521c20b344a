"""The policy of the accountability procedure: who may act, who may see. Pure checks.

Each actor is named once here and used by the declaration (who may take a step, who is
expected to take it), the flow (who may claim a task), the pages and the API. Nanchong art. 6:
ordering the in-person report, hearing it and charging the bureau to investigate may be done
by a vice-mayor or the secretary-general holding a recorded delegation valid on the day of
the act; starting the procedure, the executive meeting, the modes and the review are the
mayor's own (Nanchong art. 5, 6, 12, 15, 16). In a linked case (Nanchong art. 20) the head
of the parent case takes the mayor's place.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.kernel.declaration import Actor
from casework.org.models import Delegation
from casework.org.roles import CITY_STAFF, Role
from casework.org.rules import acts_as_mayor

from .models import AccountabilityCase


def decider_of_linked_case(case):
    """Nanchong art. 20: the head of the parent case decides a linked case (None: the mayor)."""
    if case is None or case.parent_id is None:
        return None
    return case.parent.official


def _decider(user, case, day):
    head = decider_of_linked_case(case)
    if head is not None:
        return head.user_id is not None and head.user_id == user.pk
    return user.has_role(Role.MAYOR)


def _decider_or_delegate(user, case, day):
    if decider_of_linked_case(case) is not None:
        return _decider(user, case, day)
    return acts_as_mayor(user, Delegation.Scope.HEAR_REPORT, day)


def delegation_used(user, case, day):
    """The delegation under which ``user`` does an act of the mayor's on ``day`` (None: the
    mayor himself, or the head deciding a linked case)."""
    if decider_of_linked_case(case) is not None or user.has_role(Role.MAYOR):
        return None
    return (
        Delegation.active_for(user, Delegation.Scope.HEAR_REPORT, day)
        .order_by("-valid_from", "-pk")
        .first()
    )


def _role(*roles):
    return lambda user, case, day: user.has_role(*roles)


def _official_concerned(user, case, day):
    return case.official.user_id is not None and case.official.user_id == user.pk


# The mayor himself (Nanchong art. 5, 6, 10, 12, 22); in a linked case the head (Nanchong art. 20).
MAYOR = Actor("act_as_mayor", _("市长（关联问责：部门行政首长）"), _decider)
# Nanchong art. 6: ordering and hearing the in-person report, charging the investigation.
MAYOR_ON_REPORTS = Actor(
    "act_as_mayor_on_reports",
    _("市长（或受委托的副市长、秘书长）"),
    _decider_or_delegate,
)
# Nanchong art. 14–16: the decisions on review are the mayor's own.
MAYOR_ON_REVIEW = Actor("act_as_mayor_on_review", _("市长（复核事项）"), _decider)
SUPERVISION = Actor("act_as_supervision", _("市监察局"), _role(Role.SUPERVISION))
SECRETARIAT = Actor("act_as_secretariat", _("市政府办公室"), _role(Role.SECRETARIAT))
LEGAL = Actor("act_as_legal", _("市政府法制办"), _role(Role.LEGAL_AFFAIRS))
SECRETARIAT_OR_SUPERVISION = Actor(
    "act_as_secretariat_or_supervision",
    _("市政府办公室或市监察局"),
    _role(Role.SECRETARIAT, Role.SUPERVISION),
)
OFFICIAL = Actor("official_concerned", _("被问责人"), _official_concerned, per_object=True)
# Nanchong art. 8, 14: the official objects or requests review; the secretariat or the bureau
# enters one that arrived on paper on the official's behalf [rule].
OFFICIAL_OR_STAFF_ENTERING = OFFICIAL | SECRETARIAT_OR_SUPERVISION
# ... and the mayor may admit a late request (late_ok).
OFFICIAL_OR_STAFF_OR_MAYOR_ON_REVIEW = OFFICIAL_OR_STAFF_ENTERING | MAYOR_ON_REVIEW
# Nanchong art. 20: the head of the parent case opens a linked case; staff may enter it.
HEAD_OR_STAFF = SECRETARIAT_OR_SUPERVISION | OFFICIAL


def decider_account(case):
    """Where the tasks of the mayor's go: in a linked case to the head who decides it
    (Nanchong art. 20); otherwise to the queue (None)."""
    head = decider_of_linked_case(case)
    return head.user if head is not None else None


# The city's staff, who enter on the record what arrived on paper: the day of the act and a
# postmark are theirs to set, never the official's on his own filing (which is dated the day
# he makes it).
STAFF_RECORDING = Actor("city_staff", _("市政府工作人员"), lambda user, case, day: is_staff(user))


def official_account(case):
    """The account of the official concerned (None when the official has none: their task
    then waits in the queue of the actor the task names)."""
    return case.official.user


def is_staff(user) -> bool:
    """Staff of the procedure: they see every case and the flow's lists."""
    return bool(user.is_authenticated and (user.is_superuser or user.has_role(*CITY_STAFF)))


def can_register(user) -> bool:
    """Secretariat staff register cases; the mayor may too (Nanchong art. 5)."""
    return user.is_authenticated and (user.has_role(Role.SECRETARIAT) or acts_as_mayor(user))


def visible_cases(user, queryset=None):
    """Staff of the procedure see every case; an official sees only their own (Liupanshui art. 12:
    no one reads another's work items without authorisation)."""
    queryset = queryset if queryset is not None else AccountabilityCase.objects.all()
    if not user.is_authenticated:
        return queryset.none()
    if is_staff(user):
        return queryset
    # The official's own cases, and the linked cases he decides as head (Nanchong art. 20).
    return queryset.filter(Q(official__user=user) | Q(parent__official__user=user))


visible = visible_cases


def works_in_procedure(user) -> bool:
    """Whoever may hold a task of the procedure: its staff, and the officials concerned."""
    return is_staff(user) or (user.is_authenticated and user.has_role(Role.OFFICIAL))


def shows_staff_names(user) -> bool:
    """Who acted and who holds a task is part of the record an official may read."""
    return user.is_authenticated


def can_view(user, case) -> bool:
    if not user.is_authenticated:
        return False
    if is_staff(user):
        return True
    if case.official.user_id is not None and case.official.user_id == user.pk:
        return True
    head = decider_of_linked_case(case)
    return head is not None and head.user_id == user.pk
