"""The flow of the monthly performance evaluation (Xinxiang performance measures), built from
its declaration: the bureau reviews the draft, its leader publishes it."""

from functools import partial

from django.utils.translation import gettext_lazy

from casework.evaluation.declaration import EVALUATION
from casework.evaluation.views import EvaluationActScreen

from . import artifacts, sync
from .flows import ProcedureFlowViewset, flow_for


def brief(evaluation) -> dict:
    return {"evaluation": evaluation.pk, "title": str(evaluation)}


EvaluationFlow = flow_for(
    EVALUATION,
    module=__name__,
    class_name="EvaluationFlow",
    brief=brief,
    summary="{{ process.data.title }}",
    screen=EvaluationActScreen.as_view(),
    description=gettext_lazy("新乡市行政审批电子监察绩效测评（2010）"),
)


class EvaluationFlowViewset(ProcedureFlowViewset):
    title = gettext_lazy("月度绩效测评流程")


process_for = partial(sync.process_for, EVALUATION)
open_task = partial(sync.open_task, EVALUATION)
open_tasks = artifacts.open_tasks
