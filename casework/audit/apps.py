from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "casework.audit"
    label = "audit"
    verbose_name = _("审计链")

    def ready(self):
        from . import chain

        # Every history table of every app is append-only and chained; other apps add their
        # own append-only records (documents, identity-access) with ``chain.append_only``.
        chain.append_only(*chain.history_models())
