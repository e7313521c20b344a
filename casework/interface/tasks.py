"""The background tasks of the data interface (django-tasks; see
``casework.kernel.background``): webhook deliveries."""

from django_tasks import task

from . import webhooks


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
