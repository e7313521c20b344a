"""In-process items (在办事项) reported by client systems: a batch of events in, each item's
state and deadline out (Quzhou part 3 (1) and (3): the approval systems send their items in
real time; Xinxiang warning art. 4 (三) and art. 5: a promised time limit missed is warned
like any other).

``ingest(client, events)``:

1. each event is checked on its own; a bad one is refused with its index and the reason, the
   others go on;
2. under a lock on the client system's row (one batch of a client at a time; different
   clients in parallel), an idempotency key already stored with the same content is a
   duplicate (nothing changes), with other content a refusal; an event naming another
   department than its item's is refused;
3. the new events are inserted; every item they touch is **recomputed from all its events in
   the order of** ``at`` (so an event arriving late or out of order lands where it belongs);
4. the item's deadline (kind ``interface_item``, the department responsible) is created or
   brought in line, with a history row saying which event moved it; a state change of an
   item is an event for other systems (the outbox) — all in one transaction.

The clock (the rulings of docs/interface.md): the promised working days run from the day of
acceptance (受理), counted as every period is; a suspension for correction (补正) stops the
clock, and on resumption the due date moves by the working days paused
(``deadlines.lifecycle.paused_working_days``, the rule by which a suspended execution
resumes); the decision (or, without one, the completion) meets the deadline.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.deadlines import services as deadlines
from casework.deadlines.models import Deadline, Kind
from casework.org.models import Department
from casework.workcalendar import periods
from casework.workcalendar.services import CALENDAR_START

from . import outbox
from .bulk import create_rows_with_history, update_rows, update_rows_with_history
from .models import ClientSystem, EventKind, EventType, Item, ItemEvent, ItemState, Topic

FIELDS = (
    "idempotency_key",
    "item_id",
    "department",
    "matter_type",
    "promised_working_days",
    "event",
    "at",
)
# On the same moment an earlier kind of the item's life is applied first.
LIFE_ORDER = {kind: index for index, kind in enumerate(EventKind.values)}
MAX_PROMISED_DAYS = 3650
# A sending system's clock may run a little ahead of ours.
CLOCK_SKEW = datetime.timedelta(minutes=5)


@dataclass
class Refusal:
    index: int
    error: str
    detail: str
    fields: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "index": self.index,
            "error": self.error,
            "detail": self.detail,
            "fields": self.fields,
        }


@dataclass
class Result:
    accepted: int = 0
    duplicates: int = 0
    refused: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "accepted": self.accepted,
            "duplicates": self.duplicates,
            "refused": [refusal.as_dict() for refusal in sorted(self.refused, key=_index)],
        }


def _index(refusal):
    return refusal.index


@dataclass
class Clean:
    """One event as checked."""

    index: int
    key: str
    item_id: str
    department: Department
    matter_type: str
    promised: int
    event: str
    at: datetime.datetime
    digest: str


# --- 1. each event on its own ---------------------------------------------------------------


def _text(raw, name, limit=128):
    value = raw.get(name)
    if not isinstance(value, str) or not value.strip():
        return None, _("必须是非空字符串。")
    if len(value.strip()) > limit:
        return None, _("不能超过%(n)s个字符。") % {"n": limit}
    return value.strip(), None


def check(index, raw, departments, now) -> Clean | Refusal:
    """One event, checked without the database (``departments``: code → Department)."""
    if not isinstance(raw, dict):
        return Refusal(index, "invalid", _("事件必须是 JSON 对象。"))
    errors = {}
    values = {}
    for name in ("idempotency_key", "item_id", "department", "matter_type"):
        values[name], error = _text(raw, name)
        if error:
            errors[name] = [error]
    days = raw.get("promised_working_days")
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_PROMISED_DAYS:
        errors["promised_working_days"] = [
            _("必须是 1 至 %(max)s 之间的整数。") % {"max": MAX_PROMISED_DAYS}
        ]
    kind = raw.get("event")
    if kind not in LIFE_ORDER:
        errors["event"] = [
            _("必须是以下之一：%(kinds)s。") % {"kinds": "、".join(EventKind.values)}
        ]
    at = _moment(raw.get("at"), now, errors)
    department = departments.get(values.get("department"))
    if values.get("department") and department is None:
        errors["department"] = [_("没有该部门：%(code)s") % {"code": values["department"]}]
    unknown = sorted(set(raw) - set(FIELDS))
    if unknown:
        errors["non_field_errors"] = [_("未知字段：%(names)s") % {"names": "、".join(unknown)}]
    if errors:
        return Refusal(index, "invalid", _("事件内容有误，请检查标出的字段。"), errors)
    canonical = [
        values["item_id"],
        department.code,
        values["matter_type"],
        days,
        kind,
        at.astimezone(datetime.UTC).isoformat(),
    ]
    digest = hashlib.sha256(json.dumps(canonical, ensure_ascii=False).encode()).hexdigest()
    return Clean(
        index,
        values["idempotency_key"],
        values["item_id"],
        department,
        values["matter_type"],
        days,
        kind,
        at,
        digest,
    )


def _moment(value, now, errors):
    if not isinstance(value, str):
        errors["at"] = [_("必须是带时区的 ISO 8601 时间。")]
        return None
    try:
        at = datetime.datetime.fromisoformat(value)
    except ValueError:
        errors["at"] = [_("必须是带时区的 ISO 8601 时间。")]
        return None
    if at.tzinfo is None:
        errors["at"] = [_("必须带时区，如 2026-03-02T09:30:00+08:00。")]
        return None
    if timezone.localdate(at) < CALENDAR_START:
        errors["at"] = [_("工作日历从 2004-01-01 开始，不能计算更早的日期。")]
        return None
    if at > now + CLOCK_SKEW:
        errors["at"] = [_("不能晚于当前时间。")]
        return None
    return at


# --- 3. an item recomputed from its events --------------------------------------------------


class Reported(NamedTuple):
    """An event as the recomputation reads it."""

    pk: int
    item_id: int
    event: str
    at: datetime.datetime
    matter_type: str
    promised_working_days: int


@dataclass
class Facts:
    """What an item's events say, applied in the order of ``at``."""

    state: str = ItemState.RECEIVED
    received_at: datetime.datetime | None = None
    accepted_at: datetime.datetime | None = None
    decided_at: datetime.datetime | None = None
    completed_at: datetime.datetime | None = None
    suspended_on: datetime.date | None = None
    paused: int = 0
    last_at: datetime.datetime | None = None
    last_kind: str = ""
    matter_type: str = ""
    promised: int = 0


