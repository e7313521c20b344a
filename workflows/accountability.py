"""The viewflow flow of the accountability procedure: who does which step next.

Each case has one process (viewflow's ``Process``, the case linked as its ``artifact``). The
process is a loop: a router looks at the case's state and opens the one human task that state
calls for (procedures.md 1.3); the task's screen calls ``services.transition``; the service,
inside its transaction, calls ``case_changed``, which completes the task whoever holds it, and
the router opens the task of the new state — or ends the process when the case is closed.

Lock order: the service locks the case row first, then ``case_changed`` locks the process row
(``select_for_update_lock``). Nothing here takes the process lock before the case lock.
"""

import logging

import rules
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.flow import FlowViewset
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from casework.accountability import rules as case_rules
from casework.accountability.models import AccountabilityCase, State
from casework.org.models import Delegation
from casework.org.roles import Role
from casework.org.rules import acts_as_mayor

from . import artifacts
from .artifacts import OPEN
from .screens import CaseTask, TaskScreen

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------
# Who may claim a task: permissions answered by ``rules`` (AUTHENTICATION_BACKENDS holds
# rules.permissions.ObjectPermissionBackend). The mayor's acts may be done by a vice-mayor
# or the secretary-general holding a recorded delegation for the scope (Nanchong art. 6).
# ---------------------------------------------------------------------------------------

ACT_AS_MAYOR = "accountability.act_as_mayor"
ACT_AS_MAYOR_ON_REPORTS = "accountability.act_as_mayor_on_reports"
ACT_AS_MAYOR_ON_REVIEW = "accountability.act_as_mayor_on_review"
ACT_AS_SUPERVISION = "accountability.act_as_supervision"
ACT_AS_SECRETARIAT = "accountability.act_as_secretariat"
ACT_AS_LEGAL = "accountability.act_as_legal"


def _mayor(scope):
    @rules.predicate
    def check(user):
        return acts_as_mayor(user, scope)

    return check


def _role(role):
    @rules.predicate
    def check(user):
        return bool(user and user.is_authenticated and user.has_role(role))

    return check


TASK_PERMISSIONS = {
    ACT_AS_MAYOR: _mayor(Delegation.Scope.ACCOUNTABILITY),
    ACT_AS_MAYOR_ON_REPORTS: _mayor(Delegation.Scope.HEAR_REPORT),
    ACT_AS_MAYOR_ON_REVIEW: _mayor(Delegation.Scope.REVIEW),
    ACT_AS_SUPERVISION: _role(Role.SUPERVISION),
    ACT_AS_SECRETARIAT: _role(Role.SECRETARIAT),
    ACT_AS_LEGAL: _role(Role.LEGAL_AFFAIRS),
}
for _name, _predicate in TASK_PERMISSIONS.items():
    rules.set_perm(_name, _predicate)


def _official_user(activation):
    """The account of the official concerned (None when the official has no account: the
    task then waits in the queue of the fallback role given with ``.Permission``)."""
    case = AccountabilityCase.objects.select_related("official__user").get(
        pk=activation.process.artifact_object_id
    )
    return case.official.user


def _state(activation) -> str:
    """The case's state as stored now (read once per routing, never from a cached object)."""
    if not hasattr(activation, "_case_state"):
        activation._case_state = (
            AccountabilityCase.objects.filter(pk=activation.process.artifact_object_id)
            .values_list("state", flat=True)
            .get()
        )
    return activation._case_state


def _in(state):
    def check(activation):
        return _state(activation) == state

    return check


# The one human task each open state calls for (procedures.md 1.3); ``closed`` ends the process.
TASK_FOR_STATE: dict[str, str] = {
    State.PROPOSED: "consider_proposal",
    State.INITIATED: "direct_inquiry",
    State.REPORT_ORDERED: "hear_report",
    State.INVESTIGATING: "investigate",
    State.FINDINGS_NOTIFIED: "object_to_findings",
    State.FINDINGS_CLOSED: "report_findings",
    State.REPORT_SUBMITTED: "decide_on_report",
    State.NOT_ACCOUNTABLE: "close_not_accountable",
    State.AWAITING_MEETING: "schedule_meeting",
    State.SCHEDULED: "record_deliberation",
    State.DELIBERATED: "decide",
    State.DECIDED: "serve_decision",
    State.PROPOSAL_SENT: "close_proposal",
    State.SERVED: "review_window",
    State.REVIEW_REQUESTED: "decide_review_request",
    State.UNDER_REVIEW: "review",
    State.REVIEW_REPORTED: "review_decide",
    State.FINAL: "execute_and_close",
}


