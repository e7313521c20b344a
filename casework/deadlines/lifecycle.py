"""Opening and closing deadlines: every procedure's clock starts and stops here."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from casework.workcalendar import periods

from .models import Deadline, moved_note


def open_deadline(
    kind,
    *,
    start,
    description,
    days=None,
    due=None,
    unit=None,
    user=None,
    case=None,
    complaint=None,
):
    """A deadline counted in working days from ``start`` (the day of the triggering event is
    not counted), or with a due date set by the decider: one that falls on a rest day moves
    to the next working day, and the deadline keeps the date as set beside it (顺延,
    Xinxiang warning art. 16). A period reaching a year the calendar does not mark complete
    is provisional (暂定) until that year is entered."""
    due_as_set = None
    if due is None:
        result = periods.add_working_days(start, days)
        due, provisional = result.due, result.provisional
    else:
        due, due_as_set = rolled(due)
        provisional = not periods.calendar_is_complete(due.year)
    deadline = Deadline(
        case=case,
        complaint=complaint,
        kind=kind,
        description=description,
        responsible_unit=unit,
        responsible_user=user,
        start_date=start,
        working_days=days,
        due=due,
        due_as_set=due_as_set,
        provisional=provisional,
    )
    deadline._change_reason = description
    if due_as_set is not None:
        deadline._change_reason = f"{description}；{moved_note(due_as_set, due)}"
    deadline.save()
    return deadline


def rolled(day: datetime.date) -> tuple[datetime.date, datetime.date | None]:
    """``(due, as_set)``: the date ``day`` a person set, moved to the next working day when it
    is a rest day (Xinxiang warning art. 16), and ``day`` itself when it was moved (else
    None)."""
    due = periods.rolled_forward(day)
    return due, (day if due != day else None)


def close_deadlines(queryset, *kinds, when=None, cancel=False, reason=""):
    """Mark the open deadlines of ``kinds`` in ``queryset`` done (or cancelled), each through
    ``save()`` so that its history records why."""
    moment = when or timezone.now()
    for deadline in queryset.open().filter(kind__in=kinds):
        if cancel:
            deadline.cancelled_at = moment
        else:
            deadline.done_at = moment
        deadline._change_reason = reason
        deadline.save()


def paused_working_days(suspended_on: datetime.date, resumed_on: datetime.date) -> int:
    """The working days a clock stood still: those in (``suspended_on``, ``resumed_on``]."""
    return max(periods.working_days_between(suspended_on, resumed_on).count, 0)


def resume(deadline, on: datetime.date, reason: str = "") -> int:
    """A suspended deadline runs again from ``on``: its due date moves by the working days
    it was paused (``paused_working_days``), and it warns again for the new date. Returns
    those days. The history records ``reason``, a text in which ``%(days)s`` stands for
    them."""
    paused = paused_working_days(deadline.suspended_on, on)
    result = periods.add_working_days(deadline.due, paused)
    deadline.due, deadline.provisional = result.due, result.provisional
    deadline.suspended_on = None
    deadline._change_reason = (reason or _("恢复计时，期限顺延%(days)s个工作日")) % {"days": paused}
    deadline.save()
    return paused


def moment_of(on: datetime.date):
    """The moment of an act entered for day ``on``: now if today, else the end of that day
    (paper cases are entered after the fact)."""
    if on == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(on, datetime.time(23, 59, 59)))
