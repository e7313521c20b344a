"""API tokens expire after a configurable time without use (12 hours by default) and can be
revoked, by their holder (``POST auth/token/revoke``) or by an administrator in the admin. A
token's use is written at most once a minute, not on every request."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from casework.api.models import TokenActivity
from casework.org.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "demo-pass-2026"
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def people(demo_people):
    return {user.username: user for user in User.objects.all()}


def token_for(username):
    response = APIClient().post(
        "/api/v1/auth/token", {"username": username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.json()
    return response.json()["token"]


def with_token(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def idle_since(key, delta):
    moment = timezone.now() - delta
    Token.objects.filter(key=key).update(created=moment)
    TokenActivity.objects.update_or_create(token_id=key, defaults={"last_used_at": moment})


def test_the_default_lifetime_is_12_hours_of_inactivity(settings):
    assert settings.API_TOKEN_IDLE_TIMEOUT == 12 * HOUR


def test_a_token_idle_for_longer_than_the_lifetime_is_refused_and_deleted(people):
    key = token_for("mayor")
    idle_since(key, 11 * HOUR)
    assert with_token(key).get("/api/v1/departments").status_code == 200  # used again: renewed
    idle_since(key, 12 * HOUR + datetime.timedelta(minutes=1))
    response = with_token(key).get("/api/v1/departments")
    assert response.status_code == 401
    assert response.json()["detail"] == "令牌已过期（超过 12 小时未使用），请重新获取。"
    assert not Token.objects.filter(key=key).exists()
    fresh = token_for("mayor")
    assert fresh != key and with_token(fresh).get("/api/v1/departments").status_code == 200


def test_the_lifetime_is_configurable(people, settings):
    settings.API_TOKEN_IDLE_TIMEOUT = HOUR
    key = token_for("mayor")
    idle_since(key, 2 * HOUR)
    assert with_token(key).get("/api/v1/departments").status_code == 401


def test_a_token_that_never_recorded_a_use_expires_from_its_creation(people):
    token = Token.objects.create(user=people["mayor"])
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - 13 * HOUR)
    assert with_token(token.key).get("/api/v1/departments").status_code == 401


def test_the_last_use_is_written_at_most_once_a_minute(people):
    key = token_for("mayor")
    client = with_token(key)

    def writes():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/departments").status_code == 200
        return [
            q["sql"]
            for q in captured
            if "api_tokenactivity" in q["sql"]
            and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
        ]

    assert writes() == []  # just issued
    assert writes() == []
    idle_since(key, datetime.timedelta(minutes=2))
    assert len(writes()) == 1
    assert writes() == []
    last = TokenActivity.objects.get(token_id=key).last_used_at
    assert timezone.now() - last < datetime.timedelta(seconds=30)


def test_the_holder_revokes_the_token(people):
    key = token_for("mayor")
    client = with_token(key)
    response = client.post("/api/v1/auth/token/revoke")
    assert response.status_code == 204
    assert client.get("/api/v1/departments").status_code == 401
    assert not Token.objects.filter(key=key).exists()
    assert APIClient().post("/api/v1/auth/token/revoke").status_code == 401


def test_an_administrator_revokes_a_token_in_the_admin(client, people):
    key = token_for("mayor")
    client.force_login(people["admin"])
    listing = client.get("/admin/authtoken/tokenproxy/")
    assert listing.status_code == 200
    assert "最近使用时间" in listing.content.decode()
    mayor = people["mayor"].pk
    response = client.post(f"/admin/authtoken/tokenproxy/{mayor}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert with_token(key).get("/api/v1/departments").status_code == 401


def test_a_login_records_the_last_login(people):
    token_for("mayor")
    people["mayor"].refresh_from_db()
    assert timezone.now() - people["mayor"].last_login < datetime.timedelta(minutes=1)