def fold(events, paused_between) -> Facts:
    """The item after ``events`` (in any order), applied by ``at`` (on the same moment, in
    the order of an item's life). An event that does not fit where it lands changes
    nothing (a resumption without a suspension, a suspension after the decision): the next
    event to arrive may well make it fit."""
    facts = Facts()
    for event in sorted(events, key=lambda e: (e.at, LIFE_ORDER[e.event], e.pk or 0)):
        day = timezone.localdate(event.at)
        kind = event.event
        finished = facts.state in (ItemState.DECIDED, ItemState.COMPLETED)
        if kind == EventKind.RECEIVED:
            facts.received_at = facts.received_at or event.at
        elif kind == EventKind.ACCEPTED:
            if facts.accepted_at is None:
                facts.accepted_at = event.at
                if facts.state == ItemState.RECEIVED:
                    facts.state = ItemState.ACCEPTED
        elif kind == EventKind.SUSPENDED:
            if facts.state == ItemState.ACCEPTED:
                facts.state, facts.suspended_on = ItemState.SUSPENDED, day
        elif kind == EventKind.RESUMED:
            if facts.state == ItemState.SUSPENDED:
                facts.paused += paused_between(facts.suspended_on, day)
                facts.state, facts.suspended_on = ItemState.ACCEPTED, None
        elif kind == EventKind.DECIDED:
            if not finished:
                facts.decided_at = event.at
                facts.state, facts.suspended_on = ItemState.DECIDED, None
        elif kind == EventKind.COMPLETED:
            if facts.state != ItemState.COMPLETED:
                facts.completed_at = event.at
                facts.state, facts.suspended_on = ItemState.COMPLETED, None
        facts.last_at, facts.last_kind = event.at, kind
        facts.matter_type, facts.promised = event.matter_type, event.promised_working_days
    return facts


class Calendar:
    """The period computations of one batch: the pauses each asked once (a batch's items
    mostly share their days), the due dates all at once (``periods.add_working_days_many``)."""

    def __init__(self):
        self.paused = lru_cache(maxsize=None)(deadlines.paused_working_days)
        self.periods = {}

    def prepare(self, pairs):
        self.periods = periods.add_working_days_many(pairs)

    def add(self, start, days):
        if (start, days) not in self.periods:
            self.periods[(start, days)] = periods.add_working_days(start, days)
        return self.periods[(start, days)]


