"""The scan of early warning and correction (预警纠错, Xinxiang warning art. 5–8): a notice
on the working day before the due date, an admonition letter on a yellow card, a proposed
preliminary investigation on a red card — each once per deadline, level and due date.

The level itself is never stored as truth: it is derived from the deadline and the calendar
(``DeadlineQuerySet.with_level``), so a page shows the right colour even if the scan has not
run. The scan only sends the notices and creates the letters and proposals.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.audit.chain import lock as record_lock

from .investigations import propose_investigation
from .letters import issue_admonition_letter
from .models import Deadline, Level, WarningEvent
from .notifications import link_to, notify, subject_of
from .rules import responsible_people


@dataclass
class ScanResult:
    pre_warnings: int = 0
    letters: int = 0
    investigations: int = 0

    @property
    def total(self):
        return self.pre_warnings + self.letters + self.investigations


# The levels at or above each card level: a deadline already carded at one of them needs
# nothing more at that level for its current due date.
_AT_OR_ABOVE = {
    Level.PRE_WARNING: [Level.PRE_WARNING, Level.YELLOW, Level.RED],
    Level.YELLOW: [Level.YELLOW, Level.RED],
    Level.RED: [Level.RED],
}


def _missing(level, as_of, levels):
    """Open duties at one of ``levels`` as of ``as_of`` without a ``level`` event for their
    current due date: one range of due dates over a partial index (``at_level``), narrowed
    by the ``warned`` hint, with the anti-join on the events as the arbiter."""
    already = WarningEvent.objects.filter(deadline=OuterRef("pk"), level=level, due=OuterRef("due"))
    return (
        Deadline.objects.at_level(as_of, *levels)
        .exclude(warned__in=_AT_OR_ABOVE[level])
        .exclude(Exists(already))
        .select_related("responsible_unit", "responsible_user", "case", "complaint")
        .order_by("due", "id")
    )


def scan(as_of=None) -> ScanResult:
    """Send each notice and create each letter once per deadline and level. Safe to run
    again and on several machines at once: the event row is inserted first, and a second
    insert for the same (deadline, level, due) fails on the unique constraint."""
    as_of = as_of or timezone.localdate()
    result = ScanResult()
    # A deadline first seen red still gets its yellow letter (Xinxiang warning art. 7) first.
    for level, levels, handler in (
        (Level.YELLOW, [Level.YELLOW, Level.RED], issue_admonition_letter),
        (Level.RED, [Level.RED], propose_investigation),
        (Level.PRE_WARNING, [Level.PRE_WARNING], pre_warn),
    ):
        for deadline in _missing(level, as_of, levels).iterator(chunk_size=500):
            try:
                with transaction.atomic():
                    record_lock()  # before the deadline's row (casework/audit/chain.py)
                    WarningEvent.objects.create(
                        deadline=deadline, level=level, as_of=as_of, due=deadline.due
                    )
                    # Derived hint, not history (the yellow pass runs before the red one, and
                    # the pre-warning pass sees no late deadline: it never downgrades).
                    Deadline.objects.filter(pk=deadline.pk).update(warned=level)
                    deadline.warned = level
                    handler(deadline, as_of)
            except IntegrityError:
                continue  # another scan got there first
            if level == Level.PRE_WARNING:
                result.pre_warnings += 1
            elif level == Level.YELLOW:
                result.letters += 1
            else:
                result.investigations += 1
    return result


def pre_warn(deadline, as_of):
    """Xinxiang warning art. 6: the handler is told, so that the work is done in time."""
    notify(
        responsible_people(deadline),
        _("预警提示：%(subject)s 将于 %(due)s 到期")
        % {"subject": subject_of(deadline), "due": deadline.due.isoformat()},
        _("该事项办理期限到期前一个工作日，请抓紧办理（新乡预警纠错办法第五条）。"),
        link=link_to(deadline),
        deadline=deadline,
    )
