"""The supervision bureau computes and reviews November, its leader publishes it with a
numbered 通报, and the education bureau's head sees only his department's lines and the cards
behind a deduction (Xinxiang performance art. 9, 12)."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from casework.deadlines.lifecycle import open_deadline
from casework.deadlines.models import Kind, Level, WarningEvent
from casework.org.models import Department

from .helpers import log_in

pytestmark = pytest.mark.browser

D = datetime.date


def a_yellow_card_in_november():
    education = Department.objects.get(code="education")
    deadline = open_deadline(
        Kind.ORGAN_REPORT,
        start=D(2026, 11, 2),
        due=D(2026, 11, 10),
        description="报送投诉办理结果",
        unit=education,
    )
    WarningEvent.objects.create(
        deadline=deadline, level=Level.YELLOW, as_of=D(2026, 11, 11), due=deadline.due
    )


def take(page, name, confirm=False):
    page.locator(f"a[data-action={name}]").first.click()
    form = page.locator("[data-testid=task-form]")
    if confirm:
        form.locator("input[name=confirm]").check()
    form.locator("[data-testid=submit]").click()
    # Done once the screen sends the person on: to their next piece of work, else the month.
    page.wait_for_url(lambda url: "/act/" not in url)


def test_the_bureau_publishes_a_month(page):
    a_yellow_card_in_november()
    log_in(page, "investigator")
    page.goto(page.base_url + "/evaluation/")
    page.fill("input[name=month]", "2026-11")
    page.locator("[data-testid=compute]").click()
    expect(page.locator("[data-testid=evaluation-state]")).to_have_text("草稿")
    expect(page.locator("[data-testid=total-education]")).to_have_text(re.compile(r"^\s*38\.00"))
    take(page, "review")
    page.goto(page.base_url + "/evaluation/2026-11/")
    expect(page.locator("[data-testid=evaluation-state]")).to_have_text("已审核")

    log_in(page, "supervision_leader")
    page.goto(page.base_url + "/evaluation/2026-11/")
    take(page, "publish", confirm=True)
    page.goto(page.base_url + "/evaluation/2026-11/")
    expect(page.locator("[data-testid=evaluation-state]")).to_have_text("已公布")
    expect(page.locator("[data-testid=bulletin-number]")).to_have_text("监绩通〔2026〕1号")
    expect(page.locator("a[data-action=recompute]")).to_have_count(0)

    log_in(page, "head_education")
    page.goto(page.base_url + "/evaluation/2026-11/")
    expect(page.locator("tr.cw-group")).to_have_count(1)
    page.locator("[data-testid=evaluation-table] a", has_text="黄牌警告").click()
    expect(page.locator("[data-testid=evidence]")).to_contain_text("报送投诉办理结果")
    expect(page.locator("[data-testid=line-amount]")).to_have_text("-2.00")
