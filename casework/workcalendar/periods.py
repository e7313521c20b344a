"""Periods counted in working days (工作日) and calendar days. Pure reads.

How a period is counted (docs/deadlines.md): the day of the triggering event is not counted;
counting starts the next day; the period ends at 23:59:59 Asia/Shanghai on its last working day.
A date in a year the calendar does not mark complete makes the answer provisional (暂定), and
after the end of the table the count falls back to Monday–Friday.

Every function here costs a few queries, never one per day: the ``ordinal`` column of
``CalendarDay`` (working days from the start of the table up to and including the date)
turns "the n-th working day after" into one indexed lookup.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from casework.exceptions import InvalidInput

from .models import CalendarDay, CalendarYear
from .services import CALENDAR_START

ONE_DAY = datetime.timedelta(days=1)


class CalendarNotLoaded(LookupError):
    """The calendar table is empty: run ``manage.py load_reference``."""


class OutOfCalendar(InvalidInput, ValueError):
    """A date the calendar cannot count from: before its first day, or so far after the end
    of its table that the date overflows. A ``ValueError`` for the callers that catch one,
    and the refusal of a service (400) for those that do not: never a server error."""


@dataclass(frozen=True)
class PeriodResult:
    start: datetime.date
    days: int
    due: datetime.date
    provisional: bool

    @property
    def due_at(self) -> datetime.datetime:
        """The moment the period ends: 23:59:59 Asia/Shanghai on the due date
        (docs/deadlines.md)."""
        return datetime.datetime.combine(
            self.due, datetime.time(23, 59, 59), tzinfo=ZoneInfo(settings.TIME_ZONE)
        )


@dataclass(frozen=True)
class CountResult:
    count: int
    provisional: bool


@dataclass(frozen=True)
class ExplainRow:
    """One day of a period as shown to users beside a deadline."""

    date: datetime.date
    counted: bool
    ordinal: int | None  # the n-th working day of the period, None when not counted
    reason: str
    provisional: bool  # the day lies in a year not marked complete, or after the table


# --- helpers --------------------------------------------------------------------------------


def _check_date(day: datetime.date) -> None:
    if day < CALENDAR_START:
        raise OutOfCalendar(_("工作日历从 2004-01-01 开始，不能计算更早的日期。"))


def calendar_range() -> tuple[datetime.date, datetime.date]:
    """``(first, last)``: the first day of the calendar and the last day of its table (the
    provisional years included). Every date a caller supplies must lie within it
    (``casework.kernel.payloads.CalendarDate``); one indexed query."""
    last = CalendarDay.objects.order_by("-date").values_list("date", flat=True).first()
    if last is None:
        raise CalendarNotLoaded(_("工作日历尚未载入。"))
    return CALENDAR_START, last


def _table_end() -> tuple[datetime.date, int]:
    """(date, ordinal) of the last row of the table."""
    last = CalendarDay.objects.order_by("-date").values_list("date", "ordinal").first()
    if last is None:
        raise CalendarNotLoaded(_("工作日历尚未载入。"))
    return last


def _weekdays_after(first: datetime.date, last: datetime.date) -> int:
    """How many Mondays–Fridays lie in (first, last]."""
    if last <= first:
        return 0
    weeks, rest = divmod((last - first).days, 7)
    start = first.weekday()
    return weeks * 5 + sum(1 for i in range(1, rest + 1) if (start + i) % 7 < 5)


def _add_weekdays(start: datetime.date, n: int) -> datetime.date:
    """The n-th Monday–Friday after ``start`` (n ≥ 1)."""
    try:
        weeks, rest = divmod(n, 5)
        day = start + datetime.timedelta(weeks=weeks)
        if rest == 0:
            # ``day`` closes the last whole week; step back to its last weekday.
            while day.weekday() >= 5:
                day -= ONE_DAY
            return day
        while rest:
            day += ONE_DAY
            if day.weekday() < 5:
                rest -= 1
        return day
    except OverflowError:
        raise OutOfCalendar(_("日期超出可计算范围。")) from None


def _ordinals(days, table_end) -> dict[datetime.date, int]:
    """The ordinal of each date, from the table (one query) or, after the end of the table,
    extrapolated with Monday–Friday."""
    end_date, end_ordinal = table_end
    for day in days:
        _check_date(day)
    inside = [day for day in days if day <= end_date]
    found = dict(CalendarDay.objects.filter(date__in=inside).values_list("date", "ordinal"))
    result = {}
    for day in days:
        if day <= end_date:
            if day not in found:
                raise CalendarNotLoaded(_("工作日历缺少 %(date)s。") % {"date": day.isoformat()})
            result[day] = found[day]
        else:
            result[day] = end_ordinal + _weekdays_after(end_date, day)
    return result


def _complete_years(first: int, last: int) -> set[int]:
    return set(
        CalendarYear.objects.filter(year__range=(first, last), complete=True).values_list(
            "year", flat=True
        )
    )


def _is_provisional(after: datetime.date, through: datetime.date, table_end) -> bool:
    """Whether any day in (after, through] lies in a year not marked complete or after the
    end of the table."""
    if through <= after:
        return False
    first = after + ONE_DAY
    if through > table_end[0]:
        return True
    years = range(first.year, through.year + 1)
    return len(_complete_years(first.year, through.year)) != len(years)


# --- public API -----------------------------------------------------------------------------


def working_day_ordinal(day: datetime.date) -> int:
    """Working days from the start of the table up to and including ``day`` (after the end
    of the table: extrapolated with Monday–Friday)."""
    return _ordinals([day], _table_end())[day]


def working_day_of_ordinal(k: int) -> datetime.date:
    """The working day with ordinal ``k``: the first date whose ordinal is ≥ ``k`` (after
    the end of the table: Monday–Friday, as ``add_working_days``). Below the first ordinal
    of the table it answers the table's first date."""
    end_date, end_ordinal = _table_end()
    if k > end_ordinal:
        return _add_weekdays(end_date, k - end_ordinal)
    return (
        CalendarDay.objects.filter(ordinal__gte=k)
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )


