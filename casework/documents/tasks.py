"""Rendering a document's PDF in the background (django-tasks, ``casework.kernel.background``):
queued in the transaction that issues the document or appends the amendment, so that the act
never waits for the renderer and a renderer's failure never loses the document. A download
renders a PDF not stored yet (``rendering.stored_file``)."""

import logging

from django_tasks import task

from casework.kernel import background

from . import rendering
from .models import Amendment, Document

logger = logging.getLogger("casework.documents")

ATTEMPTS = 5
FIRST_RETRY_SECONDS = 30


@task()
def render_document(document_id: int, amendment_id: int | None = None, attempt: int = 1) -> dict:
    document = Document.objects.select_related("case").get(pk=document_id)
    amendment = Amendment.objects.get(pk=amendment_id) if amendment_id else None
    try:
        file = rendering.stored_file(document, amendment)
    except Exception:
        # The document is issued and stays so; its PDF is rendered again later, or on the
        # first download.
        logger.exception("rendering %s failed (attempt %s)", document.number, attempt)
        background.retry_later(
            render_document, attempt, ATTEMPTS, FIRST_RETRY_SECONDS, document_id, amendment_id
        )
        return {"rendered": False, "attempt": attempt}
    return {"rendered": True, "sha256": file.sha256, "size": file.size, "ms": file.render_ms}


def queue(document, amendment=None) -> None:
    """Render the PDF once the act that issued it commits (see the module)."""
    background.enqueue(render_document, document.pk, amendment.pk if amendment else None)
