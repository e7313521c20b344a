"""The policy of the accountability procedure: who may act, who may see. Pure checks.

Each actor is named once here and used by the declaration (who may take a step, who is
expected to take it), the flow (who may claim a task), the pages and the API. The mayor's
acts may be done by a vice-mayor or the secretary-general holding a recorded delegation for
the act's scope, valid on the day of the act (Nanchong art. 6).
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.kernel.declaration import Actor
from casework.org.models import Delegation
from casework.org.roles import CITY_STAFF, Role
from casework.org.rules import acts_as_mayor

from .models import AccountabilityCase


def _acting_mayor(scope):
    return lambda user, case, day: acts_as_mayor(user, scope, day)


def _role(*roles):
    return lambda user, case, day: user.has_role(*roles)


def _official_concerned(user, case, day):
    return case.official.user_id is not None and case.official.user_id == user.pk


MAYOR = Actor(
    "act_as_mayor",
    _("市长（或受委托的副市长、秘书长）"),
    _acting_mayor(Delegation.Scope.ACCOUNTABILITY),
)
MAYOR_ON_REPORTS = Actor(
    "act_as_mayor_on_reports",
    _("市长（或受委托听取汇报的副市长）"),
    _acting_mayor(Delegation.Scope.HEAR_REPORT),
)
MAYOR_ON_REVIEW = Actor(
    "act_as_mayor_on_review",
    _("市长（或受委托决定复核事项的副市长）"),
    _acting_mayor(Delegation.Scope.REVIEW),
)
SUPERVISION = Actor("act_as_supervision", _("市监察局"), _role(Role.SUPERVISION))
SECRETARIAT = Actor("act_as_secretariat", _("市政府办公室"), _role(Role.SECRETARIAT))
LEGAL = Actor("act_as_legal", _("市政府法制办"), _role(Role.LEGAL_AFFAIRS))
SECRETARIAT_OR_SUPERVISION = Actor(
    "act_as_secretariat_or_supervision",
    _("市政府办公室或市监察局"),
    _role(Role.SECRETARIAT, Role.SUPERVISION),
)
OFFICIAL = Actor("official_concerned", _("被问责人"), _official_concerned, per_object=True)
# Nanchong art. 14: the official requests review; the mayor (or a delegate) may enter a
# late request that arrived on paper and admit it.
OFFICIAL_OR_MAYOR_ON_REVIEW = OFFICIAL | MAYOR_ON_REVIEW


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
    return queryset.filter(Q(official__user=user))


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
    return case.official.user_id is not None and case.official.user_id == user.pk
