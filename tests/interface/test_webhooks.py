"""Webhooks through the transactional outbox: signed (HMAC-SHA256), retried with back-off,
and — with the worker killed in the middle of a delivery — nothing lost, nothing processed
twice at the receiver (it deduplicates by event id)."""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone

from casework.interface import tasks, webhooks
from casework.interface.models import Delivery, Event, Scope, WebhookEndpoint

from .conftest import event, send
from .receiver import Receiver

ROOT = Path(__file__).resolve().parents[2]


def endpoint_for(api, url):
    endpoint = WebhookEndpoint(client=api.system, url=url)
    secret = endpoint.issue_secret()
    endpoint.save()
    return endpoint, secret


def three_items(api):
    return send(
        api,
        [event(f"w{n}", f"XK-{n}", "accepted", f"2026-03-02T1{n}:00:00+08:00") for n in range(3)],
    )


def make_due(**filters):
    """The back-off or the lease is over (as if time had passed)."""
    Delivery.objects.filter(status=Delivery.Status.PENDING, **filters).update(
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
    )


@pytest.mark.django_db
def test_deliveries_are_signed_and_verified_by_the_receiver(
    system, django_capture_on_commit_callbacks
):
    api = system(scopes=[Scope.ITEMS_WRITE, Scope.EVENTS_ITEMS])
    with Receiver() as receiver:
        endpoint, receiver.secret = endpoint_for(api, receiver.url)
        with django_capture_on_commit_callbacks(execute=True):
            three_items(api)
        events = list(Event.objects.filter(topic="items").order_by("id"))
        assert len(events) == 3
        assert receiver.refused == 0
        assert receiver.processed == [e.pk for e in events]  # oldest first
        body = receiver.bodies[events[0].pk]
        assert body["id"] == events[0].pk and body["type"] == "opened"
        assert body["data"]["item_id"] == "XK-0"
        assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}
        # A receiver with another secret refuses every delivery: the signature is checked.
        receiver.secret = "not-the-secret"
        with django_capture_on_commit_callbacks(execute=True):
            send(api, [event("w9", "XK-9", "accepted", "2026-03-03T10:00:00+08:00")])
        assert receiver.refused == 1
        assert Delivery.objects.filter(status=Delivery.Status.PENDING).count() == 1
    assert webhooks.verify("s", "1", b"x", webhooks.signature("s", "1", b"x"), tolerance=10**10)


@pytest.mark.django_db
def test_an_endpoint_gets_only_what_its_scopes_read(system):
    reader = system(scopes=[Scope.ITEMS_WRITE, Scope.EVENTS_ITEMS], name="读者")
    other = system(scopes=[Scope.EVENTS_COMPLAINTS], name="旁人")
    off = system(scopes=[Scope.EVENTS_ITEMS], name="停用")
    mine, _ = endpoint_for(reader, "http://127.0.0.1:9/a")
    endpoint_for(other, "http://127.0.0.1:9/b")
    stopped, _ = endpoint_for(off, "http://127.0.0.1:9/c")
    stopped.active = False
    stopped.save()
    three_items(reader)
    assert set(Delivery.objects.values_list("endpoint_id", flat=True)) == {mine.pk}
    assert Delivery.objects.count() == 3


@pytest.mark.django_db
def test_a_failed_delivery_is_retried_with_back_off(system, settings):
    settings.WEBHOOK_RETRY_SECONDS = 30
    api = system(scopes=[Scope.ITEMS_WRITE, Scope.EVENTS_ITEMS])
    with Receiver() as receiver:
        endpoint, receiver.secret = endpoint_for(api, receiver.url)
        three_items(api)
        receiver.fail_next = 2
        assert tasks.deliver_endpoint.call(endpoint.pk) == {"sent": 0, "failed": 1}
        first = Delivery.objects.order_by("event_id").first()
        assert (first.attempts, first.last_status) == (1, 500)
        wait = (first.next_attempt_at - first.last_attempt_at).total_seconds()
        assert 27 <= wait <= 33  # 30 s ± 10 %
        # The receiver is down, not one event: every delivery of the endpoint waits.
        assert not Delivery.objects.filter(next_attempt_at__lt=first.next_attempt_at).exists()
        assert tasks.sweep_deliveries.call() == 0  # nothing due yet
        make_due()
        tasks.sweep_deliveries.call()
        first.refresh_from_db()
        assert first.attempts == 2
        wait = (first.next_attempt_at - first.last_attempt_at).total_seconds()
        assert 54 <= wait <= 66  # doubled
        make_due()
        tasks.sweep_deliveries.call()
        assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}
        assert len(receiver.processed) == 3
        assert receiver.requests[first.event_id] == 3