def level_points(as_of: datetime.date) -> tuple[int, datetime.date, datetime.date]:
    """``(x, red_before, pre_warning_before)`` as of ``as_of`` (Xinxiang warning art. 5).

    The ordinal never decreases with the date, so with x = ord(as_of) and W(k) the first date
    of ordinal ≥ k: ord(due) < k ⇔ due < W(k). For an open duty that is not suspended:
    red ⇔ due < W(x − 2); yellow ⇔ W(x − 2) ≤ due < as_of; pre-warning ⇔
    as_of ≤ due < W(x + 2). Two dates per query instead of a lookup per row; three small
    queries in all.
    """
    table_end = _table_end()
    end_date, end_ordinal = table_end
    x = _ordinals([as_of], table_end)[as_of]
    wanted = [x - 2, x + 2]
    # Inside the table W(k) is the working day whose ordinal is exactly k.
    found = dict(
        CalendarDay.objects.filter(
            ordinal__in=[k for k in wanted if k <= end_ordinal], is_working=True
        ).values_list("ordinal", "date")
    )
    points = []
    for k in wanted:
        if k > end_ordinal:
            points.append(_add_weekdays(end_date, k - end_ordinal))
        elif k in found:
            points.append(found[k])
        else:  # before the first working day of the table
            points.append(CALENDAR_START)
    return x, points[0], points[1]


def level_boundaries(as_of: datetime.date) -> tuple[datetime.date, datetime.date]:
    """``(red_before, pre_warning_before)``: see ``level_points``."""
    return level_points(as_of)[1:]


def calendar_is_complete(year: int) -> bool:
    """Whether ``year``'s holidays and adjusted working days are known (answers are final)."""
    return CalendarYear.objects.filter(year=year, complete=True).exists()


