"""Operations on the working-day calendar: seeding, an administrator's corrections, and the
ordinal column that keeps period computations to single lookups.

The calendar (docs/deadlines.md) is data in the database, seeded from a maintained library
(``chinese_calendar`` 1.11 covers 2004–2026) and editable by an administrator; a year not marked
complete gives provisional (暂定) answers.
"""

import datetime
from importlib.metadata import version

import chinese_calendar
from chinese_calendar.constants import Holiday
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from casework.audit.chain import lock as record_lock

from .models import CalendarDay, CalendarYear, Source
from .signals import calendar_changed

# The first date of the table. Nothing before it can be computed.
CALENDAR_START = datetime.date(2004, 1, 1)
# The library's own range: 2004 to the last year it knows (2026 for chinesecalendar 1.11).
LIBRARY_FIRST_YEAR = 2004
LIBRARY_LAST_YEAR = max(chinese_calendar.holidays).year
# Years after the library's last one seeded with Monday–Friday only, so that deadlines
# reaching into them can still be computed in SQL. They stay incomplete (provisional) until
# an administrator enters the State Council's notice for them.
PROVISIONAL_YEARS = 2

# The library's English holiday names → the names of the State Council's notices.
HOLIDAY_NAMES = {
    Holiday.new_years_day.value: "元旦",
    Holiday.spring_festival.value: "春节",
    Holiday.tomb_sweeping_day.value: "清明节",
    Holiday.labour_day.value: "劳动节",
    Holiday.dragon_boat_festival.value: "端午节",
    Holiday.national_day.value: "国庆节",
    Holiday.mid_autumn_festival.value: "中秋节",
    Holiday.anti_fascist_70th_day.value: "抗战胜利70周年纪念日",
}

LIBRARY_REASON = f"由 chinese_calendar {version('chinesecalendar')} 导入"
PROVISIONAL_NOTE = (
    "暂定：仅按周一至周五计算，待国务院办公厅公布该年度节假日安排后由管理员录入并确认。"
)


def _days(first: datetime.date, last: datetime.date):
    day = first
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)


def library_day(day: datetime.date) -> tuple[bool, str, str]:
    """``(is_working, kind, holiday_name)`` of ``day`` according to ``chinese_calendar``."""
    is_working = chinese_calendar.is_workday(day)
    _on_holiday, english_name = chinese_calendar.get_holiday_detail(day)
    name = HOLIDAY_NAMES.get(english_name, english_name or "")
    weekend = day.weekday() >= 5
    if is_working:
        if weekend:
            # 调休上班日: the library names the holiday the day makes up for.
            return True, CalendarDay.Kind.ADJUSTED_WORKDAY, name
        return True, CalendarDay.Kind.WORKDAY, ""
    if name or not weekend:
        return False, CalendarDay.Kind.HOLIDAY, name
    return False, CalendarDay.Kind.WEEKEND, ""


def provisional_day(day: datetime.date) -> tuple[bool, str, str]:
    """Monday–Friday only: what a year without the State Council's notice looks like."""
    if day.weekday() >= 5:
        return False, CalendarDay.Kind.WEEKEND, ""
    return True, CalendarDay.Kind.WORKDAY, ""


def _ordinal_before(day: datetime.date) -> int:
    """The ordinal of the last row before ``day`` (0 at the start of the table)."""
    previous = (
        CalendarDay.objects.filter(date__lt=day)
        .order_by("-date")
        .values_list("ordinal", flat=True)
        .first()
    )
    return previous or 0


