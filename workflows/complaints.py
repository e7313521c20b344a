"""The viewflow flow of the complaint procedure (Xinxiang complaint measures, 2010): who does
which step next.

Each complaint has one process (viewflow's ``Process``, the complaint linked as its
``artifact``). As in the accountability flow, a router looks at the complaint's state and
opens the one human task that state calls for (procedures.md section 2): the complaints
office's queue for every step of its own, the receiving organ's people while the complaint
is transferred to it. The task screen calls ``services.transition``; the service, inside its
transaction, calls ``complaint_changed``, which completes the task whoever holds it, and the
router opens the task of the new state — or ends the process when the complaint is closed or
passed on as out of scope.

Confidentiality (art. 8): task titles, the process brief and the process data name the
complaint as "投诉第N号（类别）" and never hold the complainant's identity.

Lock order: the service locks the complaint row first, then ``complaint_changed`` locks the
process row (``select_for_update_lock``). Nothing here takes the process lock first.
"""

import logging

import rules
from django.contrib.auth.backends import BaseBackend
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.flow import FlowViewset
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from casework.complaints import rules as complaint_rules
from casework.complaints.models import Complaint, State
from casework.org.models import User
from casework.org.roles import Role

from . import artifacts
from .artifacts import OPEN
from .complaint_screens import ComplaintTask

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------
# Who may claim a task
# ---------------------------------------------------------------------------------------

# The complaints office (staff and head) claims the office's steps from its queue. A rules
# predicate, so ``user.has_perm`` answers it; ComplaintTaskPermissionBackend lists it, so that
# viewflow's queue shows the office its tasks.
ACT_AS_OFFICE = "complaints.act_as_office"
rules.set_perm(ACT_AS_OFFICE, rules.predicate(complaint_rules.is_office))

# The receiving organ (art. 6): one permission per department, so that the queue of the
# education bureau never lists what was transferred to the tax bureau.
ORGAN_PERMISSION_PREFIX = "complaints.act_for_department_"


def organ_permission(department_id) -> str:
    return f"{ORGAN_PERMISSION_PREFIX}{department_id}"


class ComplaintTaskPermissionBackend(BaseBackend):
    """Lists the complaint task permissions a person holds (viewflow selects a queue with
    ``owner_permission__in=user.get_all_permissions()``) and answers ``has_perm`` for them.
    It belongs in ``AUTHENTICATION_BACKENDS`` beside workflows.permissions'."""

    def get_all_permissions(self, user_obj, obj=None):
        if obj is not None or not user_obj.is_active or user_obj.is_anonymous:
            return set()
        if not hasattr(user_obj, "_complaint_task_perm_cache"):
            perms = set()
            if complaint_rules.is_office(user_obj):
                perms.add(ACT_AS_OFFICE)
            department_id = complaint_rules.organ_department_id(user_obj)
            if department_id is not None:
                perms.add(organ_permission(department_id))
            user_obj._complaint_task_perm_cache = perms
        return user_obj._complaint_task_perm_cache


def complaint_label(complaint_id, category_name) -> str:
    """How a task, a brief or a message names a complaint: never by its complainant."""
    return _("投诉第%(number)s号（%(category)s）") % {
        "number": complaint_id,
        "category": category_name,
    }


def _complaint_row(activation) -> dict:
    """The complaint's state and organ as stored now (read once per routing)."""
    if not hasattr(activation, "_complaint_row"):
        activation._complaint_row = (
            Complaint.objects.filter(pk=activation.process.artifact_object_id)
            .values("state", "transferred_to_id")
            .get()
        )
    return activation._complaint_row


def _organ_users(department_id):
    return User.objects.filter(
        is_active=True, official__department_id=department_id, official__active=True
    )


def _organ_permission(activation):
    return organ_permission(_complaint_row(activation)["transferred_to_id"])


def _only_organ_user(activation):
    """The organ's one account when it has exactly one (the task goes to that person's
    inbox); otherwise None: the task waits in the queue of the department's people."""
    users = list(_organ_users(_complaint_row(activation)["transferred_to_id"])[:2])
    return users[0] if len(users) == 1 else None


def _in(*states):
    def check(activation):
        return _complaint_row(activation)["state"] in states

    return check


