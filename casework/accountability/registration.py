"""How a case comes into being: its number, its first history row and the ``opened``
signal. Used by the registration services and by the step that opens a linked case
(Nanchong art. 20); the procedure is looked up by name, as it is declared above this module."""

from django.db import transaction

from casework.audit import history
from casework.documents import services as documents
from casework.kernel import pipeline
from casework.kernel.declaration import procedure

from .models import AccountabilityCase


def create_case(
    actor,
    *,
    official,
    grounds,
    source,
    summary,
    on,
    original_location="",
    proposal_document=None,
    reason="",
    ip=None,
    parent=None,
):
    accountability = procedure("accountability")
    # The flow's task opened with it records the address and the act too.
    with transaction.atomic(), history.acting(ip, reason or accountability.label("register")):
        _seq, number = documents.next_number("case", on.year)
        case = AccountabilityCase(
            number=number,
            official=official,
            department=official.department,
            parent=parent,
            source=source,
            summary=summary,
            proposal_original_location=original_location,
            last_act_on=on,
            registered_by=actor,
        )
        if proposal_document is not None:
            case.proposal_document = proposal_document
        pipeline.save_new(accountability, case, actor, "register", reason, ip)
        case.grounds.set(grounds)
        pipeline.announce_opened(accountability, case, actor)
    return case
