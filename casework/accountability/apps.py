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

    def load_demo(self):
        """Demo data in every state (``manage.py demo``)."""
        from .demo import load_demo_cases

        load_demo_cases()
