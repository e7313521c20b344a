"""Operations: /api/v1/health tells a load balancer whether the node is ready (the database
and the task queue), /metrics gives Prometheus the requests, the queue, the deliveries and
the open deadlines by level."""

import datetime

import pytest
from django.core.cache import cache
from django.db import DatabaseError

from casework.deadlines import services as deadline_services
from casework.deadlines.models import Kind
from casework.operations import health

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_metrics():
    cache.clear()


def test_health_is_ready_with_the_database_and_the_queue(api_client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    response = api_client.get("/api/v1/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["ready"] is True
    assert {"database", "time"} <= set(body)
    assert body["checks"]["database"]["ready"] is True
    queue = body["checks"]["queue"]
    assert queue["ready"] is True and queue["backend"] == "DatabaseBackend"
    assert {"waiting", "oldest_waiting_seconds", "workers_alive"} <= set(queue)


def test_health_is_503_when_the_database_does_not_answer(api_client, monkeypatch):
    class Broken:
        vendor = "postgresql"

        def cursor(self):
            raise DatabaseError("connection refused")

    monkeypatch.setattr(health, "connection", Broken())
    response = api_client.get("/api/v1/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and body["ready"] is False
    assert "connection refused" in body["checks"]["database"]["error"]


def test_health_is_503_when_the_queue_cannot_take_work(api_client, settings, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}

    def missing(self):
        raise DatabaseError('relation "django_tasks_database_dbtaskresult" does not exist')

    monkeypatch.setattr(type(DBTaskResult.objects.all()), "ready", missing)
    response = api_client.get("/api/v1/health")
    assert response.status_code == 503
    assert response.json()["checks"]["queue"]["ready"] is False


def test_metrics_for_prometheus(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    today = datetime.date.today()
    for due in (today - datetime.timedelta(days=30), today + datetime.timedelta(days=60)):
        deadline_services.open_deadline(
            Kind.INVESTIGATION, start=today - datetime.timedelta(days=40), due=due, description="x"
        )
    client.get("/api/v1/health")
    text = client.get("/metrics").content.decode()
    assert "django_http_requests_total_by_view_transport_method_total" in text
    assert 'casework_open_deadlines{level="red"} 1.0' in text
    assert 'casework_open_deadlines{level="normal"} 1.0' in text
    assert "casework_task_queue_depth" in text
    assert 'casework_webhook_deliveries{status="pending"} 0.0' in text
    assert "casework_metrics_up 1.0" in text


def test_metrics_only_for_the_scraper(client):
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 404