def recompute_ordinals(from_date: datetime.date) -> int:
    """Recompute the ordinal of every day from ``from_date`` on, in one pass over the rows.
    Returns the number of rows whose ordinal changed.

    The changed rows come in runs that move by the same amount (one corrected day shifts
    every later ordinal by one), so each run is written with a single UPDATE. The ordinal is
    derived data: these updates write no history rows, which is why the ordinal is excluded
    from the history (models.py).
    """
    ordinal = _ordinal_before(from_date)
    changed = 0
    run = None  # [first date, last date, shift] of the current run of changed rows
    runs = []
    rows = (
        CalendarDay.objects.filter(date__gte=from_date)
        .order_by("date")
        .values_list("date", "is_working", "ordinal")
    )
    for day, is_working, stored in rows.iterator(chunk_size=2000):
        if is_working:
            ordinal += 1
        shift = ordinal - stored
        if shift:
            changed += 1
        if run is not None and shift == run[2]:
            run[1] = day
            continue
        if run is not None:
            runs.append(run)
        run = [day, day, shift] if shift else None
    if run is not None:
        runs.append(run)
    for first, last, shift in runs:
        CalendarDay.objects.filter(date__range=(first, last)).update(ordinal=F("ordinal") + shift)
    return changed


def _lock_calendar():
    """Serialise writers of the calendar (PostgreSQL): the ordinals depend on every earlier
    row, so two corrections must not recompute them at the same time. SQLite serialises
    writes by itself and ignores the lock."""
    record_lock()  # the record's first: a correction rewrites deadlines (casework/audit)
    list(CalendarYear.objects.select_for_update().order_by("year").values_list("year")[:1])


def _save_year(year: CalendarYear, actor, reason: str):
    if actor is not None:
        year._history_user = actor
    year._change_reason = reason
    year.save()


def seed_from_library(actor=None) -> int:
    """Create the calendar rows the library knows (2004 to its last year, complete) and the
    provisional Monday–Friday rows of the two years after it (incomplete). Returns the number
    of days created.

    Idempotent: a second run creates nothing. A day an administrator corrected (source
    ``admin``) is never touched. A provisional library row of a year the library has since
    learnt (a newer ``chinesecalendar``) is brought up to date.
    """
    first = CALENDAR_START
    last = datetime.date(LIBRARY_LAST_YEAR + PROVISIONAL_YEARS, 12, 31)
    with transaction.atomic():
        _lock_calendar()
        years = {year.year: year for year in CalendarYear.objects.all()}
        existing = {
            row[0]: row[1:]
            for row in CalendarDay.objects.filter(date__range=(first, last)).values_list(
                "date", "is_working", "kind", "holiday_name", "source"
            )
        }
        to_create, to_update = [], []
        ordinal = 0  # the table starts at ``first``
        for day in _days(first, last):
            if day.year <= LIBRARY_LAST_YEAR:
                is_working, kind, name = library_day(day)
            else:
                is_working, kind, name = provisional_day(day)
            if day not in existing:
                ordinal += is_working
                to_create.append(
                    CalendarDay(
                        date=day,
                        is_working=is_working,
                        kind=kind,
                        holiday_name=name,
                        ordinal=ordinal,
                        source=Source.LIBRARY,
                    )
                )
                continue
            old_working, old_kind, old_name, old_source = existing[day]
            if old_source != Source.LIBRARY:
                ordinal += old_working
                continue  # an administrator's correction wins over the library
            ordinal += is_working
            if (old_working, old_kind, old_name) != (is_working, kind, name):
                to_update.append(
                    CalendarDay(
                        date=day,
                        is_working=is_working,
                        kind=kind,
                        holiday_name=name,
                        source=Source.LIBRARY,
                    )
                )

        # The ordinals of new rows are computed above; recompute_ordinals then only touches
        # rows whose ordinal really changes (none on a fresh database).
        if to_create:
            CalendarDay.objects.bulk_create(to_create, batch_size=1000)
        if to_update:
            # Like bulk_create, no history rows: these rows are the library's, not a person's.
            CalendarDay.objects.bulk_update(
                to_update, ["is_working", "kind", "holiday_name"], batch_size=500
            )
        changed = [day.date for day in to_create + to_update]
        if changed:
            recompute_ordinals(min(changed))

        # The years, through save() so that each has its history.
        for number in range(LIBRARY_FIRST_YEAR, LIBRARY_LAST_YEAR + PROVISIONAL_YEARS + 1):
            in_library = number <= LIBRARY_LAST_YEAR
            year = years.get(number)
            if year is None:
                year = CalendarYear(
                    year=number,
                    complete=in_library,
                    source=Source.LIBRARY,
                    note="" if in_library else PROVISIONAL_NOTE,
                )
                _save_year(year, actor, LIBRARY_REASON)
            elif in_library and year.source == Source.LIBRARY and not year.complete:
                # A provisional year the library has since learnt.
                year.complete = True
                year.note = ""
                _save_year(year, actor, LIBRARY_REASON)
    return len(to_create)


