"""The people of the supervision of assigned matters: the supervision office and its head,
the mayor and the vice-mayor, the education bureau (lead unit: head and staff), the
transport and tax bureaus (co-units), and a matter as the office proposes it."""

import datetime

import pytest

from casework.kernel import clock
from casework.org.models import User
from casework.supervision import services

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
    """``today(D(2026, 11, 2))`` sets the date the procedures see (a Monday)."""

    def _set(day):
        monkeypatch.setattr(clock, "today", lambda: day)
        return day

    _set(D(2026, 11, 2))
    return _set


@pytest.fixture
def propose(people, today):
    """``propose(**overrides)`` → a matter proposed by the office on 2026-11-02, lead unit
    education, co-units transport and tax, due Friday 2026-11-20."""

    def _propose(**overrides):
        data = {
            "title": "完成中小学校舍安全改造",
            "source": "leader_instruction",
            "source_reference": "市长批示〔2026〕12号",
            "instruction": "请教育局牵头，交通局、税务局配合，年底前完成校舍安全改造。",
            "lead_unit": "education",
            "co_units": ["transport", "tax"],
            "due": "2026-11-20",
            "requirements": "按月报送进展，办结后书面反馈。",
            "proposal": "建议列为市政府督办事项。",
        }
        data.update(overrides)
        return services.register(data, people["supervision_office"])

    return _propose


@pytest.fixture
def act(people):
    """``act(matter, "approve", "supervision_office_head", on=D(...), **body)``."""

    def _act(matter, name, username, on=None, **body):
        if on is not None:
            body["on"] = on.isoformat()
        for key, value in list(body.items()):
            if isinstance(value, datetime.date):
                body[key] = value.isoformat()
        return services.transition(matter, name, people[username], body)

    return _act


@pytest.fixture
def assigned(propose, act):
    """A matter approved by the office's head on 2026-11-02."""

    def _assigned(**overrides):
        return act(propose(**overrides), "approve", "supervision_office_head")

    return _assigned


@pytest.fixture
def drafted(assigned, act, today):
    """The lead unit's staff drafted the feedback on 2026-11-16."""

    def _drafted(**overrides):
        matter = assigned(**overrides)
        today(D(2026, 11, 16))
        return act(matter, "draft_feedback", "staff_education", feedback="校舍改造已完成。")

    return _drafted
