"""What a procedure's pages show of its flow: an object's open task (its title, who holds it,
whose queue it waits in, the screen if this person may act), and, for a list, each object's
open task in one query. Offered to the procedure apps as named entry points."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Subquery
from viewflow.workflow.models import Task

from . import sync
from .artifacts import OPEN


def task_summary(procedure, obj, user) -> dict:
    """The open task of ``obj`` as ``user`` may read it: a person's name only for whom the
    policy shows the staff (the complaint's organ sees the office as a unit)."""
    task = sync.open_task(procedure, obj)
    if task is None:
        return {"task": None}
    node = task.flow_task
    declared = procedure.task_for(obj.state)
    queue = declared.by.queue_name(obj) if declared is not None else ""
    holder = ""
    if task.owner_id:
        holder = task.owner.get_full_name() if procedure.policy.shows_staff_names(user) else queue
    return {
        "task": task,
        "task_title": node.task_title,
        "task_holder": holder,
        "task_claimable_by": queue,
        "task_url": node.reverse("execute", args=[task.process_id, task.pk])
        if node.can_execute(user, task)
        else "",
    }


def _open_task_subquery(procedure, field):
    return Subquery(
        Task.objects.filter(
            process__flow_class=sync.flow_of(procedure),
            process__artifact_content_type=ContentType.objects.get_for_model(procedure.model),
            process__artifact_object_id=OuterRef("pk"),
            flow_task_type="HUMAN",
            status__in=OPEN,
        )
        .order_by("-id")
        .values(field)[:1]
    )


def annotate_open_task(procedure, queryset):
    """``task_ref`` (the node of the open task) and ``task_owner`` (who holds it) on each
    object of ``queryset``, in the same query."""
    return queryset.annotate(
        task_ref=_open_task_subquery(procedure, "flow_task"),
        task_owner=_open_task_subquery(procedure, "owner__full_name"),
    )
