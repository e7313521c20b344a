"""The human task node of every procedure's flow: its screen opens from the inbox or the queue
without viewflow's "assign" page, and it is open to the person holding the task, to whoever
may claim it while it waits in a queue (acting claims it), and to anyone the procedure's
declaration lets take a step that changes the object's state now (the task says who is
expected to act; the declaration says who may)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from viewflow.workflow import flow
from viewflow.workflow.flow.views import UserIndexTaskView
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from . import permissions
from .artifacts import OPEN


class ArtifactTaskIndexView(UserIndexTaskView):
    """From the inbox or the queue straight to the screen (acting on a queue task claims it);
    viewflow's own index sends a queue task to its "assign" page first, and another's task to
    the engine's page."""

    def get_redirect_url(self, *args, **kwargs):
        task, node = self.request.activation.task, self.request.activation.flow_task
        # Also a task given to someone else that this person may act on now (the official
        # let his window pass: the bureau confirms the findings).
        if task.status in OPEN and node.can_execute(self.request.user, task):
            return node.reverse("execute", args=[task.process_id, task.pk])
        return super().get_redirect_url(*args, **kwargs)


class ArtifactTask(flow.View):
    index_view_class = ArtifactTaskIndexView

    def __init__(self, view, *, procedure, **kwargs):
        super().__init__(view, **kwargs)
        self.procedure = procedure

    def artifact(self, task):
        """The object of ``task``, or None (for the permission check, not scoped); a list
        that shows many tasks reads their objects at once (``lists.preload_artifacts``)."""
        preloaded = getattr(task.process, "preloaded_artifact", None)
        if preloaded is not None:
            return preloaded
        return (
            self.procedure.model.objects.select_related(*self.procedure.lock_related)
            .filter(pk=task.process.artifact_object_id)
            .first()
        )

    def can_assign(self, user, task):
        """Who may claim a queue task, answered by the declaration's actor itself: viewflow's
        own check goes through ``user.has_perm``, which lets a superuser claim any task — and
        an administrator is no mayor, bureau or complaints office."""
        if task.owner_id is not None or not (user and user.is_authenticated):
            return False
        return task.owner_permission in permissions.task_permissions(user)

    def can_execute(self, user, task):
        if not (user and user.is_authenticated):
            return False
        if task.owner_id is not None and task.owner_id == user.pk:
            return True
        if task.owner_id is None and task.status == STATUS.NEW and self.can_assign(user, task):
            return True
        obj = self.artifact(task)
        return obj is not None and any(
            self.procedure.step(name).changes_state for name in self.procedure.available(user, obj)
        )

    @property
    def view_path(self):
        return path(
            f"<int:process_pk>/{self.name}/<int:task_pk>/execute/",
            artifact_task_view(self, self.view),
            name="execute",
        )


def artifact_task_view(node, screen):
    """viewflow's own wrapper locks the process before the view runs; the pipeline locks the
    object first and the process after, so this one takes no lock (one order, no deadlock)."""

    def view(request, process_pk, task_pk):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        task = get_object_or_404(
            Task.objects.select_related("process"), pk=task_pk, process_id=process_pk
        )
        if task.process.flow_class != node.flow_class or task.flow_task.name != node.name:
            raise Http404
        procedure = node.procedure
        obj = (
            procedure.policy.visible(request.user)
            .select_related(*procedure.lock_related)
            .filter(pk=task.process.artifact_object_id)
            .first()
        )
        if obj is None:
            raise Http404
        if task.status not in OPEN:
            messages.info(request, _("该环节已办理完毕。"))
            return HttpResponseRedirect(obj.get_absolute_url())
        if not node.can_execute(request.user, task):
            raise PermissionDenied(_("该环节不由您办理。"))
        request.activation = node.activation_class(task)
        return screen(request, pk=obj.pk, task=task)

    view.__name__ = view.__qualname__ = f"{node.name}_execute"
    # Drawn inside the workspace: its menu with the inbox's counts (pages.WorkspaceMiddleware).
    view.workspace_page = True
    return view