# The one human task each open state calls for (procedures.md section 2).
TASK_FOR_STATE: dict[str, str] = {
    State.SUBMITTED: "examine_complaint",
    State.ACCEPTED: "route_complaint",
    State.TRANSFERRED: "organ_handling",
    State.HANDLED_BY_ORGAN: "review_organ_report",
    State.VERIFYING: "decide_complaint",
    State.DECIDED: "feedback_or_close",
    State.FEEDBACK_GIVEN: "close_complaint",
}
FINAL_STATES = (State.CLOSED, State.OUT_OF_SCOPE)
ORGAN_TASKS = frozenset({"organ_handling"})


def expected_task_name(state: str) -> str | None:
    """The node of the open task a complaint in ``state`` must have (None: finished)."""
    return TASK_FOR_STATE.get(state)


def _router():
    switch = flow.Switch().Annotation(title=gettext_lazy("按投诉状态确定下一环节"))
    for state, name in TASK_FOR_STATE.items():
        switch.Case(getattr(this, name), _in(state))
    return switch.Case(this.end, _in(*FINAL_STATES))


def _task(title, description=""):
    return (
        ComplaintTask(this.task_screen)
        .Annotation(
            title=title,
            description=description,
            summary_template="{{ process.data.title }}",
        )
        .Next(this.route)
    )


class ComplaintFlow(flow.Flow):
    """效能投诉

    新乡市电子监察投诉处理：每件投诉一个流程，按投诉状态开启当前环节的待办任务。
    """

    # viewflow stores a flow as "<app label>/<module>.<class>" and imports it back from an
    # installed app; workflows/ is not one, so the flow is known by the module that
    # re-exports it in the complaints app.
    __module__ = "casework.complaints.flows"

    process_title = gettext_lazy("效能投诉")
    process_description = gettext_lazy("新乡市电子监察投诉处理（2010）")
    process_summary_template = "{{ process.data.title }}（{{ process.data.department }}）"
    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle(this.start_complaint).Next(this.route)

    route = _router()

    # --- the complaints office ----------------------------------------------------------
    examine_complaint = _task(
        gettext_lazy("受理审查：受理，或不属受理范围的转有管辖权部门"),
        gettext_lazy("第四条、第五条"),
    ).Permission(ACT_AS_OFFICE)
    route_complaint = _task(
        gettext_lazy("自行核实，或在2个工作日内转承办机关"), gettext_lazy("第五条、第六条")
    ).Permission(ACT_AS_OFFICE)
    review_organ_report = _task(
        gettext_lazy("审查承办机关报告，进入核实处理"), gettext_lazy("第六条、第七条")
    ).Permission(ACT_AS_OFFICE)
    decide_complaint = _task(
        gettext_lazy("作出处理（15个工作日内）"), gettext_lazy("第五条、第七条")
    ).Permission(ACT_AS_OFFICE)
    feedback_or_close = _task(
        gettext_lazy("向实名投诉人反馈处理结果（匿名投诉：办结）"), gettext_lazy("第八条")
    ).Permission(ACT_AS_OFFICE)
    close_complaint = _task(gettext_lazy("办结"), gettext_lazy("第八条")).Permission(ACT_AS_OFFICE)

    # --- the receiving organ ----------------------------------------------------------------
    organ_handling = (
        _task(
            gettext_lazy("承办机关办理并报送结果（可在期限届满前申请延期）"),
            gettext_lazy("第六条"),
        )
        .Assign(_only_organ_user)
        .Permission(_organ_permission)
    )

    end = flow.End()

    def start_complaint(self, activation, complaint, actor):
        process = activation.process
        process.artifact = complaint
        process.data = {
            "complaint": complaint.pk,
            "title": complaint_label(complaint.pk, complaint.category.name),
            "department": complaint.respondent_department.name,
        }
        activation.task.owner = actor
        return process

    @property
    def task_screen(self):
        from .complaint_screens import ComplaintTaskScreen

        return ComplaintTaskScreen.as_view()

    # --- who may see what ------------------------------------------------------------------

    def has_view_permission(self, user, obj=None):
        """Everyone who may act on complaints finds their tasks in the inbox and the queue; a
        given process (its task list names the staff who acted) only the office, the
        supervision bureau and administrators who may see the complaint (art. 8)."""
        if not (user and user.is_authenticated):
            return False
        if obj is not None:
            if not _staff(user):
                return False
            complaint = Complaint.objects.filter(pk=obj.artifact_object_id).first()
            return complaint is not None and complaint_rules.can_view(user, complaint)
        return _staff(user) or complaint_rules.organ_department_id(user) is not None

    def has_manage_permission(self, user, obj=None):
        """Cancelling, undoing or reviving tasks by hand is for administrators only: the
        services complete the tasks, and check_complaint_workflow reports what a hand
        changed."""
        return bool(
            user
            and user.is_authenticated
            and (user.is_superuser or user.has_role(Role.ADMINISTRATOR))
        )


