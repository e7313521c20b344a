"""The flow of the supervision of assigned matters (Handan supervision measures), built from
its declaration: the head or the leader approves, the lead unit drafts, the co-units'
heads countersign and the lead unit's head signs off, the office archives."""

from functools import partial

from django.utils.translation import gettext_lazy

from casework.supervision.declaration import SUPERVISION
from casework.supervision.views import SupervisionActScreen

from . import artifacts, sync
from .flows import ProcedureFlowViewset, flow_for


def brief(matter) -> dict:
    return {"matter": matter.pk, "title": matter.title}


SupervisionFlow = flow_for(
    SUPERVISION,
    module=__name__,
    class_name="SupervisionFlow",
    brief=brief,
    summary="{{ process.data.title }}",
    screen=SupervisionActScreen.as_view(),
    description=gettext_lazy("邯郸市政务督查工作实施办法（2004）"),
)


class SupervisionFlowViewset(ProcedureFlowViewset):
    title = gettext_lazy("督查督办流程")


process_for = partial(sync.process_for, SUPERVISION)
open_task = partial(sync.open_task, SUPERVISION)
open_tasks = artifacts.open_tasks
