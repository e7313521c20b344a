"""How the supervision office's documents are laid out as official documents (公文,
docs/documents.md): the assignment card (交办卡片), the supervision letter (督办函) and the
notice of criticism (通报批评), issued in the name of the city government's supervision
office, seen by whoever may see the matter (``rules.can_view``), corrected by the office."""

from django.utils.translation import gettext_lazy as _

from casework.documents.formats import Format, register
from casework.documents.models import DocType

from . import rules
from .models import Criticism, SupervisionMatter, Urging


def matter_of(document):
    """The matter a supervision document belongs to, or None."""
    if document.doc_type == DocType.SUPERVISION_CARD:
        return SupervisionMatter.objects.filter(card=document).first()
    if document.doc_type == DocType.SUPERVISION_LETTER:
        urging = Urging.objects.filter(letter=document).select_related("matter").first()
        return urging.matter if urging is not None else None
    if document.doc_type == DocType.SUPERVISION_CRITICISM:
        criticism = Criticism.objects.filter(document=document).select_related("matter").first()
        return criticism.matter if criticism is not None else None
    return None


def _sees(user, document) -> bool:
    matter = matter_of(document)
    if matter is None:
        # A document tied to no matter: the office's alone.
        return rules.is_office(user)
    return rules.can_view(user, matter)


def _corrects(user, document) -> bool:
    return rules.is_office(user)


SUPERVISION = {
    "organ_mark": _("南充市人民政府督查室"),
    "issuer": _("南充市人民政府督查室"),
    "printed_by": _("南充市人民政府办公室"),
    "heading": lambda document: document.title,
    "can_view": _sees,
    "may_amend": _corrects,
    # Filed in the data interface's feed under the supervision topic.
    "procedure": "supervision",
}

# The assignment card: Handan supervision art. 4 (1).
# The supervision letter: Handan supervision art. 4 (2) and the section's part (二).
# The notice of criticism: Handan supervision art. 4 (3).
register(DocType.SUPERVISION_CARD, Format(**SUPERVISION))
register(DocType.SUPERVISION_LETTER, Format(**SUPERVISION))
register(DocType.SUPERVISION_CRITICISM, Format(**SUPERVISION, copy_to=(_("南充市监察局"),)))
