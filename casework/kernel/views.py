"""What the pages of every procedure share: the workspace around them, and the screen that
takes a step.

``WorkspacePage``: a page of a procedure app drawn inside the workspace (inbox, queue, the
procedures' menu). It only marks the view; ``workflows.pages.WorkspaceMiddleware`` puts the
workspace around it, so that the procedure apps never import the flows.

``ActScreen``: a thin form over the pipeline. It offers what this person may do now
(``Procedure.available``: state changes and recordings apart), builds the step's form from
its declaration, asks to confirm an irreversible step, and shows a refusal beside the form.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import View

from casework.exceptions import ServiceError

from . import clock, entrypoints, pipeline


def next_work_url(user, procedure=None, obj=None) -> str | None:
    """The page of ``user``'s next piece of work, asked of the flows (None: none waits)."""
    try:
        return entrypoints.call("workflows.next_work_url", user, clock.today(), procedure, obj)
    except entrypoints.MissingEntryPoint:
        return None


class WorkspacePage(LoginRequiredMixin):
    """A signed-in page drawn inside the workspace (see the module)."""

    workspace_page = True


class ActScreen(WorkspacePage, View):
    procedure = None
    template_name = ""
    # Only the recordings (facts recorded without a change of state, so without a task).
    only_recordings = False

    def act_form(self, action):
        """The form class of step ``action`` (the procedure's forms module builds it)."""
        raise NotImplementedError

    def panel(self, obj) -> dict:
        """The object beside the form: its facts, deadlines, documents, history."""
        raise NotImplementedError

    def after_change_url(self, obj) -> str:
        """Where a person lands after a state change: their next piece of work (the object's
        new task if it is theirs, else the most urgent in their inbox), else the object."""
        return next_work_url(self.request.user, self.procedure, obj) or obj.get_absolute_url()

    def extra_context(self) -> dict:
        return {}

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.task = kwargs.get("task")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.obj = (
                self.procedure.policy.visible(request.user)
                .select_related(*self.procedure.lock_related)
                .filter(pk=kwargs["pk"])
                .first()
            )
            if self.obj is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def offered(self, guards=True):
        """(state changes, recordings) this person may do now on the object."""
        names = self.procedure.available(self.request.user, self.obj, guards=guards)
        steps = [self.procedure.step(name) for name in names]
        changes = [] if self.only_recordings else [s.name for s in steps if s.changes_state]
        return changes, [s.name for s in steps if not s.changes_state]

    def chosen(self, requested, changes, recordings):
        """The step asked for, if offered; else the first offered (or None)."""
        offered = changes + recordings
        return requested if requested in offered else (offered or [None])[0]

    def form_for(self, action, data=None):
        if action is None:
            return None
        return self.act_form(action)(data, user=self.request.user, obj=self.obj)

    def get(self, request, *args, **kwargs):
        changes, recordings = self.offered()
        action = self.chosen(request.GET.get("action"), changes, recordings)
        return self.render(self.form_for(action), action, changes, recordings)

    def post(self, request, *args, **kwargs):
        # What this person may attempt: a step a rule refuses on the day of the act is
        # refused by the pipeline, with the rule's own words beside the form.
        changes, recordings = self.offered(guards=False)
        action = request.POST.get("action")
        if action not in changes + recordings:
            messages.error(request, _("您当前不能办理该事项。"))
            return HttpResponseRedirect(request.get_full_path())
        form = self.form_for(action, request.POST)
        if "preview" in request.POST and "confirm" in form.fields:
            # Reading the draft commits to nothing.
            form.fields["confirm"].required = False
        if form.is_valid() and "preview" in request.POST:
            # The documents the step would issue, shown before it is taken.
            try:
                previews = entrypoints.call(
                    "documents.preview",
                    self.procedure,
                    self.obj,
                    action,
                    request.user,
                    form.payload(),
                    reason=form.history_reason(),
                )
            except ServiceError as error:
                form.add_service_error(error)
            else:
                return self.render(form, action, changes, recordings, previews=previews)
        elif form.is_valid():
            try:
                pipeline.transition(
                    self.procedure,
                    self.obj,
                    action,
                    request.user,
                    form.payload(),
                    reason=form.history_reason(),
                    ip=request.META.get("REMOTE_ADDR"),
                )
            except ServiceError as error:
                form.add_service_error(error)
            else:
                messages.success(
                    request,
                    _("%(object)s：已%(action)s。")
                    % {
                        "object": self.procedure.describe(self.obj),
                        "action": self.procedure.label(action),
                    },
                )
                if action in recordings:
                    # A recording leaves the state, and so the task, as it was.
                    return HttpResponseRedirect(request.get_full_path())
                return HttpResponseRedirect(self.after_change_url(self.obj))
        return self.render(form, action, changes, recordings)

    def render(self, form, action, changes, recordings, **extra):
        label = self.procedure.label
        step = self.procedure.step(action) if action else None
        context = {
            "screen_task": self.task,
            "form": form,
            "action": action,
            "action_label": label(action) if action else "",
            "irreversible": bool(step and step.irreversible),
            "offers_preview": bool(step and (step.irreversible or step.issues_documents)),
            "previews": None,
            "changes": [(n, label(n)) for n in changes],
            "recordings": [(n, label(n)) for n in recordings],
            "only_recordings": self.only_recordings,
            **self.extra_context(),
            **self.panel(self.obj),
            **extra,
        }
        return TemplateResponse(self.request, self.template_name, context)
