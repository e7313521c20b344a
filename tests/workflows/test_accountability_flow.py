"""Each open state of docs/accountability.md has exactly one open task, held by or claimable by the
person the law names; the services complete it and open the next."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from casework.accountability.declaration import ACCOUNTABILITY
from casework.accountability.models import State
from workflows import accountability as workflow
from workflows.accountability import AccountabilityFlow

pytestmark = pytest.mark.django_db

D = datetime.date
STAFF = ("mayor", "vicemayor", "secretariat", "investigator", "legal")


def open_human_tasks(case):
    return list(workflow.open_tasks(workflow.process_for(case)))


def queue(user):
    return set(Task.objects.queue([AccountabilityFlow], user).values_list("pk", flat=True))


def inbox(user):
    return set(Task.objects.inbox([AccountabilityFlow], user).values_list("pk", flat=True))


@pytest.fixture
def expect_task(people):
    """expect_task(case, "consider_proposal", claimable=("mayor",)) or held_by="head_education":
    exactly one open task, of that node, in the right queue or inbox and nobody else's; the
    whole check of check_consistency() passes."""

    def _expect(case, name, claimable=(), held_by=None):
        tasks = open_human_tasks(case)
        assert [t.flow_task.name for t in tasks] == [name], case.state
        assert ACCOUNTABILITY.task_for(case.state).node == name
        task = tasks[0]
        if held_by:
            assert task.owner == people[held_by] and task.status == STATUS.ASSIGNED
            assert task.pk in inbox(people[held_by])
            others = set(STAFF) - {held_by}
        else:
            assert task.owner is None and task.status == STATUS.NEW
            assert task.owner_permission, "a queue task must name who may claim it"
            for username in claimable:
                assert task.pk in queue(people[username]), username
                assert people[username].has_perm(task.owner_permission)
            others = set(STAFF) - set(claimable)
        for username in others | {"head_transport"}:
            if username == "vicemayor" and "mayor" in claimable:
                continue  # by delegation, see test_a_delegate_finds_the_mayors_tasks
            assert task.pk not in queue(people[username]), username
            assert task.pk not in inbox(people[username]), username
        assert workflow.check_consistency() == []
        return task

    return _expect


def test_every_open_state_calls_for_one_task_and_closed_for_none():
    assert set(ACCOUNTABILITY.tasks) == set(State.values) - {State.CLOSED}
    assert ACCOUNTABILITY.task_for(State.CLOSED) is None
    names = {node.name for node in AccountabilityFlow.instance.nodes()}
    assert {task.node for task in ACCOUNTABILITY.tasks.values()} <= names


def test_no_task_is_left_without_a_person_or_a_role():
    for task in ACCOUNTABILITY.tasks.values():
        name = task.node
        node = AccountabilityFlow.instance.node(name)
        assert node._owner_permission or node._owner, name


def test_investigated_case_moves_task_by_task_to_the_end(register, act, people, expect_task):
    case = register()
    registered = expect_task(case, "consider_proposal", claimable=("mayor",))
    assert workflow.process_for(case).artifact == case
    case = act(case, "start", "mayor", on=D(2026, 1, 5))
    registered.refresh_from_db()
    assert registered.status == STATUS.DONE and registered.owner == people["mayor"]
    expect_task(case, "direct_inquiry", claimable=("mayor",))
    case = act(case, "assign_investigation", "mayor", on=D(2026, 1, 6), working_days=20)
    expect_task(case, "investigate", claimable=("investigator",))
    case = act(
        case,
        "notify_findings",
        "investigator",
        on=D(2026, 1, 20),
        findings="属实",
        served_on=D(2026, 1, 20),
    )
    objection = expect_task(case, "object_to_findings", held_by="head_education")
    case = act(case, "close_findings", "investigator", on=D(2026, 1, 28))
    objection.refresh_from_db()
    # The bureau closed the findings after the period: the task shows who really acted.
    assert objection.owner == people["investigator"]
    assert objection.data["held_by"] == people["head_education"].pk
    expect_task(case, "report_findings", claimable=("investigator",))
    case = act(
        case,
        "submit_report",
        "investigator",
        on=D(2026, 1, 29),
        report="报告",
        recommendation="accountable",
        modes=["3"],
    )
    expect_task(case, "decide_on_report", claimable=("mayor",))
    case = act(case, "submit_to_meeting", "mayor", on=D(2026, 1, 30), reason="追究责任")
    expect_task(case, "schedule_meeting", claimable=("secretariat",))
    case = act(case, "schedule", "secretariat", on=D(2026, 2, 2), meeting_date=D(2026, 2, 5))
    expect_task(case, "record_deliberation", claimable=("secretariat",))
    case = act(case, "deliberate", "secretariat", on=D(2026, 2, 5), minutes="纪要")
    expect_task(case, "decide", claimable=("mayor",))
    case = act(case, "decide", "mayor", on=D(2026, 2, 6), modes=["2", "3"], reason="情节较重")
    expect_task(case, "serve_decision", claimable=("investigator",))
    case = act(
        case,
        "serve",
        "investigator",
        on=D(2026, 2, 9),
        received_on=D(2026, 2, 9),
        method="in_person",
    )
    expect_task(case, "review_window", held_by="head_education")
    case = act(case, "become_final", "secretariat", on=D(2026, 3, 2))
    expect_task(case, "execute_and_close", claimable=("secretariat",))
    case = act(
        case, "record_execution", "secretariat", on=D(2026, 3, 3), kind="rectification", note="改"
    )
    # Recording the execution changes no state: the same task stays open.
    expect_task(case, "execute_and_close", claimable=("secretariat",))
    case = act(case, "close", "secretariat", on=D(2026, 3, 4))
    assert case.state == State.CLOSED
    assert open_human_tasks(case) == []
    assert workflow.process_for(case).status == PROCESS.DONE
    assert workflow.check_consistency() == []


def test_report_in_person_then_meeting(register, act, expect_task):
    case = act(register(), "start", "mayor", on=D(2026, 1, 5))
    case = act(case, "order_report", "mayor", on=D(2026, 1, 6))
    expect_task(case, "hear_report", claimable=("mayor",))
    case = act(case, "report_heard", "mayor", on=D(2026, 1, 8), notes="已汇报")
    expect_task(case, "direct_inquiry", claimable=("mayor",))
    case = act(case, "submit_to_meeting", "mayor", on=D(2026, 1, 9), reason="事实清楚")
    expect_task(case, "schedule_meeting", claimable=("secretariat",))


def _investigated(register, act, official="head_education"):
    case = act(register(official=official), "start", "mayor", on=D(2026, 1, 5))
    case = act(case, "assign_investigation", "mayor", on=D(2026, 1, 6), working_days=20)
    case = act(
        case,
        "notify_findings",
        "investigator",
        on=D(2026, 1, 20),
        findings="属实",
        served_on=D(2026, 1, 20),
    )
    return case


def test_objection_by_the_official_then_no_accountability(register, act, people, expect_task):
    case = _investigated(register, act)
    task = expect_task(case, "object_to_findings", held_by="head_education")
    case = act(case, "file_objection", "head_education", on=D(2026, 1, 22), text="事实有出入")
    task.refresh_from_db()
    assert task.status == STATUS.DONE and task.owner == people["head_education"]
    assert "held_by" not in task.data
    case = act(
        case,
        "submit_report",
        "investigator",
        on=D(2026, 1, 29),
        report="报告",
        recommendation="not_accountable",
    )
    case = act(case, "decide_no_accountability", "mayor", on=D(2026, 1, 30), reason="情节轻微")
    expect_task(case, "close_not_accountable", claimable=("secretariat",))
    case = act(case, "close", "secretariat", on=D(2026, 2, 2))
    assert open_human_tasks(case) == [] and workflow.check_consistency() == []


def _deliberated(register, act, official="head_education"):
    case = act(register(official=official), "start", "mayor", on=D(2026, 1, 5))
    case = act(case, "submit_to_meeting", "mayor", on=D(2026, 1, 6), reason="事实清楚")
    case = act(case, "schedule", "secretariat", on=D(2026, 1, 7), meeting_date=D(2026, 1, 8))
    return act(case, "deliberate", "secretariat", on=D(2026, 1, 8), minutes="纪要")


def test_vertical_department_gets_a_proposal_then_closes(register, act, expect_task):
    case = _deliberated(register, act, official="head_tax")
    expect_task(case, "decide", claimable=("mayor",))
    case = act(case, "send_proposal", "mayor", on=D(2026, 1, 9), organ="省税务局", text="建议")
    expect_task(case, "close_proposal", claimable=("secretariat",))
    case = act(case, "close", "secretariat", on=D(2026, 1, 12))
    assert open_human_tasks(case) == [] and workflow.check_consistency() == []


def _served(register, act):
    case = act(
        _deliberated(register, act), "decide", "mayor", on=D(2026, 1, 9), modes=["3"], reason="理由"
    )
    return act(
        case, "serve", "secretariat", on=D(2026, 1, 12), received_on=D(2026, 1, 12), method="post"
    )


def test_review_accepted_reported_and_decided(register, act, expect_task):
    case = _served(register, act)
    expect_task(case, "review_window", held_by="head_education")
    case = act(case, "request_review", "head_education", on=D(2026, 1, 14), grounds="不服")
    expect_task(case, "decide_review_request", claimable=("mayor",))
    case = act(case, "accept_review", "mayor", on=D(2026, 1, 15), suspend=True)
    expect_task(case, "review", claimable=("legal",))
    case = act(case, "submit_review_report", "legal", on=D(2026, 1, 20), report="复核报告")
    expect_task(case, "review_decide", claimable=("mayor",))
    case = act(case, "review_decide", "mayor", on=D(2026, 1, 21), outcome="uphold", reason="维持")
    expect_task(case, "execute_and_close", claimable=("secretariat",))


def test_review_refused(register, act, expect_task):
    case = _served(register, act)
    case = act(case, "request_review", "head_education", on=D(2026, 1, 14), grounds="不服")
    case = act(case, "refuse_review", "mayor", on=D(2026, 1, 15), reason="理由不成立")
    expect_task(case, "execute_and_close", claimable=("secretariat",))


def test_a_delegate_finds_the_report_tasks_not_the_mayors_own(register, act, people):
    """Nanchong art. 5, 6: starting is the mayor's own; hearing the report may be delegated."""
    case = register()
    (task,) = open_human_tasks(case)
    assert task.pk not in queue(people["vicemayor"])
    assert not people["vicemayor"].has_perm(task.owner_permission)
    case = act(case, "start", "mayor", on=D(2026, 1, 5))
    case = act(case, "order_report", "vicemayor", on=D(2026, 1, 6))
    (task,) = open_human_tasks(case)
    assert task.pk in queue(people["vicemayor"])
    assert people["vicemayor"].has_perm(task.owner_permission)


