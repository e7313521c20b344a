"""Whether this node can serve (``GET /api/v1/health``): its database answers, and the task
queue it hands background work to can take it. A load balancer takes a node that is not
ready out of rotation (503).

The backlog of the queue and the workers seen alive are reported but do not make a node
unready: every node shares the one queue, so a backlog is no reason to take one node out
(the alerts on ``/metrics`` are for that).
"""

from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks import task_backends

from casework.kernel import background

from . import periodic


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return {"ready": False, "vendor": connection.vendor, "error": str(error)[:200]}
    return {"ready": True, "vendor": connection.vendor}


def check_queue() -> dict:
    """The queue's table answers (database backend), with its backlog and live workers."""
    backend = type(task_backends["default"]).__name__
    if not background.queue_in_database():
        return {"ready": True, "backend": backend}
    from django_tasks_db.models import DBTaskResult

    try:
        ready = DBTaskResult.objects.ready()
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        return {
            "ready": True,
            "backend": backend,
            "waiting": ready.count(),
            "oldest_waiting_seconds": int((timezone.now() - oldest).total_seconds())
            if oldest
            else 0,
            "workers_alive": periodic.workers_alive(),
        }
    except DatabaseError as error:
        return {"ready": False, "backend": backend, "error": str(error)[:200]}


def readiness() -> tuple[bool, dict]:
    """(ready, the checks): ready when the database and the queue are."""
    database = check_database()
    queue = check_queue() if database["ready"] else {"ready": False}
    return database["ready"] and queue["ready"], {"database": database, "queue": queue}
