"""Levels as ranges of due dates (Xinxiang warning art. 5; bench/README.md proposals 1–3).

The level of a set of deadlines is computed in SQL by comparing ``due`` with two boundary
dates taken once from the calendar's working-day ordinal. These tests hold the three ways of
asking (``with_level`` in SQL, ``at_level`` over the partial index, ``level_as_of`` in
Python) to one answer on every day of a window, and check the ``warned`` hint of the scan.
"""

import datetime

import pytest

from casework.deadlines import services
from casework.deadlines.models import (
    AdmonitionLetter,
    Deadline,
    Kind,
    Level,
    Notification,
    WarningEvent,
)
from casework.org.models import Department, User
from casework.workcalendar import periods

pytestmark = pytest.mark.django_db

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)
CARDS = [Level.RED, Level.YELLOW, Level.PRE_WARNING]


def days(first, last):
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


@pytest.fixture
def every_day_due(demo_people):
    """One open investigation deadline due on each day of a window (rest days included)."""

    def _make(first, last):
        unit = Department.objects.get(code="supervision")
        return [
            services.open_deadline(
                Kind.INVESTIGATION, start=due - 30 * ONE_DAY, due=due, description="x", unit=unit
            )
            for due in days(first, last)
        ]

    return _make


def levels_three_ways(as_of):
    sql = dict(Deadline.objects.open().with_level(as_of).values_list("pk", "level"))
    ranges = {
        level: set(Deadline.objects.at_level(as_of, level).values_list("pk", flat=True))
        for level in CARDS
    }
    python = {deadline.pk: deadline.level_as_of(as_of) for deadline in Deadline.objects.all()}
    return sql, ranges, python


@pytest.mark.parametrize(
    "window",
    [
        # The Spring Festival of 2026 (02-15..02-23) and the adjusted Saturdays 02-14, 02-28.
        pytest.param((D(2026, 2, 5), D(2026, 3, 6)), id="spring-festival-2026"),
        # The end of the calendar table (2028-12-31): after it, Monday–Friday.
        pytest.param((D(2028, 12, 20), D(2029, 1, 12)), id="after-the-table"),
    ],
)
def test_sql_ranges_and_python_agree_on_every_day(every_day_due, window):
    first, last = window
    every_day_due(first, last)
    for as_of in days(first - 3 * ONE_DAY, last + 7 * ONE_DAY):
        sql, ranges, python = levels_three_ways(as_of)
        assert sql == python, as_of
        for level in CARDS:
            assert ranges[level] == {pk for pk, value in sql.items() if value == level}, (
                as_of,
                level,
            )


def test_the_boundaries_around_the_spring_festival():
    # As of Friday 2026-02-27 (x = ord(02-27)): red before W(x−2) = Tuesday 02-25 (two
    # working days back are 02-26 and 02-25); pre-warning up to W(x+2) exclusive = Monday
    # 03-02 exclusive, because Saturday 02-28 is an adjusted working day.
    assert periods.level_boundaries(D(2026, 2, 27)) == (D(2026, 2, 25), D(2026, 3, 2))
    # As of Monday 2026-02-16, inside the holiday (ordinal of Saturday 02-14): red before
    # 02-12, pre-warning before 02-25 (02-24 is the first working day after the holiday).
    assert periods.level_boundaries(D(2026, 2, 16)) == (D(2026, 2, 12), D(2026, 2, 25))


def test_at_level_takes_only_adjacent_levels():
    with pytest.raises(ValueError):
        Deadline.objects.at_level(D(2026, 3, 2), Level.RED, Level.PRE_WARNING)
    with pytest.raises(ValueError):
        Deadline.objects.at_level(D(2026, 3, 2))


def test_rights_and_suspended_duties_are_in_no_range(every_day_due):
    every_day_due(D(2026, 1, 5), D(2026, 1, 9))
    Deadline.objects.filter(due=D(2026, 1, 5)).update(kind=Kind.OBJECTION)
    Deadline.objects.filter(due=D(2026, 1, 6)).update(kind=Kind.REVIEW_WINDOW)
    Deadline.objects.filter(due=D(2026, 1, 7)).update(suspended_on=D(2026, 1, 2))
    red = Deadline.objects.at_level(D(2026, 3, 2), Level.RED)
    assert sorted(red.values_list("due", flat=True)) == [D(2026, 1, 8), D(2026, 1, 9)]


