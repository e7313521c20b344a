"""What a person does with the notices sent to them (the bell): read them. Notices are created
by ``services.notify``; this module only marks them read, and only the recipient's own.

``Notification`` has no history (it is a message, not a record of the procedure), so a bulk
update is allowed here.
"""

from django.utils import timezone

from .models import Notification


def own(user):
    """The person's notices, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(user) -> int:
    """One query (the ``notification_unread`` index)."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(notification):
    """Idempotent: the first reading time is kept."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
