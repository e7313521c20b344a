"""The periodic tasks (``settings.PERIODIC_TASKS``) and the workers' heartbeats.

Every worker asks, each beat, which periodic tasks are due; for each, the worker whose
conditional UPDATE moves ``next_run_at`` forward enqueues it, in the same transaction (with
the database backend the queued task is a row of that transaction). However many workers
run on however many machines, a task is enqueued once per period; if none runs, it is
enqueued as soon as one starts.
"""

import datetime
import os
import socket

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import PeriodicTask, WorkerHeartbeat

# A worker not seen for this long is taken for dead (several beats).
ALIVE = datetime.timedelta(minutes=2)


def enqueue_due(now=None) -> list[str]:
    """Enqueue the periodic tasks that are due; their names."""
    now = now or timezone.now()
    enqueued = []
    for name, (path, every) in settings.PERIODIC_TASKS.items():
        row, _created = PeriodicTask.objects.get_or_create(name=name, defaults={"next_run_at": now})
        if row.next_run_at > now:
            continue
        with transaction.atomic():
            won = PeriodicTask.objects.filter(name=name, next_run_at=row.next_run_at).update(
                next_run_at=now + datetime.timedelta(seconds=every), last_enqueued_at=now
            )
            if won:
                import_string(path).enqueue()
                enqueued.append(name)
    return enqueued


def beat(worker_id: str, started_at: datetime.datetime, now=None) -> None:
    """The worker is alive; workers silent for a day are forgotten."""
    now = now or timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "seen_at": now,
        },
    )
    WorkerHeartbeat.objects.filter(seen_at__lt=now - datetime.timedelta(days=1)).delete()


def workers_alive(now=None) -> int:
    now = now or timezone.now()
    return WorkerHeartbeat.objects.filter(seen_at__gte=now - ALIVE).count()
