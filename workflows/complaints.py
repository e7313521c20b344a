"""The flow of the complaint procedure (Xinxiang complaint measures), built from its
declaration. Its task titles, the process brief and the process data name a complaint as
"投诉第N号（类别）" and never hold the complainant's identity (Xinxiang complaints art. 8)."""

from functools import partial

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.complaints.declaration import COMPLAINTS
from casework.complaints.rules import ORGAN
from casework.complaints.views import ComplaintActScreen

from . import artifacts, sync
from .flows import ProcedureFlowViewset, flow_for
from .permissions import permission_name


def brief(complaint) -> dict:
    return {
        "complaint": complaint.pk,
        "title": _("投诉第%(number)s号（%(category)s）")
        % {"number": complaint.pk, "category": complaint.category.name},
        "department": complaint.respondent_department.name,
    }


ComplaintFlow = flow_for(
    COMPLAINTS,
    module=__name__,
    class_name="ComplaintFlow",
    brief=brief,
    summary="{{ process.data.title }}",
    screen=ComplaintActScreen.as_view(),
    description=gettext_lazy("新乡市电子监察投诉处理（2010）"),
)


class ComplaintFlowViewset(ProcedureFlowViewset):
    title = gettext_lazy("效能投诉流程")


def organ_permission(department_id) -> str:
    """The queue of a receiving organ's people (Xinxiang complaints art. 6)."""
    return permission_name(COMPLAINTS, ORGAN, department_id)


# The flow's helpers, bound to the procedure (the check command and the tests use them).
process_for = partial(sync.process_for, COMPLAINTS)
open_task = partial(sync.open_task, COMPLAINTS)
open_tasks = artifacts.open_tasks
restart = partial(sync.restart, COMPLAINTS)
check_consistency = partial(sync.check_consistency, COMPLAINTS)
repair = partial(sync.repair, COMPLAINTS)