def expected_task_name(state: str) -> str | None:
    """The node of the open task a case in ``state`` must have (None: closed, no task)."""
    return TASK_FOR_STATE.get(state)


def _router():
    switch = flow.Switch().Annotation(title=gettext_lazy("按案件状态确定下一环节"))
    for state, name in TASK_FOR_STATE.items():
        switch.Case(getattr(this, name), _in(state))
    return switch.Case(this.end, _in(State.CLOSED))


def _task(title, description=""):
    return (
        CaseTask(TaskScreen.as_view())
        .Annotation(
            title=title,
            description=description,
            summary_template="{{ process.data.number }} {{ process.data.official }}",
        )
        .Next(this.route)
    )


class AccountabilityFlow(flow.Flow):
    """问责案件

    南充市政府部门行政首长问责：每个案件一个流程，按案件状态开启当前环节的待办任务。
    """

    # viewflow stores a flow as "<app label>/<module>.<class>" and imports it back from an
    # installed app; workflows/ is not one, so the flow is known by the module that
    # re-exports it in the accountability app.
    __module__ = "casework.accountability.flows"

    process_title = gettext_lazy("问责案件")
    process_description = gettext_lazy("南充市政府部门行政首长问责（2004）")
    process_summary_template = (
        "{{ process.data.number }} {{ process.data.official }}（{{ process.data.department }}）"
    )
    lock_impl = lock.select_for_update_lock

    start = (
        flow.StartHandle(this.start_case)
        .Annotation(title=gettext_lazy("登记问责案件"))
        .Next(this.route)
    )

    route = _router()

    # --- the mayor, or a vice-mayor / secretary-general by delegation -------------------
    consider_proposal = _task(
        gettext_lazy("审查问责线索，决定是否启动问责"), gettext_lazy("第五条")
    ).Permission(ACT_AS_MAYOR)
    direct_inquiry = _task(
        gettext_lazy("决定办理方式：责成汇报、调查核实或提交常务会议"), gettext_lazy("第六条")
    ).Permission(ACT_AS_MAYOR)
    hear_report = _task(gettext_lazy("听取当面汇报"), gettext_lazy("第六条")).Permission(
        ACT_AS_MAYOR_ON_REPORTS
    )
    decide_on_report = _task(
        gettext_lazy("审定调查报告：不予问责或提交常务会议"), gettext_lazy("第十条、第十一条")
    ).Permission(ACT_AS_MAYOR)
    decide = _task(
        gettext_lazy("作出问责决定（垂直管理部门：提出问责建议）"),
        gettext_lazy("第十二条、第十三条、第二十二条"),
    ).Permission(ACT_AS_MAYOR)
    decide_review_request = _task(
        gettext_lazy("决定是否受理复核申请"), gettext_lazy("第十四条、第十五条")
    ).Permission(ACT_AS_MAYOR_ON_REVIEW)
    review_decide = _task(gettext_lazy("作出复核决定"), gettext_lazy("第十六条")).Permission(
        ACT_AS_MAYOR_ON_REVIEW
    )

    # --- the supervision bureau ----------------------------------------------------------
    investigate = _task(
        gettext_lazy("调查核实，书面告知调查结果"), gettext_lazy("第七条至第九条")
    ).Permission(ACT_AS_SUPERVISION)
    report_findings = _task(
        gettext_lazy("提交调查报告及问责建议"), gettext_lazy("第九条")
    ).Permission(ACT_AS_SUPERVISION)
    serve_decision = _task(gettext_lazy("送达问责决定书"), gettext_lazy("第十二条")).Permission(
        ACT_AS_SUPERVISION
    )

    # --- the official concerned (the fallback role acts when the period has run out) -----
    object_to_findings = (
        _task(gettext_lazy("对调查结果提出异议"), gettext_lazy("第八条：异议期5个工作日"))
        .Assign(_official_user)
        .Permission(ACT_AS_SUPERVISION)
    )
    review_window = (
        _task(gettext_lazy("申请复核（收到决定之日起10个工作日内）"), gettext_lazy("第十四条"))
        .Assign(_official_user)
        .Permission(ACT_AS_SECRETARIAT)
    )

    # --- the secretariat -------------------------------------------------------------------
    close_not_accountable = _task(
        gettext_lazy("送达不予问责告知书，结案"), gettext_lazy("第十条")
    ).Permission(ACT_AS_SECRETARIAT)
    schedule_meeting = _task(gettext_lazy("列入常务会议议程"), gettext_lazy("第十一条")).Permission(
        ACT_AS_SECRETARIAT
    )
    record_deliberation = _task(
        gettext_lazy("登记常务会议讨论情况"), gettext_lazy("第十一条")
    ).Permission(ACT_AS_SECRETARIAT)
    close_proposal = _task(
        gettext_lazy("问责建议已发出，结案"), gettext_lazy("第二十二条")
    ).Permission(ACT_AS_SECRETARIAT)
    execute_and_close = _task(
        gettext_lazy("登记执行情况，结案"), gettext_lazy("第十三条")
    ).Permission(ACT_AS_SECRETARIAT)

    # --- the legal affairs office ------------------------------------------------------------
    review = _task(
        gettext_lazy("复核并提交复核报告"), gettext_lazy("第十五条：20个工作日")
    ).Permission(ACT_AS_LEGAL)

    end = flow.End().Annotation(title=gettext_lazy("结案"))

    def start_case(self, activation, case, actor):
        process = activation.process
        process.artifact = case
        process.data = {
            "case": case.pk,
            "number": case.number,
            "official": case.official.name,
            "department": case.department.name,
        }
        activation.task.owner = actor
        return process

    # --- who may see what ------------------------------------------------------------------

    def has_view_permission(self, user, obj=None):
        """Staff of the procedure and officials (their own inbox); for a given process, only
        someone who may see its case (Liupanshui art. 12)."""
        if not (user and user.is_authenticated):
            return False
        if obj is not None:
            case = AccountabilityCase.objects.filter(pk=obj.artifact_object_id).first()
            return case is not None and case_rules.can_view(user, case)
        return user.is_superuser or user.has_role(*case_rules.STAFF_ROLES, Role.OFFICIAL)

    def has_manage_permission(self, user, obj=None):
        """Cancelling, undoing or reviving tasks by hand is for administrators only: the
        services complete the tasks, and ``check_workflow`` reports what a hand changed."""
        return bool(
            user
            and user.is_authenticated
            and (user.is_superuser or user.has_role(Role.ADMINISTRATOR))
        )


