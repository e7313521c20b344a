"""The accountability procedure (问责), Nanchong measures 2004, declared once.

Each step: its name (the API's transition name), its label, its payload, who may take it,
its handler, the law, whether it is irreversible, and the rule that must hold when it is
taken. Each open state: the one task it calls for. The states and the transitions between
them are the django-fsm methods of ``AccountabilityCase``.
"""

from django.utils.translation import gettext_lazy as _

from casework.kernel.citations import NANCHONG
from casework.kernel.declaration import Procedure, Step, Task, register
from casework.kernel.payloads import Empty

from . import handlers as h
from . import payloads as p
from . import rules
from .models import AccountabilityCase, State

NOT_CLOSED = frozenset(State.values) - {State.CLOSED}
EXECUTING = frozenset(
    {
        State.SERVED,
        State.REVIEW_REQUESTED,
        State.UNDER_REVIEW,
        State.REVIEW_REPORTED,
        State.FINAL,
    }
)

STEPS = [
    Step("start", _("启动问责程序"), Empty, rules.MAYOR, h.start, (NANCHONG.art(5),)),
    Step(
        "order_report",
        _("责成当面汇报"),
        p.OrderReport,
        rules.MAYOR_ON_REPORTS,
        h.order_report,
        (NANCHONG.art(6),),
    ),
    Step(
        "report_heard",
        _("听取汇报"),
        p.ReportHeard,
        rules.MAYOR_ON_REPORTS,
        h.report_heard,
        (NANCHONG.art(6),),
    ),
    Step(
        "submit_to_meeting",
        _("提交常务会议讨论"),
        p.Reason,
        rules.MAYOR,
        h.submit_to_meeting,
        (NANCHONG.art(6), NANCHONG.art(11)),
    ),
    Step(
        "assign_investigation",
        _("责成监察局调查核实"),
        p.AssignInvestigation,
        rules.MAYOR,
        h.assign_investigation,
        (NANCHONG.art(6), NANCHONG.art(7), NANCHONG.art(9)),
    ),
    Step(
        "notify_findings",
        _("书面告知调查结果"),
        p.NotifyFindings,
        rules.SUPERVISION,
        h.notify_findings,
        (NANCHONG.art(8),),
    ),
    Step(
        "file_objection",
        _("提出异议"),
        p.FileObjection,
        rules.OFFICIAL,
        h.file_objection,
        (NANCHONG.art(8),),
        guard=h.within_objection_period,
    ),
    Step(
        "close_findings",
        _("异议期届满，确认调查结果"),
        Empty,
        rules.SUPERVISION,
        h.close_findings,
        (NANCHONG.art(8),),
        guard=h.objection_period_over,
    ),
    Step(
        "submit_report",
        _("提交调查报告及问责建议"),
        p.SubmitReport,
        rules.SUPERVISION,
        h.submit_report,
        (NANCHONG.art(9),),
    ),
    Step(
        "decide_no_accountability",
        _("决定不予问责"),
        p.Reason,
        rules.MAYOR,
        h.decide_no_accountability,
        (NANCHONG.art(10),),
    ),
    Step(
        "schedule",
        _("列入常务会议议程"),
        p.Schedule,
        rules.SECRETARIAT,
        h.schedule,
        (NANCHONG.art(11),),
    ),
    Step(
        "deliberate",
        _("常务会议讨论"),
        p.Deliberate,
        # The minutes are recorded by the secretariat.
        rules.SECRETARIAT,
        h.deliberate,
        (NANCHONG.art(11),),
        guard=h.meeting_held,
    ),
    Step(
        "decide",
        _("作出问责决定"),
        p.Decide,
        rules.MAYOR,
        h.decide,
        (NANCHONG.art(12), NANCHONG.art(13)),
        irreversible=True,
        guard=h.not_vertical,
    ),
    Step(
        "send_proposal",
        _("向主管机关提出问责建议"),
        p.SendProposal,
        rules.MAYOR,
        h.send_proposal,
        (NANCHONG.art(22),),
        guard=h.vertical,
    ),
    Step(
        "serve",
        _("送达问责决定"),
        p.Serve,
        rules.SECRETARIAT_OR_SUPERVISION,
        h.serve,
        (NANCHONG.art(12),),
        irreversible=True,
    ),
    Step(
        "request_review",
        _("申请复核"),
        p.RequestReview,
        rules.OFFICIAL_OR_MAYOR_ON_REVIEW,
        h.request_review,
        (NANCHONG.art(14),),
        fields_for={"late_ok": rules.MAYOR_ON_REVIEW},
    ),
    Step(
        "become_final",
        _("复核申请期届满，决定生效"),
        Empty,
        rules.SECRETARIAT_OR_SUPERVISION,
        h.become_final,
        (NANCHONG.art(14),),
        guard=h.review_window_over,
    ),
    Step(
        "refuse_review",
        _("决定不予复核"),
        p.Reason,
        rules.MAYOR_ON_REVIEW,
        h.refuse_review,
        (NANCHONG.art(14), NANCHONG.art(15)),
        irreversible=True,
    ),
    Step(
        "accept_review",
        _("决定复核"),
        p.AcceptReview,
        rules.MAYOR_ON_REVIEW,
        h.accept_review,
        (NANCHONG.art(15),),
    ),
    Step(
        "submit_review_report",
        _("提交复核报告"),
        p.SubmitReviewReport,
        rules.LEGAL,
        h.submit_review_report,
        (NANCHONG.art(15),),
    ),
    Step(
        "review_decide",
        _("作出复核决定"),
        p.ReviewDecide,
        rules.MAYOR_ON_REVIEW,
        h.review_decide,
        (NANCHONG.art(16),),
        irreversible=True,
    ),
    Step(
        "close",
        _("结案"),
        Empty,
        rules.SECRETARIAT,
        h.close,
        (NANCHONG.art(10), NANCHONG.art(13), NANCHONG.art(22)),
        irreversible=True,
        guard=h.execution_finished,
    ),
    # Recordings: facts recorded while the case runs, without changing its state.
    Step(
        "serve_modified",
        _("送达变更后的问责决定"),
        p.Serve,
        rules.SECRETARIAT_OR_SUPERVISION,
        h.serve_modified,
        (NANCHONG.art(12), NANCHONG.art(16, 2)),
        during=frozenset({State.FINAL}),
        guard=h.modified_decision_unserved,
    ),
    Step(
        "record_execution",
        _("登记执行情况"),
        p.RecordExecution,
        rules.SECRETARIAT_OR_SUPERVISION,
        h.record_execution,
        (NANCHONG.art(13),),
        during=EXECUTING,
        guard=h.execution_pending,
    ),
    Step(
        "record_referral",
        _("登记移送（第十八条）"),
        p.RecordReferral,
        rules.SUPERVISION,
        h.record_referral,
        (NANCHONG.art(18),),
        during=NOT_CLOSED,
    ),
    Step(
        "record_prior_sanction",
        _("登记已受处分（第十九条）"),
        p.RecordPriorSanction,
        rules.SECRETARIAT_OR_SUPERVISION,
        h.record_prior_sanction,
        (NANCHONG.art(19),),
        during=NOT_CLOSED,
    ),
    Step(
        "open_linked_case",
        _("登记关联问责（第二十条）"),
        p.OpenLinkedCase,
        rules.SECRETARIAT_OR_SUPERVISION,
        h.open_linked_case,
        (NANCHONG.art(20),),
        during=frozenset({State.SERVED, State.FINAL, State.CLOSED}),
        guard=h.head_held_accountable,
    ),
]

