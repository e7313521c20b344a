"""The background tasks of early warning (django-tasks; see ``casework.kernel.background``):
the e-mail of a notice, and the scan."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

from casework.kernel import background

from .models import Notification
from .scan import scan


def email_when_created(sender, instance, created, raw=False, **kwargs):
    """A new notice for someone with an address is e-mailed too (connected in
    ``DeadlinesConfig.ready``): queued with the act that created it."""
    if created and not raw and instance.recipient.email:
        background.enqueue(send_notification_email, instance.pk)


@task()
def send_notification_email(notification_id: int, attempt: int = 1) -> str:
    """The e-mail of a notice, sent by a worker once the act that caused it is committed.
    A failure is recorded as a failed task (the admin's task results, /metrics) and tried
    again later (``EMAIL_ATTEMPTS``); the notice itself is in the bell whatever happens."""
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None or notification.emailed or not notification.recipient.email:
        return "skipped"
    try:
        send_mail(
            notification.title,
            notification.body,
            settings.DEFAULT_FROM_EMAIL,
            [notification.recipient.email],
            fail_silently=False,
        )
    except Exception:
        background.retry_later(
            send_notification_email,
            attempt,
            settings.EMAIL_ATTEMPTS,
            settings.EMAIL_RETRY_SECONDS,
            notification_id,
        )
        raise
    # A message, not a record of the procedure: no history, a plain update.
    Notification.objects.filter(pk=notification_id).update(emailed=True)
    return "sent"


@task()
def scan_deadlines(as_of: str | None = None) -> dict:
    """Xinxiang warning art. 5–8: the early-warning scan as a task (the workers run it every
    ``SCAN_EVERY_SECONDS``; ``manage.py scan_deadlines`` runs it at once)."""
    result = scan(datetime.date.fromisoformat(as_of) if as_of else None)
    return {
        "pre_warnings": result.pre_warnings,
        "letters": result.letters,
        "investigations": result.investigations,
    }
