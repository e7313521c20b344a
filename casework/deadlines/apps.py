from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "casework.deadlines"
    label = "deadlines"
    verbose_name = _("期限与预警")

    def ready(self):
        from casework.workcalendar.signals import calendar_changed

        from .recalculation import recompute_after_calendar_change

        def recompute(sender, from_date, actor=None, reason="", **kwargs):
            recompute_after_calendar_change(from_date, actor=actor, reason=reason)

        calendar_changed.connect(recompute, weak=False, dispatch_uid="deadlines_recompute")

    def load_reference(self):
        """The periods the law leaves open, fixed by a ruling an administrator may change."""
        from .models import PeriodRule

        PeriodRule.ensure_defaults()
