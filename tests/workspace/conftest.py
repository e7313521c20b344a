import pytest

from casework.org.models import User


@pytest.fixture(autouse=True)
def site_urls():
    """viewflow's nodes learn their URL namespaces when the URLconf is built."""
    from django.urls import get_resolver

    assert get_resolver().url_patterns


@pytest.fixture
def people(demo_people):
    return {user.username: user for user in User.objects.all()}


@pytest.fixture
def login(client, people):
    def _login(username):
        client.force_login(people[username])
        return client

    return _login


@pytest.fixture
def case(people):
    """A case against the head of education registered by the secretariat."""
    import datetime

    from casework.accountability import services
    from casework.org.models import Official

    return services.register_case(
        people["secretariat"],
        {
            "official": Official.objects.get(user__username="head_education").pk,
            "grounds": ["4.1.1"],
            "source": "mayor",
            "summary": "未完成政府工作报告确定的校舍改造任务",
            "on": datetime.date(2026, 11, 2).isoformat(),
        },
    )


@pytest.fixture
def complaint(people):
    """A real-name complaint about the education bureau, accepted, verified, transferred to
    the education bureau, with an internal note of the office."""
    from casework.complaints import services

    complaint = services.submit(
        {
            "category": "attitude",
            "respondent_department": "education",
            "content": "办理学籍转入手续时，工作人员多次推诿，态度恶劣。",
            "real_name": True,
            "name": "王秀英",
            "phone": "13812345678",
        }
    )
    office = people["complaints"]
    services.transition(complaint, "accept", office, {})
    services.transition(complaint, "add_note", office, {"text": "核实：窗口人员系临时借调"})
    return services.transition(complaint, "transfer", office, {"organ": "education"})
