from django import template

from casework.supervision import rules

register = template.Library()


@register.filter
def works_in_supervision(user) -> bool:
    """Whether the menu offers the supervision of assigned matters to ``user`` (rules.py)."""
    return rules.works_in_procedure(user)
