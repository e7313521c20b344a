"""What the early-warning pages share: the workspace frame, a service's refusal as a 403
page, the deadline the person may see, the query string without its page."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme

from casework.exceptions import NotAllowed
from casework.kernel import views as kernel_views

from .. import queries
from ..models import Deadline, Level
from ..rules import visible_deadlines

PAGE_SIZE = 100

LEVEL_ORDER = [Level.RED, Level.YELLOW, Level.PRE_WARNING, Level.NORMAL]


class WorkspacePage(kernel_views.WorkspacePage):
    """Pages drawn inside the workspace (inbox, queue) with the bell."""


def permitted(check, *args):
    """Ask a service's check; its refusal, in the service's own words, is a 403 page."""
    try:
        return check(*args)
    except NotAllowed as refusal:
        raise PermissionDenied(refusal.message) from refusal


def deadline_or_404(user, pk):
    """The deadline if ``user`` may see it, else 404."""
    return get_object_or_404(
        visible_deadlines(
            user, Deadline.objects.select_related("responsible_unit", "responsible_user", "case")
        ),
        pk=pk,
    )


def query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return query.urlencode()


def level_counts(counter):
    return [
        {
            "level": level,
            "label": Level(level).label,
            "colour": queries.LEVEL_COLOURS[level],
            "count": counter.get(level, 0),
        }
        for level in LEVEL_ORDER
    ]


def safe_next(request, fallback):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
