"""Taking a step on a complaint: the task screen (workflows' task node opens it with the
task) and the screen of recordings that leave the state as it is (an extension approved
while the organ holds the task, a note, an urgent mark)."""

from casework.kernel.views import ActScreen

from ..declaration import COMPLAINTS
from ..forms import act_form
from ..handlers import extendable_deadline
from .panel import complaint_panel, no_store, reveal_identity


class ComplaintActScreen(ActScreen):
    """A step on a complaint: the task screen (workflows opens it with the task) and the
    screen of recordings that leave the state as it is (an extension approved while the
    organ holds the task, a note, an urgent mark). The office may ask to see the identity
    here too; the screen is never cached (Xinxiang complaints art. 8)."""

    procedure = COMPLAINTS
    template_name = "complaints/staff_task.html"

    def act_form(self, action):
        return act_form(action)

    def panel(self, complaint):
        return complaint_panel(complaint, self.request.user, getattr(self, "identity", None))

    def extra_context(self):
        # Which period a request for more time is about (the handler's own default).
        deadline = extendable_deadline(self.obj, self.request.user)
        return {"extension_kind": deadline.kind if deadline is not None else ""}

    def post(self, request, *args, **kwargs):
        if "identity_reason" in request.POST:
            self.identity, identity_form = reveal_identity(request, self.obj)
            changes, recordings = self.offered()
            action = self.chosen(request.GET.get("action"), changes, recordings)
            return self.render(
                self.form_for(action), action, changes, recordings, identity_form=identity_form
            )
        return super().post(request, *args, **kwargs)

    def render(self, *args, **kwargs):
        return no_store(super().render(*args, **kwargs))


class RecordView(ComplaintActScreen):
    """Recordings only: they change no state and so complete no task."""

    only_recordings = True


# ---------------------------------------------------------------------------------------
