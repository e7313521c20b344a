"""A viewflow flow for each declared procedure, built from its declaration.

Each object of a procedure has one process (viewflow's ``Process``, the object linked as its
``artifact``). The process is a loop: a router looks at the object's state and opens the one
human task that state calls for (the declaration's ``Task``: queued for its actor, or given
to the person the law names); the task's screen takes a step through the kernel's pipeline;
the pipeline's ``transitioned`` signal (``workflows.sync``) completes the task whoever holds
it, and the router opens the task of the new state — or ends the process in a final state.

Lock order: the pipeline locks the object's row first, then ``sync`` locks the process row
(``select_for_update_lock``). Nothing here takes the process lock before the object's.
"""

from django.utils.translation import gettext_lazy
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.flow import FlowViewset

from casework.org.roles import Role

from . import lists
from .permissions import permission_name
from .task_nodes import ArtifactTask


def _load(procedure, activation):
    """The object of the process, as stored now (read once per routing)."""
    if not hasattr(activation, "_artifact"):
        activation._artifact = (
            procedure.model.objects.select_related(*procedure.lock_related)
            .filter(pk=activation.process.artifact_object_id)
            .get()
        )
    return activation._artifact


def _in_state(procedure, *states):
    def check(activation):
        return _load(procedure, activation).state in states

    return check


def _permission(procedure, actor):
    if actor.scope is None:
        return permission_name(procedure, actor)

    def scoped(activation):
        return permission_name(procedure, actor, actor.scope(_load(procedure, activation)))

    return scoped


def _assignee(procedure, assign):
    def assignee(activation):
        return assign(_load(procedure, activation))

    return assignee


def _node(procedure, task, screen, summary):
    node = ArtifactTask(screen, procedure=procedure).Annotation(
        title=task.title,
        description="、".join(cite.chinese for cite in task.cites),
        summary_template=summary,
    )
    node = node.Permission(_permission(procedure, task.by))
    if task.assign is not None:
        node = node.Assign(_assignee(procedure, task.assign))
    return node.Next(this.route)


class ProcedureFlow(flow.Flow):
    """What every procedure's flow shares: who may see it and manage it."""

    procedure = None
    lock_impl = lock.select_for_update_lock

    def start_object(self, activation, obj, actor):
        process = activation.process
        process.artifact = obj
        process.data = self.brief(obj)
        activation.task.owner = actor
        return process

    @staticmethod
    def brief(obj) -> dict:
        """What the process remembers of its object, for the lists (never an identity)."""
        raise NotImplementedError

    def has_view_permission(self, user, obj=None):
        """Whoever works in the procedure finds their tasks in the inbox and the queue; a
        given process, the engine's record of it, only administrators (everyone else reads the
        case or the complaint on its own page, redacted for them)."""
        if not (user and user.is_authenticated):
            return False
        if obj is not None:
            # A process's own page (its tasks, its diagram) is the engine's: administrators.
            return self.has_manage_permission(user)
        return self.procedure.policy.works_in_procedure(user)

    def has_manage_permission(self, user, obj=None):
        """Cancelling, undoing or reviving tasks by hand is for administrators only: the
        pipeline completes the tasks, and check_workflow reports what a hand changed."""
        return bool(
            user
            and user.is_authenticated
            and (user.is_superuser or user.has_role(Role.ADMINISTRATOR))
        )


# Every procedure's flow by the procedure's name, as ``flow_for`` builds them.
FLOWS: dict = {}


def flow_for(procedure, *, module, class_name, brief, summary, screen, description):
    """The flow class of ``procedure``: a start, the router, one node per open state's task,
    the end. ``module`` is where it lives (viewflow stores a flow by its module path)."""
    router = flow.Switch().Annotation(title=gettext_lazy("按状态确定下一环节"))
    attrs = {
        "__module__": module,
        "__doc__": f"{procedure.title}\n\n{procedure.law.title}",
        "procedure": procedure,
        "process_title": procedure.title,
        "process_description": description,
        "process_summary_template": summary,
        "brief": staticmethod(brief),
        "start": flow.StartHandle(this.start_object).Next(this.route),
        "end": flow.End(),
    }
    for state, task in procedure.tasks.items():
        attrs[task.node] = _node(procedure, task, screen, summary)
        router = router.Case(getattr(this, task.node), _in_state(procedure, state))
    attrs["route"] = router.Case(this.end, _in_state(procedure, *procedure.final_states))
    FLOWS[procedure.name] = flow_class = type(class_name, (ProcedureFlow,), attrs)
    return flow_class


class ProcedureFlowViewset(FlowViewset):
    """The flow's dashboard, process and task lists, its diagram: the engine's internals,
    for administrators only. Everyone else works from the inbox and the procedures' own
    lists and pages."""

    dashboard_view_class = lists.FlowDashboardView
    task_list_view_class = lists.FlowTaskListView
    process_list_view_class = lists.FlowProcessListView

    def has_view_permission(self, user, obj=None):
        return is_administrator(user)


def is_administrator(user) -> bool:
    return bool(
        user and user.is_authenticated and (user.is_superuser or user.has_role(Role.ADMINISTRATOR))
    )
