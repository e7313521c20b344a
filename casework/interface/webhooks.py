"""Webhook deliveries: each event a client system reads, POSTed to its endpoint, signed.

The request: the event as the feed gives it (``feed.entry``), UTF-8 JSON, with

* ``X-Casework-Event-Id`` — the event's id: the receiver keeps the ids it has processed and
  ignores one it has seen (a delivery may arrive twice, never not at all);
* ``X-Casework-Timestamp`` — seconds since the epoch when it was signed;
* ``X-Casework-Signature`` — ``sha256=`` and the hex HMAC-SHA256, with the endpoint's secret,
  of the timestamp, a dot and the raw body: the receiver recomputes it and refuses a
  mismatch or an old timestamp.

Any 2xx answer is a delivery. Anything else (another status, no answer within
``WEBHOOK_TIMEOUT_SECONDS``) is tried again after an exponential back-off, which holds back
every delivery of that endpoint (the receiver is down, not one event), until
``WEBHOOK_ATTEMPTS``; then the delivery is marked failed for the administrator (the event
stays in the feed, and the admin can send it again).

A worker claims a delivery by moving its ``next_attempt_at`` forward by a lease
(``WEBHOOK_LEASE_SECONDS``) in one conditional UPDATE, sends it, and marks it. A worker killed
after sending and before marking leaves the delivery pending: once the lease is over, the
sweep sends it again, and the receiver recognises the event id.
"""

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from casework.kernel import background

from .feed import entry
from .models import Delivery

logger = logging.getLogger("casework.interface.webhooks")

USER_AGENT = "casework-webhooks/1"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>`` of HMAC-SHA256(secret, timestamp + "." + body)."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signed: str, *, tolerance=300) -> bool:
    """What a receiver checks (used by the tests, and an example for receivers)."""
    try:
        fresh = abs(time.time() - int(timestamp)) <= tolerance
    except ValueError:
        return False
    return fresh and hmac.compare_digest(signature(secret, timestamp, body), signed)


def body_of(event) -> bytes:
    return json.dumps(entry(event), ensure_ascii=False, separators=(",", ":")).encode()


def claim(endpoint_id: int) -> Delivery | None:
    """The oldest delivery of the endpoint that is due, claimed for the lease; None if
    there is none (or another worker got each candidate first)."""
    now = timezone.now()
    due = Delivery.objects.filter(
        endpoint_id=endpoint_id, status=Delivery.Status.PENDING, next_attempt_at__lte=now
    )
    for pk in due.order_by("event_id").values_list("pk", flat=True)[:20]:
        claimed = Delivery.objects.filter(
            pk=pk, status=Delivery.Status.PENDING, next_attempt_at__lte=now
        ).update(
            next_attempt_at=now + timezone.timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS),
            attempts=F("attempts") + 1,
            last_attempt_at=now,
        )
        if claimed:
            return Delivery.objects.select_related("event", "endpoint").get(pk=pk)
    return None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer that is not 2xx: the event was not taken (and casework goes
    nowhere but where the administrator registered)."""

    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def send(delivery: Delivery) -> tuple[int | None, str]:
    """POST the event; (status, error text)."""
    body = body_of(delivery.event)
    timestamp = str(int(time.time()))
    request = urllib.request.Request(
        delivery.endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "X-Casework-Event-Id": str(delivery.event_id),
            "X-Casework-Timestamp": timestamp,
            "X-Casework-Signature": signature(delivery.endpoint.secret, timestamp, body),
        },
    )
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as answer:
            return answer.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        return None, str(getattr(error, "reason", error))[:500]


def mark_delivered(delivery: Delivery, status: int) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.DELIVERED,
        delivered_at=timezone.now(),
        last_status=status,
        last_error="",
    )


def mark_failed(delivery: Delivery, status: int | None, error: str) -> None:
    """Hold back the endpoint's deliveries for the back-off, or give this one up."""
    mine = Delivery.objects.filter(
        pk=delivery.pk, status=Delivery.Status.PENDING, attempts=delivery.attempts
    )
    if delivery.attempts >= settings.WEBHOOK_ATTEMPTS:
        mine.update(status=Delivery.Status.FAILED, last_status=status, last_error=error)
        logger.error("webhook delivery %s given up: %s", delivery.pk, error)
        return
    retry_at = timezone.now() + background.backoff(
        delivery.attempts, settings.WEBHOOK_RETRY_SECONDS, settings.WEBHOOK_RETRY_MAX_SECONDS
    )
    mine.update(next_attempt_at=retry_at, last_status=status, last_error=error)
    Delivery.objects.filter(
        endpoint_id=delivery.endpoint_id,
        status=Delivery.Status.PENDING,
        next_attempt_at__lt=retry_at,
    ).exclude(pk=delivery.pk).update(next_attempt_at=retry_at)
    logger.warning("webhook delivery %s failed (%s), next at %s", delivery.pk, error, retry_at)


def deliver_due(endpoint_id: int, limit: int = 500) -> dict:
    """Send the endpoint's due deliveries, oldest event first, until none is due, one
    fails (the receiver is down: the back-off holds the rest), or ``limit``."""
    sent = failed = 0
    while sent < limit:
        delivery = claim(endpoint_id)
        if delivery is None:
            break
        status, error = send(delivery)
        if status is not None and 200 <= status < 300:
            mark_delivered(delivery, status)
            sent += 1
        else:
            mark_failed(delivery, status, error or f"HTTP {status}")
            failed += 1
            break
    return {"sent": sent, "failed": failed}


def due_endpoints() -> list[int]:
    """The endpoints with a delivery due (new, to retry, or left by a dead worker)."""
    return list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=timezone.now())
        .order_by()
        .values_list("endpoint_id", flat=True)
        .distinct()
    )
