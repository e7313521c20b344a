"""How the workspace's lists query viewflow's tables, so that none of them grows with the data.

viewflow selects the tasks of a set of flows by joining every task to its process
(``process__flow_class__in``): a count of the inbox or the queue then reads all processes.
A task already names its node (``flow_task``, a reference that starts with its flow's), so
the lists here select the tasks of the flows' human nodes instead, served by the indexes of
``workflows/0002_task_list_indexes``:

* ``node_refs``: what the workspace's inbox, queue and archive (``workflows.worklist``) select
  by, so that the menu's counts need no join; ``BoundedPaginator``: the archive's count stops
  at ``ARCHIVE_LIMIT`` (a person's finished tasks grow for ever);
* the engine's task list offers the flows' nodes as its filter (a constant list), not a
  ``DISTINCT`` over every task;
* the flow dashboard: one query per column (a constant: the flow's nodes), the owners joined
  and every shown task's object read in one query per procedure;
* a flow's task list and process list: the flow's nodes and its own processes, the owner
  joined, the open tasks counted only for the processes on the page.
"""

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property
from django_filters import FilterSet
from viewflow.utils import viewprop
from viewflow.workflow.fields import get_task_ref
from viewflow.workflow.flow.views import dashboard, filters
from viewflow.workflow.managers import _available_flows
from viewflow.workflow.models import Task

# A person's archive lists (and counts) their latest finished tasks up to this many.
ARCHIVE_LIMIT = 1000


def human_nodes(flow_classes):
    return [
        node
        for flow_class in flow_classes
        for node in flow_class.instance.nodes()
        if node.task_type == "HUMAN"
    ]


def node_refs(flow_classes) -> list[str]:
    """The stored references of the flows' human nodes (what ``Task.flow_task`` holds)."""
    return [get_task_ref(node) for node in human_nodes(flow_classes)]


def node_choices(flow_classes):
    """The filter's choices: every human node of the flows, a constant list."""
    return [
        (get_task_ref(node), f"{node.flow_class.process_title}/{node.task_title or node.name}")
        for node in human_nodes(flow_classes)
    ]


def listed(queryset):
    """The tasks as a list shows them: their process joined, the newest first."""
    return queryset.select_related("process", "owner").order_by("-created", "-id")


class BoundedPaginator(Paginator):
    """A paginator whose count stops at ``limit`` (the pages beyond it are not offered)."""

    limit = ARCHIVE_LIMIT

    @cached_property
    def count(self):
        return self.object_list.order_by()[: self.limit].count()


# --- the filters ------------------------------------------------------------------------------


class FlowTaskFilter(filters.DashboardTaskListViewFilter):
    def __init__(self, *args, flow_classes=(), **kwargs):
        FilterSet.__init__(self, *args, **kwargs)
        self.filters["flow_task"].field.choices = node_choices(flow_classes)


class ConstantChoices:
    """Hand the flows to the filter, which lists their nodes."""

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["flow_classes"] = self.listed_flows()
        return kwargs

    def listed_flows(self):
        return self.flow_classes


# --- the workspace's lists --------------------------------------------------------------------


class FlowTaskListView(ConstantChoices, dashboard.DashboardTaskListView):
    filterset_class = FlowTaskFilter

    def listed_flows(self):
        return [self.flow_class]

    @viewprop
    def queryset(self):
        return listed(Task.objects.filter(flow_task__in=node_refs([self.flow_class])))


class FlowProcessListView(dashboard.DashboardProcessListView):
    def get_queryset(self):
        """The flow's processes, newest first; the open tasks counted for the page's rows
        only (a subquery per row shown, not an aggregate over every task)."""
        queryset = super(dashboard.DashboardProcessListView, self).get_queryset()
        open_tasks = (
            Task.objects.filter(process=OuterRef("pk"), finished__isnull=True)
            .order_by()
            .values("process")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            queryset.filter(flow_class=self.flow_class)
            .annotate(active_tasks_count=Coalesce(Subquery(open_tasks), 0))
            .order_by("-created", "-id")
        )


class FlowDashboardView(dashboard.DashboardView):
    """viewflow's dashboard, with a constant number of queries: one per column, the owners
    joined, every shown task's object read at once."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        shown = []
        visible = bool(_available_flows([self.flow_class], user))
        for column in context["columns"]:
            tasks = []
            if visible:
                tasks = list(
                    Task.objects.filter(flow_task=column["node_ref"], finished__isnull=True)
                    .select_related("process", "owner")
                    .order_by("-created", "-id")[: self.MAX_ROWS]
                )
            column["tasks"] = tasks
            shown += tasks
        finished = []
        if visible:
            ends = [get_task_ref(node) for node in context["end_nodes"]]
            finished = list(
                Task.objects.filter(flow_task__in=ends, finished__isnull=False)
                .select_related("process")
                .order_by("-created", "-id")[: self.MAX_ROWS]
            )
        context["finished"] = finished
        preload_artifacts(self.flow_class, shown)
        return context


def preload_artifacts(flow_class, tasks):
    """Read the objects of ``tasks``' processes in one query and keep each on its process,
    where the node's permission checks look first (``task_nodes.ArtifactTask.artifact``)."""
    procedure = flow_class.procedure
    ids = {task.process.artifact_object_id for task in tasks}
    objects = procedure.model.objects.select_related(*procedure.lock_related).in_bulk(ids)
    for task in tasks:
        task.process.preloaded_artifact = objects.get(task.process.artifact_object_id)
