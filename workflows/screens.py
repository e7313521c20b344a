"""Task screens: a thin form over ``services.transition``.

The screen shows the case beside the form and offers what the person may do now
(``rules.available_transitions``). It never completes the task itself: the service does, in
its transaction, through ``workflows.accountability.case_changed``.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views import View
from viewflow.workflow import flow
from viewflow.workflow.flow.views import UserIndexTaskView
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework.accountability import rules, services
from casework.accountability.forms import act_form
from casework.accountability.models import AccountabilityCase
from casework.exceptions import ServiceError

from .artifacts import OPEN


class CaseTaskIndexView(UserIndexTaskView):
    """From the inbox or the queue straight to the screen (acting on a queue task claims it);
    viewflow's own index sends a queue task to its "assign" page first."""

    def get_redirect_url(self, *args, **kwargs):
        task, node = self.request.activation.task, self.request.activation.flow_task
        if task.status == STATUS.NEW and node.can_execute(self.request.user, task):
            return node.reverse("execute", args=[task.process_id, task.pk])
        return super().get_redirect_url(*args, **kwargs)


class CaseTask(flow.View):
    """A human task of a case. Its screen is open to the person holding the task, to whoever
    may claim it while it waits in a queue (acting claims it), and to anyone rules.py lets
    change the case's state now — the bureau closing the findings when the official's
    objection period has run out, the secretariat serving a decision (the task says who is
    expected to act; rules.py says who may)."""

    index_view_class = CaseTaskIndexView

    def can_execute(self, user, task):
        if not (user and user.is_authenticated):
            return False
        if task.owner_id is not None and task.owner_id == user.pk:
            return True
        if task.owner_id is None and task.status == STATUS.NEW and self.can_assign(user, task):
            return True
        case = (
            AccountabilityCase.objects.select_related("official", "department")
            .filter(pk=task.process.artifact_object_id)
            .first()
        )
        return case is not None and any(
            name not in rules.ACTIONS for name in rules.available_transitions(user, case)
        )

    @property
    def view_path(self):
        return path(
            f"<int:process_pk>/{self.name}/<int:task_pk>/execute/",
            _case_task_view(self, self.view),
            name="execute",
        )


def _case_task_view(node, screen):
    """viewflow's own wrapper locks the process before the view runs; the service locks the
    case first and the process after, so this one takes no lock (one order, no deadlock)."""

    def view(request, process_pk, task_pk):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        task = get_object_or_404(
            Task.objects.select_related("process"), pk=task_pk, process_id=process_pk
        )
        if task.process.flow_class != node.flow_class or task.flow_task.name != node.name:
            raise Http404
        case = (
            rules.visible_cases(request.user)
            .select_related("official__user", "department", "source", "registered_by")
            .filter(pk=task.process.artifact_object_id)
            .first()
        )
        if case is None:
            raise Http404
        if task.status not in OPEN:
            messages.info(request, _("该环节已办理完毕。"))
            return HttpResponseRedirect(reverse("accountability:case", args=[case.pk]))
        if not node.can_execute(request.user, task):
            raise PermissionDenied(_("该环节不由您办理。"))
        request.activation = node.activation_class(task)
        request.case = case
        return screen(request)

    view.__name__ = view.__qualname__ = f"{node.name}_execute"
    return view


class TaskScreen(View):
    template_name = "accountability/task.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.case = request.case
        self.task = request.activation.task

    def offered(self):
        """(state changes, recordings) this person may do now on the case."""
        names = rules.available_transitions(self.request.user, self.case)
        return (
            [n for n in names if n not in rules.ACTIONS],
            [n for n in names if n in rules.ACTIONS],
        )

    def get(self, request):
        changes, recordings = self.offered()
        action = request.GET.get("action")
        if action not in changes + recordings:
            action = (changes + recordings or [None])[0]
        form = act_form(action)(user=request.user, case=self.case) if action else None
        return self.render(form, action, changes, recordings)

    def post(self, request):
        changes, recordings = self.offered()
        action = request.POST.get("action")
        if action not in changes + recordings:
            messages.error(request, _("您当前不能办理该事项。"))
            return HttpResponseRedirect(request.get_full_path())
        form = act_form(action)(request.POST, user=request.user, case=self.case)
        if form.is_valid():
            payload = form.payload()
            try:
                services.transition(
                    self.case,
                    action,
                    request.user,
                    payload,
                    # The history's reason: the note, else the act's own reason (理由).
                    reason=form.cleaned_data["note"] or payload.get("reason", ""),
                    ip=request.META.get("REMOTE_ADDR"),
                )
            except ServiceError as error:
                form.add_service_error(error)
            else:
                messages.success(
                    request,
                    _("案件 %(number)s：已%(action)s。")
                    % {"number": self.case.number, "action": services.label(action)},
                )
                if action in recordings:
                    # A recording leaves the state, and so the task, as it was.
                    return HttpResponseRedirect(request.get_full_path())
                return HttpResponseRedirect(reverse("workflow:inbox"))
        return self.render(form, action, changes, recordings)

    def render(self, form, action, changes, recordings):
        from casework.accountability.views import case_panel

        context = {
            "case": self.case,
            "task": self.task,
            "process": self.task.process,
            "form": form,
            "action": action,
            "action_label": services.label(action) if action else "",
            "changes": [(n, services.label(n)) for n in changes],
            "recordings": [(n, services.label(n)) for n in recordings],
            **case_panel(self.case),
        }
        return TemplateResponse(self.request, self.template_name, context)
