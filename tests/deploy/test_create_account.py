"""``manage.py create_account``: the accounts of a real deployment (README, step 2)."""

import pytest
from django.core.management import CommandError, call_command

from casework.org.models import Official, User

PASSWORD = "Zhou-Lixin-2026-secret"


@pytest.fixture
def password(monkeypatch):
    monkeypatch.setenv("CASEWORK_ACCOUNT_PASSWORD", PASSWORD)


@pytest.mark.django_db
def test_a_mayor_and_an_official(password):
    call_command(
        "create_account", "mayor", "--role", "mayor", "--full-name", "周立新", "--no-input"
    )
    call_command(
        "create_account",
        "head_education",
        "--role",
        "official",
        "--full-name",
        "刘建华",
        "--department",
        "education",
        "--title",
        "教育局局长",
        "--no-input",
    )
    mayor = User.objects.get(username="mayor")
    assert mayor.check_password(PASSWORD)
    assert mayor.role_codes == {"mayor"}
    assert not mayor.is_staff
    official = Official.objects.get(user__username="head_education")
    assert (official.department.code, official.title, official.is_head) == (
        "education",
        "教育局局长",
        True,
    )
    assert mayor.history.get().history_change_reason == "命令行创建账号"


@pytest.mark.django_db
def test_implied_roles_and_refusals(password):
    call_command("create_account", "head", "--role", "complaints_head", "--no-input")
    assert User.objects.get(username="head").role_codes == {"complaints_head", "complaints_office"}
    with pytest.raises(CommandError, match="已存在"):
        call_command("create_account", "head", "--role", "mayor", "--no-input")
    with pytest.raises(CommandError, match="--department"):
        call_command("create_account", "x", "--role", "official", "--no-input")
    with pytest.raises(CommandError, match="没有代码"):
        call_command(
            "create_account",
            "x",
            "--role",
            "official",
            "--department",
            "nowhere",
            "--title",
            "局长",
            "--no-input",
        )
    assert not User.objects.filter(username="x").exists()


@pytest.mark.django_db
def test_the_password_is_required_and_validated(monkeypatch):
    monkeypatch.delenv("CASEWORK_ACCOUNT_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="CASEWORK_ACCOUNT_PASSWORD"):
        call_command("create_account", "mayor", "--role", "mayor", "--no-input")
    monkeypatch.setenv("CASEWORK_ACCOUNT_PASSWORD", "123")
    with pytest.raises(CommandError):
        call_command("create_account", "mayor", "--role", "mayor", "--no-input")
    assert not User.objects.filter(username="mayor").exists()
