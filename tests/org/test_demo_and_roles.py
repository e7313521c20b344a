import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from casework.org.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from casework.org.models import Delegation, Official, User
from casework.org.roles import Role
from casework.org.rules import acts_as_mayor

pytestmark = pytest.mark.django_db


def counts():
    return (
        User.objects.count(),
        Official.objects.count(),
        Delegation.objects.count(),
        Group.objects.count(),
    )


def test_every_role_is_a_group_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_administrator_role_may_edit_the_calendar_and_officials():
    group = Group.objects.get(name=Role.ADMINISTRATOR)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"change_calendarday", "change_calendaryear", "change_official"} <= codenames


def test_demo_creates_every_account_of_the_api_contract_once():
    call_command("demo", verbosity=0)
    first = counts()
    call_command("demo", verbosity=0)
    assert counts() == first
    for username, _name, role, _post in DEMO_ACCOUNTS:
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        assert user.has_role(role)


def test_demo_officials_sit_in_their_departments_and_tax_is_vertical():
    call_command("demo", verbosity=0)
    assert User.objects.get(username="head_education").official.department.code == "education"
    assert User.objects.get(username="head_transport").official.department.code == "transport"
    tax = User.objects.get(username="head_tax").official
    assert tax.department.code == "tax" and tax.vertical


def test_vice_mayor_acts_for_the_mayor_only_within_the_recorded_delegation(demo_people):
    import datetime

    vicemayor = User.objects.get(username="vicemayor")
    secretariat = User.objects.get(username="secretariat")
    assert acts_as_mayor(User.objects.get(username="mayor"))
    assert acts_as_mayor(vicemayor, day=datetime.date(2026, 6, 1))
    assert not acts_as_mayor(vicemayor, day=datetime.date(2028, 1, 3))
    assert not acts_as_mayor(secretariat, day=datetime.date(2026, 6, 1))


def test_a_revoked_delegation_no_longer_counts(demo_people):
    import datetime

    from django.utils import timezone

    delegation = Delegation.objects.get(delegate__username="vicemayor")
    delegation.revoked_at = timezone.now()
    delegation.save()
    assert not acts_as_mayor(User.objects.get(username="vicemayor"), day=datetime.date(2026, 6, 1))


def test_changes_to_people_are_in_the_history(demo_people):
    official = Official.objects.get(user__username="head_education")
    official.title = "教育局局长（主持工作）"
    official._change_reason = "任职调整"
    official.save()
    latest = official.history.first()
    assert latest.title == "教育局局长（主持工作）"
    assert latest.history_change_reason == "任职调整"