def is_working_day(day: datetime.date) -> bool:
    """Whether ``day`` is a working day (after the end of the table: Monday–Friday)."""
    _check_date(day)
    found = CalendarDay.objects.filter(date=day).values_list("is_working", flat=True).first()
    if found is None:
        _table_end()  # raises if the calendar is not loaded at all
        return day.weekday() < 5
    return found


def add_working_days(start: datetime.date, n: int) -> PeriodResult:
    """The last day of a period of ``n`` working days that starts with the event on
    ``start``.

    The day of the event is not counted and counting starts the next day; an event on a rest day
    counts from the next working day. ``n == 0`` returns ``start`` itself, unchanged and not
    provisional (no day is counted).
    """
    if n < 0:
        raise ValueError(_("工作日数不能为负数。"))
    _check_date(start)
    if n == 0:
        return PeriodResult(start=start, days=0, due=start, provisional=False)
    table_end = _table_end()
    end_date, end_ordinal = table_end
    # A rest day carries the ordinal of the working day before it, so the n-th working day
    # after ``start`` is the working day whose ordinal is exactly n more.
    target = _ordinals([start], table_end)[start] + n
    if target <= end_ordinal:
        due = (
            CalendarDay.objects.filter(ordinal=target, is_working=True)
            .values_list("date", flat=True)
            .get()
        )
    else:
        due = _add_weekdays(end_date, target - end_ordinal)
    return PeriodResult(
        start=start, days=n, due=due, provisional=_is_provisional(start, due, table_end)
    )


def add_working_days_many(pairs) -> dict[tuple[datetime.date, int], PeriodResult]:
    """``add_working_days(start, n)`` for every ``(start, n)`` of ``pairs`` at once, in four
    queries whatever their number (a batch of items from another system)."""
    pairs = set(pairs)
    result = {}
    for start, n in pairs:
        if n < 0:
            raise ValueError(_("工作日数不能为负数。"))
        _check_date(start)
        if n == 0:
            result[(start, n)] = PeriodResult(start=start, days=0, due=start, provisional=False)
    counted = [(start, n) for start, n in pairs if n > 0]
    if not counted:
        return result
    table_end = _table_end()
    end_date, end_ordinal = table_end
    ordinals = _ordinals(sorted({start for start, _n in counted}), table_end)
    targets = {(start, n): ordinals[start] + n for start, n in counted}
    dates = dict(
        CalendarDay.objects.filter(
            ordinal__in=[k for k in set(targets.values()) if k <= end_ordinal], is_working=True
        ).values_list("ordinal", "date")
    )
    dues = {
        pair: dates[k] if k <= end_ordinal else _add_weekdays(end_date, k - end_ordinal)
        for pair, k in targets.items()
    }
    first = min(start for start, _n in counted).year
    complete = _complete_years(first, max(due.year for due in dues.values()))
    for (start, n), due in dues.items():
        # As _is_provisional: a day of (start, due] after the table or in an incomplete year.
        years = range((start + ONE_DAY).year, due.year + 1)
        provisional = due > end_date or any(year not in complete for year in years)
        result[(start, n)] = PeriodResult(start=start, days=n, due=due, provisional=provisional)
    return result


def working_days_between(a: datetime.date, b: datetime.date) -> CountResult:
    """Working days in (a, b]: ``a`` excluded, ``b`` included (docs/api.md, "Calendar"), e.g. how
    many working days after receipt a request was filed.

    If ``b`` is before ``a`` the count is negative: ``-working_days_between(b, a).count``
    (e.g. "3 working days before the due date").
    """
    table_end = _table_end()
    ordinals = _ordinals([a, b], table_end)
    low, high = min(a, b), max(a, b)
    return CountResult(
        count=ordinals[b] - ordinals[a], provisional=_is_provisional(low, high, table_end)
    )


