from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "casework.deadlines"
    label = "deadlines"
    verbose_name = _("期限与预警")

    def ready(self):
        from django.db.models.signals import post_save

        from casework.workcalendar.signals import calendar_changed

        from . import documents  # noqa: F401 (the admonition letter's layout)
        from .models import Notification
        from .recalculation import recompute_after_calendar_change
        from .tasks import email_when_created

        def recompute(sender, from_date, actor=None, reason="", **kwargs):
            recompute_after_calendar_change(from_date, actor=actor, reason=reason)

        calendar_changed.connect(recompute, weak=False, dispatch_uid="deadlines_recompute")
        # A transition no longer waits for the mail server: the e-mail is a background task.
        post_save.connect(email_when_created, sender=Notification, dispatch_uid="deadlines_email")

    def load_reference(self):
        """The periods the law leaves open, fixed by a ruling an administrator may change."""
        from .models import PeriodRule

        PeriodRule.ensure_defaults()
