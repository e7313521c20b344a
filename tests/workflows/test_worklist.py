"""The inbox is where the work is: every piece of a person's work — the task of a case given to
them or waiting in a queue of theirs, an extension to decide, a preliminary investigation to
approve, a rectification report due — is a row of their inbox (待办), counted in the menu, with
the number in full, the person or department concerned, the step, the due date, the working
days left and the card colour, most urgent first. After acting a person lands on their next
piece of work, or on the case."""

import datetime
import re

import pytest
from django.utils import timezone

from casework.accountability.models import AccountabilityCase as Case
from casework.accountability.models import State
from casework.deadlines import investigations, services
from casework.deadlines.models import AdmonitionLetter, Kind, PreliminaryInvestigation
from casework.documents.models import Document
from casework.exceptions import RefusedByRule
from casework.kernel import clock
from tests.deadlines.helpers import red, upcoming, working_days_ahead, yellow
from workflows import accountability as workflow
from workflows import worklist

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def on_day(monkeypatch):
    """on_day(date): the day the screens act on (an official's filing is dated the day he
    makes it)."""

    def _on(day):
        monkeypatch.setattr(clock, "today", lambda: day)

    return _on


def inbox(client):
    response = client.get("/workflow/inbox/")
    assert response.status_code == 200
    return response


def rows(response):
    return response.context["rows"]


def menu_counts(response):
    return response.context["inbox_count"], response.context["queue_count"]


def notified(register, act):
    """A case whose findings were served on the official (the objection period runs)."""
    case = act(register(), "start", "mayor", on=D(2026, 1, 5))
    case = act(case, "assign_investigation", "mayor", on=D(2026, 1, 6), working_days=20)
    return act(
        case,
        "notify_findings",
        "investigator",
        on=D(2026, 1, 20),
        findings="经查，未完成年度任务属实",
        served_on=D(2026, 1, 20),
    )


def deliberated(register, act):
    case = notified(register, act)
    case = act(case, "file_objection", "head_education", on=D(2026, 1, 22), text="任务调整未获通知")
    case = act(
        case,
        "submit_report",
        "investigator",
        on=D(2026, 1, 29),
        report="调查报告正文",
        recommendation="accountable",
        modes=["3"],
    )
    case = act(case, "submit_to_meeting", "mayor", on=D(2026, 1, 30), reason="追究责任")
    case = act(case, "schedule", "secretariat", on=D(2026, 2, 2), meeting_date=D(2026, 2, 5))
    return act(
        case,
        "deliberate",
        "secretariat",
        on=D(2026, 2, 5),
        minutes="会议纪要正文",
        statement="陈述申辩正文",
    )


# --- what each role's inbox holds --------------------------------------------------------------


def test_a_new_lead_is_in_the_mayors_inbox_and_nobody_elses(register, login):
    case = register()
    mayor = inbox(login("mayor"))
    assert menu_counts(mayor) == (1, 1)
    [row] = rows(mayor)
    # The number in full, the official and department, the step; no engine internals.
    assert row.number == case.number
    assert row.subject == "刘建华（南充市教育局）"
    assert row.step == "审查问责线索，决定启动或不启动问责"
    assert row.shared.startswith("市长")
    body = mayor.content.decode()
    assert case.number in body and 'data-testid="menu-inbox"' in body
    assert not re.search(r"#\d+/\d+", body)
    assert "Brief" not in body and "New process" not in body and "flow graph" not in body
    for username in ("secretariat", "investigator", "legal", "head_education"):
        assert menu_counts(inbox(login(username))) == (0, 0), username


def test_the_officials_task_is_given_to_him_with_its_due_date(register, act, login):
    case = notified(register, act)
    official = inbox(login("head_education"))
    assert menu_counts(official) == (1, 0)
    [row] = rows(official)
    objection = case.deadlines.get(kind=Kind.OBJECTION)
    assert row.number == case.number and row.step == "对调查结果提出异议或表示无异议"
    assert row.due == objection.due and row.shared == ""
    assert row.days_left < 0  # the case's dates lie in January 2026
    assert row.level  # the card colour of the earliest open deadline
    assert 'data-testid="row-due"' in official.content.decode()
    # Not in the bureau's queue: it is the official's.
    bureau = login("investigator")
    assert menu_counts(inbox(bureau))[1] == 0


