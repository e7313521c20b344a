"""The background tasks of operations (django-tasks)."""

from django.conf import settings
from django.core.management import call_command
from django_tasks import task

from casework.kernel import background


@task()
def prune_task_results() -> str:
    """Forget finished task results older than ``TASK_RESULTS_KEEP_DAYS`` (failed ones are
    kept as long again), so that the queue table stays small."""
    if not background.queue_in_database():
        return "no database queue"
    days = settings.TASK_RESULTS_KEEP_DAYS
    call_command(
        "prune_db_task_results",
        queue_name="*",
        min_age_days=days,
        failed_min_age_days=2 * days,
        verbosity=0,
    )
    return "pruned"
