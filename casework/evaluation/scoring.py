"""Computing a month: for every active department and every active item of the scheme, the
events of the item's basis in the month, and the points they give (评分、扣分和加分, each
month: Xinxiang performance art. 9). Each event is stored as the evidence of its line, with
the kind and id of the object behind it, so every point can be traced.

What counts in month M (docs/evaluation.md):

* a deadline (a duty, not a right; neither cancelled nor suspended) of the department whose due
  date falls in M and before the day of computation: met when done on or before its due
  date, missed otherwise;
* a yellow or red card: the warning record of the scan, carded in M, on a deadline of the
  department;
* a complaint upheld: decided in M against the department with an outcome other than
  "unfounded" (Xinxiang complaints art. 7 (五));
* a repeat complaint: received in M, linked to an earlier one and counted against the
  department (Xinxiang complaints art. 6);
* an accountability decision: decided in M in a case against the department's head (a
  modified decision is the same matter, a revoked one counts nothing);
* a supervision matter late: the feedback deadline of a matter assigned to the department as
  its lead unit (docs/supervision.md) due in M and before the day of computation, not met by
  its due date (Handan supervision art. 4 (3));
* satisfaction: the ratings given in M of the department's handling.
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone

from casework.accountability.models import Decision
from casework.audit import signals as audit_signals
from casework.complaints.models import Complaint
from casework.deadlines.models import RIGHT_KINDS, Deadline, Kind, Level, WarningEvent
from casework.org.models import Department

from .models import (
    SATISFACTION_VALUES,
    Basis,
    Evidence,
    Line,
    Method,
    Rating,
    ScoringItem,
    Source,
)

CENT = Decimal("0.01")
ONE = Decimal("1")
ZERO = Decimal("0")
UNFOUNDED = "unfounded"


@dataclass
class Event:
    department_id: int
    source: str
    source_id: int
    on: datetime.date
    label: str
    value: Decimal = ONE


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return first, last


# --- the events of each basis, for every department at once ----------------------------------


def _deadlines(first, last, today) -> list[tuple[Event, bool]]:
    """(event, met) for every duty due in the month before ``today``, or already done."""
    found = []
    duties = (
        Deadline.objects.filter(
            due__range=(first, last),
            responsible_unit__isnull=False,
            cancelled_at__isnull=True,
            suspended_on__isnull=True,
        )
        .exclude(kind__in=[str(kind) for kind in RIGHT_KINDS])
        .filter(Q(due__lt=today) | Q(done_at__isnull=False))
        .order_by("due", "id")
    )
    for deadline in duties:
        done_on = timezone.localdate(deadline.done_at) if deadline.done_at else None
        met = done_on is not None and done_on <= deadline.due
        if met:
            state = f"{done_on:%Y-%m-%d} 按期完成"
        elif done_on is not None:
            state = f"{done_on:%Y-%m-%d} 超期完成"
        else:
            state = "超期未完成"
        label = (
            f"{deadline.get_kind_display()}：{deadline.description}"
            f"（届满 {deadline.due:%Y-%m-%d}，{state}）"
        )
        event = Event(
            deadline.responsible_unit_id,
            Source.DEADLINE,
            deadline.pk,
            deadline.due,
            label[:255],
            ONE if met else ZERO,
        )
        found.append((event, met))
    return found


def _cards(first, last, level) -> list[Event]:
    warnings = (
        WarningEvent.objects.filter(
            level=level, as_of__range=(first, last), deadline__responsible_unit__isnull=False
        )
        .select_related("deadline")
        .order_by("as_of", "id")
    )
    name = "黄牌" if level == Level.YELLOW else "红牌"
    return [
        Event(
            warning.deadline.responsible_unit_id,
            Source.WARNING,
            warning.pk,
            warning.as_of,
            (
                f"{name}：{warning.deadline.get_kind_display()}：{warning.deadline.description}"
                f"（届满 {warning.due:%Y-%m-%d}）"
            )[:255],
        )
        for warning in warnings
    ]


def _complaint_label(complaint) -> str:
    return f"投诉第{complaint.pk}号（{complaint.category.name}）"


def _upheld(first, last) -> list[Event]:
    complaints = (
        Complaint.objects.filter(decided_on__range=(first, last), outcome__isnull=False)
        .exclude(outcome__code=UNFOUNDED)
        .select_related("category", "outcome")
        .order_by("decided_on", "id")
    )
    return [
        Event(
            complaint.respondent_department_id,
            Source.COMPLAINT,
            complaint.pk,
            complaint.decided_on,
            f"{_complaint_label(complaint)}：{complaint.outcome.name}"[:255],
        )
        for complaint in complaints
    ]


def _repeats(first, last) -> list[Event]:
    complaints = (
        Complaint.objects.filter(
            received_on__range=(first, last),
            repeat_of__isnull=False,
            repeat_counted_against__isnull=False,
        )
        .select_related("category")
        .order_by("received_on", "id")
    )
    return [
        Event(
            complaint.repeat_counted_against_id,
            Source.COMPLAINT,
            complaint.pk,
            complaint.received_on,
            f"{_complaint_label(complaint)}：重复投诉第{complaint.repeat_of_id}号所涉事项"[:255],
        )
        for complaint in complaints
    ]


def _decisions(first, last) -> list[Event]:
    decisions = (
        Decision.objects.filter(decided_on__range=(first, last), supersedes__isnull=True)
        .exclude(status=Decision.Status.REVOKED)
        .select_related("case")
        .order_by("decided_on", "id")
    )
    return [
        Event(
            decision.case.department_id,
            Source.DECISION,
            decision.pk,
            decision.decided_on,
            f"问责案件 {decision.case.number}：问责决定（{decision.decided_on:%Y-%m-%d}）"[:255],
        )
        for decision in decisions
    ]


def _ratings(first, last) -> list[Event]:
    ratings = Rating.objects.filter(rated_on__range=(first, last)).order_by("rated_on", "id")
    return [
        Event(
            rating.department_id,
            Source.RATING,
            rating.pk,
            rating.rated_on,
            f"投诉第{rating.complaint_id}号的办理：{rating.get_value_display()}",
            SATISFACTION_VALUES[rating.value],
        )
        for rating in ratings
    ]


def events_of_month(month: datetime.date, today: datetime.date) -> dict[str, list[Event]]:
    """Every event of the month by basis."""
    first, last = month_bounds(month)
    deadlines = _deadlines(first, last, today)
    supervision = set(
        Deadline.objects.filter(
            pk__in=[event.source_id for event, met in deadlines if not met],
            kind=Kind.SUPERVISION_FEEDBACK,
        ).values_list("pk", flat=True)
    )
    return {
        Basis.DEADLINES: [event for event, _met in deadlines],
        Basis.DEADLINE_MET: [event for event, met in deadlines if met],
        Basis.DEADLINE_MISSED: [
            Event(e.department_id, e.source, e.source_id, e.on, e.label)
            for e, met in deadlines
            if not met
        ],
        Basis.YELLOW_CARD: _cards(first, last, Level.YELLOW),
        Basis.RED_CARD: _cards(first, last, Level.RED),
        Basis.COMPLAINT_UPHELD: _upheld(first, last),
        Basis.REPEAT_COMPLAINT: _repeats(first, last),
        Basis.ACCOUNTABILITY_DECISION: _decisions(first, last),
        Basis.SUPERVISION_LATE: [
            Event(e.department_id, e.source, e.source_id, e.on, e.label)
            for e, met in deadlines
            if not met and e.source_id in supervision
        ],
        Basis.SATISFACTION: _ratings(first, last),
    }


# --- points --------------------------------------------------------------------------------


def amount(item, events: list[Event]) -> Decimal:
    """The points ``events`` give under ``item`` (anything with method, points, cap, weight):
    a score is the full points × the mean value of the events (all of them when there is no
    event: nothing recorded, nothing lost); a deduction (negative) or a bonus is the points ×
    the events' values, at most the cap; then × the weight, to the cent."""
    points = Decimal(item.points)
    total = sum((event.value for event in events), ZERO)
    if item.method == Method.SCORE:
        raw = points if not events else points * total / len(events)
    else:
        raw = points * total
        if item.cap is not None:
            raw = min(raw, Decimal(item.cap))
        if item.method == Method.DEDUCTION:
            raw = -raw
    return (raw * Decimal(item.weight)).quantize(CENT, rounding=ROUND_HALF_UP)


