"""The monthly performance evaluation (绩效测评), Xinxiang performance measures 2010, declared
once. The states and the transitions between them are the django-fsm methods of
``MonthlyEvaluation``; each step and each open state's task is declared here."""

from django.utils.translation import gettext_lazy as _

from casework.kernel.citations import HUBEI
from casework.kernel.citations import XINXIANG_PERFORMANCE as LAW
from casework.kernel.declaration import Procedure, Step, Task, register
from casework.kernel.payloads import Empty

from . import handlers as h
from . import payloads as p
from . import rules
from .models import MonthlyEvaluation, State

STEPS = [
    Step(
        "recompute",
        _("重新计算"),
        Empty,
        rules.BUREAU,
        h.recompute,
        (LAW.art(9), LAW.art(10)),
        during=frozenset({State.DRAFT}),
    ),
    Step("review", _("审核"), Empty, rules.BUREAU, h.review, (LAW.art(9),)),
    Step(
        "return_to_draft",
        _("退回重新计算"),
        Empty,
        rules.BUREAU_LEADER,
        h.return_to_draft,
        (LAW.art(9),),
    ),
    Step(
        "publish",
        _("公布并通报"),
        Empty,
        rules.BUREAU_LEADER,
        h.publish,
        (LAW.art(6), LAW.art(12)),
        irreversible=True,
    ),
    # Recordings on a published month: the table itself stays as published.
    Step(
        "lodge_objection",
        _("提出异议"),
        p.Lodge,
        rules.DEPARTMENT_HEAD,
        h.lodge,
        (HUBEI.art(13), HUBEI.art(14)),
        during=frozenset({State.PUBLISHED}),
        guard=h.within_objection_period,
    ),
    Step(
        "decide_objection",
        _("处理异议"),
        p.Decide,
        rules.BUREAU_LEADER,
        h.decide,
        (HUBEI.art(15),),
        during=frozenset({State.PUBLISHED}),
        guard=h.pending_objection,
    ),
]

TASKS = [
    Task(
        State.DRAFT,
        "review_evaluation",
        _("审核月度绩效测评草稿（可重新计算）"),
        rules.BUREAU,
        (LAW.art(9),),
    ),
    Task(
        State.REVIEWED,
        "publish_evaluation",
        _("公布月度绩效测评结果并通报"),
        rules.BUREAU_LEADER,
        (LAW.art(6), LAW.art(12)),
    ),
]

EVALUATION = register(
    Procedure(
        name="evaluation",
        title=_("月度绩效测评"),
        law=LAW,
        model=MonthlyEvaluation,
        policy=rules,
        steps=STEPS,
        tasks=TASKS,
        openings={"compute": _("计算月度绩效测评")},
        messages={
            "cannot_view": _("无权查看该月绩效测评。"),
            "not_allowed": _("您无权执行“%(action)s”。"),
            "stale": _("测评已被他人更新（当前版本 %(version)s），请刷新后重试。"),
            "wrong_state": _("测评当前状态为“%(state)s”，不能执行“%(action)s”。"),
            "before_last_act": _("办理日期不得早于上一办理日期（%(date)s）。"),
            "unknown_step": _("未知的操作：%(name)s"),
            "finished": _("已公布"),
        },
        describe=lambda evaluation: str(evaluation),
    )
)
