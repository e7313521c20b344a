"""The background tasks of the data interface (django-tasks; see
``casework.kernel.background``): webhook deliveries."""

import datetime

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from . import webhooks
from .models import ClientCall, Delivery


@task(queue_name="webhooks")
def deliver_endpoint(endpoint_id: int) -> dict:
    """Send what is due to one endpoint (queued with the events, by the outbox)."""
    return webhooks.deliver_due(endpoint_id)


@task(queue_name="webhooks")
def sweep_deliveries() -> int:
    """Queue a delivery run for every endpoint with something due: a retry whose back-off
    is over, or a delivery whose worker died (a periodic task of the workers)."""
    endpoints = webhooks.due_endpoints()
    for endpoint_id in endpoints:
        deliver_endpoint.enqueue(endpoint_id)
    return len(endpoints)


@task()
def prune_interface_logs() -> dict:
    """Forget the calls older than ``INTERFACE_CALLS_KEEP_DAYS`` and the deliveries delivered
    before ``WEBHOOK_DELIVERED_KEEP_DAYS`` (a periodic task of the workers, daily). The events
    themselves are kept: the feed reads from the beginning."""
    now = timezone.now()
    calls, _ = ClientCall.objects.filter(
        at__lt=now - datetime.timedelta(days=settings.INTERFACE_CALLS_KEEP_DAYS)
    ).delete()
    deliveries, _ = Delivery.objects.filter(
        status=Delivery.Status.DELIVERED,
        delivered_at__lt=now - datetime.timedelta(days=settings.WEBHOOK_DELIVERED_KEEP_DAYS),
    ).delete()
    return {"calls": calls, "deliveries": deliveries}
