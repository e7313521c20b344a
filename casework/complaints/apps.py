from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "casework.complaints"
    label = "complaints"
    verbose_name = _("投诉")

    def ready(self):
        # Importing the declaration registers the procedure with the kernel.
        from . import declaration  # noqa: F401

    def load_demo(self):
        """Demo data in every state (``manage.py demo``)."""
        from .demo import load_demo_complaints

        load_demo_complaints()