def period_asked(facts) -> tuple | None:
    """The (start, working days) of the item's deadline, None before acceptance."""
    if facts.accepted_at is None:
        return None
    return timezone.localdate(facts.accepted_at), facts.promised + facts.paused


def description_of(item, facts) -> str:
    return _("%(item)s %(matter)s（承诺%(days)s个工作日）") % {
        "item": item.item_id,
        "matter": facts.matter_type,
        "days": facts.promised,
    }


def deadline_values(item, facts, calendar) -> dict | None:
    """The deadline the item's events call for; None before acceptance. The working days
    stored are the promised ones plus those paused, from the day of acceptance: the due date
    each resumption gives (working-day ordinals add up), and the one a recount after a
    change of the calendar finds again."""
    asked = period_asked(facts)
    if asked is None:
        return None
    start, days = asked
    period = calendar.add(start, days)
    done = facts.decided_at or facts.completed_at
    return {
        "description": description_of(item, facts)[:255],
        "responsible_unit_id": item.department_id,
        "start_date": start,
        "working_days": days,
        "due": period.due,
        "provisional": period.provisional,
        "suspended_on": facts.suspended_on if done is None else None,
        "done_at": done,
    }


DEADLINE_FIELDS = [
    "description",
    "responsible_unit_id",
    "start_date",
    "working_days",
    "due",
    "provisional",
    "suspended_on",
    "done_at",
]
ITEM_FIELDS = [
    "state",
    "received_at",
    "accepted_at",
    "decided_at",
    "completed_at",
    "paused_working_days",
    "last_event_at",
    "matter_type",
    "promised_working_days",
    "deadline",
    "updated_at",
]


def item_data(item, from_state=None) -> dict:
    """An item as other systems read it (``events:items``)."""
    deadline = item.deadline
    return {
        "system": item.client.name,
        "item_id": item.item_id,
        "department": item.department.code,
        "matter_type": item.matter_type,
        "promised_working_days": item.promised_working_days,
        "state": item.state,
        "state_name": str(ItemState(item.state).label),
        "from_state": from_state,
        "at": timezone.localtime(item.last_event_at).isoformat() if item.last_event_at else None,
        "due": deadline.due.isoformat() if deadline else None,
        "suspended_on": deadline.suspended_on.isoformat()
        if deadline and deadline.suspended_on
        else None,
        "paused_working_days": item.paused_working_days,
    }


# --- the batch ------------------------------------------------------------------------------


def ingest(client: ClientSystem, events: list, now=None) -> Result:
    """Apply a batch of events of ``client`` (see the module)."""
    now = now or timezone.now()
    result = Result()
    codes = {raw.get("department") for raw in events if isinstance(raw, dict)}
    departments = {
        d.code: d
        for d in Department.objects.filter(code__in=[c for c in codes if isinstance(c, str)])
    }
    checked = []
    for index, raw in enumerate(events):
        outcome = check(index, raw, departments, now)
        (result.refused if isinstance(outcome, Refusal) else checked).append(outcome)
    if not checked:
        return result
    with transaction.atomic():
        # One batch of a client at a time: keys and items are then read and written
        # without a race (another client's batch runs in parallel).
        ClientSystem.objects.select_for_update().filter(pk=client.pk).first()
        fresh = _new_events(client, checked, result)
        items = _items_for(client, fresh, result)
        fresh = [clean for clean in fresh if clean.item_id in items]
        if not fresh:
            return result
        ItemEvent.objects.bulk_create(
            [
                ItemEvent(
                    client=client,
                    item=items[clean.item_id],
                    idempotency_key=clean.key,
                    digest=clean.digest,
                    event=clean.event,
                    at=clean.at,
                    matter_type=clean.matter_type,
                    promised_working_days=clean.promised,
                    received_at=now,
                )
                for clean in fresh
            ]
        )
        result.accepted = len(fresh)
        touched = {items[clean.item_id].pk: items[clean.item_id] for clean in fresh}
        recompute(client, touched, now)
    return result