class AccountabilityFlowViewset(FlowViewset):
    """The flow's dashboard, process and task lists show every case: staff only. Officials
    reach their own tasks through the inbox."""

    title = gettext_lazy("问责案件流程")

    def has_view_permission(self, user, obj=None):
        return bool(
            user.is_authenticated and (user.is_superuser or user.has_role(*case_rules.STAFF_ROLES))
        )


# ---------------------------------------------------------------------------------------
# Called by casework.accountability.services inside its transaction
# ---------------------------------------------------------------------------------------


def live_processes(cases=None):
    """The processes not cancelled of ``cases`` (a queryset; default: every case)."""
    return artifacts.live_processes(AccountabilityFlow, AccountabilityCase, cases)


def process_for(case):
    """The case's process: the latest one not cancelled (a repair cancels and restarts)."""
    return artifacts.process_for(AccountabilityFlow, case)


open_tasks = artifacts.open_tasks


def open_task(case):
    """The case's open human task, or None (closed, or the workflow needs repair)."""
    return artifacts.open_task(process_for(case))


def case_registered(case, actor):
    """Start the case's process: the router opens the task of its first state."""
    return AccountabilityFlow.start.run(case=case, actor=actor)


def case_changed(case, actor, action):
    """The case has just made transition ``action``: complete its open task (whoever holds
    it — the act was allowed by rules.py, the task only says who is expected to act) as done
    by ``actor``; the router then opens the task of the new state, or ends the process."""
    process = process_for(case)
    tasks = list(open_tasks(process).order_by("id")) if process is not None else []
    if len(tasks) != 1:
        # Someone changed the tasks by hand (check_workflow reports it): start afresh from
        # the case's state rather than refuse an act the law allows.
        logger.warning(
            "case %s: %d open tasks before %s; restarting its process",
            case.number,
            len(tasks),
            action,
        )
        restart(case, actor)
        return
    # The official's task completed by the bureau when the period has run out, or a queue
    # task taken over, is reassigned first: the archive shows who really acted.
    artifacts.complete(tasks[0], actor, action)


