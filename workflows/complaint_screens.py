"""Task screens of the complaint flow: a thin form over ``services.transition``.

The screen shows the complaint beside the form — with the identity masked for the office
and absent for everyone else (Xinxiang complaint measures art. 8) — and offers what the
person may do now (``rules.available_transitions``). It never completes the task itself:
the service does, in its transaction, through ``workflows.complaints.complaint_changed``.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from viewflow.workflow import flow
from viewflow.workflow.flow.views import UserIndexTaskView
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework.complaints import rules
from casework.complaints.models import Complaint
from casework.complaints.views import ActScreen, get_visible_complaint

from .artifacts import OPEN


class ComplaintTaskIndexView(UserIndexTaskView):
    """From the inbox or the queue straight to the screen (acting on a queue task claims
    it); viewflow's own index sends a queue task to its "assign" page first."""

    def get_redirect_url(self, *args, **kwargs):
        task, node = self.request.activation.task, self.request.activation.flow_task
        if task.status == STATUS.NEW and node.can_execute(self.request.user, task):
            return node.reverse("execute", args=[task.process_id, task.pk])
        return super().get_redirect_url(*args, **kwargs)


class ComplaintTask(flow.View):
    """A human task of a complaint. Its screen is open to the person holding the task, to
    whoever may claim it while it waits in a queue (acting claims it), and to anyone
    rules.py lets change the complaint's state now (a colleague of the office taking over a
    claimed task: the task says who is expected to act; rules.py says who may)."""

    index_view_class = ComplaintTaskIndexView

    def can_assign(self, user, task):
        """Who may claim a queue task, answered by rules.py itself: viewflow's own check goes
        through ``user.has_perm``, which lets a superuser claim any task — and an
        administrator is not the complaints office (art. 8)."""
        from workflows.complaints import ACT_AS_OFFICE, organ_permission

        if task.owner_id is not None or not (user and user.is_authenticated):
            return False
        if task.owner_permission == ACT_AS_OFFICE:
            return rules.is_office(user)
        department_id = rules.organ_department_id(user)
        return department_id is not None and task.owner_permission == organ_permission(
            department_id
        )

    def can_execute(self, user, task):
        if not (user and user.is_authenticated):
            return False
        if task.owner_id is not None and task.owner_id == user.pk:
            return True
        if task.owner_id is None and task.status == STATUS.NEW and self.can_assign(user, task):
            return True
        complaint = (
            Complaint.objects.select_related("category")
            .filter(pk=task.process.artifact_object_id)
            .first()
        )
        return complaint is not None and any(
            name not in rules.ACTIONS for name in rules.available_transitions(user, complaint)
        )

    @property
    def view_path(self):
        return path(
            f"<int:process_pk>/{self.name}/<int:task_pk>/execute/",
            _complaint_task_view(self, self.view),
            name="execute",
        )


def _complaint_task_view(node, screen):
    """viewflow's own wrapper locks the process before the view runs; the service locks the
    complaint first and the process after, so this one takes no lock (one order, no
    deadlock)."""

    def view(request, process_pk, task_pk):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        task = get_object_or_404(
            Task.objects.select_related("process"), pk=task_pk, process_id=process_pk
        )
        if task.process.flow_class != node.flow_class or task.flow_task.name != node.name:
            raise Http404
        complaint = get_visible_complaint(request.user, task.process.artifact_object_id)
        if task.status not in OPEN:
            messages.info(request, _("该环节已办理完毕。"))
            return HttpResponseRedirect(reverse("complaints:staff-detail", args=[complaint.pk]))
        if not node.can_execute(request.user, task):
            raise PermissionDenied(_("该环节不由您办理。"))
        request.activation = node.activation_class(task)
        request.complaint = complaint
        return screen(request)

    view.__name__ = view.__qualname__ = f"{node.name}_execute"
    return view


class ComplaintTaskScreen(ActScreen):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.task = request.activation.task

    def get_complaint(self):
        return self.request.complaint
