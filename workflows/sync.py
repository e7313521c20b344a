"""The flows follow the procedures: the kernel's signals open a process for a new object and
complete its task when a step changes its state; a check proves that every object's open
tasks are exactly those its state calls for, and a repair restarts a process that drifted.

The receivers run inside the pipeline's transaction: a task and its object's state are
committed together or not at all.
"""

import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from . import artifacts
from .artifacts import OPEN
from .flows import FLOWS
from .permissions import permission_name

logger = logging.getLogger(__name__)


def flow_of(procedure):
    return FLOWS[procedure.name]


def process_for(procedure, obj):
    """The object's process: the latest one not cancelled (a repair cancels and restarts)."""
    return artifacts.process_for(flow_of(procedure), obj)


def open_task(procedure, obj):
    """The object's open human task, or None (finished, or the workflow needs repair)."""
    return artifacts.open_task(process_for(procedure, obj))


def start(procedure, obj, actor):
    """Start the object's process: the router opens the task of its first state. ``actor``
    is None for a citizen's complaint from the portal."""
    return flow_of(procedure).start.run(obj=obj, actor=actor)


def object_opened(sender, obj, actor, **kwargs):
    start(sender, obj, actor)


def step_taken(sender, obj, actor, step, from_state, **kwargs):
    """A state change: complete the object's open task (whoever holds it — the declaration
    allowed the act, the task only says who was expected to act) as done by ``actor``; the
    router then opens the task of the new state, or ends the process. A recording leaves
    the state, and so the task, as it was."""
    if not step.changes_state:
        return
    process = process_for(sender, obj)
    tasks = list(artifacts.open_tasks(process).order_by("id")) if process is not None else []
    if len(tasks) != 1:
        # Someone changed the tasks by hand (check_workflow reports it): start afresh from
        # the object's state rather than refuse an act the law allows.
        logger.warning(
            "%s %s: %d open tasks before %s; restarting its process",
            sender.name,
            obj.pk,
            len(tasks),
            step.name,
        )
        restart(sender, obj, actor)
        return
    artifacts.complete(tasks[0], actor, step.name)


def restart(procedure, obj, actor):
    """Cancel the object's process (if any) and start a new one at the object's state."""
    with transaction.atomic():
        process = process_for(procedure, obj)
        if process is not None:
            flow_of(procedure).instance.cancel(process)
        start(procedure, obj, actor)


# ---------------------------------------------------------------------------------------
# The check: for every object, the open tasks are exactly those its state calls for
# ---------------------------------------------------------------------------------------


def _holders_of_scopes(actor) -> set:
    """Every unit some active person acts for (an organ with no account cannot act)."""
    held = set()
    for user in get_user_model().objects.filter(is_active=True).select_related("official"):
        held |= set(actor.scopes_of(user))
    return held


def check_consistency(procedure, objects=None) -> list[str]:
    """Problems found, one line each (empty: consistent). An open object: one live process
    with exactly one open human task, of the node its state calls for, waiting in the queue
    the declaration names (the unit's queue for a unit's task) and held, if by anyone, by
    someone who may act. A finished object: no open task, process done. A fixed number of
    queries, plus one per unit-bound queue."""
    flow = flow_of(procedure)
    live = artifacts.live_processes(flow, procedure.model, objects)
    processes: dict[int, list] = {}
    for process in live.order_by("id"):
        processes.setdefault(process.artifact_object_id, []).append(process)
    tasks: dict[int, list] = {}
    for task in (
        Task.objects.filter(process__in=live.values("pk"), status__in=(*OPEN, STATUS.ERROR))
        .select_related("owner__official")
        .order_by("id")
    ):
        tasks.setdefault(task.process_id, []).append(task)
    objects = objects if objects is not None else procedure.model.objects.all()
    held_scopes = {}

    problems = []
    for obj in objects.select_related(*procedure.lock_related).order_by("pk"):
        name = procedure.describe(obj)
        found = processes.get(obj.pk, [])
        if not found:
            problems.append(_("%(object)s：没有流程。") % {"object": name})
            continue
        if len(found) > 1:
            problems.append(
                _("%(object)s：有 %(count)s 个未撤销的流程。")
                % {"object": name, "count": len(found)}
            )
        process = found[-1]
        pending = tasks.get(process.pk, [])
        human = [t for t in pending if t.status != STATUS.ERROR and t.flow_task_type == "HUMAN"]
        for task in pending:
            if task.status == STATUS.ERROR:
                problems.append(
                    _("%(object)s：环节 %(task)s 出错。")
                    % {"object": name, "task": task.flow_task.name}
                )
        expected = procedure.task_for(obj.state)
        if expected is None:
            if human:
                problems.append(
                    _("%(object)s %(finished)s，仍有待办环节：%(tasks)s。")
                    % {
                        "object": name,
                        "finished": procedure.messages["finished"],
                        "tasks": "、".join(t.flow_task.name for t in human),
                    }
                )
            if process.status != PROCESS.DONE:
                problems.append(
                    _("%(object)s %(finished)s，流程未结束。")
                    % {"object": name, "finished": procedure.messages["finished"]}
                )
            continue
        if len(human) != 1:
            problems.append(
                _("%(object)s（%(state)s）：应有 1 个待办环节 %(expected)s，实有 %(count)s 个。")
                % {
                    "object": name,
                    "state": obj.state,
                    "expected": expected.node,
                    "count": len(human),
                }
            )
            continue
        task = human[0]
        if task.flow_task.name != expected.node:
            problems.append(
                _("%(object)s（%(state)s）：待办环节应为 %(expected)s，实为 %(actual)s。")
                % {
                    "object": name,
                    "state": obj.state,
                    "expected": expected.node,
                    "actual": task.flow_task.name,
                }
            )
            continue
        actor = expected.by
        scope = actor.scope(obj) if actor.scope is not None else None
        if task.owner_permission != permission_name(procedure, actor, scope):
            problems.append(
                _("%(object)s：待办环节 %(task)s 不在%(actor)s的待办队列中。")
                % {"object": name, "task": task.flow_task.name, "actor": actor.label}
            )
        if task.owner_id is not None:
            assignee = expected.assign(obj) if expected.assign is not None else None
            if task.owner_id != getattr(assignee, "pk", None) and not actor(task.owner, obj):
                problems.append(
                    _("%(object)s：待办环节 %(task)s 的办理人不能办理该环节。")
                    % {"object": name, "task": task.flow_task.name}
                )
        elif scope is not None:
            if actor.key not in held_scopes:
                held_scopes[actor.key] = _holders_of_scopes(actor)
            if scope not in held_scopes[actor.key]:
                problems.append(
                    _("%(object)s：%(actor)s没有可以办理的系统账号。")
                    % {"object": name, "actor": actor.label}
                )
    return problems


def repair(procedure, actor, objects=None) -> list[str]:
    """Restart the process of every inconsistent object; returns their names."""
    queryset = objects if objects is not None else procedure.model.objects.all()
    repaired = []
    for pk in queryset.order_by("pk").values_list("pk", flat=True):
        single = procedure.model.objects.filter(pk=pk)
        if check_consistency(procedure, single):
            with transaction.atomic():
                locked = (
                    procedure.model.objects.select_for_update(of=("self",))
                    .select_related(*procedure.lock_related)
                    .get(pk=pk)
                )
                restart(procedure, locked, actor)
            repaired.append(procedure.describe(locked))
    return repaired
