"""The State Council's holiday notice (国务院办公厅关于某年部分节假日安排的通知), read from
the text an administrator pastes or uploads. Pure parsing: nothing is written here; the
calendar changes through ``services.apply_notice``.

Two formats are accepted (docs/calendar-import.md):

* the notice's own text, one holiday per line, as published::

      一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
      二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。

  Each line names the holiday before "：", the range given holiday ("……至……放假"), the
  number of days ("共N天", checked against the range) and the adjusted working days
  ("……上班"). A date without a year is in the notice's year; a range ending in an earlier
  month than it starts (12月31日至1月2日) ends in the next year;

* a CSV table, one row per range: ``名称,类型,开始日期,结束日期`` where the type is
  ``放假`` (or ``holiday``) or ``上班`` (or ``workday``), dates as ``YYYY-MM-DD``, the end
  date optional for a single day; a header row and lines starting with ``#`` are skipped.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

ONE_DAY = datetime.timedelta(days=1)

# A date as the notice writes it: [2027年]2月15日[（农历……、周日）]; the month may be left out
# after "至" (至23日).
_NOTE = r"(?:[（(][^）)]*[）)])?"
_DATE = r"(?:(?P<{p}y>\d{{4}})年)?(?:(?P<{p}m>\d{{1,2}})月)?(?P<{p}d>\d{{1,2}})日" + _NOTE
_RANGE = re.compile(
    _DATE.format(p="a") + r"(?:\s*(?:至|—|－|-|~|～)\s*" + _DATE.format(p="b") + r")?\s*放假"
)
_ONE_DATE = re.compile(_DATE.format(p="c"))
_TOTAL = re.compile(r"共\s*(\d+)\s*天")
_ORDINAL = re.compile(r"^\s*(?:[一二三四五六七八九十]+|\d+)\s*[、.．]\s*")
_NAME = re.compile(r"^(?P<name>[^：:，,。]{1,16})[：:]")

HOLIDAY_WORDS = {"放假", "holiday", "休"}
WORKDAY_WORDS = {"上班", "workday", "班"}


class NoticeError(ValueError):
    """The text cannot be read as a notice; ``errors`` lists each problem with its line."""

    def __init__(self, errors):
        super().__init__("; ".join(errors))
        self.errors = list(errors)


@dataclass(frozen=True)
class Holiday:
    name: str
    first: datetime.date
    last: datetime.date

    def days(self):
        day = self.first
        while day <= self.last:
            yield day
            day += ONE_DAY


@dataclass(frozen=True)
class Workday:
    name: str
    date: datetime.date


@dataclass
class Notice:
    year: int
    holidays: list = field(default_factory=list)
    workdays: list = field(default_factory=list)

    def holiday_days(self) -> dict:
        """``{date: holiday name}`` of every day off the notice gives."""
        return {day: holiday.name for holiday in self.holidays for day in holiday.days()}

    def working_days(self) -> dict:
        """``{date: holiday name}`` of every adjusted working day (调休上班日)."""
        return {workday.date: workday.name for workday in self.workdays}


def parse(text: str, year: int) -> Notice:
    """Read ``text`` (the notice's lines or the CSV table) for ``year``. Raises
    ``NoticeError`` listing every line that cannot be read."""
    text = (text or "").lstrip("\ufeff").strip()
    if not text:
        raise NoticeError([_("内容为空：请粘贴通知正文或上传表格。")])
    if "放假" in text and "," not in text.splitlines()[0]:
        notice = _parse_text(text, year)
    else:
        notice = _parse_csv(text, year)
    _check(notice)
    return notice


def decode(raw: bytes) -> str:
    """An uploaded file's text: UTF-8 (with or without BOM), else GB18030 (what Chinese Excel
    and Notepad save)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError as error:
            raise NoticeError([_("文件编码无法识别，请另存为 UTF-8 文本或 CSV。")]) from error


def _date(match, prefix, year, month=None, line_no=0):
    y = match.group(f"{prefix}y")
    m = match.group(f"{prefix}m")
    d = match.group(f"{prefix}d")
    try:
        return datetime.date(int(y) if y else year, int(m) if m else month, int(d))
    except (TypeError, ValueError) as error:
        raise NoticeError(
            [_("第 %(line)d 行：日期 %(text)s 无效。") % {"line": line_no, "text": match.group(0)}]
        ) from error


