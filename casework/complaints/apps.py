from django.apps import AppConfig
from django.core.signals import setting_changed
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "casework.complaints"
    label = "complaints"
    verbose_name = _("投诉")

    def ready(self):
        # Importing the declaration registers the procedure with the kernel.
        from casework.audit.chain import append_only

        # The transfer and feedback letters declare their layout as official documents.
        from . import declaration, documents  # noqa: F401
        from .models import IdentityAccess

        # Every view of a complainant's identity or attachment stays on the record.
        append_only(IdentityAccess)
        setting_changed.connect(forget_derived_keys, dispatch_uid="complaints_identity_keys")

    def load_demo(self):
        """Demo data in every state (``manage.py demo``)."""
        from .demo import load_demo_complaints

        load_demo_complaints()


def forget_derived_keys(setting, **kwargs):
    """The identity fields keep the keys they derived (django-fernet-encrypted-fields caches
    them per field); a changed key (a test, a rotation in one process) derives them again."""
    if setting not in {"SALT_KEY", "SECRET_KEY", "SECRET_KEY_FALLBACKS"}:
        return
    from .models import Complaint

    for field in Complaint._meta.concrete_fields:
        for cached in ("keys", "f"):
            field.__dict__.pop(cached, None)
