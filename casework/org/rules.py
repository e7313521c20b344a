"""Who may act for whom in the organisation. Pure checks: no writes."""

import rules
from django.utils import timezone

from .models import Delegation, User
from .roles import Role


def acts_as_mayor(user, scope: str = Delegation.Scope.ACCOUNTABILITY, day=None) -> bool:
    """The mayor, or a vice-mayor / secretary-general holding a recorded delegation for
    ``scope`` on ``day`` (Nanchong art. 6)."""
    if not user or not user.is_authenticated:
        return False
    if user.has_role(Role.MAYOR):
        return True
    if not user.has_role(Role.VICE_MAYOR):
        return False
    day = day or timezone.localdate()
    # Asked for many steps and many objects on one page: once per person, scope and day.
    cache = user.__dict__.setdefault("_acts_as_mayor", {})
    if (scope, day) not in cache:
        cache[(scope, day)] = Delegation.active_for(user, scope, day).exists()
    return cache[(scope, day)]


def acting_mayors(scope: str = Delegation.Scope.ACCOUNTABILITY, day=None) -> list:
    """Everyone who may act as mayor for ``scope`` on ``day``: the mayor, and vice-mayors
    holding a delegation in force (``acts_as_mayor``)."""
    candidates = User.objects.filter(
        groups__name__in=[Role.MAYOR, Role.VICE_MAYOR], is_active=True
    ).distinct()
    return [user for user in candidates if acts_as_mayor(user, scope, day)]


@rules.predicate
def is_administrator(user):
    return bool(
        user and user.is_authenticated and (user.is_superuser or user.has_role(Role.ADMINISTRATOR))
    )


rules.add_perm("org.manage_calendar", is_administrator)
