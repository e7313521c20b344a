"""The background task of the evaluation (django-tasks; ``settings.PERIODIC_TASKS``)."""

from django_tasks import task

from casework.kernel import clock

from . import services
from .models import MonthlyEvaluation


@task()
def evaluate_previous_month() -> str:
    """Xinxiang performance art. 9 (each month): the draft of the month just ended, computed
    once, on the first run after it ended (the workers ask daily). The bureau recomputes it
    before review if later records should count."""
    month = services.previous_month(clock.today())
    if MonthlyEvaluation.objects.filter(month=month).exists():
        return "exists"
    _evaluation, outcome = services.evaluate_month(month)
    return outcome
