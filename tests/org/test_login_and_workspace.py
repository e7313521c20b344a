"""A person opens the site, logs in and lands on the Chinese workspace."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_site_sends_a_stranger_to_the_chinese_login_page(client):
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    body = response.content.decode()
    assert "问责与效能监察系统" in body
    assert "用户名" in body and "密码" in body


def test_the_workspace_is_not_shown_to_a_stranger(client):
    response = client.get("/workflow/inbox/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_wrong_password_gets_a_clear_chinese_message(client, demo_people):
    response = client.post(
        "/accounts/login/", {"username": "secretariat", "password": "wrong"}, follow=True
    )
    assert "用户名或密码不正确" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.parametrize(
    "username, shown",
    [
        ("secretariat", "市政府办公室"),
        ("mayor", "市长"),
        ("investigator", "市监察局"),
        ("head_education", "教育局局长"),
    ],
)
def test_each_demo_account_lands_on_its_workspace_with_name_and_role(
    client, demo_people, username, shown
):
    from casework.org.models import User

    response = client.post(
        "/accounts/login/", {"username": username, "password": "demo-pass-2026"}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/workflow/")
    body = response.content.decode()
    assert User.objects.get(username=username).full_name in body
    assert shown in body
    for page in ("/workflow/inbox/", "/workflow/queue/", "/workflow/archive/"):
        assert client.get(page).status_code == 200


def test_the_workspace_speaks_chinese(client, demo_people):
    client.login(username="secretariat", password="demo-pass-2026")
    body = client.get("/workflow/inbox/").content.decode()
    assert "待办" in body and "待领取" in body and "Inbox" not in body


def test_the_admin_works_for_admin(client, demo_people):
    client.login(username="admin", password="demo-pass-2026")
    for page in (
        "/admin/",
        "/admin/org/department/",
        "/admin/org/official/",
        "/admin/org/delegation/",
    ):
        assert client.get(page).status_code == 200, page


def test_the_admin_is_closed_to_other_roles(client, demo_people):
    client.login(username="secretariat", password="demo-pass-2026")
    response = client.get("/admin/org/department/")
    assert response.status_code == 302
