"""The event feed, ``GET /api/v1/events?after=<cursor>``: the events a client system's scopes
let it read, oldest first, from where it stopped.

A cursor is ``<txid>-<id>`` (opaque to the reader). Ids are taken when an event is written,
not when its transaction commits, so a plain "id greater than the last one seen" would pass
over an event whose transaction committed late. On PostgreSQL the feed therefore serves only
the events of transactions older than the oldest one still running (the snapshot's
``xmin``), ordered by (transaction, id): whatever commits later has a larger transaction id
than any event already served. On SQLite writers take turns and the id order is the commit
order.
"""

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from .models import Event

START = "0-0"


def parse_cursor(cursor: str | None) -> tuple[int, int] | None:
    """``"<txid>-<id>"`` → (txid, id); None when malformed. No cursor is the start."""
    if not cursor:
        return (0, 0)
    parts = cursor.split("-")
    if len(parts) != 2 or not all(part.isdigit() for part in parts):
        return None
    return int(parts[0]), int(parts[1])


SETTLED = RawSQL(
    # The reader's own writes too, if it made any: a feed request makes none, a test that
    # writes and then reads in one transaction does.
    "txid < txid_snapshot_xmin(txid_current_snapshot()) OR txid = txid_current_if_assigned()",
    [],
    output_field=BooleanField(),
)


def settled(queryset):
    """Only events no running transaction could still precede (see the module)."""
    if connection.vendor == "postgresql":
        return queryset.filter(SETTLED)
    return queryset


def page(topics, after: tuple[int, int], limit: int) -> list[Event]:
    """Up to ``limit`` events of ``topics`` after the cursor position ``after``."""
    txid, pk = after
    queryset = (
        Event.objects.filter(topic__in=topics, txid__gte=txid)
        .exclude(Q(txid=txid) & Q(id__lte=pk))
        .order_by("txid", "id")
    )
    return list(settled(queryset)[:limit])


def entry(event: Event) -> dict:
    """One event as the feed and the webhooks give it."""
    return {
        "id": event.pk,
        "cursor": event.cursor,
        "at": timezone.localtime(event.at).isoformat(),
        "type": event.type,
        "topic": event.topic,
        "object": event.object,
        "data": event.data,
    }
