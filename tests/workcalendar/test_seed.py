"""Seeding the calendar from chinese_calendar (the calendar of Chinese working days)."""

import datetime

import chinese_calendar
import pytest
from chinese_calendar.constants import Holiday
from django.db import connection

from casework.workcalendar import services
from casework.workcalendar.models import CalendarDay, CalendarYear, Source

from .helpers import d

pytestmark = pytest.mark.django_db

FIRST, LAST_LIBRARY, LAST_SEEDED = d("2004-01-01"), d("2026-12-31"), d("2028-12-31")


def test_every_day_from_2004_to_2026_agrees_with_chinese_calendar():
    rows = list(
        CalendarDay.objects.filter(date__range=(FIRST, LAST_LIBRARY))
        .order_by("date")
        .values_list("date", "is_working", "kind")
    )
    assert len(rows) == (LAST_LIBRARY - FIRST).days + 1
    for date, is_working, kind in rows:
        assert is_working == chinese_calendar.is_workday(date), date
        weekend = date.weekday() >= 5
        if is_working:
            assert kind == ("adjusted_workday" if weekend else "workday"), date
        else:
            assert kind in ("holiday", "weekend"), date
            assert kind == "holiday" or weekend, date


def test_every_holiday_of_the_library_has_a_chinese_name():
    assert set(services.HOLIDAY_NAMES) == {holiday.value for holiday in Holiday}
    names = set(CalendarDay.objects.filter(kind="holiday").values_list("holiday_name", flat=True))
    assert names <= set(services.HOLIDAY_NAMES.values())
    assert CalendarDay.objects.get(date=d("2026-02-17")).holiday_name == "春节"
    assert CalendarDay.objects.get(date=d("2015-09-03")).holiday_name == "抗战胜利70周年纪念日"
    assert CalendarDay.objects.get(date=d("2026-10-01")).holiday_name == "国庆节"


def test_the_2026_spring_festival_makeup_saturdays_are_adjusted_working_days():
    for date in ("2026-02-14", "2026-02-28"):
        row = CalendarDay.objects.get(date=d(date))
        assert row.is_working
        assert row.kind == CalendarDay.Kind.ADJUSTED_WORKDAY
        assert row.holiday_name == "春节"


def test_the_ordinal_rises_by_one_on_each_working_day_and_holds_on_rest_days():
    rows = CalendarDay.objects.order_by("date").values_list("date", "is_working", "ordinal")
    previous_date, previous = None, 0
    for date, is_working, ordinal in rows:
        if previous_date is not None:
            assert date == previous_date + datetime.timedelta(days=1)  # contiguous
        assert ordinal == previous + (1 if is_working else 0), date
        previous_date, previous = date, ordinal
    assert previous_date == LAST_SEEDED


def test_2004_to_2026_are_complete_and_2027_2028_provisional_monday_to_friday():
    years = dict(CalendarYear.objects.values_list("year", "complete"))
    assert all(years[year] for year in range(2004, 2027))
    assert years[2027] is False and years[2028] is False
    for date, is_working, kind in CalendarDay.objects.filter(
        date__year__in=[2027, 2028]
    ).values_list("date", "is_working", "kind"):
        assert is_working == (date.weekday() < 5)
        assert kind == ("workday" if is_working else "weekend")
    assert CalendarYear.objects.get(year=2026).history.exists()


def test_seeding_again_creates_nothing_and_keeps_an_administrators_correction(calendar_admin):
    services.set_day(
        d("2026-06-01"),
        is_working=False,
        kind="holiday",
        holiday_name="儿童节（示例）",
        actor=calendar_admin,
        reason="测试：管理员更正",
    )
    assert services.seed_from_library() == 0
    corrected = CalendarDay.objects.get(date=d("2026-06-01"))
    assert corrected.source == Source.ADMIN
    assert corrected.is_working is False
    assert corrected.holiday_name == "儿童节（示例）"
    assert CalendarDay.objects.count() == (LAST_SEEDED - FIRST).days + 1


def test_seeding_brings_a_provisional_library_row_up_to_date():
    # As if an older library had not known 2026 yet: Monday–Friday and an incomplete year.
    CalendarDay.objects.filter(date=d("2026-02-14")).update(
        is_working=False, kind="weekend", holiday_name=""
    )
    CalendarYear.objects.filter(year=2026).update(complete=False)
    services.recompute_ordinals(d("2026-02-14"))
    assert services.seed_from_library() == 0
    row = CalendarDay.objects.get(date=d("2026-02-14"))
    assert (row.is_working, row.kind) == (True, "adjusted_workday")
    assert CalendarYear.objects.get(year=2026).complete
    assert row.ordinal == CalendarDay.objects.get(date=d("2026-02-13")).ordinal + 1


def test_seeding_an_empty_calendar_writes_in_bulk(django_assert_max_num_queries):
    """Some 8,000 days in bulk statements (a few per year), not a query per day (its speed
    is measured in bench/, not here)."""
    # Raw deletes: a model delete would write a history row per day.
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {CalendarDay._meta.db_table}")
        cursor.execute(f"DELETE FROM {CalendarYear._meta.db_table}")
    with django_assert_max_num_queries(300):
        created = services.seed_from_library()
    assert created == (LAST_SEEDED - FIRST).days + 1
    assert CalendarYear.objects.count() == 2028 - 2004 + 1