def test_a_wrong_act_changes_no_task(register, act, people):
    from casework.exceptions import NotAllowed

    case = register()
    (task,) = open_human_tasks(case)
    with pytest.raises(NotAllowed):
        act(case, "start", "secretariat")
    assert open_human_tasks(case) == [task]
    assert workflow.check_consistency() == []


def test_cancelling_a_task_by_hand_is_reported_and_repaired(register, act, people, capsys):
    case = act(register(), "start", "mayor", on=D(2026, 1, 5))
    (task,) = open_human_tasks(case)
    with task.activation() as activation:
        activation.cancel()
    problems = workflow.check_consistency()
    assert len(problems) == 1 and case.number in problems[0] and "direct_inquiry" in problems[0]
    with pytest.raises(CommandError):
        call_command("check_workflow")
    assert case.number in capsys.readouterr().out

    call_command("check_workflow", repair="admin")
    assert workflow.check_consistency() == []
    (task,) = open_human_tasks(case)
    assert task.flow_task.name == "direct_inquiry"


def test_a_task_of_the_wrong_node_is_reported(register, act):
    case = act(register(), "start", "mayor", on=D(2026, 1, 5))
    (task,) = open_human_tasks(case)
    task.flow_task = AccountabilityFlow.instance.investigate
    task.save()
    (problem,) = workflow.check_consistency()
    assert "investigate" in problem and "direct_inquiry" in problem


