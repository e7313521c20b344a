"""How the executive meeting's agenda and minutes are laid out as official documents (公文,
docs/documents.md): printed by the city government's office, seen by the city's staff who
see the meetings (``rules.is_staff``), corrected by the office that printed them."""

from django.utils.translation import gettext_lazy as _

from casework.documents.formats import Format, register
from casework.documents.models import DocType

from . import rules


def _sees(user, document) -> bool:
    return rules.is_staff(user)


def _prints(user, document) -> bool:
    return rules.organises(user)


def _heading(document) -> str:
    return document.title


MEETING = {
    "organ_mark": _("南充市人民政府文件"),
    "issuer": _("南充市人民政府"),
    "printed_by": _("南充市人民政府办公室"),
    "heading": _heading,
    "can_view": _sees,
    "may_amend": _prints,
    # The meeting hears accountability cases (Nanchong art. 11): its documents are filed in
    # the data interface's feed with them.
    "procedure": "accountability",
}

# Nanchong art. 11; Xi'an meeting rules, sections 3 and 5.
register(DocType.MEETING_AGENDA, Format(**MEETING))
register(DocType.MEETING_MINUTES, Format(**MEETING, copy_to=(_("南充市监察局"),)))
