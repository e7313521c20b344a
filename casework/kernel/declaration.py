"""How a procedure declares itself: each transition once, and everything else derived.

A procedure is the object it works on (a model with a protected ``FSMField`` named
``state``, a ``version`` and the day of its ``last_act_on``), its policy (who may act, who
may see), and two lists:

* **steps** — every act a person may take on the object: a *state change* (a django-fsm
  transition of the model, whose source and target states are read from the model) or a
  *recording* (a fact recorded without changing the state, open in the states it names).
  Each step says who may take it, its payload, its label, whether it is irreversible, the
  legal rule that must hold when it is taken (its *guard*), its handler and the law it
  implements;
* **tasks** — for every open state, the one task that state calls for in someone's inbox:
  who is expected to act and, where the law names one person, to whom it goes.

From these the kernel derives the permission checks of the pipeline, the forms of the task
screens, the API's transitions, ``available_transitions``, the labels, the flows' task
nodes, the state diagrams and the article map in ``docs/``. ``Procedure.problems()`` says
where a declaration and the model's state machine disagree; a test asks it of every
procedure.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from casework.audit.history import stamp_history_of
from casework.exceptions import NotAllowed, ServiceError

from . import clock


class Actor:
    """Who may act: a named predicate ``test(user, obj, day)`` of a procedure's policy.

    ``obj`` may be None when the answer does not depend on the object (``per_object`` is
    then False): the flows ask such an actor whether a person may claim a queue's tasks.
    ``scope`` (for actors bound to a unit, such as a receiving organ) maps an object to the
    unit its task is queued for, ``scopes_of`` a person to the units they act for, and
    ``scope_name`` an object to the name of its unit.
    """

    def __init__(
        self,
        key: str,
        label,
        test: Callable[[Any, Any, datetime.date | None], bool],
        *,
        per_object: bool = False,
        scope: Callable[[Any], Any] | None = None,
        scopes_of: Callable[[Any], set] | None = None,
        scope_name: Callable[[Any], str] | None = None,
    ):
        self.key = key
        self.label = label
        self.test = test
        self.per_object = per_object or scope is not None
        self.scope = scope
        self.scopes_of = scopes_of
        self.scope_name = scope_name

    def queue_name(self, obj) -> str:
        """How a page names the queue a task of ``obj`` waits in: the actor, or its unit."""
        if self.scope_name is not None and obj is not None:
            return self.scope_name(obj)
        return str(self.label)

    def __call__(self, user, obj=None, day=None) -> bool:
        try:
            return self.check(user, obj, day)
        except NotAllowed:
            return False

    def check(self, user, obj=None, day=None) -> bool:
        """Whether ``user`` may act; a test may instead raise ``NotAllowed`` with the
        precise reason (never one's own request), which the pipeline passes on."""
        if user is None or not user.is_authenticated:
            return False
        return bool(self.test(user, obj, day))

    def __or__(self, other: "Actor") -> "Actor":
        return Actor(
            f"{self.key}|{other.key}",
            f"{self.label}、{other.label}",
            lambda user, obj, day: self(user, obj, day) or other(user, obj, day),
            per_object=self.per_object or other.per_object,
        )

    def __repr__(self):
        return f"<Actor {self.key}>"


# guard(obj, day, actor) → the refusal, or None.
Guard = Callable[[Any, datetime.date, Any], ServiceError | None]


@dataclass(frozen=True)
class Step:
    """One act on the object (see the module's docstring)."""

    name: str
    label: Promise | str
    payload: type
    by: Actor
    handler: Callable
    cites: tuple[str, ...]
    irreversible: bool = False
    # The step issues a numbered document: its screen offers a preview of it before it is
    # taken (an irreversible step always does).
    issues_documents: bool = False
    # A recording: the states it is open in. None: a state change (the FSM says from where).
    during: frozenset | None = None
    # The legal rule that must hold on the day of the act (a window, a prior record, a
    # running deadline of the actor's): the refusal it returns, or None. Asked in the
    # pipeline under the row lock, and when listing what a person may do now.
    guard: Guard | None = None
    # Payload fields offered only to another actor (e.g. admitting a late request).
    fields_for: dict[str, Actor] = field(default_factory=dict)

    @property
    def changes_state(self) -> bool:
        return self.during is None


@dataclass(frozen=True)
class Task:
    """The one task an open state calls for: who is expected to act (a queue anyone of
    ``by`` may claim), and to whom it goes directly when the law names one person."""

    state: str
    node: str
    title: Promise | str
    by: Actor
    cites: tuple[str, ...] = ()
    # The person the task goes to (their inbox), or None: it waits in ``by``'s queue.
    assign: Callable[[Any], Any] | None = None


class Procedure:
    """A declared procedure (see the module's docstring)."""

    def __init__(
        self,
        *,
        name: str,
        title,
        law: str,
        model,
        policy,
        steps: list[Step],
        tasks: list[Task],
        openings: dict[str, Any],
        messages: dict[str, Any],
        describe: Callable[[Any], str],
        lock_related: tuple[str, ...] = (),
    ):
        self.name = name
        self.title = title
        self.law = law
        self.model = model
        self.policy = policy
        self.steps = {step.name: step for step in steps}
        self.tasks = {task.state: task for task in tasks}
        # History actions that are not steps: how an object comes into being.
        self.openings = openings
        # The pipeline's refusals in this procedure's words: cannot_view, not_allowed,
        # stale, wrong_state, before_last_act, unknown_step.
        self.messages = messages
        # How a message or a list names one object ("案件 南府问〔2026〕3号", "投诉第5号").
        self.describe = describe
        self.lock_related = lock_related
        self._fsm = None

    def __repr__(self):
        return f"<Procedure {self.name}>"

    # --- the state machine, read from the model ---------------------------------------------

    @property
    def states(self) -> dict[str, Any]:
        """Every state, in declaration order, with its label."""
        return dict(self.model._meta.get_field("state").choices)

    def fsm(self) -> dict[str, tuple[set, str]]:
        """transition name → (source states, target state), from the model's methods."""
        if self._fsm is None:
            machine: dict[str, tuple[set, str]] = {}
            field_ = self.model._meta.get_field("state")
            for transition in field_.get_all_transitions(self.model):
                sources, _target = machine.setdefault(transition.name, (set(), transition.target))
                sources.add(transition.source)
            self._fsm = machine
        return self._fsm

    def sources(self, step: Step) -> set:
        if step.during is not None:
            return set(step.during)
        return self.fsm().get(step.name, (set(), None))[0]

    def target(self, step: Step) -> str | None:
        if step.during is not None:
            return None
        return self.fsm().get(step.name, (set(), None))[1]

    @property
    def final_states(self) -> list[str]:
        """Open states call for a task; the others end the object's procedure."""
        return [state for state in self.states if state not in self.tasks]

    # --- steps ---------------------------------------------------------------------------------

    def step(self, name: str) -> Step | None:
        return self.steps.get(name)

    def label(self, name: str) -> str:
        step = self.steps.get(name)
        if step is not None:
            return str(step.label)
        return str(self.openings.get(name, name))

    def open_in(self, step: Step, state: str) -> bool:
        return state in self.sources(step)

    def refusal(self, step: Step, obj, day, actor) -> ServiceError | None:
        """The guard's refusal of ``step`` on ``obj`` on ``day`` by ``actor`` (None: the law
        allows it)."""
        return step.guard(obj, day, actor) if step.guard is not None else None

    def available(self, user, obj, day: datetime.date | None = None, *, guards=True) -> list:
        """What ``user`` may do on ``obj`` now: open in its state, theirs to do, and allowed
        by the law on ``day`` (default today). ``guards=False``: what they may attempt —
        the pipeline then says which rule refuses it (a screen shows that refusal)."""
        day = day or clock.today()
        if not self.policy.can_view(user, obj):
            return []
        return [
            step.name
            for step in self.steps.values()
            if self.open_in(step, obj.state)
            and step.by(user, obj, day)
            and (not guards or self.refusal(step, obj, day, user) is None)
        ]

    def task_for(self, state: str) -> Task | None:
        return self.tasks.get(state)

    def actors(self) -> dict[str, Actor]:
        """Every actor the declaration names, by key."""
        found: dict[str, Actor] = {}
        for step in self.steps.values():
            found.setdefault(step.by.key, step.by)
            for actor in step.fields_for.values():
                found.setdefault(actor.key, actor)
        for task in self.tasks.values():
            found.setdefault(task.by.key, task.by)
        return found

    # --- the check a test makes -------------------------------------------------------------

    def problems(self) -> list[str]:
        """Where the declaration and the model's state machine disagree (empty: none)."""
        problems = []
        machine = self.fsm()
        states = set(self.states)
        for name in machine:
            if name not in self.steps:
                problems.append(f"{self.name}: transition {name} of the model is not declared")
        for step in self.steps.values():
            if step.changes_state and step.name not in machine:
                problems.append(f"{self.name}: step {step.name} is no transition of the model")
            if step.during is not None and not set(step.during) <= states:
                problems.append(f"{self.name}: step {step.name} names unknown states")
            for part in ("label", "payload", "by", "handler"):
                if not getattr(step, part):
                    problems.append(f"{self.name}: step {step.name} lacks its {part}")
            if not step.cites:
                problems.append(f"{self.name}: step {step.name} cites no law")
            if step.changes_state and not any(s in self.tasks for s in self.sources(step)):
                problems.append(f"{self.name}: step {step.name} starts from no open state")
        for state, task in self.tasks.items():
            if state not in states:
                problems.append(f"{self.name}: task {task.node} for unknown state {state}")
            if not task.cites:
                problems.append(f"{self.name}: task {task.node} cites no law")
        nodes = [task.node for task in self.tasks.values()]
        if len(nodes) != len(set(nodes)):
            problems.append(f"{self.name}: two states share a task node")
        for state in self.tasks:
            if not any(s.changes_state and state in self.sources(s) for s in self.steps.values()):
                problems.append(f"{self.name}: open state {state} has no step leaving it")
        for state in self.final_states:
            if any(
                step.changes_state and state in self.sources(step) and self.target(step) != state
                for step in self.steps.values()
            ):
                problems.append(f"{self.name}: state {state} is left by a step but has no task")
        return problems


_REGISTRY: dict[str, Procedure] = {}


def register(procedure: Procedure) -> Procedure:
    """Make ``procedure`` known to the layers above (flows, docs) and stamp its history rows
    with the act, the state before and the address (``casework.audit.history``)."""
    _REGISTRY[procedure.name] = procedure
    stamp_history_of(procedure.model)
    return procedure


def procedures() -> list[Procedure]:
    return list(_REGISTRY.values())


def procedure(name: str) -> Procedure:
    return _REGISTRY[name]
