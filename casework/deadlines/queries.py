"""Read-only selections of deadlines for the pages and the API, in a fixed number of
queries. Who may see what is decided in ``rules`` (``visible_deadlines``,
``visible_letters``); no writes.

Every function returns a queryset (or a few values) whose cost does not depend on the number
of rows: levels and overdue days come from ``DeadlineQuerySet.with_level`` (SQL), the
procedure and the case number of a rectification report from joins.
"""

import datetime

from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from casework.workcalendar import periods

from .models import RIGHT_KINDS, Deadline, Kind, Level
from .rules import responsible_filter

# Warning levels shown on the board: the cards (Xinxiang warning art. 7–8).
CARD_LEVELS = (Level.YELLOW, Level.RED)

LEVEL_COLOURS = {
    Level.DONE: "#9e9e9e",
    Level.NORMAL: "#2e7d32",
    Level.PRE_WARNING: "#ef6c00",
    Level.YELLOW: "#f9a825",
    Level.RED: "#c62828",
}

PROCEDURES = {
    "accountability": _("问责"),
    "complaints": _("投诉"),
    # The in-process items other systems send (docs/interface.md).
    "interface": _("在办事项"),
    # Matters assigned by the supervision office (docs/supervision.md).
    "supervision": _("督查督办"),
}
PROCEDURE_CHOICES = list(PROCEDURES.items())


def with_procedure(queryset):
    """Annotate ``procedure`` (accountability / complaints / interface / "") and the
    reference of the underlying matter: a rectification report (no case, no complaint of its
    own) belongs to the overdue item of its admonition letter."""
    letter = "admonition_report_for__deadline__"
    return queryset.annotate(
        procedure=Case(
            When(case__isnull=False, then=Value("accountability")),
            When(complaint__isnull=False, then=Value("complaints")),
            When(**{f"{letter}case__isnull": False}, then=Value("accountability")),
            When(**{f"{letter}complaint__isnull": False}, then=Value("complaints")),
            When(kind=Kind.INTERFACE_ITEM, then=Value("interface")),
            When(**{f"{letter}kind": Kind.INTERFACE_ITEM}, then=Value("interface")),
            When(kind=Kind.SUPERVISION_FEEDBACK, then=Value("supervision")),
            When(**{f"{letter}kind": Kind.SUPERVISION_FEEDBACK}, then=Value("supervision")),
            default=Value(""),
            output_field=CharField(),
        ),
        case_ref=Coalesce(F("case_id"), F(f"{letter}case_id")),
        case_number=Coalesce(F("case__number"), F(f"{letter}case__number")),
        complaint_ref=Coalesce(F("complaint_id"), F(f"{letter}complaint_id")),
        # The supervision matter whose feedback deadline it is (docs/supervision.md).
        supervision_ref=Coalesce(F("supervision_matter__id"), F(f"{letter}supervision_matter__id")),
    )


def procedure_filter(procedure):
    letter = "admonition_report_for__deadline__"
    if procedure == "accountability":
        return Q(case__isnull=False) | Q(**{f"{letter}case__isnull": False})
    if procedure == "complaints":
        return Q(complaint__isnull=False) | Q(**{f"{letter}complaint__isnull": False})
    if procedure == "interface":
        return Q(kind=Kind.INTERFACE_ITEM) | Q(**{f"{letter}kind": Kind.INTERFACE_ITEM})
    if procedure == "supervision":
        return Q(kind=Kind.SUPERVISION_FEEDBACK) | Q(**{f"{letter}kind": Kind.SUPERVISION_FEEDBACK})
    return Q()


def duties(queryset=None):
    """Open deadlines whose clock runs and which can get a card: not the official's rights
    (the objection period and the review window have a clock but never a card), not
    suspended."""
    queryset = queryset if queryset is not None else Deadline.objects.all()
    return queryset.open().exclude(kind__in=list(RIGHT_KINDS)).filter(suspended_on__isnull=True)


def my_open_deadlines(user, as_of: datetime.date):
    """The person's own open deadlines (rights included: they are shown, without a card),
    with their level as of ``as_of``."""
    return (
        with_procedure(Deadline.objects.open().filter(responsible_filter(user)))
        .with_level(as_of)
        .select_related("responsible_unit", "responsible_user")
        .order_by("due", "id")
    )


