"""How the monthly evaluation's bulletin (通报) is laid out as an official document (公文,
docs/documents.md): issued by the supervision bureau, seen by whoever may see the month it
reports (``rules.can_view``), corrected by the bureau."""

from django.utils.translation import gettext_lazy as _

from casework.documents.formats import Format, register
from casework.documents.models import DocType

from . import rules
from .models import MonthlyEvaluation


def _sees(user, document) -> bool:
    month = MonthlyEvaluation.objects.filter(bulletin=document).first()
    if month is None:
        # A bulletin not (or no longer) tied to a month: the bureau's alone.
        return rules.is_bureau(user)
    return rules.can_view(user, month)


def _corrects(user, document) -> bool:
    return rules.is_bureau(user)


# Xinxiang performance art. 12: the results are reported in a bulletin.
register(
    DocType.EVALUATION_BULLETIN,
    Format(
        organ_mark=_("南充市监察局文件"),
        issuer=_("南充市监察局"),
        printed_by=_("南充市监察局办公室"),
        heading=lambda document: document.title,
        can_view=_sees,
        may_amend=_corrects,
        copy_to=(_("南充市人民政府办公室"),),
        procedure="evaluation",
    ),
)
