"""The scan run twice, and on two machines at once: nothing is created twice.

The concurrent tests start two real OS processes (``manage.py scan_deadlines``) against the
test database, so they need PostgreSQL (SQLite serialises whole transactions and proves
nothing about the unique constraint under contention):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_scancc \\
        .venv/bin/pytest tests/deadlines/test_scan_concurrency.py

The sequential test runs on any database.
"""

import datetime
import os
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from casework.deadlines import services
from casework.deadlines.models import (
    AdmonitionLetter,
    Deadline,
    Kind,
    Level,
    Notification,
    PreliminaryInvestigation,
    WarningEvent,
)
from casework.documents.models import DocType, Document
from casework.org.models import Department, User

ROOT = Path(__file__).resolve().parents[2]
D = datetime.date
# Tuesday 2026-01-27. Due Wed 01-28 or Tue 01-27: pre-warning; due Mon 01-26 or Fri 01-23:
# yellow (one or two working days overdue); due Thu 01-22 or earlier: red.
AS_OF = D(2026, 1, 27)
PRE_WARNING_DUES = [D(2026, 1, 27), D(2026, 1, 28)]
YELLOW_DUES = [D(2026, 1, 23), D(2026, 1, 26)]
RED_DUES = [D(2026, 1, 22), D(2026, 1, 14)]
# Units whose people are found by role (supervision), by official (education, transport,
# tax), and nobody (a unit without staff in the demo); one deadline names a person.
UNITS = ["supervision", "education", "transport", "tax", "finance"]


def postgres_only(test):
    """Two processes on one committed database: PostgreSQL, transactional test."""
    for mark in (
        pytest.mark.skipif(
            connection.vendor != "postgresql", reason="two processes at once need PostgreSQL"
        ),
        pytest.mark.django_db(transaction=True),
        pytest.mark.postgres,
    ):
        test = mark(test)
    return test


@pytest.fixture
def people(reference_data):
    from casework.org.demo import load_demo_people

    load_demo_people()


def open_batch(tag):
    """Deadlines that are pre-warning, yellow and red as of AS_OF, over several units; the
    same shape for every ``tag``, so that each batch causes the same work."""
    deadlines = []
    units = list(Department.objects.filter(code__in=UNITS).order_by("code"))
    assert len(units) == len(UNITS)
    person = User.objects.get(username="head_tax")
    for level, dues in (
        (Level.PRE_WARNING, PRE_WARNING_DUES),
        (Level.YELLOW, YELLOW_DUES),
        (Level.RED, RED_DUES),
    ):
        for due in dues:
            for index, unit in enumerate(units):
                deadlines.append(
                    services.open_deadline(
                        Kind.INVESTIGATION if index % 2 else Kind.RECTIFICATION,
                        start=D(2026, 1, 5),
                        due=due,
                        description=f"{tag} {level} {unit.code} {due}",
                        unit=unit,
                        user=person if unit.code == "tax" and due == dues[0] else None,
                    )
                )
    # Never carded: a right, and a deadline already done.
    services.open_deadline(
        Kind.OBJECTION, start=D(2026, 1, 5), due=RED_DUES[0], description=f"{tag} right"
    )
    done = services.open_deadline(
        Kind.INVESTIGATION, start=D(2026, 1, 5), due=RED_DUES[0], description=f"{tag} done"
    )
    done_at = datetime.datetime(2026, 1, 20, tzinfo=datetime.UTC)
    Deadline.objects.filter(pk=done.pk).update(done_at=done_at)
    return deadlines


def expected_levels(deadlines):
    return {d.pk: d.level_as_of(AS_OF) for d in deadlines}


def database_url():
    settings = connection.settings_dict
    user = quote(settings["USER"] or "", safe="")
    password = f":{quote(settings['PASSWORD'], safe='')}" if settings["PASSWORD"] else ""
    credentials = f"{user}{password}@" if user else ""
    host = settings["HOST"] or "localhost"
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgres://{credentials}{host}{port}/{quote(settings['NAME'], safe='')}"


