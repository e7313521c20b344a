"""How each type of document is laid out as an official document (公文, GB/T 9704-2012), and
who may see and correct it: one ``Format`` per document type, declared by the app that issues
documents of that type (docs/documents.md).

A format names the parts of the 公文 that do not come from the document's row: the issuing
organ's mark printed in red at the top (发文机关标志), the formal title "关于……的决定", the organ
that signs (落款), the organs copied (抄送), the office that prints it (印发机关) and any
attachments (附件). The number, the addressee, the body and the day of issue are the
document's own. Who may see a document and who may correct it are the owning procedure's
rules, named here, never written again: ``can_view`` and ``may_amend`` ask them.

The registry lives here (the bottom layer) so that the renderer, the pages and the API can ask
it without knowing any procedure; each procedure fills it from its ``AppConfig.ready()``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Format:
    """The 公文 parts of one document type.

    * ``organ_mark`` — the 发文机关标志 printed in red above the red line ("南充市人民政府文件");
    * ``issuer`` — the organ that signs, above the date (落款);
    * ``printed_by`` — the office that prints and sends it (印发机关, in the 版记);
    * ``heading(document)`` — the title, "关于对……予以问责的决定";
    * ``copy_to`` — the organs copied (抄送), in the 版记;
    * ``attachments(document)`` — the names of the attachments (附件), if any;
    * ``can_view(user, document)`` — the owning procedure's visibility rule;
    * ``may_amend(user, document)`` — who, in the issuing office, may append a correction;
    * ``organ_of(document)`` — for a type whose issuing organ depends on the document, the
      ``(organ_mark, issuer, printed_by)`` of this one, or None for the fixed ones above;
    * ``on_open(user, document, ip)`` — what the owning procedure records when someone who may
      see the document opens it (its page or its PDF): electronic service's receipt.
    * ``procedure`` — the procedure whose documents these are, when they belong to no case
      (the event feed files them under its topic, ``casework.interface.outbox``).
    """

    organ_mark: str
    issuer: str
    printed_by: str
    heading: Callable[[object], str]
    can_view: Callable[[object, object], bool]
    may_amend: Callable[[object, object], bool]
    copy_to: Sequence[str] = field(default_factory=tuple)
    attachments: Callable[[object], Sequence[str]] = lambda document: ()
    organ_of: Callable[[object], tuple[str, str, str] | None] = lambda document: None
    on_open: Callable[[object, object, object], None] = lambda user, document, ip: None

    def organ(self, document) -> tuple[str, str, str]:
        """``(organ_mark, issuer, printed_by)`` of ``document``."""
        return self.organ_of(document) or (self.organ_mark, self.issuer, self.printed_by)

    procedure: str = ""


_formats: dict[str, Format] = {}


def register(doc_type: str, format_: Format) -> None:
    """Declare how documents of ``doc_type`` are laid out (once per type)."""
    if doc_type in _formats and _formats[doc_type] is not format_:
        raise ValueError(f"document type {doc_type!r} already has a format")
    _formats[doc_type] = format_


def format_of(doc_type: str) -> Format:
    try:
        return _formats[doc_type]
    except KeyError:
        raise LookupError(f"document type {doc_type!r} declares no format") from None


def registered() -> dict[str, Format]:
    return dict(_formats)


def can_view(user, document) -> bool:
    """Whether ``user`` may see ``document`` (its page, its PDF, its amendments): the rule of
    the procedure that issued it. Nobody sees a document whose type declares no format."""
    if not getattr(user, "is_authenticated", False):
        return False
    format_ = _formats.get(document.doc_type)
    return bool(format_ and format_.can_view(user, document))


def opened(user, document, ip=None) -> None:
    """``user``, who may see ``document``, opens it (page or PDF, workspace or API): the
    owning procedure records what that opening means."""
    format_ = _formats.get(document.doc_type)
    if format_ is not None:
        format_.on_open(user, document, ip)


def may_amend(user, document) -> bool:
    """Whether ``user`` may append a correction to ``document`` (its issuing office)."""
    if not can_view(user, document):
        return False
    return bool(_formats[document.doc_type].may_amend(user, document))


# --- dates in Chinese numerals (GB/T 9704-2012 7.3.5.1: 成文日期 with 〇 for zero) ------------

_DIGITS = "〇一二三四五六七八九"


def _number_in_words(n: int) -> str:
    """1–31 as written in a date: 一, 十, 十一, 二十, 二十一, 三十一."""
    if not 1 <= n <= 31:
        raise ValueError(n)
    tens, units = divmod(n, 10)
    text = ("" if tens < 2 else _DIGITS[tens]) + ("十" if tens else "")
    return text + (_DIGITS[units] if units else "")


def chinese_date(day: datetime.date) -> str:
    """``2026-12-01`` → 二〇二六年十二月一日: the year digit by digit, month and day in words."""
    year = "".join(_DIGITS[int(d)] for d in str(day.year))
    return f"{year}年{_number_in_words(day.month)}月{_number_in_words(day.day)}日"


def amendment_heading(document, ordinal: int) -> str:
    return _("关于《%(title)s》（%(number)s）的第%(ordinal)s号补正") % {
        "title": heading_of(document),
        "number": document.number,
        "ordinal": ordinal,
    }


def heading_of(document) -> str:
    """The formal title of ``document``; its stored title when its type declares no format."""
    format_ = _formats.get(document.doc_type)
    return format_.heading(document) if format_ else document.title
