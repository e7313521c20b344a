"""An administrator's corrections to the calendar (the calendar is data, editable by an
administrator; provisional answers are recomputed when a year is entered)."""

import pytest

from casework.workcalendar import periods, services
from casework.workcalendar.models import CalendarDay, CalendarYear, Source

from .helpers import d

pytestmark = pytest.mark.django_db


def assert_ordinals_consistent(since):
    rows = CalendarDay.objects.filter(date__gte=since).order_by("date")
    previous = services._ordinal_before(since)
    for row in rows.values_list("date", "is_working", "ordinal"):
        date, is_working, ordinal = row
        assert ordinal == previous + (1 if is_working else 0), date
        previous = ordinal


def test_an_administrator_declares_new_years_day_2027_and_later_due_dates_move(calendar_admin):
    assert periods.add_working_days(d("2026-12-28"), 10).due == d("2027-01-11")
    ordinal_before = periods.working_day_ordinal(d("2027-06-01"))

    day = services.set_day(
        d("2027-01-01"),
        is_working=False,
        kind=CalendarDay.Kind.HOLIDAY,
        holiday_name="元旦",
        actor=calendar_admin,
        reason="国务院办公厅关于2027年部分节假日安排的通知",
    )

    assert day.source == Source.ADMIN
    assert periods.add_working_days(d("2026-12-28"), 10).due == d("2027-01-12")
    assert periods.working_day_ordinal(d("2027-06-01")) == ordinal_before - 1
    assert_ordinals_consistent(d("2026-12-01"))
    record = day.history.latest()
    assert record.history_user == calendar_admin
    assert record.history_change_reason == "国务院办公厅关于2027年部分节假日安排的通知"
    rows = periods.explain(d("2026-12-31"), end=d("2027-01-01"))
    assert rows[0].reason == "法定节假日：元旦；暂定（该年度日历未确认）"


def test_an_adjusted_working_saturday_counts(calendar_admin):
    before = periods.add_working_days(d("2027-02-05"), 1).due
    assert before == d("2027-02-08")
    services.set_day(
        d("2027-02-06"),
        is_working=True,
        kind=CalendarDay.Kind.ADJUSTED_WORKDAY,
        holiday_name="春节",
        actor=calendar_admin,
        reason="调休",
    )
    assert periods.add_working_days(d("2027-02-05"), 1).due == d("2027-02-06")
    assert_ordinals_consistent(d("2027-01-01"))


def test_a_correction_needs_a_reason_and_a_consistent_kind(calendar_admin):
    with pytest.raises(ValueError, match="原因"):
        services.set_day(d("2027-01-01"), False, "holiday", "元旦", calendar_admin, "  ")
    with pytest.raises(ValueError):
        services.set_day(d("2027-01-01"), True, "holiday", "元旦", calendar_admin, "通知")
    with pytest.raises(ValueError):
        services.set_day(d("2003-01-01"), False, "holiday", "元旦", calendar_admin, "通知")
    assert CalendarDay.objects.get(date=d("2027-01-01")).source == Source.LIBRARY


def test_marking_2027_complete_makes_its_answers_final(calendar_admin):
    assert periods.add_working_days(d("2026-12-28"), 10).provisional is True
    year = services.mark_year_complete(2027, actor=calendar_admin, reason="已录入2027年通知")
    assert year.complete and year.source == Source.ADMIN
    assert year.history.latest().history_change_reason == "已录入2027年通知"
    assert periods.add_working_days(d("2026-12-28"), 10).provisional is False
    assert periods.working_days_between(d("2027-01-04"), d("2027-03-01")).provisional is False
    # 2028 is still provisional.
    assert periods.add_working_days(d("2027-12-28"), 10).provisional is True

    services.mark_year_incomplete(2027, actor=calendar_admin, reason="通知有误，待更正")
    assert periods.add_working_days(d("2026-12-28"), 10).provisional is True


def test_a_year_outside_the_table_cannot_be_marked_complete(calendar_admin):
    with pytest.raises(ValueError):
        services.mark_year_complete(2031, actor=calendar_admin, reason="误操作")
    assert not CalendarYear.objects.filter(year=2031).exists()


def test_a_correction_after_the_end_of_the_table_extends_it_provisionally(calendar_admin):
    services.set_day(
        d("2029-10-01"),
        is_working=False,
        kind=CalendarDay.Kind.HOLIDAY,
        holiday_name="国庆节",
        actor=calendar_admin,
        reason="国务院办公厅关于2029年部分节假日安排的通知",
    )
    assert CalendarDay.objects.filter(date__year=2029).count() == 365
    assert CalendarYear.objects.get(year=2029).complete is False
    assert_ordinals_consistent(d("2028-12-01"))
    result = periods.add_working_days(d("2029-09-28"), 1)  # a Friday
    assert result.due == d("2029-10-02")
    assert result.provisional is True
    assert periods.add_working_days(d("2028-12-29"), 2).due == d("2029-01-02")


def test_recompute_ordinals_repairs_a_damaged_column():
    CalendarDay.objects.filter(date__gte=d("2020-05-01")).update(ordinal=0)
    changed = services.recompute_ordinals(d("2010-01-01"))
    assert changed == CalendarDay.objects.filter(date__gte=d("2020-05-01")).count()
    assert_ordinals_consistent(d("2004-01-01"))
    assert services.recompute_ordinals(d("2004-01-01")) == 0
