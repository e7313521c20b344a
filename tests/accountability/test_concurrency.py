"""Two people press the same button at the same moment (PostgreSQL only: SQLite serialises
whole transactions, so it proves nothing about row locks).

Each thread has its own database connection, as two requests would; a barrier releases
them together. The case row is locked (SELECT … FOR UPDATE) for the whole transition, so the
second one sees the new state and is refused with WrongState (409); document numbers are
taken under a lock on their counter.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_cc \\
        .venv/bin/pytest tests/accountability/test_concurrency.py
"""

import datetime
import threading

import pytest
from django.db import connection

from casework.accountability import services
from casework.accountability.models import AccountabilityCase, Decision, State
from casework.deadlines.models import Deadline, Kind
from casework.documents import services as documents
from casework.documents.models import DocType, Document
from casework.exceptions import WrongState
from casework.org.models import Official, User

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real row locks need PostgreSQL"),
]

D = datetime.date
MARCH_2 = D(2026, 3, 2)


@pytest.fixture
def people(reference_data):
    from casework.org.demo import load_demo_people

    load_demo_people()
    return {user.username: user for user in User.objects.all()}


def race(*calls):
    """Run the callables at the same moment, each in its own thread with its own database
    connection; return [(result, exception)] in the order given."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = (call(), None)
        except Exception as error:  # noqa: BLE001 — returned to the test
            outcomes[index] = (None, error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return outcomes


def pressed_by(username, case_pk, name, body, **kwargs):
    """What one request does: load the user and the case, then transition."""

    def call():
        user = User.objects.get(username=username)
        case = AccountabilityCase.objects.get(pk=case_pk)
        return services.transition(case, name, user, body, **kwargs)

    return call


def one_won(outcomes):
    winners = [result for result, error in outcomes if error is None]
    losers = [error for result, error in outcomes if error is not None]
    assert len(winners) == 1, outcomes
    assert len(losers) == len(outcomes) - 1
    for error in losers:
        assert isinstance(error, WrongState), repr(error)
        assert error.status == 409
    return winners[0], losers


def register(people, official="head_education", on=MARCH_2):
    return services.register_case(
        people["secretariat"],
        {
            "official": Official.objects.get(user__username=official).pk,
            "grounds": ["4.1.1"],
            "source": "mayor",
            "summary": "并发测试",
            "on": on.isoformat(),
        },
    )


def deliberated(people):
    case = register(people)
    for name, username, body in [
        ("start", "mayor", {}),
        ("submit_to_meeting", "mayor", {"reason": "事实清楚"}),
        ("schedule", "secretariat", {"meeting_date": "2026-03-05"}),
        ("deliberate", "secretariat", {"minutes": "纪要", "on": "2026-03-05"}),
    ]:
        body.setdefault("on", "2026-03-02")
        case = services.transition(case, name, people[username], body)
    return case


def test_two_starts_at_once(people):
    case = register(people)
    body = {"on": "2026-03-02"}
    # Starting is the mayor's alone (Nanchong art. 5, not delegable): he presses in two tabs.
    winner, _losers = one_won(
        race(
            pressed_by("mayor", case.pk, "start", body),
            pressed_by("mayor", case.pk, "start", body),
        )
    )
    assert winner.state == State.INITIATED
    case.refresh_from_db()
    assert case.state == State.INITIATED and case.version == 2
    assert case.documents.filter(doc_type=DocType.NOTICE_OF_START).count() == 1
    assert [row.action for row in case.history.order_by("history_id")] == ["register", "start"]


def test_two_decisions_at_once(people):
    case = deliberated(people)
    body = {"modes": ["2", "3"], "reason": "情节较重", "on": "2026-03-06"}
    # Deciding the modes is the mayor's alone (Nanchong art. 12): two tabs of his.
    winner, losers = one_won(
        race(
            pressed_by("mayor", case.pk, "decide", body),
            pressed_by("mayor", case.pk, "decide", body),
        )
    )
    assert winner.state == State.DECIDED
    assert "已作出问责决定" in losers[0].message
    assert Decision.objects.filter(case=case).count() == 1
    assert Document.objects.filter(case=case, doc_type=DocType.DECISION).count() == 1
    assert Document.objects.get(case=case, doc_type=DocType.DECISION).number == "南府问〔2026〕1号"


def test_two_services_at_once_open_one_review_window(people):
    case = deliberated(people)
    case = services.transition(
        case, "decide", people["mayor"], {"modes": ["2"], "reason": "r", "on": "2026-03-06"}
    )
    body = {"received_on": "2026-03-09", "method": "in_person", "on": "2026-03-09"}
    one_won(
        race(
            pressed_by("secretariat", case.pk, "serve", body),
            pressed_by("investigator", case.pk, "serve", body),
        )
    )
    assert Deadline.objects.filter(case=case, kind=Kind.REVIEW_WINDOW).count() == 1
    assert Deadline.objects.filter(case=case, kind=Kind.RECTIFICATION).count() == 1


def test_the_version_check_refuses_the_second_of_two_different_acts(people):
    """Both read version 2; one submits to the meeting, the other assigns an investigation."""
    case = register(people)
    case = services.transition(case, "start", people["mayor"], {"on": "2026-03-02"})
    version = case.version
    winner, _losers = one_won(
        race(
            pressed_by(
                "mayor",
                case.pk,
                "submit_to_meeting",
                {"reason": "事实清楚", "on": "2026-03-02"},
                if_match=version,
            ),
            pressed_by(
                "vicemayor",
                case.pk,
                "assign_investigation",
                {"working_days": 20, "on": "2026-03-02"},
                if_match=version,
            ),
        )
    )
    case.refresh_from_db()
    assert case.state == winner.state
    assert case.state in (State.AWAITING_MEETING, State.INVESTIGATING)
    assert case.version == version + 1
    assert Deadline.objects.filter(case=case).count() == (
        1 if case.state == State.INVESTIGATING else 0
    )


# An existing counter, and a brand-new one (a year the calendar holds: numbering refuses others).
@pytest.mark.parametrize("year", [2026, 2028])
def test_simultaneous_issues_get_distinct_numbers(people, year):
    if year == 2026:
        documents.next_number(DocType.REVIEW_DECISION, year)  # the counter row exists
    first = 2 if year == 2026 else 1

    def issue():
        return documents.issue(
            case=None,
            doc_type=DocType.REVIEW_DECISION,
            title="复核决定书",
            body="正文",
            addressee="南充市教育局",
            issued_on=D(year, 3, 2),
            issued_by=User.objects.get(username="mayor"),
        ).number

    outcomes = race(*[issue] * 8)
    assert all(error is None for _result, error in outcomes), outcomes
    numbers = [result for result, _error in outcomes]
    assert len(set(numbers)) == 8
    assert set(numbers) == {f"南府复〔{year}〕{n}号" for n in range(first, first + 8)}
    assert sorted(
        Document.objects.filter(doc_type=DocType.REVIEW_DECISION, year=year).values_list(
            "seq", flat=True
        )
    ) == list(range(first, first + 8))


def test_simultaneous_registrations_get_distinct_case_numbers(people):
    def call():
        return register({"secretariat": User.objects.get(username="secretariat")}).number

    outcomes = race(*[call] * 6)
    assert all(error is None for _result, error in outcomes), outcomes
    numbers = {result for result, _error in outcomes}
    assert numbers == {f"南府问案〔2026〕{n}号" for n in range(1, 7)}
