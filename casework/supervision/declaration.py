"""The supervision of assigned matters (督查督办), Handan supervision measures 2004, section 4,
declared once. The states and the transitions between them are the django-fsm methods of
``SupervisionMatter``; each step and each open state's task is declared here."""

from django.utils.translation import gettext_lazy as _

from casework.kernel.citations import HANDAN as LAW
from casework.kernel.declaration import Procedure, Step, Task, register

from . import handlers as h
from . import payloads as p
from . import rules
from .models import State, SupervisionMatter

RUNNING = frozenset({State.ASSIGNED, State.FEEDBACK_DRAFTED})

STEPS = [
    Step(
        "approve",
        _("审定立项并下发交办卡片"),
        p.Approve,
        rules.APPROVER,
        h.approve,
        (LAW.art(4, 1),),
        irreversible=True,
        guard=h.due_after_approval,
    ),
    Step("decline", _("不予立项"), p.Decline, rules.APPROVER, h.decline, (LAW.art(4, 1),)),
    Step(
        "draft_feedback",
        _("拟写反馈材料"),
        p.DraftFeedback,
        rules.LEAD_UNIT,
        h.draft_feedback,
        (LAW.art(4, 3),),
    ),
    Step(
        "countersign",
        _("会签反馈材料"),
        p.Countersign,
        rules.CO_UNIT_HEAD,
        h.countersign,
        (LAW.art(4, 3),),
    ),
    Step(
        "return_draft",
        _("退回修改反馈材料"),
        p.ReturnDraft,
        rules.LEAD_HEAD,
        h.return_draft,
        (LAW.art(4, 3),),
    ),
    Step(
        "sign_off",
        _("签发反馈材料"),
        p.SignOff,
        rules.LEAD_HEAD,
        h.sign_off,
        (LAW.art(4, 3),),
        irreversible=True,
        guard=h.all_countersigned,
    ),
    Step(
        "archive",
        _("装卷归档"),
        p.Archive,
        rules.OFFICE,
        h.archive,
        (LAW.art(4, 4),),
        irreversible=True,
    ),
    # Recordings while the matter runs: the state stays as it is.
    Step(
        "urge",
        _("督办"),
        p.Urge,
        rules.OFFICE,
        h.urge,
        (LAW.art(4, 2),),
        during=RUNNING,
    ),
    # Handan supervision art. 4 (2): a major problem found is reported to the leader, who reads
    # it and instructs on it (阅示).
    Step(
        "instruct_on_problem",
        _("阅示重大问题"),
        p.InstructOnProblem,
        rules.ASSIGNING_LEADER,
        h.instruct_on_problem,
        (LAW.art(4, 2),),
        during=frozenset(rules.PROBLEM_STATES),
        guard=h.problem_open,
    ),
    Step(
        "criticise",
        _("通报批评"),
        p.Criticise,
        rules.OFFICE,
        h.criticise,
        (LAW.art(4, 3),),
        during=RUNNING | {State.FEEDBACK_SUBMITTED},
    ),
    Step(
        "request_extension",
        _("申请延长办结时间"),
        p.RequestExtension,
        rules.LEAD_UNIT,
        h.request_extension,
        (LAW.art(4, 3),),
        during=RUNNING,
        guard=h.extension_open_to,
    ),
    Step(
        "decide_extension",
        _("审批延期申请"),
        p.DecideExtension,
        rules.ASSIGNING_LEADER,
        h.decide_extension,
        (LAW.art(4, 3),),
        during=RUNNING,
        guard=h.extension_pending,
    ),
]

TASKS = [
    Task(State.PROPOSED, "approve_matter", _("审定督查事项立项"), rules.APPROVER, (LAW.art(4, 1),)),
    Task(
        State.ASSIGNED,
        "draft_feedback",
        _("办理督办事项并拟写反馈材料"),
        rules.LEAD_UNIT,
        (LAW.art(4, 3),),
    ),
    Task(
        State.FEEDBACK_DRAFTED,
        "sign_feedback",
        _("会签或签发反馈材料"),
        rules.SIGNER,
        (LAW.art(4, 3),),
    ),
    Task(
        State.FEEDBACK_SUBMITTED,
        "archive_matter",
        _("撰写督查报告并装卷归档"),
        rules.OFFICE,
        (LAW.art(4, 4),),
    ),
]

SUPERVISION = register(
    Procedure(
        name="supervision",
        title=_("督查督办"),
        law=LAW,
        model=SupervisionMatter,
        policy=rules,
        steps=STEPS,
        tasks=TASKS,
        openings={"register": _("拟办督查事项")},
        messages={
            "cannot_view": _("无权查看该督办事项。"),
            "not_allowed": _("您无权执行“%(action)s”。"),
            "stale": _("督办事项已被他人更新（当前版本 %(version)s），请刷新后重试。"),
            "wrong_state": _("督办事项当前状态为“%(state)s”，不能执行“%(action)s”。"),
            "before_last_act": _("办理日期不得早于上一办理日期（%(date)s）。"),
            "unknown_step": _("未知的操作：%(name)s"),
            "finished": _("已办结"),
        },
        describe=lambda matter: _("督办事项第%(pk)s号") % {"pk": matter.pk},
        lock_related=("lead_unit", "deadline"),
    )
)
