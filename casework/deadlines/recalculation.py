"""Deadlines counted again when the working-day calendar changes (a holiday entered, a
provisional year confirmed): a provisional due date becomes final, or moves."""

from django.utils.translation import gettext as _

from casework.workcalendar import periods

from .models import Deadline, Extension
from .notifications import link_to, notify, subject_of
from .rules import responsible_people


def _open_from(from_date):
    return (
        Deadline.objects.open()
        .filter(due__gte=from_date)
        .select_related("responsible_unit", "responsible_user")
        .order_by("due", "id")
        .iterator(chunk_size=500)
    )


def recount(deadline):
    """``(due, provisional, set_by_hand)`` of an open deadline counted again on today's
    calendar: a period in working days is counted from its start (unless an approved
    extension fixed its due date); a date set by a person stands, unless the change made it
    a rest day: then it moves to the next working day (顺延, Xinxiang warning art. 16), and
    it is provisional while its year is incomplete."""
    if (
        deadline.working_days is not None
        and not deadline.extensions.filter(status=Extension.Status.APPROVED).exists()
    ):
        result = periods.add_working_days(deadline.start_date, deadline.working_days)
        return result.due, result.provisional, False
    due = periods.rolled_forward(deadline.due)
    return due, not periods.calendar_is_complete(due.year), True


def pending_moves(from_date):
    """The open deadlines a calendar change from ``from_date`` would move, without saving
    anything: ``[{"deadline", "old_due", "new_due", "provisional"}]``. Asked inside the
    transaction that holds the changed calendar (the calendar import's preview, rolled back
    afterwards)."""
    moves = []
    for deadline in _open_from(from_date):
        due, provisional, _set_by_hand = recount(deadline)
        if due != deadline.due:
            moves.append(
                {
                    "deadline": deadline,
                    "old_due": deadline.due,
                    "new_due": due,
                    "provisional": provisional,
                }
            )
    return moves


def recompute_after_calendar_change(from_date, actor=None, reason=""):
    """Every open deadline counted in working days whose period reaches ``from_date`` is
    counted again: provisional ones become final, others move if a day changed. Each change
    is recorded in the deadline's history with the reason; the people concerned are told."""
    changed = 0
    for deadline in _open_from(from_date):
        due, provisional, set_by_hand = recount(deadline)
        if due == deadline.due and provisional == deadline.provisional:
            continue
        old_due = deadline.due
        if set_by_hand and due != old_due and deadline.due_as_set is None:
            deadline.due_as_set = old_due
        deadline.due, deadline.provisional = due, provisional
        deadline._history_user = actor
        deadline._change_reason = _("工作日历调整后重新计算：%(reason)s") % {"reason": reason}
        deadline.save()
        changed += 1
        if due != old_due:
            notify(
                responsible_people(deadline),
                _("期限调整：%(subject)s 的届满日期由 %(old)s 改为 %(new)s")
                % {
                    "subject": subject_of(deadline),
                    "old": old_due.isoformat(),
                    "new": due.isoformat(),
                },
                _("原因：工作日历调整（%(reason)s）。") % {"reason": reason},
                link=link_to(deadline),
                deadline=deadline,
            )
    return changed