def _new_events(client, checked, result) -> list:
    """The events not seen before: a key stored (or repeated in the batch) with the same
    content is a duplicate, with other content a refusal."""
    stored = dict(
        ItemEvent.objects.filter(
            client=client, idempotency_key__in=[clean.key for clean in checked]
        )
        .order_by()
        .values_list("idempotency_key", "digest")
    )
    fresh = []
    for clean in checked:
        digest = stored.get(clean.key)
        if digest is None:
            stored[clean.key] = clean.digest
            fresh.append(clean)
        elif digest == clean.digest:
            result.duplicates += 1
        else:
            result.refused.append(
                Refusal(
                    clean.index,
                    "conflict",
                    _("该幂等键已用于内容不同的另一事件。"),
                    {"idempotency_key": [clean.key]},
                )
            )
    return fresh


def _items_for(client, fresh, result) -> dict:
    """item_id → Item, created for the ids not seen before; an event naming another
    department than its item's is refused (an item belongs to one department)."""
    ids = {clean.item_id for clean in fresh}
    items = {
        item.item_id: item
        for item in Item.objects.filter(client=client, item_id__in=ids)
        .select_related("deadline", "department")
        .order_by()
    }
    new = {}
    for clean in fresh:
        if clean.item_id not in items and clean.item_id not in new:
            new[clean.item_id] = Item(
                client=client,
                item_id=clean.item_id,
                department=clean.department,
                matter_type=clean.matter_type,
                promised_working_days=clean.promised,
            )
    for item in Item.objects.bulk_create(new.values()):
        item._new = True
        items[item.item_id] = item
    for item in items.values():
        item.client = client  # named in the events for other systems
    for clean in list(fresh):
        item = items[clean.item_id]
        if item.department_id != clean.department.pk:
            result.refused.append(
                Refusal(
                    clean.index,
                    "conflict",
                    _("该办件已由%(unit)s承办，不能改为其他单位。")
                    % {"unit": item.department.name},
                    {"department": [clean.department.code]},
                )
            )
            fresh.remove(clean)
    return items


def recompute(client, touched: dict, now) -> None:
    """Each touched item from all its events: its state, its deadline, and an event for
    other systems when its state changed."""
    calendar = Calendar()
    by_item: dict[int, list] = {pk: [] for pk in touched}
    for event in (
        ItemEvent.objects.filter(item_id__in=list(touched))
        .order_by()
        .values_list("pk", "item_id", "event", "at", "matter_type", "promised_working_days")
    ):
        by_item[event[1]].append(Reported(*event))
    new_deadlines, changed_deadlines, outgoing = [], [], []
    facts_of = {pk: fold(by_item[pk], calendar.paused) for pk in touched}
    calendar.prepare({period_asked(facts) for facts in facts_of.values()} - {None})
    for pk, item in touched.items():
        facts = facts_of[pk]
        from_state = None if getattr(item, "_new", False) else item.state
        reason = _("%(system)s报送：%(event)s") % {
            "system": client.name,
            "event": EventKind(facts.last_kind).label,
        }
        target = deadline_values(item, facts, calendar)
        if target is not None:
            deadline = item.deadline
            if deadline is None:
                deadline = Deadline(kind=Kind.INTERFACE_ITEM, **target)
                deadline._change_reason = reason
                new_deadlines.append((item, deadline))
            elif any(getattr(deadline, name) != value for name, value in target.items()):
                if deadline.due != target["due"]:
                    deadline.warned = ""  # a new due date warns again
                for name, value in target.items():
                    setattr(deadline, name, value)
                deadline._change_reason = reason
                changed_deadlines.append(deadline)
        item.state = facts.state
        item.received_at, item.accepted_at = facts.received_at, facts.accepted_at
        item.decided_at, item.completed_at = facts.decided_at, facts.completed_at
        item.paused_working_days = facts.paused
        item.last_event_at = facts.last_at
        item.matter_type, item.promised_working_days = facts.matter_type, facts.promised
        item.updated_at = now
        if from_state != item.state:
            outgoing.append((item, from_state))
    if new_deadlines:
        created = create_rows_with_history(Deadline, [d for _, d in new_deadlines])
        for (item, _deadline), deadline in zip(new_deadlines, created, strict=True):
            item.deadline = deadline
    update_rows_with_history(Deadline, changed_deadlines, [*DEADLINE_FIELDS, "warned"])
    update_rows(Item, touched.values(), ITEM_FIELDS)
    outbox.record_many(
        [
            (
                EventType.OPENED if from_state is None else EventType.STATE_CHANGE,
                Topic.ITEMS,
                f"item:{item.pk}",
                item_data(item, from_state),
            )
            for item, from_state in outgoing
        ]
    )
