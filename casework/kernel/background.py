"""Work an act hands to a background worker (django-tasks): an e-mail, a webhook delivery,
the scan. The act does not wait for it, and it is not lost.

* ``enqueue(task, ...)`` — with the database backend the queued task is a row written in
  the act's own transaction: it is committed with the act or not at all, so that a process
  dying just after the commit loses nothing and an act rolled back sends nothing. Any other
  backend (the immediate one of the tests) is handed the task once the act commits.
* ``retry_later(task, attempt, ...)`` — the next attempt of a task that failed, after an
  exponential back-off, until the attempts allowed are used up.

The tasks themselves live in the ``tasks.py`` of the app they belong to.
"""

import datetime
import logging
import random

from django.db import transaction
from django.utils import timezone
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend

logger = logging.getLogger("casework.background")


def is_transactional(task) -> bool:
    """Whether ``task`` is queued as a row of the application's database."""
    return isinstance(task.get_backend(), DatabaseBackend)


def queue_in_database() -> bool:
    """Whether the default task backend is the database queue."""
    return isinstance(task_backends["default"], DatabaseBackend)


def enqueue(task, *args, **kwargs) -> None:
    """Queue ``task(*args, **kwargs)`` as part of the current act (see the module)."""
    if is_transactional(task):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


def backoff(attempt: int, base: float, cap: float) -> datetime.timedelta:
    """The wait before attempt ``attempt + 1``: ``base · 2^(attempt − 1)`` seconds, at most
    ``cap``, spread by ±10 % so that retries after one outage do not all come back at once."""
    seconds = min(base * 2 ** max(attempt - 1, 0), cap)
    return datetime.timedelta(seconds=seconds * random.uniform(0.9, 1.1))


def retry_later(task, attempt: int, attempts: int, base: float, *args, **kwargs) -> bool:
    """Queue attempt ``attempt + 1`` of ``task`` after the back-off; False (and nothing
    queued) once ``attempts`` have been made. The task receives ``attempt=`` as a keyword."""
    if attempt >= attempts:
        logger.error("%s gave up after %s attempts %r", task.name, attempt, args)
        return False
    later = task
    if task.get_backend().supports_defer:
        later = task.using(run_after=timezone.now() + backoff(attempt, base, base * 64))
    later.enqueue(*args, attempt=attempt + 1, **kwargs)
    return True
