"""Periods in working days: the event's day is not counted; a period ends on its last working
day."""

import datetime

import chinese_calendar
import pytest

from casework.workcalendar import periods

from .helpers import d

pytestmark = pytest.mark.django_db

ONE_DAY = datetime.timedelta(days=1)


def brute_force_due(start, n):
    """The n-th working day after ``start``, day by day with the library (2004–2026)."""
    day = start
    while n:
        day += ONE_DAY
        if chinese_calendar.is_workday(day):
            n -= 1
    return day


def monday_to_friday_due(start, n):
    day = start
    while n:
        day += ONE_DAY
        if day.weekday() < 5:
            n -= 1
    return day


# --- the examples of the procedures and the API ------------------------------------------------


def test_ten_working_days_from_2026_02_10_cross_the_spring_festival():
    # 02-14 (Saturday) and 02-28 (Saturday) are adjusted working days; 02-15..02-23 holiday.
    result = periods.add_working_days(d("2026-02-10"), 10)
    assert result.due == d("2026-03-02")
    assert result.provisional is False


def test_ten_working_days_from_saturday_2026_03_07_end_on_2026_03_20():
    result = periods.add_working_days(d("2026-03-07"), 10)
    assert result == periods.PeriodResult(
        start=d("2026-03-07"), days=10, due=d("2026-03-20"), provisional=False
    )


def test_the_period_ends_at_23_59_59_shanghai_time_on_the_due_date():
    due_at = periods.add_working_days(d("2026-03-07"), 10).due_at
    assert due_at.isoformat() == "2026-03-20T23:59:59+08:00"


# --- the event on a rest day -----------------------------------------------------------------


def test_an_event_on_a_saturday_counts_from_monday():
    assert periods.add_working_days(d("2026-03-07"), 1).due == d("2026-03-09")
    assert periods.add_working_days(d("2026-03-08"), 1).due == d("2026-03-09")


def test_an_event_inside_the_2026_spring_festival_counts_from_the_first_working_day_after_it():
    assert periods.add_working_days(d("2026-02-17"), 1).due == d("2026-02-24")
    # 02-24..02-27 (4), Saturday 02-28 adjusted (5), 03-02..03-06 (10)
    assert periods.add_working_days(d("2026-02-17"), 10).due == d("2026-03-06")
    assert periods.add_working_days(d("2026-02-23"), 10).due == d("2026-03-06")


def test_five_working_days_across_the_2025_spring_festival():
    # 2025: Sunday 01-26 and Saturday 02-08 are adjusted working days; 01-28..02-04 holiday.
    assert periods.add_working_days(d("2025-01-24"), 1).due == d("2025-01-26")
    assert periods.add_working_days(d("2025-01-24"), 5).due == d("2025-02-07")
    assert periods.add_working_days(d("2025-01-24"), 6).due == d("2025-02-08")


def test_ten_working_days_across_the_2025_spring_festival():
    result = periods.add_working_days(d("2025-01-27"), 10)
    assert result.due == brute_force_due(d("2025-01-27"), 10) == d("2025-02-17")
    assert result.provisional is False


def test_due_dates_agree_with_the_library_day_by_day_across_2004_to_2026():
    start = d("2004-01-01")
    while start < d("2026-11-01"):
        for n in (1, 5, 10, 20):
            assert periods.add_working_days(start, n).due == brute_force_due(start, n), (start, n)
        start += datetime.timedelta(days=29)


# --- the boundary of a period ----------------------------------------------------------------


def test_the_tenth_working_day_is_inside_a_ten_day_period_and_the_eleventh_is_not():
    start = d("2026-02-10")
    assert periods.working_days_between(start, d("2026-03-02")).count == 10
    assert periods.working_days_between(start, d("2026-03-03")).count == 11
    assert periods.add_working_days(start, 11).due == d("2026-03-03")
    # The Sunday before the tenth working day is still the ninth.
    assert periods.working_days_between(start, d("2026-03-01")).count == 9


def test_working_days_between_excludes_the_start_and_includes_the_end():
    assert periods.working_days_between(d("2026-03-07"), d("2026-03-20")) == periods.CountResult(
        count=10, provisional=False
    )
    assert periods.working_days_between(d("2026-03-09"), d("2026-03-09")).count == 0
    assert periods.working_days_between(d("2026-03-06"), d("2026-03-09")).count == 1


