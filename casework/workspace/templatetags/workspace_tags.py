"""The workspace's shared bits of page: the search box in the header, the menu's links to the
dashboard and the calendar import, the language switch, and status chips coloured by meaning."""

from django import template
from django.conf import settings
from django.utils.translation import get_language

from ..rules import sees_dashboard

register = template.Library()

# A state's meaning, whatever the procedure: just arrived, in hand, with a review, decided,
# finished, or ended without action (docs/search.md#status-chips).
MEANINGS = {
    "new": {"proposed", "submitted", "pending"},
    "active": {
        "initiated",
        "report_ordered",
        "investigating",
        "findings_notified",
        "findings_closed",
        "report_submitted",
        "awaiting_meeting",
        "scheduled",
        "accepted",
        "verifying",
        "transferred",
        "handled_by_organ",
        "issued",
    },
    "review": {"review_requested", "under_review", "review_reported"},
    "decided": {"deliberated", "decided", "proposal_sent", "served", "approved", "case_opened"},
    "done": {"final", "closed", "feedback_given", "reported"},
    "stopped": {"not_accountable", "out_of_scope", "refused", "dismissed"},
}
CHIP = {state: meaning for meaning, states in MEANINGS.items() for state in states}


@register.filter
def chip(state) -> str:
    """The CSS classes of a status chip for ``state`` (a state or status code)."""
    return f"cw-chip cw-chip-{CHIP.get(str(state), 'active')}"


@register.inclusion_tag("workspace/_search_box.html", takes_context=True)
def search_box(context):
    request = context.get("request")
    return {"q": request.GET.get("q", "") if request else ""}


@register.inclusion_tag("workspace/_menu.html", takes_context=True)
def workspace_menu(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    return {
        "show": True,
        "request": request,
        "sees_dashboard": sees_dashboard(user),
        "manages_calendar": user.has_perm("org.manage_calendar"),
        "languages": settings.LANGUAGES,
        "language": get_language(),
        "next": request.get_full_path(),
    }