def _fill_provisional(through: datetime.date, actor, reason: str) -> None:
    """Extend the table with provisional Monday–Friday rows up to the end of the year of
    ``through``, so that it stays contiguous (every ordinal depends on the rows before)."""
    last = CalendarDay.objects.order_by("-date").values_list("date", flat=True).first()
    first = (last + datetime.timedelta(days=1)) if last else CALENDAR_START
    end = datetime.date(through.year, 12, 31)
    if first > end:
        return
    rows = []
    for day in _days(first, end):
        is_working, kind, name = provisional_day(day)
        rows.append(
            CalendarDay(
                date=day, is_working=is_working, kind=kind, holiday_name=name, source=Source.LIBRARY
            )
        )
    CalendarDay.objects.bulk_create(rows, batch_size=1000)
    for number in range(first.year, end.year + 1):
        if not CalendarYear.objects.filter(year=number).exists():
            year = CalendarYear(
                year=number, complete=False, source=Source.ADMIN, note=PROVISIONAL_NOTE
            )
            _save_year(year, actor, reason)
    recompute_ordinals(first)


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValueError(_("请填写修改原因。"))
    return reason


def set_day(
    date: datetime.date,
    is_working: bool,
    kind: str,
    holiday_name: str = "",
    actor=None,
    reason: str = "",
) -> CalendarDay:
    """An administrator's correction of one day (the calendar is data, editable by an
    administrator), e.g. from the State Council's notice for next year.

    The day becomes source ``admin`` (seeding never overwrites it), the change is recorded
    in the history with ``actor`` and ``reason``, and the ordinals from this day on are
    recomputed so that every later due date moves with it. A date after the end of the
    table first extends the table with provisional Monday–Friday rows.
    """
    reason = _require_reason(reason)
    if date < CALENDAR_START:
        raise ValueError(_("工作日历从 2004-01-01 开始，不能修改更早的日期。"))
    if kind not in CalendarDay.Kind.values:
        raise ValueError(_("日期类型无效。"))
    working_kinds = {str(k) for k in CalendarDay.WORKING_KINDS}
    if bool(is_working) != (kind in working_kinds):
        raise ValueError(_("“是否工作日”与日期类型不一致。"))
    with transaction.atomic():
        _lock_calendar()
        _fill_provisional(date, actor, reason)
        day = CalendarDay.objects.select_for_update().get(date=date)
        day.is_working = bool(is_working)
        day.kind = kind
        day.holiday_name = (holiday_name or "").strip()
        day.source = Source.ADMIN
        if actor is not None:
            day._history_user = actor
        day._change_reason = reason
        day.save()
        recompute_ordinals(date)
        calendar_changed.send(sender=CalendarDay, from_date=date, actor=actor, reason=reason)
    day.refresh_from_db(fields=["ordinal"])
    return day


def mark_year_complete(year: int, actor=None, reason: str = "") -> CalendarYear:
    """Declare that ``year``'s holidays and adjusted working days are all entered: periods
    touching it are final from now on (a period is never silently final, so
    only an administrator's recorded act makes a year complete)."""
    reason = _require_reason(reason)
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    with transaction.atomic():
        _lock_calendar()
        days = CalendarDay.objects.filter(date__range=(first, last)).count()
        if days != (last - first).days + 1:
            raise ValueError(_("该年度的日历不完整，不能标记为已确认。"))
        calendar_year = CalendarYear.objects.select_for_update().filter(year=year).first()
        if calendar_year is None:
            calendar_year = CalendarYear(year=year)
        calendar_year.complete = True
        calendar_year.source = Source.ADMIN
        _save_year(calendar_year, actor, reason)
        calendar_changed.send(sender=CalendarYear, from_date=first, actor=actor, reason=reason)
    return calendar_year


