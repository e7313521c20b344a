"""casework's own metrics on ``/metrics`` (beside django-prometheus's requests and
latencies), read from the database so that every node reports the same values, whichever
process does the work; computed at most every ``METRICS_CACHE_SECONDS``, with counts that
use the indexes (the deadlines by level are ranges of due dates, as the board's).

* ``casework_task_queue_depth{queue}`` — tasks waiting to run, and
  ``casework_task_queue_oldest_seconds``
* ``casework_tasks_running``
* ``casework_task_failures{task}`` — failed task results kept (``TASK_RESULTS_KEEP_DAYS``)
* ``casework_task_retries{task}`` — attempts after the first among the tasks kept
* ``casework_webhook_deliveries{status}`` (pending, failed), ``casework_webhook_retries``
* ``casework_open_deadlines{level}`` — open duties by warning level today (and suspended)
* ``casework_workers_alive``
"""

import datetime
import logging

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Sum
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from casework.deadlines import queries
from casework.deadlines.models import Deadline, DeadlineQuerySet, Level
from casework.interface.models import Delivery
from casework.kernel import background

from . import periodic

CACHE_KEY = "casework:metrics"
logger = logging.getLogger("casework.operations.metrics")


def _tasks() -> dict:
    if not background.queue_in_database():
        return {}
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.ready()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return {
        "depth": dict(
            ready.order_by()
            .values_list("queue_name")
            .annotate(n=Count("id"))
            .values_list("queue_name", "n")
        ),
        "oldest": (timezone.now() - oldest).total_seconds() if oldest else 0.0,
        "running": DBTaskResult.objects.running().count(),
        "failures": dict(
            DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
            .order_by()
            .values_list("task_path")
            .annotate(n=Count("id"))
            .values_list("task_path", "n")
        ),
        "retries": dict(
            DBTaskResult.objects.filter(args_kwargs__kwargs__attempt__gte=2)
            .order_by()
            .values_list("task_path")
            .annotate(n=Count("id"))
            .values_list("task_path", "n")
        ),
    }


def _deadlines(today: datetime.date) -> dict:
    duties = queries.duties()
    levels = {level: duties.at_level(today, level).count() for level in DeadlineQuerySet.BY_DUE}
    open_duties = duties.count()
    levels[Level.NORMAL] = open_duties - sum(levels.values())
    levels["suspended"] = Deadline.objects.open().filter(suspended_on__isnull=False).count()
    return {str(level): n for level, n in levels.items()}


def _deliveries() -> dict:
    rows = (
        Delivery.objects.exclude(status=Delivery.Status.DELIVERED)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"), retries=Sum(F("attempts") - 1))
    )
    return {
        "by_status": {status: n for status, n, _ in rows},
        "retries": sum(max(retries or 0, 0) for _, _, retries in rows),
    }


def compute() -> dict:
    return {
        "tasks": _tasks(),
        "deadlines": _deadlines(timezone.localdate()),
        "deliveries": _deliveries(),
        "workers": periodic.workers_alive(),
    }


NAMES = [
    "casework_metrics_up",
    "casework_task_queue_depth",
    "casework_task_queue_oldest_seconds",
    "casework_tasks_running",
    "casework_task_failures",
    "casework_task_retries",
    "casework_webhook_deliveries",
    "casework_webhook_retries",
    "casework_open_deadlines",
    "casework_workers_alive",
]


class CaseworkCollector:
    """Registered with prometheus_client in ``OperationsConfig.ready``."""

    def describe(self):
        # The names only: registering asks for them, and must not query the database.
        for name in NAMES:
            yield GaugeMetricFamily(name, name)

    def collect(self):
        values = cache.get(CACHE_KEY)
        if values is None:
            try:
                values = compute()
            except Exception:  # the database is away: say so, and nothing else
                logger.exception("casework metrics could not be read")
                yield GaugeMetricFamily(
                    "casework_metrics_up", "The database-derived metrics could be read", value=0
                )
                return
            cache.set(CACHE_KEY, values, settings.METRICS_CACHE_SECONDS)
        yield GaugeMetricFamily(
            "casework_metrics_up", "The database-derived metrics could be read", value=1
        )
        tasks = values["tasks"]
        depth = GaugeMetricFamily(
            "casework_task_queue_depth", "Tasks waiting to run", labels=["queue"]
        )
        for queue, n in tasks.get("depth", {}).items():
            depth.add_metric([queue], n)
        yield depth
        yield GaugeMetricFamily(
            "casework_task_queue_oldest_seconds",
            "Age of the oldest task waiting to run",
            value=tasks.get("oldest", 0.0),
        )
        yield GaugeMetricFamily(
            "casework_tasks_running", "Tasks being run", value=tasks.get("running", 0)
        )
        for name, key, text in (
            ("casework_task_failures", "failures", "Failed task results kept"),
            ("casework_task_retries", "retries", "Task attempts after the first, kept"),
        ):
            family = GaugeMetricFamily(name, text, labels=["task"])
            for path, n in tasks.get(key, {}).items():
                family.add_metric([path], n)
            yield family
        deliveries = GaugeMetricFamily(
            "casework_webhook_deliveries", "Webhook deliveries not delivered", labels=["status"]
        )
        for status in (Delivery.Status.PENDING, Delivery.Status.FAILED):
            deliveries.add_metric([status], values["deliveries"]["by_status"].get(status, 0))
        yield deliveries
        yield GaugeMetricFamily(
            "casework_webhook_retries",
            "Attempts after the first of the deliveries not delivered",
            value=values["deliveries"]["retries"],
        )
        deadlines = GaugeMetricFamily(
            "casework_open_deadlines", "Open duties by warning level today", labels=["level"]
        )
        for level, n in values["deadlines"].items():
            deadlines.add_metric([level], n)
        yield deadlines
        yield GaugeMetricFamily(
            "casework_workers_alive",
            "Workers seen in the last two minutes",
            value=values["workers"],
        )
