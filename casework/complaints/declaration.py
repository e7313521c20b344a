"""The complaint procedure (投诉), Xinxiang e-supervision complaint measures 2010, declared
once. The states and the transitions between them are the django-fsm methods of
``Complaint``; each step and each open state's task is declared here."""

from django.utils.translation import gettext_lazy as _

from casework.kernel.citations import XINXIANG_COMPLAINTS as LAW
from casework.kernel.declaration import Procedure, Step, Task, register
from casework.kernel.payloads import Empty

from . import handlers as h
from . import payloads as p
from . import rules
from .models import Complaint, State

OPEN = frozenset(State.values) - {State.CLOSED, State.OUT_OF_SCOPE}

STEPS = [
    Step("accept", _("受理"), Empty, rules.OFFICE, h.accept, (LAW.art(4), LAW.art(5))),
    Step(
        "reject_out_of_scope",
        _("不属受理范围，转有管辖权部门"),
        p.RejectOutOfScope,
        rules.OFFICE,
        h.reject_out_of_scope,
        (LAW.art(4), LAW.art(5)),
        irreversible=True,
        guard=h.onsite_first,
    ),
    Step("verify", _("核实处理"), Empty, rules.OFFICE, h.verify, (LAW.art(5), LAW.art(7))),
    Step(
        "transfer",
        _("转办"),
        p.Transfer,
        rules.OFFICE,
        h.transfer,
        (LAW.art(5), LAW.art(6)),
        issues_documents=True,
    ),
    Step(
        "organ_report",
        _("承办机关报告办理结果"),
        p.OrganReport,
        rules.ORGAN,
        h.organ_report,
        (LAW.art(6),),
        # The organ reports on the day it reports; the office enters paper on the record.
        fields_for={"on": rules.OFFICE},
    ),
    Step(
        "decide",
        _("作出处理"),
        p.Decide,
        rules.OFFICE,
        h.decide,
        (LAW.art(7),),
        irreversible=True,
    ),
    Step(
        "give_feedback",
        _("反馈投诉人"),
        p.GiveFeedback,
        rules.OFFICE,
        h.give_feedback,
        (LAW.art(8),),
        guard=h.real_name,
        issues_documents=True,
    ),
    Step(
        "close",
        _("办结"),
        Empty,
        rules.OFFICE,
        h.close,
        (LAW.art(8),),
        irreversible=True,
        guard=h.may_close,
    ),
    # Recordings: facts recorded without changing the state.
    Step(
        "request_extension",
        _("申请延期"),
        p.RequestExtension,
        rules.EXTENSION_ASKER,
        h.request_extension,
        (LAW.art(5), LAW.art(6)),
        fields_for={"on": rules.OFFICE},
        during=frozenset(
            {State.ACCEPTED, State.TRANSFERRED, State.HANDLED_BY_ORGAN, State.VERIFYING}
        ),
        guard=h.extension_open_to,
    ),
    Step(
        "approve_extension",
        _("审批延期"),
        p.ApproveExtension,
        rules.EXTENSION_APPROVER,
        h.approve_extension,
        (LAW.art(6),),
        during=frozenset(
            {State.ACCEPTED, State.TRANSFERRED, State.HANDLED_BY_ORGAN, State.VERIFYING}
        ),
        guard=h.extension_pending,
    ),
    Step(
        "mark_urgent",
        _("标记紧急"),
        p.MarkUrgent,
        rules.OFFICE,
        h.mark_urgent,
        (LAW.art(5),),
        during=OPEN - {State.DECIDED, State.FEEDBACK_GIVEN},
        guard=h.not_yet_urgent,
    ),
    Step(
        "record_onsite_response",
        _("登记现场处置"),
        p.OnsiteResponse,
        rules.OFFICE,
        h.record_onsite_response,
        (LAW.art(5),),
        during=OPEN,
        guard=h.urgent,
    ),
    Step(
        "link_repeat",
        _("关联重复投诉"),
        p.LinkRepeat,
        rules.OFFICE,
        h.link_repeat,
        (LAW.art(6),),
        during=OPEN,
    ),
    Step(
        "add_note",
        _("登记核实意见"),
        p.AddNote,
        rules.OFFICE,
        h.add_note,
        (LAW.art(7),),
        during=OPEN,
    ),
]

TASKS = [
    Task(
        State.SUBMITTED,
        "examine_complaint",
        _("受理审查：受理，或不属受理范围的转有管辖权部门"),
        rules.OFFICE,
        (LAW.art(4), LAW.art(5)),
    ),
    Task(
        State.ACCEPTED,
        "route_complaint",
        _("自行核实，或在2个工作日内转承办机关"),
        rules.OFFICE,
        (LAW.art(5), LAW.art(6)),
    ),
    Task(
        State.TRANSFERRED,
        "organ_handling",
        _("承办机关办理并报送结果（可在期限届满前申请延期）"),
        rules.ORGAN,
        (LAW.art(6),),
        assign=rules.sole_organ_account,
    ),
    Task(
        State.HANDLED_BY_ORGAN,
        "review_organ_report",
        _("审查承办机关报告，进入核实处理"),
        rules.OFFICE,
        (LAW.art(6), LAW.art(7)),
    ),
    Task(
        State.VERIFYING,
        "decide_complaint",
        _("作出处理（15个工作日内）"),
        rules.OFFICE,
        (LAW.art(5), LAW.art(7)),
    ),
    Task(
        State.DECIDED,
        "feedback_or_close",
        _("向实名投诉人反馈处理结果（匿名投诉：办结）"),
        rules.OFFICE,
        (LAW.art(8),),
    ),
    Task(State.FEEDBACK_GIVEN, "close_complaint", _("办结"), rules.OFFICE, (LAW.art(8),)),
]

COMPLAINTS = register(
    Procedure(
        name="complaints",
        title=_("效能投诉"),
        law=LAW,
        model=Complaint,
        policy=rules,
        steps=STEPS,
        tasks=TASKS,
        openings={"submit": _("网上投诉"), "register": _("登记来信来访来电投诉")},
        messages={
            "cannot_view": _("无权查看该投诉。"),
            "not_allowed": _("您无权执行“%(action)s”。"),
            "stale": _("投诉已被他人更新（当前版本 %(version)s），请刷新后重试。"),
            "wrong_state": _("投诉当前状态为“%(state)s”，不能执行“%(action)s”。"),
            "before_last_act": _("办理日期不得早于上一办理日期（%(date)s）。"),
            "unknown_step": _("未知的操作：%(name)s"),
            "finished": _("已办结"),
        },
        describe=lambda complaint: _("投诉第%(number)s号") % {"number": complaint.pk},
        lock_related=("category", "transferred_to"),
    )
)
