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

    def load_demo(self):
        """Demo data in every state (``manage.py demo``)."""
        from .demo import load_demo_cases

        load_demo_cases()
