from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "casework.accountability"
    label = "accountability"
    verbose_name = _("问责")

    def ready(self):
        from casework.kernel import entrypoints

        # Importing the declaration registers the procedure with the kernel.
        from . import declaration, documents, services  # noqa: F401

        entrypoints.provide("accountability.open_case", services.open_case)

        # A postponed executive meeting moves the case's item: the case's date follows.
        from casework.meetings.signals import item_moved

        from .handlers import meeting_moved

        item_moved.connect(
            meeting_moved, sender=declaration.ACCOUNTABILITY, dispatch_uid="case_meeting"
        )

        from simple_history.signals import pre_create_historical_record

        from .models import AccountabilityCase

        # Nanchong art. 6: the history row of an act done under a delegation names it; a
        # filing posted in time says which act it undid.
        pre_create_historical_record.connect(
            _record_delegation,
            sender=AccountabilityCase.history.model,
            weak=False,
            dispatch_uid="accountability_history_delegation",
        )

    def load_demo(self):
        """Demo data in every state (``manage.py demo``)."""
        from .demo import load_demo_cases

        load_demo_cases()


def _record_delegation(sender, instance, history_instance, **kwargs):
    history_instance.delegation = getattr(instance, "_history_delegation", None)
    # Why an act undid an earlier one (a filing posted in time): beside the act's reason.
    why = getattr(instance, "_history_why", "")
    if why:
        reason = history_instance.history_change_reason
        history_instance.history_change_reason = f"{reason}：{why}" if reason else why
