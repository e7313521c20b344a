from django import template

from casework.complaints import rules

register = template.Library()


@register.filter
def sees_complaints(user) -> bool:
    """The menu entry follows rules.sees_complaint_list (the list itself filters by
    rules.visible_complaints)."""
    return rules.sees_complaint_list(user)
