from django import template

from casework.complaints import rules
from casework.org.roles import Role

register = template.Library()


@register.filter
def sees_complaints(user) -> bool:
    """Whether the staff complaint list has anything for ``user`` (rules.visible_complaints):
    the office, the supervision bureau, and an organ's head or staff."""
    if not user.is_authenticated:
        return False
    return bool(
        user.is_superuser
        or rules.is_office(user)
        or user.has_role(Role.SUPERVISION)
        or rules.organ_department_id(user) is not None
    )