def test_working_days_between_is_negative_when_the_end_is_before_the_start():
    assert periods.working_days_between(d("2026-03-20"), d("2026-03-07")).count == -10


def test_zero_working_days_return_the_start_unchanged():
    assert periods.add_working_days(d("2026-03-07"), 0) == periods.PeriodResult(
        start=d("2026-03-07"), days=0, due=d("2026-03-07"), provisional=False
    )


def test_a_negative_number_of_days_is_refused():
    with pytest.raises(ValueError):
        periods.add_working_days(d("2026-03-07"), -1)


def test_a_date_before_2004_is_refused_in_chinese():
    with pytest.raises(ValueError, match="2004-01-01"):
        periods.add_working_days(d("2003-12-31"), 10)
    with pytest.raises(ValueError, match="工作日历"):
        periods.working_days_between(d("2003-12-31"), d("2026-01-05"))


# --- provisional answers ---------------------------------------------------------------------


def test_a_period_into_2027_is_provisional_and_counts_monday_to_friday():
    result = periods.add_working_days(d("2027-03-01"), 10)
    assert result.due == monday_to_friday_due(d("2027-03-01"), 10) == d("2027-03-15")
    assert result.provisional is True


def test_a_period_from_late_december_2026_into_2027_is_provisional():
    result = periods.add_working_days(d("2026-12-28"), 10)
    # 12-29..12-31 from the library, then Monday–Friday: 2027-01-01 counts until the
    # State Council's notice for 2027 is entered.
    assert result.due == d("2027-01-11")
    assert result.provisional is True


def test_a_period_ending_on_the_last_day_of_2026_is_final():
    result = periods.add_working_days(d("2026-12-28"), 3)
    assert result.due == d("2026-12-31")
    assert result.provisional is False


def test_beyond_the_table_2030_is_provisional_monday_to_friday():
    result = periods.add_working_days(d("2030-03-01"), 10)
    assert result.due == monday_to_friday_due(d("2030-03-01"), 10) == d("2030-03-15")
    assert result.provisional is True
    count = periods.working_days_between(d("2030-03-01"), d("2030-03-15"))
    assert count == periods.CountResult(count=10, provisional=True)


@pytest.mark.parametrize("start", ["2028-12-20", "2028-12-30", "2028-12-31", "2029-01-05"])
@pytest.mark.parametrize("n", [1, 3, 7, 30])
def test_a_period_across_the_end_of_the_table_continues_monday_to_friday(start, n):
    result = periods.add_working_days(d(start), n)
    assert result.due == monday_to_friday_due(d(start), n)
    assert result.provisional is True
    assert periods.working_days_between(d(start), result.due).count == n


def test_working_days_between_a_complete_and_an_incomplete_year_is_provisional():
    assert periods.working_days_between(d("2026-12-01"), d("2027-01-05")).provisional is True
    assert periods.working_days_between(d("2027-01-05"), d("2026-12-01")).provisional is True
    assert periods.working_days_between(d("2026-01-05"), d("2026-12-31")).provisional is False


def test_the_ordinal_and_the_completeness_of_a_year():
    assert (
        periods.working_day_ordinal(d("2026-03-02")) - periods.working_day_ordinal(d("2026-02-10"))
        == 10
    )
    # A rest day carries the ordinal of the working day before it.
    assert periods.working_day_ordinal(d("2026-03-01")) == periods.working_day_ordinal(
        d("2026-02-28")
    )
    assert periods.calendar_is_complete(2026) is True
    assert periods.calendar_is_complete(2027) is False
    assert periods.calendar_is_complete(2030) is False


def test_is_working_day():
    assert periods.is_working_day(d("2026-02-14")) is True  # adjusted Saturday
    assert periods.is_working_day(d("2026-02-16")) is False  # Spring Festival
    assert periods.is_working_day(d("2030-03-01")) is True  # after the table: a Friday