def mark_year_incomplete(year: int, actor=None, reason: str = "") -> CalendarYear:
    """Undo ``mark_year_complete``: periods touching ``year`` become provisional again."""
    reason = _require_reason(reason)
    with transaction.atomic():
        record_lock()
        calendar_year = CalendarYear.objects.select_for_update().get(year=year)
        calendar_year.complete = False
        calendar_year.source = Source.ADMIN
        _save_year(calendar_year, actor, reason)
        calendar_changed.send(
            sender=CalendarYear, from_date=datetime.date(year, 1, 1), actor=actor, reason=reason
        )
    return calendar_year


def notice_day(day: datetime.date, notice) -> tuple[bool, str, str]:
    """``(is_working, kind, holiday_name)`` of ``day`` under the State Council's ``notice``
    (``notice.Notice``): a day it gives off, an adjusted working day, else Monday–Friday."""
    off = notice.holiday_days()
    if day in off:
        return False, CalendarDay.Kind.HOLIDAY, off[day]
    worked = notice.working_days()
    if day in worked:
        return True, CalendarDay.Kind.ADJUSTED_WORKDAY, worked[day]
    return provisional_day(day)


def notice_changes(notice) -> list[dict]:
    """The days of ``notice.year`` (and the days of a range reaching into the next or the
    previous year) the notice would change, as ``{date, before: (is_working, kind, name),
    after: (...)}``, oldest first. A day beyond the end of the table counts as provisional
    Monday–Friday before."""
    first = datetime.date(notice.year, 1, 1)
    last = datetime.date(notice.year, 12, 31)
    named = set(notice.holiday_days()) | set(notice.working_days())
    days = set(_days(first, last)) | named
    stored = {
        row[0]: tuple(row[1:])
        for row in CalendarDay.objects.filter(date__in=days).values_list(
            "date", "is_working", "kind", "holiday_name"
        )
    }
    changes = []
    for day in sorted(days):
        if not (first <= day <= last) and day not in named:
            continue
        before = stored.get(day) or provisional_day(day)
        after = notice_day(day, notice)
        if tuple(before) != tuple(after):
            changes.append({"date": day, "before": tuple(before), "after": tuple(after)})
    return changes


def apply_notice(notice, actor=None, reason: str = "", announce: bool = True) -> list[dict]:
    """Enter the State Council's holiday notice for ``notice.year`` in one act: every day the
    notice changes becomes an administrator's day (history with ``actor`` and ``reason``),
    the ordinals are recomputed once, the year is marked complete, and — with ``announce`` —
    ``calendar_changed`` is sent once, so that the open deadlines are counted again
    (``casework.deadlines.recalculation``). Returns the changes (``notice_changes``).

    ``announce=False`` is for a preview run inside a transaction that is rolled back.
    """
    reason = _require_reason(reason)
    if notice.year < CALENDAR_START.year:
        raise ValueError(_("工作日历从 2004-01-01 开始，不能修改更早的日期。"))
    with transaction.atomic():
        _lock_calendar()
        named = set(notice.holiday_days()) | set(notice.working_days())
        _fill_provisional(max([datetime.date(notice.year, 12, 31), *named]), actor, reason)
        changes = notice_changes(notice)
        by_date = {
            day.date: day
            for day in CalendarDay.objects.select_for_update().filter(
                date__in=[change["date"] for change in changes]
            )
        }
        for change in changes:
            day = by_date[change["date"]]
            day.is_working, day.kind, day.holiday_name = change["after"]
            day.source = Source.ADMIN
            if actor is not None:
                day._history_user = actor
            day._change_reason = reason
            day.save()
        first = datetime.date(notice.year, 1, 1)
        if changes:
            first = min(first, changes[0]["date"])
            recompute_ordinals(changes[0]["date"])
        calendar_year = CalendarYear.objects.select_for_update().filter(year=notice.year).first()
        if calendar_year is None:
            calendar_year = CalendarYear(year=notice.year)
        calendar_year.complete = True
        calendar_year.source = Source.ADMIN
        calendar_year.note = reason
        _save_year(calendar_year, actor, reason)
        if announce:
            calendar_changed.send(sender=CalendarYear, from_date=first, actor=actor, reason=reason)
    return changes
