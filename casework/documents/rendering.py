"""Documents as official documents (公文, GB/T 9704-2012): the parts of a document or of one
of its amendments, the HTML both the print page and the PDF are drawn from, the PDF itself
(WeasyPrint), and the one stored copy of each PDF (docs/documents.md).

A document stays in Chinese whatever the reader's language: everything here is drawn under
``translation.override("zh-hans")``.
"""

import hashlib
import logging
import time
from functools import cache

from django.contrib.staticfiles import finders
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .formats import amendment_heading, chinese_date, format_of
from .models import DocumentFile

logger = logging.getLogger("casework.documents")

DOCUMENT_LANGUAGE = "zh-hans"
STYLESHEET = "casework/casework.css"


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def parts(document, amendment=None) -> dict:
    """The parts of the 公文, in the order GB/T 9704-2012 prints them: 版头 (organ mark,
    number), 主体 (title, addressee, body, attachments, signature and date), 版记 (copied,
    printing office and day)."""
    with translation.override(DOCUMENT_LANGUAGE):
        format_ = format_of(document.doc_type)
        if amendment is None:
            heading = format_.heading(document)
            number = document.number
            paragraphs = _paragraphs(document.body)
            dated = document.issued_on
            attachments = list(format_.attachments(document))
        else:
            ordinal = amendment.ordinal
            heading = amendment_heading(document, ordinal)
            number = _("%(number)s 补正第%(ordinal)s号") % {
                "number": document.number,
                "ordinal": ordinal,
            }
            paragraphs = [
                _("现对《%(heading)s》（%(number)s）作如下补正，原文书不作改动：")
                % {"heading": format_.heading(document), "number": document.number},
                *_paragraphs(amendment.text),
                _("补正理由：%(reason)s") % {"reason": amendment.reason},
            ]
            if amendment.basis:
                paragraphs.append(_("补正依据：%(basis)s") % {"basis": amendment.basis})
            dated = timezone.localdate(amendment.created_at)
            attachments = []
        organ_mark, issuer, printed_by = format_.organ(document)
        return {
            "organ_mark": str(organ_mark),
            "number": number,
            "heading": heading,
            "addressee": document.addressee,
            "paragraphs": paragraphs,
            "attachments": [str(a) for a in attachments],
            "issuer": str(issuer),
            "dated_words": chinese_date(dated),
            "copy_to": "、".join(str(organ) for organ in format_.copy_to),
            "printed_by": str(printed_by),
            # GB/T 9704-2012 7.4.3: the printing day in Arabic numerals, "印发" after it.
            "printed_on": f"{dated.year}年{dated.month}月{dated.day}日",
        }


def render_html(document, amendment=None, *, standalone=True) -> str:
    """The 公文 as HTML: ``standalone`` for the PDF (the whole page with its stylesheet),
    otherwise the article the print page embeds."""
    template = "documents/pdf.html" if standalone else "documents/_official.html"
    with translation.override(DOCUMENT_LANGUAGE):
        return render_to_string(template, {"official": parts(document, amendment)})


@cache
def _stylesheet():
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    return CSS(filename=finders.find(STYLESHEET), font_config=font_config), font_config


def render_pdf(document, amendment=None) -> tuple[bytes, int]:
    """The PDF of ``document`` (or of one of its amendments) and its number of pages."""
    from weasyprint import HTML

    stylesheet, font_config = _stylesheet()
    rendered = HTML(string=render_html(document, amendment)).render(
        stylesheets=[stylesheet], font_config=font_config
    )
    return rendered.write_pdf(), len(rendered.pages)


def stored_file(document, amendment=None) -> DocumentFile:
    """The stored PDF of ``document`` (or of ``amendment``), rendering and storing it first
    if it is not stored yet. Whoever stores it first wins; a PDF once stored is never
    rendered again, so it stays the one whose hash the audit chain sealed."""
    existing = DocumentFile.objects.filter(document=document, amendment=amendment).first()
    if existing is not None:
        return existing
    started = time.perf_counter()
    content, pages = render_pdf(document, amendment)
    elapsed = round((time.perf_counter() - started) * 1000)
    file = DocumentFile(
        document=document,
        amendment=amendment,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        pages=pages,
        render_ms=elapsed,
    )
    try:
        with transaction.atomic():
            file.save()
    except IntegrityError:
        # Rendered twice at once (the worker and a download): keep the one stored first.
        return DocumentFile.objects.get(document=document, amendment=amendment)
    logger.info("rendered %s (%s bytes, %s ms)", document.number, len(content), elapsed)
    return file
