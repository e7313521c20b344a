from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "casework.documents"
    label = "documents"
    verbose_name = _("文书")

    def ready(self):
        from casework.audit.chain import append_only

        from .models import Amendment, Document

        # Issued documents and their amendments are never changed or deleted.
        append_only(Document, Amendment)
