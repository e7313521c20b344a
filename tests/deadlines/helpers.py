"""Deadlines placed relative to today, whatever day the tests run on (Xinxiang warning art. 5: red
when more than 2 working days overdue, yellow when overdue, pre-warning on the working day
before)."""

import datetime

from django.utils import timezone

from casework.deadlines import services
from casework.deadlines.models import ExtensionRule, Kind
from casework.org.models import Department
from casework.workcalendar import periods

ONE_DAY = datetime.timedelta(days=1)


def working_days_ago(n: int, today: datetime.date | None = None) -> datetime.date:
    """The latest working day with exactly ``n`` working days in (day, today]."""
    today = today or timezone.localdate()
    day = today - ONE_DAY
    while not (periods.is_working_day(day) and periods.working_days_between(day, today).count >= n):
        day -= ONE_DAY
    return day


def working_days_ahead(n: int, today: datetime.date | None = None) -> datetime.date:
    return periods.add_working_days(today or timezone.localdate(), n).due


def deadline(
    due: datetime.date,
    *,
    kind=Kind.INVESTIGATION,
    unit="supervision",
    user=None,
    description="完成调查核实",
    case=None,
    complaint=None,
):
    """A deadline due on ``due`` opened 30 days before (a due date set by the decider)."""
    return services.open_deadline(
        kind,
        start=due - datetime.timedelta(days=30),
        due=due,
        description=description,
        unit=Department.objects.get(code=unit) if unit else None,
        user=user,
        case=case,
        complaint=complaint,
    )


def red(**kwargs):
    """Red as of today: due 3 working days ago."""
    return deadline(working_days_ago(3), **kwargs)


def yellow(**kwargs):
    """Yellow as of today: due 1 working day ago."""
    return deadline(working_days_ago(1), **kwargs)


def upcoming(n=5, **kwargs):
    """Due in ``n`` working days (normal when n > 1)."""
    return deadline(working_days_ahead(n), **kwargs)


def set_cap(kind, working_days):
    """Change the total extension allowed for ``kind``, as an administrator does (through
    ``save()``, so the rule's history records it)."""
    rule = ExtensionRule.objects.get(kind=kind)
    rule.cap_working_days = working_days
    rule._change_reason = "测试"
    rule.save()
    return rule
