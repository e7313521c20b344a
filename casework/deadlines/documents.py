"""How the admonition letter (效能告诫书, Xinxiang warning art. 7) is laid out as an official
document (docs/documents.md); who sees it and who corrects it are the rules of ``rules.py``."""

from django.utils.translation import gettext_lazy as _

from casework.documents.formats import Format, register
from casework.documents.models import DocType

from . import rules


def _sees_letter(user, document) -> bool:
    return rules.visible_letters(user).filter(document=document).exists()


def _heading(document) -> str:
    return str(_("关于对%(unit)s予以效能告诫的通知")) % {
        "unit": document.addressee or _("承办单位")
    }


register(
    DocType.ADMONITION_LETTER,
    Format(
        organ_mark=_("南充市监察局文件"),
        issuer=_("南充市监察局"),
        printed_by=_("南充市监察局办公室"),
        heading=_heading,
        copy_to=(_("南充市人民政府办公室"),),
        can_view=_sees_letter,
        may_amend=lambda user, document: rules.issues_letters(user),
        # Filed in the data interface's feed with the cards (Xinxiang warning art. 7).
        procedure="warnings",
    ),
)