def compute(evaluation, run: int, today: datetime.date) -> list[Line]:
    """Write the lines and evidence of run ``run`` of ``evaluation`` (every active department ×
    every active item), in bulk, each batch sealed into the audit chain."""
    by_basis = events_of_month(evaluation.month, today)
    items = list(ScoringItem.objects.filter(active=True).order_by("ordering", "code"))
    departments = list(Department.objects.filter(active=True).order_by("code"))
    grouped: dict[tuple[str, int], list[Event]] = {}
    for basis, events in by_basis.items():
        for event in events:
            grouped.setdefault((basis, event.department_id), []).append(event)
    lines, evidence_of = [], []
    for department in departments:
        for item in items:
            events = grouped.get((item.basis, department.pk), [])
            lines.append(
                Line(
                    evaluation=evaluation,
                    run=run,
                    department=department,
                    item=item,
                    item_name=item.name,
                    basis=item.basis,
                    method=item.method,
                    points=item.points,
                    cap=item.cap,
                    weight=item.weight,
                    events=len(events),
                    amount=amount(item, events),
                    ordering=item.ordering,
                )
            )
            evidence_of.append(events)
    lines = Line.objects.bulk_create(lines)
    _sealed(Line, lines)
    evidence = [
        Evidence(
            line=line,
            source=event.source,
            source_id=event.source_id,
            on=event.on,
            label=event.label,
            value=event.value,
        )
        for line, events in zip(lines, evidence_of, strict=True)
        for event in events
    ]
    _sealed(Evidence, Evidence.objects.bulk_create(evidence, batch_size=2000))
    return lines


def _sealed(model, rows) -> None:
    if rows:
        audit_signals.rows_appended.send(
            sender=model, pks=[row.pk for row in rows], using=rows[0]._state.db
        )
