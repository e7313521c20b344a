"""A month of real records (deadlines, cards, complaints, ratings) for the education bureau,
and the people of the evaluation: the bureau, its leader, a department's head and staff."""

import datetime

import pytest
from django.utils import timezone

from casework.complaints import services as complaints
from casework.deadlines.lifecycle import open_deadline
from casework.deadlines.models import Kind, Level, WarningEvent
from casework.evaluation import services
from casework.kernel import clock
from casework.org.models import Department, User

D = datetime.date


@pytest.fixture(autouse=True)
def site_urls():
    from django.urls import get_resolver

    assert get_resolver().url_patterns


@pytest.fixture
def people(demo_people):
    return {user.username: user for user in User.objects.all()}


@pytest.fixture
def today(monkeypatch):
    """``today(D(2026, 12, 1))`` sets the date the procedures see."""

    def _set(day):
        monkeypatch.setattr(clock, "today", lambda: day)
        return day

    _set(D(2026, 12, 1))
    return _set


def done(deadline, day):
    deadline.done_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    deadline.save()
    return deadline


def card(deadline, level, as_of):
    """The warning record the scan writes when a deadline reaches ``level``."""
    return WarningEvent.objects.create(
        deadline=deadline, level=level, as_of=as_of, due=deadline.due
    )


def complaint_decided(people, today, outcome, *, received, decided, department="education"):
    today(received)
    complaint = complaints.submit(
        {
            "category": "attitude",
            "respondent_department": department,
            "content": "办理学籍转入手续时，工作人员多次推诿，态度恶劣。",
            "real_name": False,
        }
    )
    today(decided)
    office = people["complaints"]
    complaints.transition(complaint, "accept", office, {"on": received.isoformat()})
    complaints.transition(complaint, "verify", office, {"on": received.isoformat()})
    complaints.transition(
        complaint,
        "decide",
        office,
        {
            "on": decided.isoformat(),
            "outcome": outcome,
            "text": "经核实。",
            "published_result": "已处理。",
        },
    )
    complaint.refresh_from_db()
    return complaint


@pytest.fixture
def november(db, people, today):
    """The education bureau's November 2026 (docs/evaluation.md, the example):

    * deadlines due in November: met on 11-09 (due 11-10), late on 11-16 (due 11-12), still
      open (due 11-20), met on the day (due 11-25); not counted: a right (objection period),
      a cancelled duty, a duty due in December;
    * cards in November: two yellow, one red (a yellow of October is not counted);
    * complaints: one upheld (fault liability), one unfounded, one repeat of the first;
    * ratings: 满意 for the first, 不满意 for the second.
    """
    education = Department.objects.get(code="education")

    def duty(due, kind=Kind.ORGAN_REPORT):
        return open_deadline(
            kind, start=D(2026, 11, 2), due=due, description=f"到期{due:%m-%d}", unit=education
        )

    met = done(duty(D(2026, 11, 10)), D(2026, 11, 9))
    late = done(duty(D(2026, 11, 12)), D(2026, 11, 16))
    open_ = duty(D(2026, 11, 20))
    on_the_day = done(duty(D(2026, 11, 25)), D(2026, 11, 25))
    duty(D(2026, 11, 18), kind=Kind.OBJECTION)
    cancelled = duty(D(2026, 11, 19))
    cancelled.cancelled_at = timezone.now()
    cancelled.save()
    duty(D(2026, 12, 3))
    cards = [
        card(late, Level.YELLOW, D(2026, 11, 13)),
        card(open_, Level.YELLOW, D(2026, 11, 23)),
        card(open_, Level.RED, D(2026, 11, 26)),
    ]
    card(duty(D(2026, 10, 28)), Level.YELLOW, D(2026, 10, 30))

    upheld = complaint_decided(
        people, today, "fault_liability", received=D(2026, 11, 2), decided=D(2026, 11, 6)
    )
    unfounded = complaint_decided(
        people, today, "unfounded", received=D(2026, 11, 3), decided=D(2026, 11, 9)
    )
    today(D(2026, 11, 10))
    repeat = complaints.submit(
        {
            "category": "attitude",
            "respondent_department": "education",
            "content": "同一事项再次投诉：学籍转入仍未办理。",
            "real_name": False,
        }
    )
    complaints.transition(repeat, "link_repeat", people["complaints"], {"earlier": upheld.pk})
    today(D(2026, 11, 20))
    services.rate(upheld, "satisfied")
    services.rate(unfounded, "dissatisfied")
    today(D(2026, 12, 1))
    return {
        "education": education,
        "deadlines": {"met": met, "late": late, "open": open_, "on_the_day": on_the_day},
        "cards": cards,
        "upheld": upheld,
        "unfounded": unfounded,
        "repeat": repeat,
    }


@pytest.fixture
def computed(november, people):
    evaluation, outcome = services.evaluate_month(D(2026, 11, 1), people["investigator"])
    assert outcome == "created"
    return evaluation


@pytest.fixture
def published(computed, people, today):
    """November reviewed on 12-01 and published on 12-02."""
    services.transition(computed, "review", people["investigator"])
    today(D(2026, 12, 2))
    services.transition(computed, "publish", people["supervision_leader"])
    computed.refresh_from_db()
    return computed