def restart(case, actor):
    """Cancel the case's process (if any) and start a new one at the case's state."""
    with transaction.atomic():
        process = process_for(case)
        if process is not None:
            AccountabilityFlow.instance.cancel(process)
        case_registered(case, actor)


# ---------------------------------------------------------------------------------------
# The check: for every case, the open tasks are exactly those its state calls for
# ---------------------------------------------------------------------------------------


def check_consistency(cases=None) -> list[str]:
    """Problems found, one line each (empty: consistent). Open case: one live process with
    exactly one open human task, of the node its state calls for, held by a person or
    claimable by a role. Closed case: no open task, process finished. Four queries."""
    live = live_processes(cases)
    processes: dict[int, list] = {}
    for process in live.order_by("id"):
        processes.setdefault(process.artifact_object_id, []).append(process)
    tasks: dict[int, list] = {}
    for task in Task.objects.filter(
        process__in=live.values("pk"), status__in=(*OPEN, STATUS.ERROR)
    ).order_by("id"):
        tasks.setdefault(task.process_id, []).append(task)
    cases = cases if cases is not None else AccountabilityCase.objects.all()

    problems = []
    for pk, number, state in cases.order_by("pk").values_list("pk", "number", "state"):
        live = processes.get(pk, [])
        if not live:
            problems.append(_("案件 %(number)s：没有流程。") % {"number": number})
            continue
        if len(live) > 1:
            problems.append(
                _("案件 %(number)s：有 %(count)s 个未撤销的流程。")
                % {"number": number, "count": len(live)}
            )
        process = live[-1]
        pending = tasks.get(process.pk, [])
        failed = [t for t in pending if t.status == STATUS.ERROR]
        human = [t for t in pending if t.status != STATUS.ERROR and t.flow_task_type == "HUMAN"]
        for task in failed:
            problems.append(
                _("案件 %(number)s：环节 %(task)s 出错。")
                % {"number": number, "task": task.flow_task.name}
            )
        expected = expected_task_name(state)
        if expected is None:
            if human:
                problems.append(
                    _("案件 %(number)s 已结案，仍有待办环节：%(tasks)s。")
                    % {"number": number, "tasks": "、".join(t.flow_task.name for t in human)}
                )
            if process.status != PROCESS.DONE:
                problems.append(_("案件 %(number)s 已结案，流程未结束。") % {"number": number})
            continue
        if len(human) != 1:
            problems.append(
                _(
                    "案件 %(number)s（%(state)s）：应有 1 个待办环节 %(expected)s，"
                    "实有 %(count)s 个。"
                )
                % {"number": number, "state": state, "expected": expected, "count": len(human)}
            )
            continue
        task = human[0]
        if task.flow_task.name != expected:
            problems.append(
                _("案件 %(number)s（%(state)s）：待办环节应为 %(expected)s，实为 %(actual)s。")
                % {
                    "number": number,
                    "state": state,
                    "expected": expected,
                    "actual": task.flow_task.name,
                }
            )
        if task.owner_id is None and not task.owner_permission:
            problems.append(
                _("案件 %(number)s：待办环节 %(task)s 既无办理人也无可领取的角色。")
                % {"number": number, "task": task.flow_task.name}
            )
    return problems


def repair(actor, cases=None) -> list[str]:
    """Restart the process of every inconsistent case; returns the numbers repaired."""
    queryset = cases if cases is not None else AccountabilityCase.objects.all()
    repaired = []
    for case in queryset.select_related("official", "department").order_by("pk"):
        if check_consistency(AccountabilityCase.objects.filter(pk=case.pk)):
            with transaction.atomic():
                locked = AccountabilityCase.objects.select_for_update().get(pk=case.pk)
                restart(locked, actor)
            repaired.append(case.number)
    return repaired