def test_once_the_officials_window_has_passed_the_bureau_sees_the_task(register, act, login):
    case = notified(register, act)
    # The objection period ended on 2026-01-27: the bureau confirms the findings next.
    assert case.deadlines.get(kind=Kind.OBJECTION).due < timezone.localdate()
    client = login("investigator")
    rows_ = rows(inbox(client))
    assert [r.number for r in rows_] == [case.number]
    # Its link opens the screen, where the bureau confirms the findings.
    response = client.get(rows_[0].url)
    assert response.status_code == 302 and response["Location"].endswith("/execute/")
    page = client.get(response["Location"]).content.decode()
    assert 'data-action="close_findings"' in page


def test_the_inbox_is_sorted_by_due_date_most_urgent_first(register, act, login, people):
    later = register(official="head_transport")
    sooner = register()
    act(later, "start", "mayor", on=D(2026, 1, 5))
    act(sooner, "start", "mayor", on=D(2026, 1, 5))
    later = act(later, "assign_investigation", "mayor", on=D(2026, 1, 6), working_days=30)
    sooner = act(sooner, "assign_investigation", "mayor", on=D(2026, 1, 6), working_days=10)
    client = login("investigator")
    numbers = [r.number for r in rows(inbox(client))]
    assert numbers == [sooner.number, later.number]
    reverse = [r.number for r in rows(client.get("/workflow/inbox/?sort=-due"))]
    assert reverse == [later.number, sooner.number]
    queue = [r.number for r in rows(client.get("/workflow/queue/"))]
    assert queue == [sooner.number, later.number]


def test_an_extension_to_decide_is_in_the_approvers_inbox(people, login):
    deadline = upcoming(5, kind=Kind.INVESTIGATION, unit="supervision")
    extension = services.ask_for_extension(
        deadline,
        people["investigator"],
        {"reason": "材料较多", "new_due": working_days_ahead(2, deadline.due)},
    )
    response = inbox(login("mayor"))
    assert menu_counts(response) == (1, 0)
    [row] = rows(response)
    assert row.url == f"/deadlines/extensions/{extension.pk}/decide/"
    assert row.step.startswith("审批延期申请") and row.due == deadline.due
    assert row.days_left == 5
    # The person who asked has nothing to decide.
    assert menu_counts(inbox(login("investigator")))[0] == 0


def test_the_supervision_leader_sees_approvals_to_give_and_conclusions_to_write(people, login):
    first, second = red(), red(unit="education")
    investigations.propose_investigation(first, timezone.localdate())
    investigations.propose_investigation(second, timezone.localdate())
    leader = inbox(login("supervision_leader"))
    steps = sorted(r.step for r in rows(leader))
    assert steps == ["审批初步调查", "审批初步调查"]
    assert menu_counts(leader)[0] == 2
    # The bureau's staff conclude once the leader has approved; they do not approve.
    assert menu_counts(inbox(login("investigator")))[0] == 0
    proposed = PreliminaryInvestigation.objects.get(deadline=first)
    investigations.decide_investigation(proposed, people["supervision_leader"], approve=True)
    assert [r.step for r in rows(inbox(login("investigator")))] == ["作出初步调查结论"]
    assert sorted(r.step for r in rows(inbox(login("supervision_leader")))) == [
        "作出初步调查结论",
        "审批初步调查",
    ]


def test_a_rectification_report_due_is_in_the_warned_units_inbox(people, login):
    from casework.deadlines import letters

    overdue = yellow(unit="education", description="年度任务")
    letters.issue_admonition_letter(overdue, timezone.localdate())
    letter = AdmonitionLetter.objects.get(deadline=overdue)
    [row] = rows(inbox(login("head_education")))
    assert row.url == f"/deadlines/letters/{letter.pk}/report/"
    assert row.due == letter.report_deadline.due and row.subject == "南充市教育局"


# --- where a person lands ------------------------------------------------------------------------


