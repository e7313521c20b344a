import datetime

import pytest

from casework.accountability import services as cases
from casework.org.models import Official, User

D = datetime.date


@pytest.fixture
def people(demo_people):
    """The demo accounts by username: people["secretariat"], people["head_education"], …"""
    return {user.username: user for user in User.objects.all()}


@pytest.fixture
def act(people):
    """act(case, "start", "mayor", on=date, **body) → the case after the step."""

    def _act(case, name, username, on=None, **body):
        if on is not None:
            body["on"] = on.isoformat()
        for key, value in list(body.items()):
            if isinstance(value, datetime.date):
                body[key] = value.isoformat()
        return cases.transition(case, name, people[username], body)

    return _act


@pytest.fixture
def awaiting_meeting(people, act):
    """A case against the head of education that the mayor sent to the executive meeting
    (Nanchong art. 6) on 2026-03-02."""

    def _case(official="head_education"):
        case = cases.register_case(
            people["secretariat"],
            {
                "official": Official.objects.get(user__username=official).pk,
                "grounds": ["4.1.1"],
                "source": "mayor",
                "summary": "未完成政府工作报告确定的任务",
                "on": "2026-03-02",
            },
        )
        case = act(case, "start", "mayor", on=D(2026, 3, 2))
        return act(case, "submit_to_meeting", "mayor", on=D(2026, 3, 2), reason="事实清楚")

    return _case


@pytest.fixture
def today(monkeypatch):
    """today(D(2026, 3, 4)): the day the procedures take for today from now on."""
    from casework.kernel import clock

    def _set(day):
        monkeypatch.setattr(clock, "today", lambda: day)

    return _set
