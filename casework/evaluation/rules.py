"""The policy of the monthly evaluation: who may act, who may see what. Pure checks, asked by
the pipeline, the pages, the API and the flow alike.

* The supervision bureau (市监察局) computes, reviews and keeps the scheme; its leader
  (监察局分管领导) publishes a month and decides objections (Xinxiang performance art. 12:
  the supervision organ reports the results).
* A draft is the bureau's alone. Once published, the city's staff see the whole table; a
  department's head or staff see their own department's lines and the events behind them,
  and the head may object to a line (Hubei art. 13).
"""

from django.utils.translation import gettext_lazy as _

from casework.kernel.declaration import Actor
from casework.org.roles import CITY_STAFF, Role

from .models import MonthlyEvaluation, State


def is_bureau(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and (user.has_role(Role.SUPERVISION, Role.SUPERVISION_LEADER) or user.is_superuser)
    )


def is_bureau_leader(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(Role.SUPERVISION_LEADER))


def department_of(user):
    """The department a person works in (head or staff), or None."""
    official = getattr(user, "official", None) if user and user.is_authenticated else None
    return official.department_id if official is not None and official.active else None


def is_department_head(user) -> bool:
    official = getattr(user, "official", None) if user and user.is_authenticated else None
    return bool(official is not None and official.active and official.is_head)


def sees_whole_table(user) -> bool:
    """The bureau, and the city's staff once a month is published."""
    return is_bureau(user) or bool(user and user.is_authenticated and user.has_role(*CITY_STAFF))


def works_in_procedure(user) -> bool:
    return bool(user and user.is_authenticated) and (
        sees_whole_table(user) or department_of(user) is not None
    )


def is_staff(user) -> bool:
    return is_bureau(user)


def shows_staff_names(user) -> bool:
    return sees_whole_table(user)


def can_view(user, evaluation) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if is_bureau(user):
        return True
    if evaluation.state != State.PUBLISHED:
        return False
    return sees_whole_table(user) or department_of(user) is not None


def visible(user):
    """The months ``user`` may open."""
    if is_bureau(user):
        return MonthlyEvaluation.objects.all()
    if works_in_procedure(user):
        return MonthlyEvaluation.objects.filter(state=State.PUBLISHED)
    return MonthlyEvaluation.objects.none()


def visible_lines(user, evaluation, lines):
    """Of ``lines`` of ``evaluation``, those ``user`` may see: all for whoever sees the whole
    table, their own department's for a department's people."""
    if not can_view(user, evaluation):
        return lines.none()
    if sees_whole_table(user):
        return lines
    return lines.filter(department_id=department_of(user))


def can_see_line(user, line) -> bool:
    if not can_view(user, line.evaluation):
        return False
    return sees_whole_table(user) or line.department_id == department_of(user)


def can_edit_scheme(user) -> bool:
    return is_bureau(user)


BUREAU = Actor("act_as_bureau", _("市监察局"), lambda user, evaluation, day: is_bureau(user))
BUREAU_LEADER = Actor(
    "act_as_bureau_leader",
    _("监察局分管领导"),
    lambda user, evaluation, day: is_bureau_leader(user),
)
# Hubei art. 13: the subject of the record objects; here the head of a department that has
# lines in the month.
DEPARTMENT_HEAD = Actor(
    "object_for_department",
    _("被测评部门负责人"),
    lambda user, evaluation, day: (
        is_department_head(user)
        and evaluation is not None
        and evaluation.current_lines().filter(department_id=department_of(user)).exists()
    ),
    per_object=True,
)
