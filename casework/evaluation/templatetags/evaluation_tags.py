from django import template

from casework.evaluation import rules

register = template.Library()


@register.filter
def works_in_evaluation(user) -> bool:
    """Whether the menu offers the performance evaluation to ``user`` (rules.py)."""
    return rules.works_in_procedure(user)