# --- the scan's hint ------------------------------------------------------------------------


def test_the_scan_records_the_highest_level_carded(every_day_due):
    [deadline] = every_day_due(D(2026, 1, 26), D(2026, 1, 26))
    services.scan(D(2026, 1, 23))
    deadline.refresh_from_db()
    assert deadline.warned == Level.PRE_WARNING
    services.scan(D(2026, 1, 27))
    deadline.refresh_from_db()
    assert deadline.warned == Level.YELLOW
    services.scan(D(2026, 1, 29))
    deadline.refresh_from_db()
    assert deadline.warned == Level.RED
    # The hint is derived: it is not part of the deadline's history.
    assert "warned" not in {field.name for field in Deadline.history.model._meta.fields}


def test_the_events_decide_even_when_the_hint_is_missing(every_day_due):
    [deadline] = every_day_due(D(2026, 1, 26), D(2026, 1, 26))
    assert services.scan(D(2026, 1, 29)).total == 2  # the letter, then the proposal
    Deadline.objects.filter(pk=deadline.pk).update(warned="")
    assert services.scan(D(2026, 1, 29)).total == 0
    assert WarningEvent.objects.filter(deadline=deadline).count() == 2


def test_an_extended_deadline_warns_again(every_day_due, people_by_name):
    [deadline] = every_day_due(D(2026, 1, 26), D(2026, 1, 26))
    services.scan(D(2026, 1, 27))
    deadline.refresh_from_db()
    assert deadline.warned == Level.YELLOW
    extension = services.ask_for_extension(
        deadline,
        people_by_name("investigator"),
        {"reason": "材料较多", "new_due": D(2026, 2, 3)},
        on=D(2026, 1, 20),
    )
    services.decide_on_extension(
        extension, people_by_name("mayor"), {"approve": True, "reason": "同意"}, on=D(2026, 1, 27)
    )
    deadline.refresh_from_db()
    assert (deadline.due, deadline.original_due, deadline.warned) == (
        D(2026, 2, 3),
        D(2026, 1, 26),
        "",
    )
    # As of 02-04 both the extended deadline and the first letter's report deadline (due
    # 02-03) are late: one yellow card each. The unit already holds a letter for this
    # deadline, so the new card cites it instead of issuing a second one.
    result = services.scan(D(2026, 2, 4))
    assert result.letters == 2
    assert AdmonitionLetter.objects.filter(deadline=deadline).count() == 1
    assert Notification.objects.filter(deadline=deadline, title__contains="延期后再次逾期").exists()
    events = WarningEvent.objects.filter(deadline=deadline, level=Level.YELLOW)
    assert sorted(events.values_list("due", flat=True)) == [D(2026, 1, 26), D(2026, 2, 3)]


def test_the_migration_derives_the_hint_from_the_events(every_day_due):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("casework.deadlines.migrations.0004_warning_ranges")
    first, second, third = every_day_due(D(2026, 1, 26), D(2026, 1, 28))
    services.scan(D(2026, 2, 2))  # all three red: letters and proposals
    # An event for an earlier due date does not count for the current one.
    Deadline.objects.filter(pk=third.pk).update(due=D(2026, 3, 2))
    Deadline.objects.update(warned="")
    migration.warned_from_events(apps, None)
    ours = Deadline.objects.filter(kind=Kind.INVESTIGATION)  # not the letters' report deadlines
    assert dict(ours.values_list("pk", "warned")) == {
        first.pk: Level.RED,
        second.pk: Level.RED,
        third.pk: "",
    }


@pytest.fixture
def people_by_name(demo_people):
    return lambda username: User.objects.get(username=username)


@pytest.mark.parametrize(
    "as_of",
    [D(2004, 1, 1), D(2004, 1, 2), D(2004, 1, 5), D(2026, 2, 16), D(2028, 12, 29), D(2029, 1, 3)],
)
def test_the_boundaries_are_the_first_dates_of_their_ordinals(as_of):
    """``level_points`` (three queries) agrees with the definition W(k) = the first date of
    ordinal ≥ k, at the start of the table, in a holiday and after the end of the table."""
    x, red_before, pre_before = periods.level_points(as_of)
    assert x == periods.working_day_ordinal(as_of)
    assert red_before == periods.working_day_of_ordinal(x - 2)
    assert pre_before == periods.working_day_of_ordinal(x + 2)