def cards(as_of: datetime.date, *, unit=None, kind=None, procedure=None):
    """Every yellow and red card across departments as of ``as_of`` (the warning board)."""
    queryset = with_procedure(duties()).with_level(as_of).at_level(as_of, *CARD_LEVELS)
    if unit:
        queryset = queryset.filter(responsible_unit__code=unit)
    if kind:
        queryset = queryset.filter(kind=kind)
    if procedure:
        queryset = queryset.filter(procedure_filter(procedure))
    return queryset


def annotate_days_left(deadlines, as_of: datetime.date):
    """Set ``working_days_left`` (negative: overdue), ``colour`` and ``level_label`` on rows
    annotated by ``with_level``; at most two queries whatever the number of rows (a due date
    after the end of the calendar table is extrapolated Monday–Friday, as ``periods`` does).
    """
    rows = list(deadlines)
    if not rows:
        return rows
    now = periods.working_day_ordinal(as_of)
    beyond = sorted({row.due for row in rows if row.is_open and row.due_ordinal is None})
    extrapolated = {}
    if beyond:
        # One query for the end of the table; the dates after it are counted Monday–Friday.
        extrapolated = periods._ordinals(beyond, periods._table_end())
    for row in rows:
        if not row.is_open:
            row.working_days_left = None
        elif row.due_ordinal is not None:
            row.working_days_left = row.due_ordinal - now
        else:
            row.working_days_left = extrapolated[row.due] - now
        row.colour = LEVEL_COLOURS.get(row.level, LEVEL_COLOURS[Level.NORMAL])
        row.level_label = Level(row.level).label
    return rows


WEEKDAYS = [
    _("星期一"),
    _("星期二"),
    _("星期三"),
    _("星期四"),
    _("星期五"),
    _("星期六"),
    _("星期日"),
]


def _days(rows):
    return [
        {
            "date": row.date,
            "weekday": str(WEEKDAYS[row.date.weekday()]),
            "counted": row.counted,
            "ordinal": row.ordinal,
            "reason": row.reason,
            "provisional": row.provisional,
        }
        for row in rows
    ]


# The overdue days an explanation lists: the first weeks after the due date, which show when
# the card turned yellow and red; the count of working days overdue stays exact.
OVERDUE_TAIL = datetime.timedelta(days=31)


def explain_deadline(deadline, as_of: datetime.date) -> dict:
    """ "How was this computed": the days of the period (the day of the event is not
    counted, as in Chinese administrative law) through the due date now in force, each
    counted or skipped with its reason (periods.explain: weekend, holiday, adjusted working
    day, provisional year); once the due date has passed, the working days overdue that make
    the card yellow or red (Xinxiang warning art. 7–8), at most ``OVERDUE_TAIL`` of them; and
    the extension, if any, beside the original due date. It spans the deadline's own period
    and that tail, whatever day is asked."""
    days = []
    if deadline.due > deadline.start_date:
        days = periods.explain(deadline.start_date, end=deadline.due)
    overdue = []
    if deadline.is_open and as_of > deadline.due:
        overdue = periods.explain(deadline.due, end=min(as_of, deadline.due + OVERDUE_TAIL))
    level = deadline.level_as_of(as_of)
    left = None
    if deadline.is_open:
        left = periods.working_days_between(as_of, deadline.due).count
    extension_days = 0
    if deadline.original_due is not None and deadline.due > deadline.original_due:
        extension_days = periods.working_days_between(deadline.original_due, deadline.due).count
    counted = sum(1 for row in days if row.counted)
    return {
        "deadline": deadline.pk,
        "kind": deadline.kind,
        "kind_name": str(deadline.get_kind_display()),
        "description": deadline.description,
        "start_date": deadline.start_date,
        "working_days": deadline.working_days,
        "due": deadline.due,
        "original_due": deadline.original_due,
        "extension_working_days": extension_days,
        "provisional": deadline.provisional or any(row.provisional for row in days),
        "as_of": as_of,
        "level": str(level),
        "level_name": str(Level(level).label),
        "working_days_left": left,
        "overdue_working_days": max(0, -left) if left is not None else 0,
        "counted": counted,
        "skipped": len(days) - counted,
        "days": _days(days),
        "overdue_days": _days(overdue),
        "overdue_days_truncated": bool(overdue) and as_of > deadline.due + OVERDUE_TAIL,
    }