def test_after_starting_the_mayor_lands_on_the_cases_next_task(register, login):
    case = register()
    client = login("mayor")
    task = workflow.open_task(case)
    url = task.flow_task.reverse("execute", args=[task.process_id, task.pk])
    response = client.post(url, {"action": "start"})
    case.refresh_from_db()
    following = workflow.open_task(case)
    assert response.status_code == 302
    assert response["Location"] == following.flow_task.reverse(
        "index", args=[following.process_id, following.pk]
    )
    # The task screen is drawn inside the workspace, with the inbox's count.
    screen = client.get(response["Location"], follow=True)
    assert screen.context["inbox_count"] == 1
    assert 'data-testid="inbox-count"' in screen.content.decode()


def test_after_his_last_task_the_official_lands_on_the_case(register, act, login, on_day):
    case = notified(register, act)
    on_day(D(2026, 1, 21))
    client = login("head_education")
    task = workflow.open_task(case)
    url = task.flow_task.reverse("execute", args=[task.process_id, task.pk])
    response = client.post(url, {"action": "file_objection", "text": "有异议"})
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()


def test_after_acting_one_lands_on_the_most_urgent_other_work(register, act, login):
    first, second = register(), register(official="head_transport")
    client = login("mayor")
    task = workflow.open_task(first)
    url = task.flow_task.reverse("execute", args=[task.process_id, task.pk])
    response = client.post(url, {"action": "decline", "reason": "线索不实", "confirm": "on"})
    other = workflow.open_task(second)
    assert response["Location"] == other.flow_task.reverse(
        "index", args=[other.process_id, other.pk]
    )
    # With nothing left, no next piece of work: the screen falls back to the case.
    assert worklist.next_work_url(first.registered_by, timezone.localdate()) is None


# --- every lawful answer ----------------------------------------------------------------------


def test_the_mayor_may_decline_to_start_and_the_lead_is_closed(register, act, login):
    case = register()
    page = login("mayor").get(_screen(case)).content.decode()
    assert 'data-action="start"' in page and 'data-action="decline"' in page
    case = act(case, "decline", "mayor", on=D(2026, 1, 6), reason="线索不实")
    assert case.state == State.CLOSED
    assert workflow.open_task(case) is None
    # The reasons are the history's.
    assert case.history.order_by("-history_id").first().history_change_reason == "线索不实"


def test_the_official_may_object_or_declare_no_objection(register, act, login, on_day):
    case = notified(register, act)
    on_day(D(2026, 1, 21))
    page = login("head_education").get(_screen(case)).content.decode()
    assert 'data-action="file_objection"' in page and 'data-action="accept_findings"' in page
    assert 'data-testid="window-note"' in page
    case = act(case, "accept_findings", "head_education", on=D(2026, 1, 21))
    assert case.state == State.FINDINGS_CLOSED
    assert not case.deadlines.filter(kind=Kind.OBJECTION).open().exists()


def test_the_official_may_request_review_or_forgo_it(register, act, login, on_day):
    case = act(
        deliberated(register, act), "decide", "mayor", on=D(2026, 2, 6), modes=["3"], reason="理由"
    )
    case = act(
        case,
        "serve",
        "investigator",
        on=D(2026, 2, 9),
        received_on=D(2026, 2, 9),
        method="in_person",
    )
    on_day(D(2026, 2, 10))
    page = login("head_education").get(_screen(case)).content.decode()
    assert 'data-action="request_review"' in page and 'data-action="waive_review"' in page
    case = act(case, "waive_review", "head_education", on=D(2026, 2, 10))
    assert case.state == State.FINAL
    assert not case.deadlines.filter(kind=Kind.REVIEW_WINDOW).open().exists()


