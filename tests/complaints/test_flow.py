"""Each open state of docs/complaints.md has exactly one open task, in the complaints office's queue
or with the organ the complaint was transferred to; the services complete it and open the next. Task
titles and briefs never name the complainant (Xinxiang complaints art. 8)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS

from casework.complaints.declaration import COMPLAINTS
from casework.complaints.models import Complaint, State
from casework.exceptions import NotAllowed
from workflows import complaints as workflow
from workflows.complaints import ComplaintFlow

from .conftest import EMAIL, NAME, PHONE

pytestmark = pytest.mark.django_db

EVERYONE = (
    "complaints",
    "complaints_head",
    "staff_education",
    "head_education",
    "head_transport",
    "head_tax",
    "investigator",
    "mayor",
    "vicemayor",
    "secretariat",
    "legal",
    "admin",
)
OFFICE = ("complaints", "complaints_head")


def open_human_tasks(complaint):
    return list(workflow.open_tasks(workflow.process_for(complaint)))


def queue(user):
    return set(Task.objects.queue([ComplaintFlow], user).values_list("pk", flat=True))


def inbox(user):
    return set(Task.objects.inbox([ComplaintFlow], user).values_list("pk", flat=True))


@pytest.fixture
def expect_task(people):
    """expect_task(complaint, "examine_complaint") — the office's queue by default — or
    claimable=("head_education", "staff_education"), or held_by="head_transport": exactly
    one open task, of that node, in the right queue or inbox and in nobody else's; and the
    whole check_consistency() passes."""

    def _expect(complaint, name, claimable=OFFICE, held_by=None):
        complaint.refresh_from_db()
        tasks = open_human_tasks(complaint)
        assert [t.flow_task.name for t in tasks] == [name], complaint.state
        assert COMPLAINTS.task_for(complaint.state).node == name
        task = tasks[0]
        if held_by:
            assert task.owner == people[held_by] and task.status == STATUS.ASSIGNED
            assert task.pk in inbox(people[held_by])
            allowed = {held_by}
        else:
            assert task.owner is None and task.status == STATUS.NEW
            assert task.owner_permission, "a queue task must name who may claim it"
            for username in claimable:
                assert task.pk in queue(people[username]), username
                assert people[username].has_perm(task.owner_permission), username
                assert task.flow_task.can_assign(people[username], task), username
            allowed = set(claimable)
        for username in set(EVERYONE) - allowed:
            user = people[username]
            assert task.pk not in inbox(user), username
            if username == "admin":
                # viewflow lists every queue task to a superuser (titles and briefs only,
                # no identity); claiming one is refused by ComplaintTask.can_assign.
                assert not task.flow_task.can_assign(user, task)
                continue
            assert task.pk not in queue(user), username
            if not held_by:
                assert not task.flow_task.can_assign(user, task), username
        assert workflow.check_consistency() == []
        return task

    return _expect


def test_every_open_state_calls_for_one_task_and_the_final_states_for_none():
    assert set(COMPLAINTS.tasks) == set(State.values) - {State.CLOSED, State.OUT_OF_SCOPE}
    for state in (State.CLOSED, State.OUT_OF_SCOPE):
        assert COMPLAINTS.task_for(state) is None
    names = {node.name for node in ComplaintFlow.instance.nodes()}
    assert {task.node for task in COMPLAINTS.tasks.values()} <= names


def test_no_task_is_left_without_a_person_or_a_role():
    for task in COMPLAINTS.tasks.values():
        node = ComplaintFlow.instance.node(task.node)
        name = task.node
        assert node._owner_permission or node._owner, name


def test_transferred_complaint_moves_task_by_task_to_the_end(
    citizen_complaint, act, people, expect_task
):
    complaint = citizen_complaint()
    first = expect_task(complaint, "examine_complaint")
    process = workflow.process_for(complaint)
    assert process.artifact == complaint
    complaint = act(complaint, "accept", "complaints")
    first.refresh_from_db()
    assert first.status == STATUS.DONE and first.owner == people["complaints"]
    expect_task(complaint, "route_complaint")
    complaint = act(complaint, "transfer", "complaints", organ="education")
    # Two accounts at the education bureau: the task waits in their queue, nobody else's.
    organ_task = expect_task(
        complaint, "organ_handling", claimable=("head_education", "staff_education")
    )
    assert organ_task.owner_permission == workflow.organ_permission(complaint.transferred_to_id)
    complaint = act(complaint, "organ_report", "staff_education", report="已批评教育相关人员")
    organ_task.refresh_from_db()
    assert organ_task.status == STATUS.DONE and organ_task.owner == people["staff_education"]
    expect_task(complaint, "review_organ_report")
    complaint = act(complaint, "verify", "complaints")
    expect_task(complaint, "decide_complaint")
    complaint = act(complaint, "decide", "complaints", outcome="unfounded", text="已整改")
    expect_task(complaint, "feedback_or_close")
    complaint = act(complaint, "give_feedback", "complaints", text="已处理")
    expect_task(complaint, "close_complaint")
    complaint = act(complaint, "close", "complaints_head")
    assert complaint.state == State.CLOSED
    assert open_human_tasks(complaint) == []
    assert workflow.process_for(complaint).status == PROCESS.DONE
    assert workflow.check_consistency() == []


def test_a_department_with_one_account_gets_the_task_in_its_inbox(
    citizen_complaint, act, expect_task
):
    complaint = citizen_complaint(respondent_department="transport")
    complaint = act(complaint, "accept", "complaints")
    complaint = act(complaint, "transfer", "complaints", organ="transport")
    task = expect_task(complaint, "organ_handling", held_by="head_transport")
    # The permission stays on the task: a colleague added later may still act.
    assert task.owner_permission == workflow.organ_permission(complaint.transferred_to_id)
    complaint = act(complaint, "organ_report", "head_transport", report="已整改")
    expect_task(complaint, "review_organ_report")


def test_anonymous_complaint_closes_straight_after_the_decision(
    citizen_complaint, act, expect_task
):
    complaint = citizen_complaint(real_name=False)
    complaint = act(complaint, "accept", "complaints")
    complaint = act(complaint, "verify", "complaints")
    complaint = act(complaint, "decide", "complaints", outcome="unfounded", text="不属实")
    expect_task(complaint, "feedback_or_close")
    complaint = act(complaint, "close", "complaints")
    assert open_human_tasks(complaint) == []
    assert workflow.process_for(complaint).status == PROCESS.DONE
    assert workflow.check_consistency() == []


def test_out_of_scope_ends_the_process(citizen_complaint, act):
    complaint = citizen_complaint()
    complaint = act(
        complaint,
        "reject_out_of_scope",
        "complaints",
        competent_department="市市场监督管理局",
        notice="您反映的问题属市场监管部门职责，已转交。",
    )
    assert complaint.state == State.OUT_OF_SCOPE
    assert open_human_tasks(complaint) == []
    assert workflow.process_for(complaint).status == PROCESS.DONE
    assert workflow.check_consistency() == []


def test_recordings_leave_the_task_where_it_is(citizen_complaint, act, people, expect_task):
    import datetime

    complaint = citizen_complaint()
    complaint = act(complaint, "accept", "complaints")
    complaint = act(complaint, "mark_urgent", "complaints", reason="正在发生")
    complaint = act(
        complaint,
        "record_onsite_response",
        "complaints",
        text="已到场处置",
        responders="投诉中心 王某",
    )
    complaint = act(complaint, "add_note", "complaints", text="电话核实")
    expect_task(complaint, "route_complaint")
    complaint = act(complaint, "transfer", "complaints", organ="education")
    task = expect_task(complaint, "organ_handling", claimable=("head_education", "staff_education"))
    new_due = complaint.deadlines.get(kind="organ_report").due + datetime.timedelta(days=10)
    complaint = act(
        complaint, "request_extension", "staff_education", reason="需逐一核查", new_due=new_due
    )
    complaint = act(complaint, "approve_extension", "complaints_head", approve=True, reason="同意")
    assert expect_task(
        complaint, "organ_handling", claimable=("head_education", "staff_education")
    ) == (task)


def test_a_colleague_of_the_office_may_take_over_a_claimed_task(citizen_complaint, act, people):
    complaint = citizen_complaint()
    (task,) = open_human_tasks(complaint)
    with task.activation() as activation:
        activation.assign(people["complaints"])
    assert task.pk in inbox(people["complaints"])
    complaint = act(complaint, "accept", "complaints_head")
    task.refresh_from_db()
    assert task.status == STATUS.DONE and task.owner == people["complaints_head"]
    assert task.data["held_by"] == people["complaints"].pk
    assert workflow.check_consistency() == []


def test_a_wrong_act_changes_no_task(citizen_complaint, act):
    complaint = citizen_complaint()
    (task,) = open_human_tasks(complaint)
    with pytest.raises(NotAllowed):
        act(complaint, "accept", "staff_education")
    assert open_human_tasks(complaint) == [task]
    assert workflow.check_consistency() == []


def test_a_registered_petition_starts_its_process_with_the_registrar(registered, people):
    complaint = registered()
    process = workflow.process_for(complaint)
    start = process.task_set.get(flow_task=ComplaintFlow.start)
    assert start.owner == people["complaints"]
    assert [t.flow_task.name for t in open_human_tasks(complaint)] == ["examine_complaint"]


def test_no_title_brief_or_process_data_names_the_complainant(citizen_complaint, act):
    complaint = citizen_complaint()
    complaint = act(complaint, "accept", "complaints")
    complaint = act(complaint, "transfer", "complaints", organ="education")
    complaint = act(complaint, "organ_report", "staff_education", report="已整改")
    process = workflow.process_for(complaint)
    assert process.data["title"] == f"投诉第{complaint.pk}号（工作态度恶劣、故意刁难）" or (
        process.data["title"].startswith(f"投诉第{complaint.pk}号（")
    )
    texts = [process.brief, str(process), str(process.data)]
    for task in process.task_set.all():
        texts += [str(task.title), task.brief, str(task.data), str(task)]
    for text in texts:
        for secret in (NAME, PHONE, EMAIL, complaint.tracking_code):
            assert secret not in text, text


def test_pursuing_responsibility_starts_the_linked_case_s_process_too(citizen_complaint, act):
    from casework.org.models import Official
    from workflows import accountability

    complaint = citizen_complaint()
    complaint = act(complaint, "accept", "complaints")
    complaint = act(complaint, "verify", "complaints")
    head = Official.objects.get(user__username="head_education")
    complaint = act(
        complaint, "decide", "complaints", outcome="fault_liability", text="追究", official=head.pk
    )
    assert complaint.accountability_case is not None
    assert accountability.open_task(complaint.accountability_case) is not None
    assert workflow.check_consistency() == []
    assert accountability.check_consistency() == []


# --- the check and its repair -----------------------------------------------------------------


def test_cancelling_a_task_by_hand_is_reported_and_repaired(citizen_complaint, act, capsys):
    complaint = act(citizen_complaint(), "accept", "complaints")
    (task,) = open_human_tasks(complaint)
    with task.activation() as activation:
        activation.cancel()
    problems = workflow.check_consistency()
    assert len(problems) == 1
    assert f"投诉第{complaint.pk}号" in problems[0] and "route_complaint" in problems[0]
    with pytest.raises(CommandError):
        call_command("check_complaint_workflow")
    assert f"投诉第{complaint.pk}号" in capsys.readouterr().out

    call_command("check_complaint_workflow", repair="admin")
    assert workflow.check_consistency() == []
    (task,) = open_human_tasks(complaint)
    assert task.flow_task.name == "route_complaint"


def test_the_next_act_mends_a_broken_process(citizen_complaint, act):
    complaint = act(citizen_complaint(), "accept", "complaints")
    (task,) = open_human_tasks(complaint)
    with task.activation() as activation:
        activation.cancel()
    complaint = act(complaint, "transfer", "complaints", organ="education")
    assert [t.flow_task.name for t in open_human_tasks(complaint)] == ["organ_handling"]
    assert workflow.check_consistency() == []


def test_a_missing_process_is_reported(citizen_complaint):
    complaint = citizen_complaint()
    Process.objects.filter(pk=workflow.process_for(complaint).pk).update(status=PROCESS.CANCELED)
    (problem,) = workflow.check_consistency()
    assert "没有流程" in problem


def test_a_task_of_the_wrong_node_is_reported(citizen_complaint, act):
    complaint = act(citizen_complaint(), "accept", "complaints")
    (task,) = open_human_tasks(complaint)
    task.flow_task = ComplaintFlow.instance.decide_complaint
    task.save()
    (problem,) = workflow.check_consistency()
    assert "decide_complaint" in problem and "route_complaint" in problem


def test_an_organ_task_in_another_organ_s_queue_is_reported(citizen_complaint, act):
    from casework.org.models import Department

    complaint = act(citizen_complaint(), "accept", "complaints")
    complaint = act(complaint, "transfer", "complaints", organ="education")
    (task,) = open_human_tasks(complaint)
    task.owner_permission = workflow.organ_permission(Department.objects.get(code="tax").pk)
    task.save()
    (problem,) = workflow.check_consistency()
    assert "承办机关" in problem


def test_an_organ_without_accounts_is_reported(citizen_complaint, act):
    from casework.org.models import Department

    organ = Department.objects.exclude(officials__user__isnull=False).order_by("code").first()
    complaint = act(citizen_complaint(), "accept", "complaints")
    complaint = act(complaint, "transfer", "complaints", organ=organ.code)
    (problem,) = workflow.check_consistency()
    assert "没有可以办理的系统账号" in problem


def test_a_closed_complaint_with_an_open_task_is_reported(citizen_complaint):
    complaint = citizen_complaint()
    Complaint.objects.filter(pk=complaint.pk).update(state=State.CLOSED)
    problems = workflow.check_consistency()
    assert any("已办结" in p for p in problems)


def test_check_command_says_all_is_well(citizen_complaint, capsys):
    citizen_complaint()
    call_command("check_complaint_workflow")
    assert "一致" in capsys.readouterr().out


def test_the_check_costs_the_same_for_2_and_8_complaints(citizen_complaint, act):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cost():
        with CaptureQueriesContext(connection) as captured:
            assert workflow.check_consistency() == []
        return len(captured)

    for _ in range(2):
        act(
            act(citizen_complaint(), "accept", "complaints"),
            "transfer",
            "complaints",
            organ="education",
        )
    few = cost()
    for _ in range(6):
        act(citizen_complaint(), "accept", "complaints")
    assert cost() == few


def test_the_demo_complaints_are_consistent(people):
    from casework.complaints.demo import load_demo_complaints

    assert load_demo_complaints() > 0
    assert workflow.check_consistency() == []


# --- found while building the flow (casework/complaints/{services,rules}.py) ------------------


def test_permission_is_checked_before_the_payload(citizen_complaint, people):
    from casework.complaints import services

    complaint = citizen_complaint()
    with pytest.raises(NotAllowed):
        services.transition(complaint, "transfer", people["investigator"], {})


def test_the_organ_is_not_offered_an_extension_after_reporting(citizen_complaint, act, people):
    from casework.complaints import services

    complaint = act(citizen_complaint(), "accept", "complaints")
    complaint = act(complaint, "transfer", "complaints", organ="education")
    assert "request_extension" in services.available_transitions(
        people["staff_education"], complaint
    )
    complaint = act(complaint, "organ_report", "staff_education", report="已整改")
    assert "request_extension" not in services.available_transitions(
        people["staff_education"], complaint
    )
