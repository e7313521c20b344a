"""Background work on django-tasks' database queue: a transition does not wait for the mail
server, a failed e-mail is tried again and visible; the periodic tasks are enqueued once per
period however many workers ask; the scan is a task and still a command."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from casework.deadlines import services as deadline_services
from casework.deadlines.models import Deadline, Kind, Notification
from casework.deadlines.tasks import scan_deadlines
from casework.operations import periodic
from casework.operations.models import PeriodicTask
from casework.org.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


@pytest.fixture(autouse=True)
def keep_the_test_connection(monkeypatch):
    """The worker closes stale connections between tasks; in a test that would close the
    connection holding the test's transaction."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


def run_queue():
    """What a worker does with what is ready now (``manage.py worker --batch``)."""
    call_command("worker", batch=True, no_beat=True, startup_delay=False, interval=0, verbosity=0)


class DownBackend:
    """A mail server that does not answer."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPConnectError(421, "mail server down")


def notify_investigator():
    person = User.objects.get(username="investigator")
    person.email = "investigator@example.gov.cn"
    person.save()
    deadline_services.notify([person], "预警提示：测试", "正文")
    return Notification.objects.get(recipient=person)


def test_an_act_does_not_wait_for_the_mail_server(database_queue, demo_people, settings):
    settings.EMAIL_BACKEND = "tests.operations.test_background.DownBackend"
    notification = notify_investigator()  # the mail server is down: nothing happens yet
    assert mail.outbox == []
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "casework.deadlines.tasks.send_notification_email"
    assert queued.args_kwargs["args"] == [notification.pk]


def test_a_failed_e_mail_is_tried_again_and_visible(database_queue, demo_people, settings):
    settings.EMAIL_BACKEND = "tests.operations.test_background.DownBackend"
    notification = notify_investigator()
    run_queue()
    failed = DBTaskResult.objects.get(status="FAILED")
    assert "SMTPConnectError" in failed.exception_class_path
    assert "mail server down" in failed.traceback  # the administrator's task results
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert retry.run_after > timezone.now() + datetime.timedelta(seconds=50)  # back-off
    run_queue()  # not due yet
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_queue()
    assert [m.to for m in mail.outbox] == [["investigator@example.gov.cn"]]
    notification.refresh_from_db()
    assert notification.emailed


def test_the_e_mail_is_given_up_after_its_attempts(database_queue, demo_people, settings):
    settings.EMAIL_BACKEND = "tests.operations.test_background.DownBackend"
    settings.EMAIL_ATTEMPTS = 2
    notify_investigator()
    for _ in range(3):
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        run_queue()
    assert DBTaskResult.objects.filter(status="FAILED").count() == 2
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_an_act_rolled_back_sends_nothing(database_queue, demo_people):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        notify_investigator()
        raise RuntimeError
    assert not DBTaskResult.objects.exists()


def test_the_periodic_tasks_are_enqueued_once_per_period(database_queue, settings):
    settings.PERIODIC_TASKS = {
        "scan_deadlines": ("casework.deadlines.tasks.scan_deadlines", 900),
        "webhook_sweep": ("casework.interface.tasks.sweep_deliveries", 60),
    }
    now = timezone.now()
    assert periodic.enqueue_due(now) == ["scan_deadlines", "webhook_sweep"]
    # Another worker asking at the same moment, or a beat later: nothing twice.
    assert periodic.enqueue_due(now) == []
    assert periodic.enqueue_due(now + datetime.timedelta(seconds=30)) == []
    assert periodic.enqueue_due(now + datetime.timedelta(seconds=61)) == ["webhook_sweep"]
    paths = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
    assert paths == [
        "casework.deadlines.tasks.scan_deadlines",
        "casework.interface.tasks.sweep_deliveries",
        "casework.interface.tasks.sweep_deliveries",
    ]
    # Two workers that read the same row: only the one whose update lands enqueues.
    row = PeriodicTask.objects.get(name="webhook_sweep")
    later = row.next_run_at + datetime.timedelta(seconds=1)
    assert periodic.enqueue_due(later) == ["webhook_sweep"]
    PeriodicTask.objects.filter(name="webhook_sweep").update(next_run_at=row.next_run_at)
    stale = PeriodicTask.objects.filter(name="webhook_sweep", next_run_at=row.next_run_at)
    assert stale.update(next_run_at=later) == 1  # the first
    assert stale.update(next_run_at=later) == 0  # the second finds it moved


def test_a_worker_beats(database_queue):
    started = timezone.now()
    periodic.beat("worker-1", started)
    periodic.beat("worker-2", started)
    assert periodic.workers_alive() == 2
    assert periodic.workers_alive(started + datetime.timedelta(minutes=5)) == 0


def test_the_scan_is_a_task_and_still_a_command(demo_people):
    deadline = deadline_services.open_deadline(
        Kind.INVESTIGATION,
        start=datetime.date(2026, 1, 5),
        due=datetime.date(2026, 1, 20),
        description="调查",
        unit=User.objects.get(username="head_education").official.department,
    )
    result = scan_deadlines.enqueue("2026-01-21")  # immediate backend in the tests
    assert result.return_value == {"pre_warnings": 0, "letters": 1, "investigations": 0}
    call_command("scan_deadlines", "--as-of", "2026-01-26", verbosity=0)
    assert Deadline.objects.get(pk=deadline.pk).warned == "red"


def test_the_scan_command_can_hand_the_scan_to_a_worker(database_queue):
    call_command("scan_deadlines", "--enqueue", "--as-of", "2026-01-26", verbosity=0)
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "casework.deadlines.tasks.scan_deadlines"
    assert queued.args_kwargs["args"] == ["2026-01-26"]
