from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "casework.documents"
    label = "documents"
    verbose_name = _("文书")

    def ready(self):
        from casework.audit.chain import append_only
        from casework.kernel import entrypoints

        from . import preview, tasks  # noqa: F401 (the render task is known to the workers)
        from .models import Amendment, Document, DocumentFile

        # Issued documents, their amendments and their PDFs are never changed or deleted.
        append_only(Document, Amendment, DocumentFile)
        entrypoints.provide("documents.preview", preview.preview)