def test_the_next_act_mends_a_broken_process(register, act):
    """A transition is lawful whatever happened to the tasks; the workflow follows it."""
    case = act(register(), "start", "mayor", on=D(2026, 1, 5))
    (task,) = open_human_tasks(case)
    with task.activation() as activation:
        activation.cancel()
    case = act(case, "order_report", "mayor", on=D(2026, 1, 6))
    assert [t.flow_task.name for t in open_human_tasks(case)] == ["hear_report"]
    assert workflow.check_consistency() == []


def test_a_closed_case_with_an_open_task_is_reported(register, act):
    case = _investigated(register, act)
    case = act(case, "file_objection", "head_education", on=D(2026, 1, 22), text="异议")
    case.refresh_from_db()
    # Simulate an inconsistent database: the case says closed, the flow still waits.
    from casework.accountability.models import AccountabilityCase

    AccountabilityCase.objects.filter(pk=case.pk).update(state=State.CLOSED)
    problems = workflow.check_consistency()
    assert any("已结案" in p for p in problems)


def test_check_workflow_command_says_all_is_well(register, capsys):
    register()
    call_command("check_workflow")
    assert "一致" in capsys.readouterr().out


def test_an_official_without_an_account_leaves_the_task_to_the_bureau(people, act, expect_task):
    from casework.accountability import services
    from casework.org.models import Department, Official

    official = Official.objects.create(
        name="周无号", title="局长", department=Department.objects.get(code="transport")
    )
    case = services.register_case(
        people["secretariat"],
        {
            "official": official.pk,
            "grounds": ["4.1.1"],
            "source": "mayor",
            "summary": "摘要",
            "on": "2026-01-05",
        },
    )
    case = act(case, "start", "mayor", on=D(2026, 1, 5))
    case = act(case, "assign_investigation", "mayor", on=D(2026, 1, 6), working_days=20)
    case = act(
        case,
        "notify_findings",
        "investigator",
        on=D(2026, 1, 20),
        findings="属实",
        served_on=D(2026, 1, 20),
    )
    task = expect_task(case, "object_to_findings", claimable=("investigator",))
    assert task.owner_permission == "accountability.act_as_supervision"


def test_the_task_permission_backends_are_installed(settings):
    """viewflow's queue lists tasks by ``user.get_all_permissions()``; the task permissions
    are rules predicates, listed by these backends: without them every queue is empty."""
    assert "workflows.permissions.TaskPermissionBackend" in settings.AUTHENTICATION_BACKENDS
