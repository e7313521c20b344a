"""A day at work, role by role: each person starts from the inbox (待办), sees their work with its
due date, acts, and lands on their next piece of work or on the case — never on an empty inbox
with work waiting. The inbox counts in the menu follow."""

import re

import pytest
from django.utils import timezone

from casework.accountability import services
from casework.deadlines import investigations
from casework.org.models import Official, User
from casework.workcalendar import periods
from tests.deadlines.helpers import red, working_days_ago

from .helpers import log_in

pytestmark = pytest.mark.browser


def _register(official="head_education", on=None):
    return services.register_case(
        User.objects.get(username="secretariat"),
        {
            "official": Official.objects.get(user__username=official).pk,
            "grounds": ["4.1.1"],
            "source": "mayor",
            "summary": "未完成政府工作报告确定的任务",
            "on": (on or timezone.localdate()).isoformat(),
        },
    )


def _act(case, name, username, **body):
    for key, value in list(body.items()):
        if hasattr(value, "isoformat"):
            body[key] = value.isoformat()
    return services.transition(case, name, User.objects.get(username=username), body)


def inbox_count(page):
    return int(page.locator("[data-testid=inbox-count]").inner_text())


def open_inbox(page):
    page.click("[data-testid=menu-inbox]")
    page.wait_for_url("**/workflow/inbox/")
    return page.locator("[data-testid=worklist] tbody tr[data-row]")


def test_the_mayors_day(page):
    lead = _register()
    started = _act(_register(official="head_transport"), "start", "mayor")
    log_in(page, "mayor")
    rows = open_inbox(page)
    assert inbox_count(page) == 2 and rows.count() == 2
    assert lead.number in rows.all_inner_texts()[0] + rows.all_inner_texts()[1]

    # The lead: not started, with reasons; the lead is closed.
    page.locator(f"tr:has-text('{lead.number}') [data-testid=row-step]").click()
    page.wait_for_url("**/consider_proposal/*/execute/**")
    page.click("[data-action=decline]")
    form = page.locator("[data-testid=task-form]")
    form.locator("textarea[name=reason]").fill("线索反映的问题不属实")
    form.locator("input[name=confirm]").check()
    page.click("[data-testid=submit]")
    # On to the other case's task, the mayor's next piece of work.
    page.wait_for_url("**/direct_inquiry/*/execute/**")
    assert started.number in page.content()
    assert inbox_count(page) == 1

    # A period in working days: the due date shows as it is typed.
    page.click("[data-action=assign_investigation]")
    days = page.locator("input[name=working_days]")
    days.fill("20")
    due = periods.add_working_days(timezone.localdate(), 20).due.isoformat()
    expect_text(page.locator("[data-testid=period-due]"), due)
    page.click("[data-testid=submit]")
    page.wait_for_url(re.compile(r".*/accountability/\d+/$"))
    assert inbox_count(page) == 0
    page.screenshot(path="var/browser-inbox-mayor.png", full_page=True)


def test_the_secretariats_day(page):
    case = _act(_register(), "start", "mayor")
    case = _act(case, "submit_to_meeting", "mayor", reason="事实清楚")
    log_in(page, "secretariat")
    rows = open_inbox(page)
    assert inbox_count(page) == 1
    assert case.number in rows.first.inner_text() and "列入常务会议议程" in rows.first.inner_text()
    page.screenshot(path="var/browser-inbox-secretariat.png", full_page=True)
    rows.first.locator("[data-testid=row-step]").click()
    page.wait_for_url("**/schedule_meeting/*/execute/**")
    meeting = periods.add_working_days(timezone.localdate(), 3).due.isoformat()
    page.fill("input[name=meeting_date]", meeting)
    page.click("[data-testid=submit]")
    # The next step of the same case is the secretariat's too: recording the meeting.
    page.wait_for_url("**/record_deliberation/*/execute/**")
    assert inbox_count(page) == 1


def test_an_officials_day(page):
    served = timezone.localdate()
    case = _register(on=working_days_ago(3))
    case = _act(case, "start", "mayor", on=working_days_ago(3))
    case = _act(case, "assign_investigation", "mayor", on=working_days_ago(2), working_days=20)
    case = _act(
        case,
        "notify_findings",
        "investigator",
        on=served,
        findings="未完成年度任务属实",
        served_on=served,
    )
    log_in(page, "head_education")
    rows = open_inbox(page)
    assert inbox_count(page) == 1
    row = rows.first
    assert case.number in row.inner_text()
    assert row.locator("[data-testid=row-due]").inner_text() != "无期限"
    assert "个工作日" in row.locator("[data-testid=row-days-left]").inner_text()
    page.screenshot(path="var/browser-inbox-official.png", full_page=True)
    row.locator("[data-testid=row-step]").click()
    page.wait_for_url("**/object_to_findings/*/execute/**")
    # Only his own fields: no day of the act.
    assert page.locator("[data-testid=task-form] input[name=on]").count() == 0
    page.click("[data-action=accept_findings]")
    page.locator("[data-testid=task-form] input[name=confirm]").check()
    page.click("[data-testid=submit]")
    page.wait_for_url(re.compile(r".*/accountability/\d+/$"))
    assert inbox_count(page) == 0


def test_the_supervision_leaders_day(page):
    investigations.propose_investigation(red(), timezone.localdate())
    log_in(page, "supervision_leader")
    rows = open_inbox(page)
    assert inbox_count(page) == 1
    assert "审批初步调查" in rows.first.inner_text()
    assert rows.first.get_attribute("data-level") == "red"
    rows.first.locator("[data-testid=row-step]").click()
    page.wait_for_url("**/investigations/*/decide/")
    form = page.locator("[data-testid=investigation-form]")
    form.locator("input[name=approve][value=yes]").check()
    form.locator("input[name=confirm]").check()
    form.locator("button[type=submit]").click()
    # Approved; the leader works in the bureau, so the conclusion is the next piece of work.
    page.wait_for_url("**/investigations/*/conclude/")
    assert inbox_count(page) == 1


def expect_text(locator, text):
    from playwright.sync_api import expect

    expect(locator).to_contain_text(text)