def test_the_official_sees_only_his_own_fields(register, act, login, on_day):
    case = notified(register, act)
    on_day(D(2026, 1, 21))
    client = login("head_education")
    form = client.get(_screen(case) + "?action=file_objection").context["form"]
    assert set(form.fields) == {"text", "note"}
    case = act(case, "accept_findings", "head_education", on=D(2026, 1, 21))
    on_day(D(2026, 2, 10))
    case = act(
        case,
        "submit_report",
        "investigator",
        on=D(2026, 1, 29),
        report="报告",
        recommendation="accountable",
        modes=["3"],
    )
    case = act(case, "submit_to_meeting", "mayor", on=D(2026, 1, 30), reason="追究责任")
    case = act(case, "schedule", "secretariat", on=D(2026, 2, 2), meeting_date=D(2026, 2, 5))
    case = act(case, "deliberate", "secretariat", on=D(2026, 2, 5), minutes="纪要")
    case = act(case, "decide", "mayor", on=D(2026, 2, 6), modes=["3"], reason="理由")
    case = act(
        case,
        "serve",
        "investigator",
        on=D(2026, 2, 9),
        received_on=D(2026, 2, 9),
        method="in_person",
    )
    official = client.get(_screen(case) + "?action=request_review").context["form"]
    assert set(official.fields) == {"grounds", "note"}
    # Nanchong art. 14: the mayor enters a request only to admit a late one on record.
    late = case.deadlines.get(kind=Kind.REVIEW_WINDOW).due + datetime.timedelta(days=1)
    on_day(late)
    with pytest.raises(RefusedByRule):
        act(case, "request_review", "head_education", on=late, grounds="不服")
    case = Case.objects.get(pk=case.pk)
    assert case.state == State.SERVED
    mayor = login("mayor").get(_screen(case) + "?action=request_review").context["form"]
    assert {"grounds", "filed_on", "late_ok", "on"} <= set(mayor.fields)


# --- the decider sees what they decide on -------------------------------------------------------


def test_the_decide_screen_shows_the_basis_of_the_decision(register, act, login):
    case = deliberated(register, act)
    page = login("mayor").get(_screen(case) + "?action=decide").content.decode()
    for testid, text in (
        ("basis-findings", "经查，未完成年度任务属实"),
        ("basis-objection", "任务调整未获通知"),
        ("basis-investigation-report", "调查报告正文"),
        ("basis-minutes", "会议纪要正文"),
        ("basis-statement", "陈述申辩正文"),
    ):
        match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</', page, re.S)
        assert match and text in match.group(1), testid
    # The recommended modes by name, not the bare word "问责".
    recommendation = re.search(r'data-testid="basis-recommendation">(.*?)</p>', page, re.S)[1]
    assert "通报批评" in recommendation and "问责<" not in recommendation


def test_the_decider_previews_the_decision_and_nothing_is_issued(register, act, login):
    case = deliberated(register, act)
    before = Document.objects.count()
    response = login("mayor").post(
        _screen(case) + "?action=decide",
        {"action": "decide", "modes": ["3"], "reason": "情节较重", "preview": "1"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="document-preview"' in body
    assert "问责决定书" in body and "情节较重" in body and "通报批评" in body
    case.refresh_from_db()
    assert case.state == State.DELIBERATED and Document.objects.count() == before
    # Issued for real, the document takes the number the preview showed.
    number = re.search(r"拟用文号：([^<\s]+)", body).group(1)
    case = act(case, "decide", "mayor", on=D(2026, 2, 6), modes=["3"], reason="情节较重")
    assert case.documents.order_by("-pk").first().number == number


# --- the engine is for administrators -------------------------------------------------------------


def test_process_lists_and_diagrams_are_for_administrators_only(register, login):
    register()
    for username in ("mayor", "secretariat", "investigator"):
        client = login(username)
        assert client.get("/workflow/flows/accountability/").status_code == 403, username
        assert 'href="/workflow/flows/"' not in inbox(client).content.decode()
        process = workflow.process_for(Case.objects.get())
        assert client.get(f"/workflow/flows/accountability/{process.pk}/").status_code == 403
    admin = login("admin")
    assert admin.get("/workflow/flows/accountability/").status_code == 200
    assert 'href="/workflow/flows/"' in inbox(admin).content.decode()


def test_the_profile_page_speaks_in_words(login):
    body = login("head_education").get("/accounts/profile/").content.decode()
    assert "教育局局长" in body and "部门行政首长" in body
    assert "True" not in body and "False" not in body


def _screen(case):
    task = workflow.open_task(case)
    return task.flow_task.reverse("execute", args=[task.process_id, task.pk])
