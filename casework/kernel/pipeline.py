"""The one path that changes an object of a procedure.

``transition(procedure, obj, name, actor, data)``:

1. the step is declared, and the actor may see the object (else 403 / the API's 404);
2. the actor may take the step — asked before the body is read, so that someone who may not
   act learns nothing from the validation of their body — on the day the body claims;
3. the payload (the step's serializer) → 400 naming the field; the day of the act ``on``
   (default today, never in the future), and the permission again on that day;
4. under the object's row lock: the version (``If-Match``) and the state → 409; the day of
   the act not before the previous act → 400; the step's guard (a window, a prior record)
   → its refusal, usually 422;
5. the step's handler: the django-fsm method, deadlines opened and closed, documents issued;
6. the object's version and day of its last act; history (who, which act, from which state,
   why, from where); the ``transitioned`` signal, inside the transaction.

A refusal changes nothing. A refusal that the law wants on the record (a late filing)
carries ``record``: it is written after the refused transaction has rolled back.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction

from casework.audit.history import acting, stamp
from casework.exceptions import (
    InvalidInput,
    NotAllowed,
    ServiceError,
    WrongState,
    act_day,
    claimed_day,
    is_stale,
    validated,
)

from . import clock, signals
from .declaration import Procedure, Step


@dataclass
class Act:
    """What a handler receives: the locked object, who acts, the validated body, the day of
    the act, the reason for the history, the address."""

    obj: object
    actor: object
    data: dict
    on: datetime.date
    reason: str
    step: Step
    procedure: Procedure
    ip: str | None = None

    @property
    def label(self) -> str:
        return str(self.step.label)


def check_may(procedure: Procedure, step: Step, obj, actor, day) -> None:
    """Steps 1–2: the object is visible to the actor and the step is theirs to take."""
    messages = procedure.messages
    if not procedure.policy.can_view(actor, obj):
        raise NotAllowed(str(messages["cannot_view"]))
    if not step.by.check(actor, obj, day):
        raise NotAllowed(str(messages["not_allowed"]) % {"action": step.label})


def transition(
    procedure: Procedure,
    obj,
    name: str,
    actor,
    data=None,
    *,
    reason: str = "",
    if_match=None,
    ip=None,
):
    """Take step ``name`` of ``procedure`` on ``obj`` as ``actor`` (see the module)."""
    messages = procedure.messages
    step = procedure.step(name)
    if step is None:
        raise InvalidInput(str(messages["unknown_step"]) % {"name": name}, {"name": [name]})
    check_may(procedure, step, obj, actor, claimed_day(data))
    payload = validated(step.payload, data if data is not None else {})
    on = act_day(payload, clock.today())
    check_may(procedure, step, obj, actor, on)
    # The history's reason: the note given, else the act's own reason (理由), else its label.
    reason = reason or str(payload.get("reason") or "")
    try:
        # The record's lock first (history.acting), then the object's row; whatever the act
        # writes (deadlines, documents, decisions, the flow's tasks) records its address.
        with transaction.atomic(), acting(ip, reason or str(step.label)):
            locked = (
                # Lock the object's row only: PostgreSQL refuses to lock the nullable side
                # of an outer join.
                procedure.model.objects.select_for_update(of=("self",))
                .select_related(*procedure.lock_related)
                .get(pk=obj.pk)
            )
            if is_stale(if_match, locked.version):
                raise WrongState(str(messages["stale"]) % {"version": locked.version})
            if not procedure.open_in(step, locked.state):
                raise WrongState(
                    str(messages["wrong_state"])
                    % {"state": locked.get_state_display(), "action": step.label}
                )
            if on < locked.last_act_on:
                message = str(messages["before_last_act"]) % {"date": locked.last_act_on}
                raise InvalidInput(message, {"on": [message]})
            refusal = procedure.refusal(step, locked, on, actor)
            if refusal is not None:
                raise refusal
            from_state = locked.state
            act = Act(locked, actor, payload, on, reason, step, procedure, ip)
            step.handler(act)
            locked.version += 1
            locked.last_act_on = on
            stamp(locked, actor, name, from_state, reason or str(step.label), ip)
            locked.save()
            signals.transitioned.send(
                sender=procedure, obj=locked, actor=actor, step=step, from_state=from_state
            )
    except ServiceError as refusal:
        if refusal.record is not None:
            with transaction.atomic():
                refusal.record()
        raise
    return locked


def save_new(procedure: Procedure, obj, actor, action: str, reason: str = "", ip=None):
    """Save a new object of ``procedure`` (its registration) with its first history row. The
    caller, inside its transaction, then sets what needs the primary key and calls
    ``announce_opened``."""
    stamp(obj, actor, action, "", reason or procedure.label(action), ip)
    obj.save()
    return obj


def announce_opened(procedure: Procedure, obj, actor) -> None:
    """Tell the layers above that ``obj`` exists (the flow opens its first task)."""
    signals.opened.send(sender=procedure, obj=obj, actor=actor)