TASKS = [
    # The mayor, or a vice-mayor / secretary-general by delegation
    Task(
        State.PROPOSED,
        "consider_proposal",
        _("审查问责线索，决定是否启动问责"),
        rules.MAYOR,
        (NANCHONG.art(5),),
    ),
    Task(
        State.INITIATED,
        "direct_inquiry",
        _("决定办理方式：责成汇报、调查核实或提交常务会议"),
        rules.MAYOR,
        (NANCHONG.art(6),),
    ),
    Task(
        State.REPORT_ORDERED,
        "hear_report",
        _("听取当面汇报"),
        rules.MAYOR_ON_REPORTS,
        (NANCHONG.art(6),),
    ),
    Task(
        State.REPORT_SUBMITTED,
        "decide_on_report",
        _("审定调查报告：不予问责或提交常务会议"),
        rules.MAYOR,
        (NANCHONG.art(10), NANCHONG.art(11)),
    ),
    Task(
        State.DELIBERATED,
        "decide",
        _("作出问责决定（垂直管理部门：提出问责建议）"),
        rules.MAYOR,
        (NANCHONG.art(12), NANCHONG.art(13), NANCHONG.art(22)),
    ),
    Task(
        State.REVIEW_REQUESTED,
        "decide_review_request",
        _("决定是否受理复核申请"),
        rules.MAYOR_ON_REVIEW,
        (NANCHONG.art(14), NANCHONG.art(15)),
    ),
    Task(
        State.REVIEW_REPORTED,
        "review_decide",
        _("作出复核决定"),
        rules.MAYOR_ON_REVIEW,
        (NANCHONG.art(16),),
    ),
    # The supervision bureau
    Task(
        State.INVESTIGATING,
        "investigate",
        _("调查核实，书面告知调查结果"),
        rules.SUPERVISION,
        (NANCHONG.art(7), NANCHONG.art(8), NANCHONG.art(9)),
    ),
    Task(
        State.FINDINGS_CLOSED,
        "report_findings",
        _("提交调查报告及问责建议"),
        rules.SUPERVISION,
        (NANCHONG.art(9),),
    ),
    Task(
        State.DECIDED,
        "serve_decision",
        _("送达问责决定书"),
        rules.SUPERVISION,
        (NANCHONG.art(12),),
    ),
    # The official concerned; the bureau or the secretariat acts when the period has run out
    Task(
        State.FINDINGS_NOTIFIED,
        "object_to_findings",
        _("对调查结果提出异议"),
        rules.SUPERVISION,
        (NANCHONG.art(8),),
        assign=rules.official_account,
    ),
    Task(
        State.SERVED,
        "review_window",
        _("申请复核（收到决定之日起10个工作日内）"),
        rules.SECRETARIAT,
        (NANCHONG.art(14),),
        assign=rules.official_account,
    ),
    # The secretariat
    Task(
        State.NOT_ACCOUNTABLE,
        "close_not_accountable",
        _("送达不予问责告知书，结案"),
        rules.SECRETARIAT,
        (NANCHONG.art(10),),
    ),
    Task(
        State.AWAITING_MEETING,
        "schedule_meeting",
        _("列入常务会议议程"),
        rules.SECRETARIAT,
        (NANCHONG.art(11),),
    ),
    Task(
        State.SCHEDULED,
        "record_deliberation",
        _("登记常务会议讨论情况"),
        rules.SECRETARIAT,
        (NANCHONG.art(11),),
    ),
    Task(
        State.PROPOSAL_SENT,
        "close_proposal",
        _("问责建议已发出，结案"),
        rules.SECRETARIAT,
        (NANCHONG.art(22),),
    ),
    Task(
        State.FINAL,
        "execute_and_close",
        _("登记执行情况，结案"),
        rules.SECRETARIAT,
        (NANCHONG.art(13),),
    ),
    # The legal affairs office
    Task(
        State.UNDER_REVIEW,
        "review",
        _("复核并提交复核报告"),
        rules.LEGAL,
        (NANCHONG.art(15),),
    ),
]

ACCOUNTABILITY = register(
    Procedure(
        name="accountability",
        title=_("问责案件"),
        law=NANCHONG,
        model=AccountabilityCase,
        policy=rules,
        steps=STEPS,
        tasks=TASKS,
        openings={"register": _("登记问责案件")},
        messages={
            "cannot_view": _("无权查看该案件。"),
            "not_allowed": _("您无权执行“%(action)s”。"),
            "stale": _("案件已被他人更新（当前版本 %(version)s），请刷新后重试。"),
            "wrong_state": _("案件当前状态为“%(state)s”，不能执行“%(action)s”。"),
            "before_last_act": _("办理日期不得早于本案上一办理日期（%(date)s）。"),
            "unknown_step": _("未知的操作：%(name)s"),
            "finished": _("已结案"),
        },
        describe=lambda case: _("案件 %(number)s") % {"number": case.number},
        lock_related=("official__user", "department"),
    )
)