def start_scan():
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "scan_deadlines", "--as-of", AS_OF.isoformat()],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


REPORT = re.compile(
    r"pre-warnings: (\d+), admonition letters: (\d+), preliminary investigations proposed: (\d+)"
)


def finish(processes, timeout=180):
    """Wait for every process; each must succeed. Returns the summed counts it printed."""
    total = Counter()
    try:
        for process in processes:
            out, err = process.communicate(timeout=timeout)
            assert process.returncode == 0, f"scan failed:\n{out}\n{err}"
            found = REPORT.search(out)
            assert found, out
            pre, letters, investigations = map(int, found.groups())
            total.update(pre=pre, letters=letters, investigations=investigations)
    finally:
        stop(processes)
    return total


def stop(processes):
    """Leave no scan running (and connected) behind a failed test."""
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.communicate()


def outcome(deadlines):
    """What the scan did about ``deadlines``."""
    ids = [d.pk for d in deadlines]
    return {
        "events": Counter(
            WarningEvent.objects.filter(deadline__in=ids).values_list("level", flat=True)
        ),
        "letters": AdmonitionLetter.objects.filter(deadline__in=ids).count(),
        "investigations": PreliminaryInvestigation.objects.filter(deadline__in=ids).count(),
        "notifications": Notification.objects.filter(deadline__in=ids).count(),
        "notified": Counter(
            Notification.objects.filter(deadline__in=ids).values_list(
                "recipient__username", flat=True
            )
        ),
    }


def assert_once_each(deadlines):
    """One event per (deadline, level) the deadline reached; one letter per yellow or red
    deadline and one investigation per red one."""
    levels = expected_levels(deadlines)
    pairs = Counter(
        WarningEvent.objects.filter(deadline__in=levels).values_list("deadline", "level")
    )
    assert all(count == 1 for count in pairs.values()), pairs
    expected_pairs = set()
    for pk, level in levels.items():
        if level == Level.PRE_WARNING:
            expected_pairs.add((pk, Level.PRE_WARNING))
        if level in (Level.YELLOW, Level.RED):
            expected_pairs.add((pk, Level.YELLOW))
        if level == Level.RED:
            expected_pairs.add((pk, Level.RED))
    assert set(pairs) == expected_pairs
    late = {pk for pk, level in levels.items() if level in (Level.YELLOW, Level.RED)}
    red = {pk for pk, level in levels.items() if level == Level.RED}
    letters = Counter(AdmonitionLetter.objects.values_list("deadline", flat=True))
    assert {pk: letters[pk] for pk in late} == dict.fromkeys(late, 1)
    investigations = Counter(PreliminaryInvestigation.objects.values_list("deadline", flat=True))
    assert {pk: investigations[pk] for pk in red} == dict.fromkeys(red, 1)
    # Every letter asks for exactly one rectification report of its own.
    reports = Counter(
        AdmonitionLetter.objects.filter(deadline__in=late).values_list("report_deadline", flat=True)
    )
    assert len(reports) == len(late) and set(reports.values()) == {1}


def assert_document_numbers_distinct():
    letters = Document.objects.filter(doc_type=DocType.ADMONITION_LETTER)
    numbers = list(letters.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    assert letters.count() == AdmonitionLetter.objects.count()
    # A rolled-back attempt gives its number back: 1, 2, … n without gaps or repeats.
    seqs = sorted(letters.filter(year=AS_OF.year).values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))


@pytest.fixture
def single_run(people):
    """What one scan, alone, does about one batch: the yardstick for the concurrent runs."""
    batch = open_batch("single")
    printed = finish([start_scan()])
    assert_once_each(batch)
    result = outcome(batch)
    assert printed == {
        "pre": result["events"][Level.PRE_WARNING],
        "letters": result["letters"],
        "investigations": result["investigations"],
    }
    assert printed["pre"] and printed["letters"] and printed["investigations"]
    assert result["notifications"]
    return printed, result


