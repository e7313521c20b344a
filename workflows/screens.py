"""Task screens: a thin form over ``services.transition``.

The screen shows the case beside the form and offers what the person may do now
(``rules.available_transitions``). It never completes the task itself: the service does, in
its transaction, through ``workflows.accountability.case_changed``.
"""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from casework.accountability import rules, services
from casework.accountability.forms import act_form
from casework.accountability.models import AccountabilityCase
from casework.exceptions import ServiceError

from .task_nodes import ArtifactTask


class CaseTask(ArtifactTask):
    """A human task of a case (workflows/task_nodes.py): open to its holder, to whoever may
    claim it, and to anyone rules.py lets change the case's state now — the bureau closing
    the findings when the official's objection period has run out, the secretariat serving a
    decision."""

    procedure_rules = rules
    request_attr = "case"

    def artifact(self, task):
        return (
            AccountabilityCase.objects.select_related("official", "department")
            .filter(pk=task.process.artifact_object_id)
            .first()
        )

    def visible_artifact(self, user, task):
        return (
            rules.visible_cases(user)
            .select_related("official__user", "department", "source", "registered_by")
            .filter(pk=task.process.artifact_object_id)
            .first()
        )

    def artifact_url(self, case):
        return reverse("accountability:case", args=[case.pk])


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
