from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "casework.audit"
    label = "audit"
    verbose_name = _("审计链")

    def ready(self):
        from . import chain, history, signals

        # Every history row records the address of the request or act that wrote it.
        history.stamp_every_address()

        # Every history table of every app is append-only and chained; other apps add their
        # own append-only records (documents, identity-access) with ``chain.append_only``.
        chain.append_only(*chain.history_models())
        # Rows inserted in bulk are sealed in one go.
        signals.rows_appended.connect(chain._on_bulk_insert, dispatch_uid="audit_seal_bulk")