def test_a_computation_costs_a_few_queries_not_one_per_day(django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        periods.add_working_days(d("2026-02-10"), 3650)
    with django_assert_max_num_queries(4):
        periods.working_days_between(d("2004-01-05"), d("2026-12-31"))
    with django_assert_max_num_queries(4):
        periods.explain(d("2026-02-10"), end=d("2026-12-31"))


# --- calendar days ---------------------------------------------------------------------------


def test_a_calendar_day_period_ending_on_a_holiday_moves_to_the_next_working_day():
    # Xinxiang warning art. 16 (遇法定节假日顺延): 2026-10-01 is National Day; 10-08 is the first
    # working day after the holiday.
    result = periods.add_calendar_days(d("2026-09-24"), 7)
    assert result.due == d("2026-10-08")
    assert result.provisional is False


def test_a_calendar_day_period_ending_on_a_working_day_stays():
    assert periods.add_calendar_days(d("2026-03-02"), 15).due == d("2026-03-17")
    # An adjusted working Saturday is a working day.
    assert periods.add_calendar_days(d("2026-02-07"), 7).due == d("2026-02-14")


def test_a_calendar_day_period_after_the_table_moves_off_the_weekend():
    result = periods.add_calendar_days(d("2030-03-01"), 1)
    assert result.due == d("2030-03-04")
    assert result.provisional is True


# --- explain ---------------------------------------------------------------------------------


def test_explain_lists_every_day_of_the_2026_spring_festival_period_with_its_reason():
    rows = periods.explain(d("2026-02-10"), days=10)
    assert [row.date for row in rows][0] == d("2026-02-11")
    assert rows[-1].date == d("2026-03-02")
    assert len(rows) == 20
    by_date = {row.date.isoformat(): row for row in rows}
    assert (by_date["2026-02-11"].counted, by_date["2026-02-11"].ordinal) == (True, 1)
    assert by_date["2026-02-11"].reason == "工作日"
    assert by_date["2026-02-14"].reason == "调休上班日"
    assert (by_date["2026-02-14"].counted, by_date["2026-02-14"].ordinal) == (True, 4)
    assert by_date["2026-02-17"].reason == "法定节假日：春节"
    assert (by_date["2026-02-17"].counted, by_date["2026-02-17"].ordinal) == (False, None)
    assert by_date["2026-03-01"].reason == "周末"
    assert rows[-1].ordinal == 10
    assert sum(row.counted for row in rows) == 10
    assert not any(row.provisional for row in rows)


def test_explain_up_to_an_end_date():
    rows = periods.explain(d("2026-03-06"), end=d("2026-03-09"))
    assert [(row.date.isoformat(), row.counted, row.reason) for row in rows] == [
        ("2026-03-07", False, "周末"),
        ("2026-03-08", False, "周末"),
        ("2026-03-09", True, "工作日"),
    ]


def test_explain_marks_days_of_an_incomplete_year_as_provisional():
    rows = periods.explain(d("2026-12-30"), days=3)
    assert [row.date.isoformat() for row in rows] == [
        "2026-12-31",
        "2027-01-01",
        "2027-01-02",
        "2027-01-03",
        "2027-01-04",
    ]
    assert rows[0].reason == "工作日" and rows[0].provisional is False
    assert rows[1].reason == "工作日；暂定（该年度日历未确认）" and rows[1].counted
    assert rows[2].reason == "周末；暂定（该年度日历未确认）" and not rows[2].counted
    assert rows[-1].ordinal == 3


def test_explain_after_the_end_of_the_table():
    rows = periods.explain(d("2030-03-01"), days=1)
    assert [row.date.isoformat() for row in rows] == ["2030-03-02", "2030-03-03", "2030-03-04"]
    assert all(row.provisional for row in rows)
    assert "暂定（该年度日历未确认）" in rows[-1].reason


def test_explain_needs_exactly_one_of_end_and_days():
    with pytest.raises(ValueError):
        periods.explain(d("2026-03-06"))
    with pytest.raises(ValueError):
        periods.explain(d("2026-03-06"), end=d("2026-03-09"), days=1)
    assert periods.explain(d("2026-03-06"), days=0) == []


def test_add_working_days_many_answers_as_add_working_days_in_four_queries(
    django_assert_max_num_queries,
):
    """A batch of periods at once (the items of another system): the same answers, the
    Spring Festival, an adjusted working day, a provisional year and the end of the table."""
    pairs = [
        (datetime.date(2026, 2, 9), 5),
        (datetime.date(2026, 2, 9), 9),
        (datetime.date(2026, 2, 13), 1),
        (datetime.date(2026, 2, 15), 3),
        (datetime.date(2026, 12, 25), 10),
        (datetime.date(2028, 12, 20), 30),
        (datetime.date(2026, 3, 2), 0),
    ]
    with django_assert_max_num_queries(4):
        many = periods.add_working_days_many(pairs)
    assert many == {pair: periods.add_working_days(*pair) for pair in pairs}
