import datetime

import pytest

from casework.accountability import services
from casework.org.models import Official, User


@pytest.fixture
def people(demo_people):
    """The demo accounts by username: people["mayor"], people["head_education"], …"""
    return {user.username: user for user in User.objects.all()}


@pytest.fixture
def register(people):
    """Register a case as the secretariat against an official (default: head_education)."""

    def _register(official="head_education", grounds=("4.1.1",), source="mayor", on=None):
        return services.register_case(
            people["secretariat"],
            {
                "official": Official.objects.get(user__username=official).pk,
                "grounds": list(grounds),
                "source": source,
                "summary": "未完成政府工作报告确定的任务",
                "on": (on or datetime.date(2026, 1, 5)).isoformat(),
            },
        )

    return _register


@pytest.fixture
def act(people):
    """act(case, "start", "mayor", on=date, **body) → the case after the transition."""

    def _act(case, name, username, on=None, **body):
        if on is not None:
            body["on"] = on.isoformat() if isinstance(on, datetime.date) else on
        for key, value in list(body.items()):
            if isinstance(value, datetime.date):
                body[key] = value.isoformat()
        return services.transition(case, name, people[username], body)

    return _act
