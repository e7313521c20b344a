"""Every list of the workspace costs the same number of queries for 2 and for 200 rows: the
inbox, the queue, the archive and the menu's counts, a flow's dashboard, task list and
process list, the case list, and a task screen. The 198 further cases are copies of the
second one made in bulk (the case, its process and its tasks), as a city's years of cases
would stand in the tables."""

import copy
import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.models import Process, Task

from casework.accountability.models import AccountabilityCase
from workflows import accountability as flow

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def site_urls():
    from django.urls import get_resolver

    assert get_resolver().url_patterns


@pytest.fixture
def login(client, people):
    def _login(username):
        client.force_login(people[username])
        return client

    return _login


def cost(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured), response.content.decode()


def copies(case, n):
    """``n`` copies of ``case`` with its process and all its tasks (finished and open)."""
    process = flow.process_for(case)
    tasks = list(Task.objects.filter(process=process).order_by("id"))
    cases = []
    for i in range(n):
        clone = copy.copy(case)
        clone.pk = clone.id = None
        clone.number = f"{case.number}-{i}"
        cases.append(clone)
    cases = AccountabilityCase.objects.bulk_create(cases)
    processes = []
    for clone in cases:
        p = copy.copy(process)
        p.pk = p.id = None
        p.artifact_object_id = clone.pk
        processes.append(p)
    processes = Process.objects.bulk_create(processes)
    new_tasks = []
    for p in processes:
        for task in tasks:
            t = copy.copy(task)
            t.pk = t.id = None
            t.process_id = p.pk
            t.artifact_object_id = p.artifact_object_id
            new_tasks.append(t)
    Task.objects.bulk_create(new_tasks)


@pytest.fixture
def two_then_two_hundred(register, act):
    """Two cases initiated by the mayor (a finished task in the mayor's archive, an open
    task in the queue); then ``grow()`` adds 198 more like them."""
    first = act(register(), "start", "mayor", on=D(2026, 1, 5))
    second = act(register(official="head_transport"), "start", "mayor", on=D(2026, 1, 5))

    def grow():
        copies(second, 198)
        assert AccountabilityCase.objects.count() == 200

    return first, grow


PAGES = {
    "mayor": [
        "/workflow/inbox/",
        "/workflow/queue/",
        "/workflow/archive/",
        "/accountability/",
    ],
    # The engine's own lists are the administrators' (everyone else works from the inbox).
    "admin": [
        "/workflow/flows/accountability/",
        "/workflow/flows/accountability/tasks/",
        "/workflow/flows/accountability/flows/",
    ],
}


@pytest.mark.parametrize(
    "username,url", [(user, url) for user, urls in PAGES.items() for url in urls]
)
def test_a_workspace_list_costs_the_same_for_2_and_200_rows(
    two_then_two_hundred, login, username, url
):
    _first, grow = two_then_two_hundred
    client = login(username)
    few, _html = cost(client, url)
    grow()
    many, html = cost(client, url)
    assert many == few, (url, few, many)
    assert few <= 40, (url, few)
    assert "南府问" in html or "#" in html


def test_the_menu_counts_every_task_without_a_join_to_the_processes(two_then_two_hundred, login):
    _first, grow = two_then_two_hundred
    grow()
    client = login("mayor")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/accountability/")
    counts = [q["sql"] for q in captured if "COUNT(*)" in q["sql"] and "viewflow_task" in q["sql"]]
    # Selected by node, not by joining every task to every process to read its flow class
    # (the hash join over all processes that every page paid for).
    assert counts and not any("flow_class" in sql for sql in counts), counts
    html = response.content.decode()
    # the queue's count in the menu: the mayor's own tasks, the 200 "assign investigation or
    # order a report" tasks of the initiated cases
    assert re.search(r"\b200\b", html)


def test_the_queue_filter_offers_the_nodes_not_every_process(two_then_two_hundred, login):
    _first, grow = two_then_two_hundred
    grow()
    _n, html = cost(login("mayor"), "/workflow/queue/")
    assert html.count("<option") < 40


def test_the_archive_counts_at_most_its_limit(two_then_two_hundred, login, settings):
    from workflows import lists

    _first, grow = two_then_two_hundred
    grow()
    client = login("mayor")
    with CaptureQueriesContext(connection) as captured:
        client.get("/workflow/archive/")
    counted = [q["sql"] for q in captured if "COUNT(*)" in q["sql"] and "finished" in q["sql"]]
    assert counted and all(f"LIMIT {lists.ARCHIVE_LIMIT}" in sql for sql in counted), counted


def test_a_task_screen_costs_the_same_for_2_and_200_cases(two_then_two_hundred, login):
    first, grow = two_then_two_hundred
    task = flow.open_task(first)
    url = task.flow_task.reverse("execute", args=[task.process_id, task.pk])
    client = login("mayor")
    few, _html = cost(client, url)
    grow()
    many, _html = cost(client, url)
    assert many == few


def test_the_complaint_list_costs_the_same_for_2_and_200_complaints(login):
    from casework.complaints import services as complaints
    from casework.complaints.models import Complaint, new_tracking_code

    def submit():
        return complaints.submit(
            {
                "category": "attitude",
                "respondent_department": "education",
                "content": "办理学籍转入手续时，工作人员多次推诿。",
                "real_name": False,
            }
        )

    submit()
    second = submit()
    client = login("complaints")
    few, _html = cost(client, "/complaints/staff/")
    clones = []
    for _ in range(198):
        clone = copy.copy(second)
        clone.pk = clone.id = None
        clone.tracking_code = new_tracking_code()
        clones.append(clone)
    Complaint.objects.bulk_create(clones)
    many, html = cost(client, "/complaints/staff/")
    assert many == few
    assert len(re.findall(r'<tr data-complaint="(\d+)"', html)) > 2
