"""What the accountability and complaint flows share: finding an object's process and its
open human task, and completing that task when the object's service has made a transition.
Each flow module keeps its own names (``process_for(case)``, ``complaint_changed``…) and
passes its flow class and model here."""

from django.contrib.contenttypes.models import ContentType
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS

# A human task that still waits for someone.
OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def live_processes(flow_class, model, objects=None):
    """The processes not cancelled of ``objects`` (a queryset of ``model``; default: all)."""
    queryset = Process.objects.filter(
        flow_class=flow_class, artifact_content_type=ContentType.objects.get_for_model(model)
    ).exclude(status=PROCESS.CANCELED)
    if objects is not None:
        queryset = queryset.filter(artifact_object_id__in=objects.values("pk"))
    return queryset


def process_for(flow_class, obj):
    """The object's process: the latest one not cancelled (a repair cancels and restarts)."""
    return (
        live_processes(flow_class, type(obj))
        .filter(artifact_object_id=obj.pk)
        .order_by("-id")
        .first()
    )


def open_tasks(process):
    return Task.objects.filter(process=process, flow_task_type="HUMAN", status__in=OPEN)


def open_task(process):
    """The process's one open human task, or None (finished, or the workflow needs repair)."""
    if process is None:
        return None
    tasks = list(open_tasks(process).select_related("owner").order_by("id")[:2])
    return tasks[0] if len(tasks) == 1 else None


def complete(task, actor, action):
    """Complete ``task`` as done by ``actor`` with ``action`` (the service already allowed
    the act; the task only says who was expected to act). A task held by someone else is
    reassigned first, so that the archive shows who really acted."""
    with task.activation() as activation:
        if activation.assign.can_proceed():
            activation.assign(actor)
        elif activation.task.owner_id != actor.pk:
            activation.task.data["held_by"] = activation.task.owner_id
            activation.reassign(actor)
        if activation.start.can_proceed():
            activation.start(None)
        activation.task.data["action"] = action
        activation.execute()
