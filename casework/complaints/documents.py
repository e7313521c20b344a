"""How the complaint procedure's letters are laid out as official documents (公文,
docs/documents.md): the letter transferring a complaint to the competent organ (转办函,
Xinxiang complaints art. 5, 6) and the letter telling a real-name complainant the result
(反馈意见书, Xinxiang complaints art. 8). Both are issued and corrected by the complaints
office; who sees each is the procedure's one rule, ``rules.can_view_letter``: the feedback
letter, like the complainant's identity, is the office's alone; the transfer letter carries
no identity and is seen by whoever sees the complaint (the office, the bureau, the organ it
was sent to)."""

from django.utils.translation import gettext_lazy as _

from casework.documents.formats import Format, register
from casework.documents.models import DocType

from . import rules

OFFICE = {
    "organ_mark": _("南充市监察局效能投诉中心"),
    "issuer": _("南充市监察局效能投诉中心"),
    "printed_by": _("南充市监察局效能投诉中心"),
    "heading": lambda document: document.title,
    "can_view": rules.can_view_letter,
    "may_amend": rules.may_amend_letter,
    "procedure": "complaints",
}

# Xinxiang complaints art. 5, 6: transferred within 2 working days, the period stated.
register(DocType.COMPLAINT_TRANSFER_LETTER, Format(**OFFICE))
# Xinxiang complaints art. 8: the result told to the complainant; nobody is copied.
register(DocType.COMPLAINT_FEEDBACK_LETTER, Format(**OFFICE))
