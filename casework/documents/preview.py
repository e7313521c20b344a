"""The documents a step would issue, shown to the decider before the step is taken.

The step is taken in a transaction that is then rolled back, so that the decider reads the
very text the handler writes, and nothing is kept (no number taken, no history, no task).
Offered to the kernel's step screen as the entry point ``documents.preview``.
"""

from django.db import transaction

from casework.kernel import pipeline

from .models import Document


class _Rollback(Exception):
    pass


def preview(procedure, obj, name: str, actor, data=None, *, reason: str = ""):
    """The documents step ``name`` would issue if ``actor`` took it now with ``data``. A
    refusal is raised as the step itself would raise it."""
    issued: list = []
    try:
        with transaction.atomic():
            last = Document.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            pipeline.transition(procedure, obj, name, actor, data, reason=reason)
            issued = list(Document.objects.filter(pk__gt=last, issued_by=actor).order_by("pk"))
            raise _Rollback
    except _Rollback:
        pass
    return issued
