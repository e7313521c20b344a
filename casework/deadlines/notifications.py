"""The notices of early warning and correction (the bell): sending them, in-app and by
e-mail (the background task ``tasks.send_notification_email``, queued for every notice
created for someone with an address: ``DeadlinesConfig.ready``), and what a person does with
their own — read them.

``Notification`` has no history (it is a message, not a record of the procedure), so a bulk
update is allowed here.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Kind, Notification


def notify(recipients, title, body="", *, link="", deadline=None):
    """In-app for everyone, and by e-mail (Django's backend) for those with an address.
    The e-mail is a background task queued with the act: it leaves only once the act is
    committed, and the act never waits for the mail server."""
    for person in {r.pk: r for r in recipients}.values():
        Notification.objects.create(
            recipient=person, title=title[:255], body=body, link=link, deadline=deadline
        )


def subject_of(deadline) -> str:
    """How a notice names the matter of ``deadline``: the case number, or the complaint's
    number (never the complainant, Xinxiang complaints art. 8), or the in-process item of
    another system by its number there (its description says which)."""
    if deadline.kind == Kind.INTERFACE_ITEM:
        return _("在办事项 %(what)s") % {"what": deadline.description}
    if deadline.kind == Kind.SUPERVISION_FEEDBACK:
        return _("督办事项 %(what)s") % {"what": deadline.description}
    if deadline.case_id:
        return f"{deadline.case.number} {deadline.description}"
    if deadline.complaint_id:
        return _("投诉第%(pk)s号 %(what)s") % {
            "pk": deadline.complaint_id,
            "what": deadline.description,
        }
    return deadline.description


def link_to(deadline) -> str:
    """Where a notice about ``deadline`` points."""
    if deadline.case_id:
        return f"/accountability/{deadline.case_id}/"
    if deadline.kind == Kind.INTERFACE_ITEM:
        # An item has no page of its own in casework: its deadline, day by day.
        return f"/deadlines/{deadline.pk}/explain/"
    matter = getattr(deadline, "supervision_matter", None)
    if deadline.kind == Kind.SUPERVISION_FEEDBACK and matter is not None:
        return f"/supervision/{matter.pk}/"
    return "/deadlines/"


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
