"""The archived file of a matter (装卷建册, Handan supervision art. 4 (4)): the original
instruction, the assignment card, the urgings, the feedback with its countersignatures and
the supervision report, bound as one PDF drawn by WeasyPrint with the documents' stylesheet
(casework/documents/rendering.py). Drawn on request, never stored: the parts it binds are
each on the record."""

from django.template.loader import render_to_string
from django.utils import translation

from casework.documents import rendering


def file_html(matter) -> str:
    with translation.override(rendering.DOCUMENT_LANGUAGE):
        return render_to_string(
            "supervision/file.html",
            {
                "matter": matter,
                "co_units": list(matter.co_units.order_by("code")),
                "card": rendering.parts(matter.card) if matter.card_id else None,
                "countersigns": list(
                    matter.countersigns.filter(draft=matter.draft_number).select_related(
                        "unit", "signed_by"
                    )
                ),
                "urgings": list(matter.urgings.select_related("by", "letter", "instruction__by")),
                "criticisms": list(matter.criticisms.select_related("unit", "document")),
            },
        )


def file_pdf(matter) -> bytes:
    from weasyprint import HTML

    stylesheet, font_config = rendering._stylesheet()
    return HTML(string=file_html(matter)).write_pdf(
        stylesheets=[stylesheet], font_config=font_config
    )
