import datetime

import pytest

from casework.complaints import services
from casework.org.models import User

PHONE = "13812345678"
NAME = "王秀英"
EMAIL = "wangxiuying@example.cn"


@pytest.fixture
def people(demo_people):
    return {user.username: user for user in User.objects.all()}


@pytest.fixture
def citizen_complaint(db):
    """A real-name complaint submitted on the portal about the education bureau."""

    def _submit(real_name=True, **overrides):
        data = {
            "category": "attitude",
            "respondent_department": "education",
            "content": "办理学籍转入手续时，工作人员多次推诿，态度恶劣。",
            "real_name": real_name,
        }
        if real_name:
            data.update(name=NAME, phone=PHONE, email=EMAIL)
        data.update(overrides)
        return services.submit(data)

    return _submit


@pytest.fixture
def act(people):
    def _act(complaint, name, username, on=None, **body):
        if on is not None:
            body["on"] = on.isoformat()
        for key, value in list(body.items()):
            if isinstance(value, datetime.date):
                body[key] = value.isoformat()
        return services.transition(complaint, name, people[username], body)

    return _act


# --- the complaint flow, its task screens and staff pages ----------------------------------


@pytest.fixture(autouse=True)
def site_urls():
    """viewflow's nodes learn their URL namespaces when the URLconf is built; build it before
    a test reverses a task's URL without having made a request."""
    from django.urls import get_resolver

    assert get_resolver().url_patterns


@pytest.fixture
def login(client, people):
    """login("complaints") → the test client signed in as that demo account."""

    def _login(username):
        client.logout()
        client.force_login(people[username])
        return client

    return _login


@pytest.fixture
def registered(people):
    """A complaint registered by the office from a letter (a petition), real name."""

    def _register(real_name=True, department="education", **overrides):
        data = {
            "category": "attitude",
            "respondent_department": department,
            "content": "来信反映：办理学籍转入手续时，工作人员多次推诿。",
            "real_name": real_name,
            "channel": "letter",
        }
        if real_name:
            data.update(name=NAME, phone=PHONE, email=EMAIL)
        data.update(overrides)
        return services.register(people["complaints"], data)

    return _register