def _staff(user) -> bool:
    """Who sees a complaint's workflow as staff (as casework/api/complaints.py does)."""
    return bool(
        user.is_superuser or complaint_rules.is_office(user) or user.has_role(Role.SUPERVISION)
    )


class ComplaintFlowViewset(FlowViewset):
    """The flow's dashboard, process and task lists show every complaint: the office, the
    supervision bureau and administrators only. An organ reaches its tasks through the
    inbox and the queue."""

    title = gettext_lazy("效能投诉流程")

    def has_view_permission(self, user, obj=None):
        return bool(user.is_authenticated and _staff(user))


# ---------------------------------------------------------------------------------------
# Called by casework.complaints.services inside its transaction
# ---------------------------------------------------------------------------------------


def live_processes(complaints=None):
    """The processes not cancelled of ``complaints`` (a queryset; default: every one)."""
    return artifacts.live_processes(ComplaintFlow, Complaint, complaints)


def process_for(complaint):
    """The complaint's process: the latest one not cancelled (a repair cancels and
    restarts)."""
    return artifacts.process_for(ComplaintFlow, complaint)


open_tasks = artifacts.open_tasks


def open_task(complaint):
    """The complaint's open human task, or None (finished, or the workflow needs repair)."""
    return artifacts.open_task(process_for(complaint))


def complaint_registered(complaint, actor):
    """Start the complaint's process: the router opens the office's first task. ``actor``
    is None for a citizen's complaint from the portal."""
    return ComplaintFlow.start.run(complaint=complaint, actor=actor)


def complaint_changed(complaint, actor, action):
    """The complaint has just made transition ``action``: complete its open task (whoever
    holds it — rules.py allowed the act, the task only says who is expected to act) as done
    by ``actor``; the router then opens the task of the new state, or ends the process."""
    process = process_for(complaint)
    tasks = list(open_tasks(process).order_by("id")) if process is not None else []
    if len(tasks) != 1:
        # Someone changed the tasks by hand (check_complaint_workflow reports it): start
        # afresh from the complaint's state rather than refuse an act the law allows.
        logger.warning(
            "complaint %s: %d open tasks before %s; restarting its process",
            complaint.pk,
            len(tasks),
            action,
        )
        restart(complaint, actor)
        return
    # A queue task taken over by a colleague is reassigned first: the archive shows who
    # really acted.
    artifacts.complete(tasks[0], actor, action)


def restart(complaint, actor):
    """Cancel the complaint's process (if any) and start a new one at its state."""
    with transaction.atomic():
        process = process_for(complaint)
        if process is not None:
            ComplaintFlow.instance.cancel(process)
        complaint_registered(complaint, actor)


# ---------------------------------------------------------------------------------------
# The check: for every complaint, the open tasks are exactly those its state calls for
# ---------------------------------------------------------------------------------------