def wait_for_waiters(holder, count, timeout=60):
    """How many sessions on this database wait for a lock on the event table (polling until
    ``count`` do, or ``timeout`` seconds)."""
    waiting, give_up = 0, time.monotonic() + timeout
    while waiting < count and time.monotonic() < give_up:
        time.sleep(0.1)
        # The activity view is read once per transaction unless the snapshot is cleared (and
        # the holder stays in the transaction that holds the lock).
        holder.execute("SELECT pg_stat_clear_snapshot()")
        waiting = holder.execute(
            "SELECT count(DISTINCT locks.pid) FROM pg_locks AS locks "
            "JOIN pg_stat_activity AS activity ON activity.pid = locks.pid "
            "WHERE locks.database = (SELECT oid FROM pg_database "
            "                        WHERE datname = current_database()) "
            "AND locks.relation = 'deadlines_warningevent'::regclass AND NOT locks.granted "
            "AND activity.backend_type = 'client backend'"
        ).fetchone()[0]
    return waiting


def activity(holder):
    """The other sessions on this database, for the message of a failed test."""
    holder.execute("SELECT pg_stat_clear_snapshot()")
    return holder.execute(
        "SELECT pid, state, wait_event_type, wait_event, left(query, 100) "
        "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    ).fetchall()


def _pair_started_together():
    return [start_scan(), start_scan()]


@postgres_only
def test_two_processes_at_once_create_nothing_twice(single_run):
    printed_once, once = single_run
    for round_ in range(3):
        batch = open_batch(f"round {round_}")
        printed = finish(_pair_started_together())
        assert_once_each(batch)
        assert printed == printed_once, f"round {round_}: the two processes together did"
        got = outcome(batch)
        assert got["events"] == once["events"]
        assert (got["letters"], got["investigations"]) == (once["letters"], once["investigations"])
        assert got["notifications"] == once["notifications"]
        assert got["notified"] == once["notified"]
    assert_document_numbers_distinct()


@postgres_only
def test_two_processes_released_together_by_a_table_lock(single_run):
    """Both processes block on their first read of the event table behind a lock this test
    holds, and start selecting the same missing deadlines at the same moment."""
    import psycopg

    printed_once, once = single_run
    params = connection.get_connection_params()
    for round_ in range(2):
        batch = open_batch(f"locked {round_}")
        with psycopg.connect(**params) as holder:
            holder.execute("LOCK TABLE deadlines_warningevent IN ACCESS EXCLUSIVE MODE")
            processes = _pair_started_together()
            try:
                waiting = wait_for_waiters(holder, 2)
                sessions = [] if waiting == 2 else activity(holder)
            finally:
                holder.commit()  # releases the lock: both go at once
            if waiting != 2:
                outputs = [(p.returncode, *p.communicate(timeout=60)) for p in processes]
                pytest.fail(f"{waiting} scan(s) waited for the event table: {sessions} {outputs}")
        printed = finish(processes)
        assert_once_each(batch)
        assert printed == printed_once
        got = outcome(batch)
        assert got["events"] == once["events"]
        assert got["notifications"] == once["notifications"]
        assert got["notified"] == once["notified"]
    assert_document_numbers_distinct()


@pytest.mark.django_db
def test_a_second_scan_creates_nothing(demo_people):
    batch = open_batch("twice")
    first = services.scan(AS_OF)
    assert (first.pre_warnings, first.letters, first.investigations) != (0, 0, 0)
    assert_once_each(batch)
    models = (WarningEvent, AdmonitionLetter, PreliminaryInvestigation, Notification, Document)
    before = {model: model.objects.count() for model in models}
    deadlines_before = Deadline.objects.count()
    second = services.scan(AS_OF)
    assert second.total == 0
    assert {model: model.objects.count() for model in models} == before
    assert Deadline.objects.count() == deadlines_before  # no second rectification report
    assert_document_numbers_distinct()