def add_calendar_days(start: datetime.date, n: int) -> PeriodResult:
    """A period of ``n`` calendar days: it ends on ``start + n``, moved to the next working day
    when that is not a working day (遇法定节假日顺延, Xinxiang warning art. 16)."""
    if n < 0:
        raise ValueError(_("天数不能为负数。"))
    _check_date(start)
    try:
        end = start + datetime.timedelta(days=n)
    except OverflowError:
        raise OutOfCalendar(_("日期超出可计算范围。")) from None
    table_end = _table_end()
    end_date = table_end[0]
    due = None
    if end <= end_date:
        due = (
            CalendarDay.objects.filter(date__gte=end, is_working=True)
            .order_by("date")
            .values_list("date", flat=True)
            .first()
        )
    if due is None:  # no working day left in the table: Monday–Friday after its end
        candidate = max(end, end_date + ONE_DAY)
        due = candidate if candidate.weekday() < 5 else _add_weekdays(candidate, 1)
    return PeriodResult(
        start=start, days=n, due=due, provisional=_is_provisional(start, due, table_end)
    )


def rolled_forward(day: datetime.date) -> datetime.date:
    """The due date ``day`` as it stands under 顺延 (Xinxiang warning art. 16): ``day``
    itself when it is a working day, else the next working day. Every due date a person sets
    (an investigation's, an in-person report's, an organ's reporting date, an extension's new
    date) is asked here when its deadline is opened or moved, so that no due date falls on a
    rest day (docs/deadlines.md). One indexed query."""
    return add_calendar_days(day, 0).due


def _reason(kind: str, holiday_name: str) -> str:
    if kind == CalendarDay.Kind.HOLIDAY:
        if holiday_name:
            return _("法定节假日：%(name)s") % {"name": holiday_name}
        return _("法定节假日")
    if kind == CalendarDay.Kind.ADJUSTED_WORKDAY:
        return _("调休上班日")
    if kind == CalendarDay.Kind.WEEKEND:
        return _("周末")
    return _("工作日")


def explain(
    start: datetime.date, end: datetime.date | None = None, days: int | None = None
) -> list[ExplainRow]:
    """Every day after ``start`` through ``end`` (or through the due date of ``days``
    working days), whether it counts and why: what users see beside a deadline.

    Reasons: 工作日 / 周末 / 法定节假日：春节 / 调休上班日; a day in a year not marked
    complete (or after the end of the table) gets "；暂定（该年度日历未确认）" appended.
    """
    if (end is None) == (days is None):
        raise ValueError(_("请给出截止日期或工作日数，二者选一。"))
    if days is not None:
        end = add_working_days(start, days).due
    _check_date(start)
    if end < start:
        raise ValueError(_("截止日期不能早于起始日期。"))
    if end == start:
        return []
    _table_end()  # raises if the calendar is not loaded
    first = start + ONE_DAY
    stored = {
        row[0]: row[1:]
        for row in CalendarDay.objects.filter(date__range=(first, end)).values_list(
            "date", "is_working", "kind", "holiday_name"
        )
    }
    complete = _complete_years(first.year, end.year)
    provisional_note = _("暂定（该年度日历未确认）")
    rows = []
    counted = 0
    day = first
    while day <= end:
        if day in stored:
            is_working, kind, holiday_name = stored[day]
            provisional = day.year not in complete
        else:  # after the end of the table
            is_working = day.weekday() < 5
            kind = CalendarDay.Kind.WORKDAY if is_working else CalendarDay.Kind.WEEKEND
            holiday_name = ""
            provisional = True
        reason = _reason(kind, holiday_name)
        if provisional:
            reason = f"{reason}；{provisional_note}"
        if is_working:
            counted += 1
        rows.append(
            ExplainRow(
                date=day,
                counted=is_working,
                ordinal=counted if is_working else None,
                reason=reason,
                provisional=provisional,
            )
        )
        day += ONE_DAY
    return rows