def check_consistency(complaints=None) -> list[str]:
    """Problems found, one line each (empty: consistent). Open complaint: one live process
    with exactly one open human task, of the node its state calls for, held by a person or
    claimable by a role — the organ's task by the organ to which it was transferred.
    Finished complaint: no open task, process done. A fixed number of queries."""
    live = live_processes(complaints)
    processes: dict[int, list] = {}
    for process in live.order_by("id"):
        processes.setdefault(process.artifact_object_id, []).append(process)
    tasks: dict[int, list] = {}
    for task in (
        Task.objects.filter(process__in=live.values("pk"), status__in=(*OPEN, STATUS.ERROR))
        .select_related("owner__official")
        .order_by("id")
    ):
        tasks.setdefault(task.process_id, []).append(task)
    complaints = complaints if complaints is not None else Complaint.objects.all()
    staffed = set(
        User.objects.filter(is_active=True, official__active=True)
        .values_list("official__department_id", flat=True)
        .distinct()
    )

    problems = []
    rows = complaints.order_by("pk").values_list("pk", "state", "transferred_to_id")
    for pk, state, organ_id in rows:
        label = _("投诉第%(number)s号") % {"number": pk}
        live = processes.get(pk, [])
        if not live:
            problems.append(_("%(complaint)s：没有流程。") % {"complaint": label})
            continue
        if len(live) > 1:
            problems.append(
                _("%(complaint)s：有 %(count)s 个未撤销的流程。")
                % {"complaint": label, "count": len(live)}
            )
        process = live[-1]
        pending = tasks.get(process.pk, [])
        failed = [t for t in pending if t.status == STATUS.ERROR]
        human = [t for t in pending if t.status != STATUS.ERROR and t.flow_task_type == "HUMAN"]
        for task in failed:
            problems.append(
                _("%(complaint)s：环节 %(task)s 出错。")
                % {"complaint": label, "task": task.flow_task.name}
            )
        expected = expected_task_name(state)
        if expected is None:
            if human:
                problems.append(
                    _("%(complaint)s 已办结，仍有待办环节：%(tasks)s。")
                    % {"complaint": label, "tasks": "、".join(t.flow_task.name for t in human)}
                )
            if process.status != PROCESS.DONE:
                problems.append(_("%(complaint)s 已办结，流程未结束。") % {"complaint": label})
            continue
        if len(human) != 1:
            problems.append(
                _("%(complaint)s（%(state)s）：应有 1 个待办环节 %(expected)s，实有 %(count)s 个。")
                % {"complaint": label, "state": state, "expected": expected, "count": len(human)}
            )
            continue
        task = human[0]
        if task.flow_task.name != expected:
            problems.append(
                _("%(complaint)s（%(state)s）：待办环节应为 %(expected)s，实为 %(actual)s。")
                % {
                    "complaint": label,
                    "state": state,
                    "expected": expected,
                    "actual": task.flow_task.name,
                }
            )
            continue
        if task.owner_id is None and not task.owner_permission:
            problems.append(
                _("%(complaint)s：待办环节 %(task)s 既无办理人也无可领取的角色。")
                % {"complaint": label, "task": task.flow_task.name}
            )
        if expected in ORGAN_TASKS:
            problems.extend(_organ_task_problems(label, task, organ_id, staffed))
        elif task.owner_permission != ACT_AS_OFFICE:
            problems.append(
                _("%(complaint)s：待办环节 %(task)s 应由效能投诉中心领取。")
                % {"complaint": label, "task": task.flow_task.name}
            )
    return problems


def _organ_task_problems(label, task, organ_id, staffed) -> list[str]:
    """The organ's task is for the organ the complaint was transferred to, and someone
    there can act on it."""
    problems = []
    if task.owner_permission != organ_permission(organ_id):
        problems.append(
            _("%(complaint)s：承办环节不在承办机关的待办队列中。") % {"complaint": label}
        )
    if task.owner_id is not None:
        official = getattr(task.owner, "official", None)
        if official is None or official.department_id != organ_id:
            problems.append(
                _("%(complaint)s：承办环节的办理人不属于承办机关。") % {"complaint": label}
            )
    elif organ_id not in staffed:
        problems.append(_("%(complaint)s：承办机关没有可以办理的系统账号。") % {"complaint": label})
    return problems


def repair(actor, complaints=None) -> list[int]:
    """Restart the process of every inconsistent complaint; returns the numbers repaired."""
    queryset = complaints if complaints is not None else Complaint.objects.all()
    repaired = []
    for pk in queryset.order_by("pk").values_list("pk", flat=True):
        if check_consistency(Complaint.objects.filter(pk=pk)):
            with transaction.atomic():
                locked = (
                    Complaint.objects.select_for_update(of=("self",))
                    .select_related("category", "respondent_department")
                    .get(pk=pk)
                )
                restart(locked, actor)
            repaired.append(pk)
    return repaired
