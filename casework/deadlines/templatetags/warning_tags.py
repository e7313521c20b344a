"""The bell, the early-warning menu and the "我的期限" card of the workspace
(templates/viewflow/base_page.html)."""

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from casework.deadlines import notifications, queries
from casework.deadlines import rules as deadline_rules
from casework.deadlines.models import Level

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """The bell's number: one query."""
    request = context.get("request")
    if request is None:
        return 0
    return notifications.unread_count(request.user)


@register.inclusion_tag("deadlines/_menu.html", takes_context=True)
def warning_menu(context):
    """The early-warning links of the workspace menu, each shown to whom the rules allow
    (the pages check again)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    return {
        "show": True,
        "request": request,
        "sees_board": deadline_rules.sees_all_deadlines(user),
        "sees_investigations": deadline_rules.sees_investigations(user),
        "decides_extensions": bool(deadline_rules.decidable_kinds(user, timezone.localdate())),
    }


@register.inclusion_tag("deadlines/_summary.html", takes_context=True)
def my_deadline_summary(context):
    """On the inbox: how many of the person's own duties are red, yellow, pre-warned, normal
    (one aggregate query, plus the calendar ordinal of today)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    today = timezone.localdate()
    order = (Level.RED, Level.YELLOW, Level.PRE_WARNING, Level.NORMAL)
    counts = (
        queries.duties()
        .filter(deadline_rules.responsible_filter(user))
        .with_level(today)
        .aggregate(**{str(level): Count("pk", filter=Q(level=level)) for level in order})
    )
    levels = [
        {
            "level": level,
            "label": Level(level).label,
            "colour": queries.LEVEL_COLOURS[level],
            "count": counts[str(level)],
        }
        for level in order
    ]
    return {"show": True, "levels": levels, "total": sum(counts.values())}
