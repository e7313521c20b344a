"""Issuing documents: the only way a Document comes to exist, and the only way an amendment is
appended to one. Each queues the rendering of its PDF (``tasks``)."""

from django.db import transaction
from django.utils.translation import gettext as _

from casework.exceptions import InvalidInput, NotAllowed, validated
from casework.workcalendar import periods

from . import formats, tasks
from .models import PREFIXES, Amendment, Document, DocumentCounter
from .payloads import AmendmentPayload


def check_year(year: int, field: str = "on") -> None:
    """A number's year lies within the working-day calendar (2004 to the end of its table):
    a date outside it reached no counter, so no case or document is ever numbered 〔1990〕.
    The payloads refuse such a date first; this is the last line (400 naming ``field``)."""
    first, last = periods.calendar_range()
    if not first.year <= year <= last.year:
        message = _("%(year)s 年不在工作日历范围内（%(first)s 至 %(last)s），不能编号。") % {
            "year": year,
            "first": first.year,
            "last": last.year,
        }
        raise InvalidInput(message, {field: [message]})


def next_number(doc_type: str, year: int) -> tuple[int, str]:
    """Take the next number of ``doc_type`` in ``year`` (e.g. 南府问〔2026〕3号) under a row
    lock, so that two simultaneous issues never share a number."""
    check_year(year)
    with transaction.atomic():
        DocumentCounter.objects.get_or_create(doc_type=doc_type, year=year)
        counter = DocumentCounter.objects.select_for_update().get(doc_type=doc_type, year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
    return counter.last, f"{PREFIXES[doc_type]}〔{year}〕{counter.last}号"


def issue(
    *, case, doc_type, title, body, addressee, issued_on, issued_by, reason="", ip=None
) -> Document:
    seq, number = next_number(doc_type, issued_on.year)
    document = Document(
        case=case,
        doc_type=doc_type,
        year=issued_on.year,
        seq=seq,
        number=number,
        title=title,
        body=body,
        addressee=addressee,
        issued_on=issued_on,
        issued_by=issued_by,
    )
    document._history_user = issued_by
    document._change_reason = reason or title
    document._history_ip = ip
    document.save()
    tasks.queue(document)
    return document


def amend(document: Document, *, text: str, reason: str, basis: str, actor, ip=None) -> Amendment:
    amendment = Amendment(
        document=document, text=text, reason=reason, basis=basis, created_by=actor
    )
    amendment._history_user = actor
    amendment._change_reason = reason
    amendment._history_ip = ip
    amendment.save()
    tasks.queue(document, amendment)
    return amendment


def amend_as(document: Document, data, *, actor, ip=None) -> Amendment:
    """A correction appended by someone in the issuing office (the document type's format
    says who): the original stays as it was issued
    (CBRC e-banking assessment guideline art. 37).
    ``data``: ``text`` and ``reason`` required, ``basis`` optional."""
    if not formats.may_amend(actor, document):
        raise NotAllowed(_("只有签发机关的经办人员可以补正本文书。"))
    data = validated(AmendmentPayload, data)
    with transaction.atomic():
        return amend(
            document,
            text=data["text"].strip(),
            reason=data["reason"].strip(),
            basis=data.get("basis", "").strip(),
            actor=actor,
            ip=ip,
        )
