"""Task screens of the complaint flow: a thin form over ``services.transition``.

The screen shows the complaint beside the form — with the identity masked for the office
and absent for everyone else (Xinxiang complaint measures art. 8) — and offers what the
person may do now (``rules.available_transitions``). It never completes the task itself:
the service does, in its transaction, through ``workflows.complaints.complaint_changed``.
"""

from django.urls import reverse

from casework.complaints import rules
from casework.complaints.models import Complaint
from casework.complaints.views import ActScreen, get_visible_complaint

from .task_nodes import ArtifactTask


class ComplaintTask(ArtifactTask):
    """A human task of a complaint. Its screen is open to the person holding the task, to
    whoever may claim it while it waits in a queue (acting claims it), and to anyone
    rules.py lets change the complaint's state now (a colleague of the office taking over a
    claimed task: the task says who is expected to act; rules.py says who may)."""

    procedure_rules = rules
    request_attr = "complaint"

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

    def artifact(self, task):
        return (
            Complaint.objects.select_related("category")
            .filter(pk=task.process.artifact_object_id)
            .first()
        )

    def visible_artifact(self, user, task):
        return get_visible_complaint(user, task.process.artifact_object_id)

    def artifact_url(self, complaint):
        return reverse("complaints:staff-detail", args=[complaint.pk])


class ComplaintTaskScreen(ActScreen):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.task = request.activation.task

    def get_complaint(self):
        return self.request.complaint