def _parse_text(text: str, year: int) -> Notice:
    notice = Notice(year)
    errors = []
    for line_no, raw_line in enumerate(text.splitlines(), start=1):
        line = _ORDINAL.sub("", raw_line.strip())
        if not line or _RANGE.search(line) is None:
            continue  # the notice's title, preamble and closing paragraphs: no dates off
        name_match = _NAME.match(line)
        if name_match is None:
            errors.append(_("第 %(line)d 行：没有找到节日名称（如“春节：”）。") % {"line": line_no})
            continue
        name = name_match.group("name").strip()
        rest = line[name_match.end() :]
        off = _RANGE.search(rest)
        if off is None:
            errors.append(
                _("第 %(line)d 行：没有找到放假日期（如“2月15日至23日放假”）。") % {"line": line_no}
            )
            continue
        try:
            first = _date(off, "a", year, line_no=line_no)
            if off.group("bd"):
                last = _date(off, "b", first.year, month=first.month, line_no=line_no)
                if last < first and not off.group("by"):
                    # 12月31日至1月2日: the range ends in the next year.
                    last = _date(off, "b", first.year + 1, month=first.month, line_no=line_no)
            else:
                last = first
        except NoticeError as error:
            errors.extend(error.errors)
            continue
        if last < first:
            errors.append(_("第 %(line)d 行：放假结束日期早于开始日期。") % {"line": line_no})
            continue
        total = _TOTAL.search(rest)
        length = (last - first).days + 1
        if total is not None and int(total.group(1)) != length:
            errors.append(
                _("第 %(line)d 行：写明共 %(said)s 天，但 %(first)s 至 %(last)s 是 %(days)d 天。")
                % {
                    "line": line_no,
                    "said": total.group(1),
                    "first": first.isoformat(),
                    "last": last.isoformat(),
                    "days": length,
                }
            )
            continue
        notice.holidays.append(Holiday(name, first, last))
        # Every sentence after the range that ends in 上班 lists adjusted working days.
        for sentence in re.split(r"[。；;]", rest[off.end() :]):
            if "上班" not in sentence:
                continue
            for found in _ONE_DATE.finditer(sentence):
                if not found.group("cm"):
                    errors.append(
                        _("第 %(line)d 行：上班日期 %(text)s 没有写月份。")
                        % {"line": line_no, "text": found.group(0)}
                    )
                    continue
                try:
                    notice.workdays.append(Workday(name, _date(found, "c", year, line_no=line_no)))
                except NoticeError as error:
                    errors.extend(error.errors)
    if errors:
        raise NoticeError(errors)
    return notice


def _iso(value: str, line_no: int, errors: list):
    try:
        return datetime.date.fromisoformat(value.strip().replace("/", "-"))
    except ValueError:
        errors.append(
            _("第 %(line)d 行：日期 %(text)s 应写作 YYYY-MM-DD。")
            % {"line": line_no, "text": value.strip()}
        )
        return None


def _parse_csv(text: str, year: int) -> Notice:
    notice = Notice(year)
    errors = []
    for line_no, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if line_no == 1 and cells[0] in {"名称", "name"}:
            continue
        if len(cells) < 3:
            errors.append(
                _("第 %(line)d 行：应为“名称,类型,开始日期,结束日期”。") % {"line": line_no}
            )
            continue
        name, kind, first_text = cells[0], cells[1].lower(), cells[2]
        last_text = cells[3] if len(cells) > 3 and cells[3] else first_text
        first = _iso(first_text, line_no, errors)
        last = _iso(last_text, line_no, errors)
        if first is None or last is None:
            continue
        if last < first:
            errors.append(_("第 %(line)d 行：结束日期早于开始日期。") % {"line": line_no})
            continue
        if kind in HOLIDAY_WORDS:
            notice.holidays.append(Holiday(name, first, last))
        elif kind in WORKDAY_WORDS:
            day = first
            while day <= last:
                notice.workdays.append(Workday(name, day))
                day += ONE_DAY
        else:
            errors.append(
                _("第 %(line)d 行：类型“%(kind)s”应为“放假”或“上班”。")
                % {"line": line_no, "kind": cells[1]}
            )
    if errors:
        raise NoticeError(errors)
    return notice


def _check(notice: Notice) -> None:
    """What no notice can say: nothing at all, a day both off and worked, a date far from
    its year, an adjusted working day that is a weekday anyway."""
    errors = []
    if not notice.holidays:
        errors.append(_("没有读到任何放假安排。"))
    off = notice.holiday_days()
    for workday in notice.workdays:
        if workday.date in off:
            errors.append(_("%(date)s 既是放假日又是上班日。") % {"date": workday.date.isoformat()})
        if workday.date.weekday() < 5:
            errors.append(
                _("%(date)s 是工作日（周一至周五），不必调休上班。")
                % {"date": workday.date.isoformat()}
            )
    # A range may reach into the neighbouring year's December or January, no further.
    earliest = datetime.date(notice.year - 1, 12, 1)
    latest = datetime.date(notice.year + 1, 1, 31)
    for day in sorted(list(off) + list(notice.working_days())):
        if not earliest <= day <= latest:
            errors.append(
                _("%(date)s 不在 %(year)d 年度的通知范围内。")
                % {"date": day.isoformat(), "year": notice.year}
            )
            break
    if errors:
        raise NoticeError(errors)
