from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "casework.complaints"
    label = "complaints"
    verbose_name = _("投诉")

    def ready(self):
        # Importing the declaration registers the procedure with the kernel.
        from casework.audit.chain import append_only

        from . import declaration  # noqa: F401
        from .models import IdentityAccess

        # Every view of a complainant's identity or attachment stays on the record.
        append_only(IdentityAccess)

    def load_demo(self):
        """Demo data in every state (``manage.py demo``)."""
        from .demo import load_demo_complaints

        load_demo_complaints()