@pytest.mark.django_db
def test_a_delivery_is_given_up_after_its_attempts_and_can_be_sent_again(
    system, settings, admin_client
):
    settings.WEBHOOK_ATTEMPTS = 2
    api = system(scopes=[Scope.ITEMS_WRITE, Scope.EVENTS_ITEMS])
    endpoint, _ = endpoint_for(api, "http://127.0.0.1:9/nobody-listens")
    send(api, [event("g1", "XK-1", "accepted", "2026-03-02T10:00:00+08:00")])
    for _attempt in range(2):
        make_due()
        tasks.deliver_endpoint.call(endpoint.pk)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, 2)
    assert delivery.last_error
    response = admin_client.post(
        "/admin/interface/delivery/",
        {"action": "send_again", "_selected_action": [delivery.pk]},
    )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 0)


@pytest.mark.django_db
def test_a_worker_dying_between_sending_and_marking_loses_nothing(system, monkeypatch, settings):
    """The process dies after the receiver got the event and before the delivery is marked:
    the delivery stays pending under its lease, is sent again once the lease is over, and
    the receiver, seeing the event id again, does not process it twice."""
    api = system(scopes=[Scope.ITEMS_WRITE, Scope.EVENTS_ITEMS])
    with Receiver() as receiver:
        endpoint, receiver.secret = endpoint_for(api, receiver.url)
        three_items(api)

        def killed(delivery, status):
            raise SystemExit("killed")

        monkeypatch.setattr(webhooks, "mark_delivered", killed)
        with pytest.raises(SystemExit):
            webhooks.deliver_due(endpoint.pk)
        monkeypatch.undo()
        first = Delivery.objects.order_by("event_id").first()
        assert first.status == Delivery.Status.PENDING and first.attempts == 1
        assert receiver.processed == [first.event_id]
        # Under its lease nobody sends it again.
        assert first.next_attempt_at > timezone.now() + datetime.timedelta(
            seconds=settings.WEBHOOK_LEASE_SECONDS - 5
        )
        tasks.sweep_deliveries.call()
        assert receiver.requests[first.event_id] == 1
        make_due(pk=first.pk)
        tasks.sweep_deliveries.call()
        assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}
        assert receiver.requests[first.event_id] == 2
        assert sorted(receiver.processed) == sorted(Event.objects.values_list("pk", flat=True))


def _database_url():
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = quote(settings["USER"] or "", safe="")
    password = f":{quote(settings['PASSWORD'], safe='')}" if settings["PASSWORD"] else ""
    credentials = f"{user}{password}@" if user else ""
    host = settings["HOST"] or "localhost"
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgres://{credentials}{host}{port}/{quote(settings['NAME'], safe='')}"


def _worker(*extra):
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "TASKS_BACKEND": "database",
        "WEBHOOK_LEASE_SECONDS": "2",
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.1", "--no-startup-delay", *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.django_db(transaction=True)
def test_the_worker_process_killed_mid_delivery(system, reference_data, settings):
    """A real worker (``manage.py worker``) is killed with SIGKILL while the receiver holds
    the first delivery it has already processed; a new worker, once the lease is over,
    delivers everything: nothing lost, nothing processed twice."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    api = system(scopes=[Scope.ITEMS_WRITE, Scope.EVENTS_ITEMS])
    with Receiver() as receiver:
        endpoint, receiver.secret = endpoint_for(api, receiver.url)
        receiver.block_first = True
        three_items(api)  # committed: the events, the deliveries and the queued task
        assert Delivery.objects.filter(status=Delivery.Status.PENDING).count() == 3
        worker = _worker("--no-beat")
        try:
            assert receiver.holding.wait(60), worker.communicate(timeout=5)[0]
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(10)
        finally:
            if worker.poll() is None:
                worker.kill()
        receiver.release.set()
        first = Delivery.objects.order_by("event_id").first()
        assert first.status == Delivery.Status.PENDING and first.attempts == 1
        assert len(receiver.processed) == 1
        time.sleep(2.5)  # the lease (2 s) is over
        tasks.sweep_deliveries.enqueue()  # what the beat of a live worker does every minute
        rescuer = _worker("--batch")
        output = rescuer.communicate(timeout=60)[0]
        assert rescuer.returncode == 0, output
        assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}, output
        events = sorted(Event.objects.filter(topic="items").values_list("pk", flat=True))
        assert sorted(receiver.processed) == events  # nothing lost, nothing twice
        assert receiver.requests[first.event_id] == 2  # sent twice, processed once
        assert sum(receiver.requests.values()) == 4


@pytest.mark.django_db
def test_a_redirect_is_not_a_delivery(system):
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from threading import Thread

    class Redirect(BaseHTTPRequestHandler):
        def do_POST(self):
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.1:9/elsewhere")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        api = system(scopes=[Scope.ITEMS_WRITE, Scope.EVENTS_ITEMS])
        endpoint, _ = endpoint_for(api, f"http://127.0.0.1:{server.server_address[1]}/")
        send(api, [event("r1", "XK-1", "accepted", "2026-03-02T10:00:00+08:00")])
        assert tasks.deliver_endpoint.call(endpoint.pk) == {"sent": 0, "failed": 1}
        assert Delivery.objects.get().last_status == 302
    finally:
        server.shutdown()
        server.server_close()
