"""The flow of the accountability procedure (Nanchong measures), built from its declaration."""

from functools import partial

from django.utils.translation import gettext_lazy

from casework.accountability.declaration import ACCOUNTABILITY
from casework.accountability.views import CaseActScreen

from . import artifacts, sync
from .flows import ProcedureFlowViewset, flow_for


def brief(case) -> dict:
    return {
        "case": case.pk,
        "number": case.number,
        "official": case.official.name,
        "department": case.department.name,
    }


AccountabilityFlow = flow_for(
    ACCOUNTABILITY,
    module=__name__,
    class_name="AccountabilityFlow",
    brief=brief,
    summary="{{ process.data.number }} {{ process.data.official }}",
    screen=CaseActScreen.as_view(),
    description=gettext_lazy("南充市政府部门行政首长问责（2004）"),
)


class AccountabilityFlowViewset(ProcedureFlowViewset):
    title = gettext_lazy("问责案件流程")


# The flow's helpers, bound to the procedure (the check command and the tests use them).
process_for = partial(sync.process_for, ACCOUNTABILITY)
open_task = partial(sync.open_task, ACCOUNTABILITY)
open_tasks = artifacts.open_tasks
restart = partial(sync.restart, ACCOUNTABILITY)
check_consistency = partial(sync.check_consistency, ACCOUNTABILITY)
repair = partial(sync.repair, ACCOUNTABILITY)
