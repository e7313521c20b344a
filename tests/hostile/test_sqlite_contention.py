"""SQLite, the default database, under contention answers as PostgreSQL does: two people send
the same act on the same version at the same moment — one gets 200, the other 409, never a
500 ("database is locked"). WAL and ``transaction_mode: IMMEDIATE`` make the second writer
wait for the first instead of failing; whatever still fails to get a lock is a 409 with a
Chinese message, in the API and on the pages."""

import threading

import pytest
from django.db import OperationalError, connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from casework.accountability.models import AccountabilityCase
from casework.kernel import pipeline
from casework.org.models import Official, User

CASES = "/api/v1/accountability-cases"


def client_for(username):
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=User.objects.get(username=username))
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def people(reference_data):
    from casework.org.demo import load_demo_people

    load_demo_people()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite configuration")
def test_the_connection_is_in_wal_and_immediate_mode():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    assert connection.transaction_mode == "IMMEDIATE"


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_assignments_with_the_same_if_match_give_200_and_409(people, monkeypatch):
    secretariat, mayor = client_for("secretariat"), client_for("mayor")
    case = secretariat.post(
        CASES,
        {
            "official": Official.objects.get(user__username="head_education").pk,
            "grounds": ["4.1.1"],
            "source": "mayor",
            "summary": "未完成政府工作报告确定的任务",
            "on": "2026-03-02",
        },
        format="json",
    ).json()
    started = mayor.post(
        f"{CASES}/{case['id']}/transitions/start", {"on": "2026-03-02"}, format="json"
    )
    assert started.status_code == 200, started.json()
    version = started.json()["version"]

    # Each request, once it has read the case inside its transaction, waits (up to a second)
    # for the other to have read it too: both read the same version before either writes,
    # unless the database makes the second wait for the first to finish.
    together = threading.Barrier(2, timeout=1)
    real_is_stale = pipeline.is_stale

    def is_stale(if_match, current):
        try:
            together.wait()
        except threading.BrokenBarrierError:
            pass
        return real_is_stale(if_match, current)

    monkeypatch.setattr(pipeline, "is_stale", is_stale)
    statuses, bodies = [], []

    def assign():
        try:
            response = client_for("mayor").post(
                f"{CASES}/{case['id']}/transitions/assign_investigation",
                {"on": "2026-03-03", "working_days": 20},
                format="json",
                HTTP_IF_MATCH=f'"{version}"',
            )
            statuses.append(response.status_code)
            bodies.append(response.json())
        finally:
            connection.close()

    threads = [threading.Thread(target=assign) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses) == [200, 409], bodies
    refused = next(body for body in bodies if body.get("error"))
    # Refused because the first one changed the case — not because a lock was not obtained.
    assert refused["error"] == "conflict"
    assert refused["detail"] == f"案件已被他人更新（当前版本 {version + 1}），请刷新后重试。"
    case = AccountabilityCase.objects.get(pk=case["id"])
    assert case.state == "investigating" and case.version == version + 1
    assert case.deadlines.count() == 1


@pytest.mark.django_db
def test_a_lock_still_not_obtained_is_409_in_chinese_in_the_api(login_api, monkeypatch):
    from casework.accountability import services

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "register_case", locked)
    response = login_api("secretariat").post(CASES, {}, format="json")
    assert response.status_code == 409
    assert response.json() == {
        "error": "conflict",
        "detail": "数据正被其他操作修改，请刷新后重试。",
        "fields": {},
    }


@pytest.mark.django_db
def test_a_lock_still_not_obtained_is_409_on_a_page(client, demo_people, monkeypatch):
    from casework.accountability import views

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(views.CaseListView, "get_context_data", locked)
    client.raise_request_exception = False
    client.force_login(User.objects.get(username="mayor"))
    response = client.get("/accountability/")
    assert response.status_code == 409
    assert "数据正被其他操作修改" in response.content.decode()
