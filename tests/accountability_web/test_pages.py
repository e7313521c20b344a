"""The case list, the case page, registering and the printed documents: who sees what, and a
fixed number of queries whatever the number of cases or history rows."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.accountability.models import AccountabilityCase, State
from casework.documents import services as documents

pytestmark = pytest.mark.django_db

D = datetime.date


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def rows(response):
    return re.findall(r'<tr data-case="(\d+)"', response.content.decode())


def _report_cycles(register, act, cycles, official="head_education"):
    """A case in report_ordered after ``cycles`` rounds of ordering and hearing a report:
    each round adds history rows, a deadline and a document."""
    case = act(register(official=official), "start", "mayor", on=D(2026, 1, 5))
    day = D(2026, 1, 6)
    for _ in range(cycles - 1):
        case = act(case, "order_report", "mayor", on=day)
        case = act(case, "report_heard", "mayor", on=day, notes="已汇报")
        day += datetime.timedelta(days=1)
    return act(case, "order_report", "mayor", on=day)


# --- the case list --------------------------------------------------------------------------


def test_the_case_list_costs_the_same_for_2_and_10_cases(register, act, login):
    client = login("secretariat")
    for _ in range(2):
        _report_cycles(register, act, 1)
    few = queries(client, "/accountability/")
    for official in ["head_transport", "head_tax"] * 4:
        _report_cycles(register, act, 2, official=official)
    assert AccountabilityCase.objects.count() == 10
    many = queries(client, "/accountability/")
    assert many == few
    response = client.get("/accountability/")
    assert len(rows(response)) == 10
    assert "听取当面汇报" in response.content.decode()  # the open task of each case


def test_the_case_list_filters(register, act, login):
    proposed = register()
    started = act(register(official="head_transport"), "start", "mayor", on=D(2026, 1, 5))
    client = login("secretariat")
    assert rows(client.get("/accountability/?state=initiated")) == [str(started.pk)]
    department = started.department_id
    assert rows(client.get(f"/accountability/?department={department}")) == [str(started.pk)]
    assert rows(client.get(f"/accountability/?official={proposed.official_id}")) == [
        str(proposed.pk)
    ]
    assert rows(client.get("/accountability/?overdue=on")) == []


def test_an_overdue_case_is_marked_and_found(register, act, login):
    # Ordered to report on 2026-01-06 within 5 working days: long overdue today.
    overdue = _report_cycles(register, act, 1)
    register(official="head_transport")
    client = login("secretariat")
    response = client.get("/accountability/?overdue=on")
    assert rows(response) == [str(overdue.pk)]
    assert 'data-testid="overdue"' in response.content.decode()


def test_an_official_sees_only_own_cases(register, login):
    own = register(official="head_education")
    other = register(official="head_transport")
    client = login("head_education")
    response = client.get("/accountability/")
    assert rows(response) == [str(own.pk)]
    assert other.number not in response.content.decode()
    assert client.get(f"/accountability/{own.pk}/").status_code == 200
    assert client.get(f"/accountability/{other.pk}/").status_code == 404


def test_the_list_needs_a_login(client):
    response = client.get("/accountability/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- the case page --------------------------------------------------------------------------


def test_the_case_page_costs_the_same_for_few_and_many_history_rows(register, act, login):
    short = _report_cycles(register, act, 1)
    long = _report_cycles(register, act, 6)
    assert long.history.count() > short.history.count() + 8
    assert long.documents.count() == short.documents.count() + 5
    client = login("mayor")
    assert queries(client, f"/accountability/{long.pk}/") == queries(
        client, f"/accountability/{short.pk}/"
    )


def test_the_case_page_tells_the_whole_case(register, act, login):
    case = act(register(), "start", "mayor", on=D(2026, 1, 5))
    case = act(case, "assign_investigation", "mayor", on=D(2026, 1, 6), working_days=20)
    case = act(
        case,
        "notify_findings",
        "investigator",
        on=D(2026, 1, 20),
        findings="未按期完成任务属实",
        served_on=D(2026, 1, 20),
    )
    case = act(case, "file_objection", "head_education", on=D(2026, 1, 22), text="另有客观原因")
    body = login("mayor").get(f"/accountability/{case.pk}/").content.decode()
    assert case.number in body and "调查结果已确认" in body
    assert "刘建华" in body and "南充市教育局" in body
    assert "4.1.1" in body
    # The objection is shown beside the findings.
    findings = body[body.index('data-testid="findings"') :]
    assert findings.index("未按期完成任务属实") < findings.index("另有客观原因")
    # Deadlines: due date, level, working days; the investigation deadline runs until the
    # report and recommendation (Nanchong art. 9): overdue today.
    assert 'data-kind="investigation" data-level="red"' in body
    assert "2026-02-03" in body
    # Documents link to their printed page.
    for document in case.documents.all():
        assert f'href="/accountability/documents/{document.pk}/"' in body
        assert document.number in body
    # The history, oldest first, with who acted and why.
    history = body[body.index('data-testid="history"') :]
    actions = re.findall(r'<tr data-action="([a-z_]*)"', history)
    assert actions == [
        "register",
        "start",
        "assign_investigation",
        "notify_findings",
        "file_objection",
    ]
    assert "刘建华" in history and "赵明" in history
    # The open task and who is to do it.
    assert "提交调查报告及问责建议" in body and "待领取：市监察局" in body


def test_the_case_page_offers_the_task_to_whom_it_concerns(register, login):
    case = register()
    assert (
        'data-testid="task-link"'
        in login("mayor").get(f"/accountability/{case.pk}/").content.decode()
    )
    page = login("secretariat").get(f"/accountability/{case.pk}/").content.decode()
    assert 'data-testid="task-link"' not in page and "待领取：市长" in page


def test_the_case_page_shows_the_workspace_menu(register, login):
    case = register()
    body = login("mayor").get(f"/accountability/{case.pk}/").content.decode()
    assert "/workflow/inbox/" in body and "/workflow/queue/" in body
    assert 'data-testid="menu-cases"' in body


# --- registering ----------------------------------------------------------------------------


def test_the_secretariat_registers_a_case(login, people):
    from casework.org.models import Official

    client = login("secretariat")
    assert client.get("/accountability/new/").status_code == 200
    official = Official.objects.get(user__username="head_transport")
    response = client.post(
        "/accountability/new/",
        {
            "official": official.pk,
            "grounds": ["4.1.1", "4.2.1"],
            "source": "mayor",
            "summary": "道路工程严重拖期",
            "proposal_original_location": "市政府办公室档案室",
            "on": "2026-01-05",
        },
    )
    case = AccountabilityCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/accountability/{case.pk}/"
    assert case.official == official and case.state == State.PROPOSED
    assert sorted(case.grounds.values_list("code", flat=True)) == ["4.1.1", "4.2.1"]
    assert case.registered_by == people["secretariat"]
    from workflows.accountability import open_task

    assert open_task(case).flow_task.name == "consider_proposal"


def test_registering_keeps_what_was_typed_when_refused(login):
    client = login("mayor")
    response = client.post(
        "/accountability/new/", {"summary": "只写了摘要", "source": "mayor", "on": "2099-01-01"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "只写了摘要" in body and "该字段是必填项。" in body
    assert AccountabilityCase.objects.count() == 0


@pytest.mark.parametrize("username", ["investigator", "legal", "head_education"])
def test_others_may_not_register(login, username):
    assert login(username).get("/accountability/new/").status_code == 403
    assert login(username).post("/accountability/new/", {}).status_code == 403


# --- documents ------------------------------------------------------------------------------


def test_a_document_prints_with_its_amendments(register, act, login, people):
    case = act(register(), "start", "mayor", on=D(2026, 1, 5))
    document = case.documents.get()
    documents.amend(
        document, text="问责情形更正为4.1.2", reason="笔误", basis="第五条", actor=people["mayor"]
    )
    body = login("head_education").get(f"/accountability/documents/{document.pk}/")
    body = body.content.decode()
    assert document.number in body and document.title in body
    assert "南充市人民政府" in body
    assert f"{document.addressee}：" in body
    assert "2026年1月5日" in body
    amendments = body[body.index('data-testid="amendments"') :]
    assert "问责情形更正为4.1.2" in amendments and "笔误" in amendments


def test_a_document_of_a_case_one_may_not_see_is_not_found(register, act, login):
    case = act(register(official="head_education"), "start", "mayor", on=D(2026, 1, 5))
    document = case.documents.get()
    assert (
        login("head_transport").get(f"/accountability/documents/{document.pk}/").status_code == 404
    )
    assert login("secretariat").get(f"/accountability/documents/{document.pk}/").status_code == 200
