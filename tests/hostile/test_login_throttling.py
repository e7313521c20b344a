"""Login throttling with django-axes: the failed logins of one user name from one address are
counted on the API's token endpoint, the workspace login and the admin login; at the
configured limit that pair is locked out (429, in Chinese: the API's error shape, a page
elsewhere), even with the right password; another address or another user name is not; every
attempt is logged; an administrator lifts a lockout in the admin."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings

from casework.org.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "demo-pass-2026"
LOCKED = "登录失败次数过多，该用户名在此地址已被锁定"


@pytest.fixture
def people(demo_people):
    return {user.username: user for user in User.objects.all()}


def api_login(api_client, username, password, ip="198.51.100.1"):
    return api_client.post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        format="json",
        REMOTE_ADDR=ip,
    )


def page_login(client, path, username, password, ip="198.51.100.1"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=ip)


def attempt(endpoint, api_client, client, username, password, ip="198.51.100.1"):
    if endpoint == "api":
        return api_login(api_client, username, password, ip)
    path = "/accounts/login/" if endpoint == "workspace" else "/admin/login/"
    return page_login(client, path, username, password, ip)


def succeeded(endpoint, response):
    if endpoint == "api":
        return response.status_code == 200 and "token" in response.json()
    return response.status_code == 302


def locked_out(endpoint, response):
    if response.status_code != 429:
        return False
    if endpoint == "api":
        body = response.json()
        return body["error"] == "throttled" and body["detail"].startswith(LOCKED)
    return LOCKED in response.content.decode()


ENDPOINTS = ["api", "workspace", "admin"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_the_configured_number_of_failures_locks_the_user_out_of_that_address(
    endpoint, api_client, client, people
):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5  # the default of the settings (LOGIN_FAILURE_LIMIT)
    for _ in range(limit - 1):
        response = attempt(endpoint, api_client, client, "admin", "wrong")
        assert response.status_code in (200, 401), response.status_code
        assert not succeeded(endpoint, response)
    response = attempt(endpoint, api_client, client, "admin", "wrong")
    assert locked_out(endpoint, response), response.content.decode()[:300]
    assert response["Retry-After"] == str(30 * 60)
    # the right password no longer helps from this address ...
    response = attempt(endpoint, api_client, client, "admin", PASSWORD)
    assert locked_out(endpoint, response)
    # ... but another address, or another user from this one, is not locked
    assert succeeded(endpoint, attempt(endpoint, api_client, client, "admin", PASSWORD, "1.2.3.4"))
    client.logout()
    if endpoint != "admin":  # the admin login is for staff accounts only
        assert succeeded(endpoint, attempt(endpoint, api_client, client, "mayor", PASSWORD))


def test_the_endpoints_count_together(api_client, client, people):
    for _ in range(2):
        api_login(api_client, "mayor", "wrong")
        page_login(client, "/accounts/login/", "mayor", "wrong")
    response = page_login(client, "/admin/login/", "mayor", "wrong")
    assert locked_out("admin", response)
    assert locked_out("api", api_login(api_client, "mayor", PASSWORD))


def test_every_attempt_is_logged(api_client, client, people):
    api_login(api_client, "mayor", "wrong")
    page_login(client, "/accounts/login/", "mayor", "wrong")
    attempt = AccessAttempt.objects.get(username="mayor")
    assert attempt.ip_address == "198.51.100.1" and attempt.failures_since_start == 2
    page_login(client, "/accounts/login/", "mayor", PASSWORD)
    api_login(api_client, "mayor", PASSWORD)
    failures = AccessFailureLog.objects.filter(username="mayor")
    assert sorted(failures.values_list("path_info", flat=True)) == [
        "/accounts/login/",
        "/api/v1/auth/token",
    ]
    logins = AccessLog.objects.filter(username="mayor")
    assert sorted(logins.values_list("path_info", flat=True)) == [
        "/accounts/login/",
        "/api/v1/auth/token",
    ]
    assert not AccessAttempt.objects.exists()  # a success starts the count again


def test_a_success_before_the_limit_starts_the_count_again(api_client, people):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        api_login(api_client, "mayor", "wrong")
    assert api_login(api_client, "mayor", PASSWORD).status_code == 200
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        api_login(api_client, "mayor", "wrong")
    assert api_login(api_client, "mayor", PASSWORD).status_code == 200


def test_an_administrator_lifts_the_lockout_in_the_admin(api_client, client, people):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api_login(api_client, "mayor", "wrong")
    assert api_login(api_client, "mayor", PASSWORD).status_code == 429
    client.force_login(people["admin"])
    listing = client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and "mayor" in listing.content.decode()
    attempt = AccessAttempt.objects.get(username="mayor")
    response = client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert api_login(api_client, "mayor", PASSWORD).status_code == 200


def test_the_lockout_speaks_english_when_asked(api_client, people):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        api_login(api_client, "mayor", "wrong")
    response = api_client.post(
        "/api/v1/auth/token",
        {"username": "mayor", "password": "wrong"},
        format="json",
        REMOTE_ADDR="198.51.100.1",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Too many failed logins")


def test_a_login_without_a_request_is_not_counted(people):
    """A management command or a test's ``client.login`` has no address: the other backends
    decide, nothing is counted."""
    from django.contrib.auth import authenticate

    assert authenticate(username="mayor", password=PASSWORD) == people["mayor"]
    assert authenticate(username="mayor", password="wrong") is None
    assert not AccessAttempt.objects.exists()


def test_behind_a_proxy_the_lockout_is_per_client_address(api_client, people, settings):
    settings.CLIENT_IP_HEADER = "X-Real-IP"

    def login(client_ip, password):
        return api_client.post(
            "/api/v1/auth/token",
            {"username": "mayor", "password": password},
            format="json",
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_REAL_IP=client_ip,
        ).status_code

    for _ in range(settings.AXES_FAILURE_LIMIT):
        login("203.0.113.5", "wrong")
    assert login("203.0.113.5", PASSWORD) == 429
    assert login("203.0.113.6", PASSWORD) == 200
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"
