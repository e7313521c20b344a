"""The supervision office proposes a matter with its card, its head approves it, the
education bureau drafts the feedback, the transport bureau's head countersigns it and the
education bureau's head signs it off (Handan supervision art. 4 (1), (3))."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.supervision.models import SupervisionMatter
from casework.workcalendar.periods import add_working_days

from .helpers import log_in

pytestmark = pytest.mark.browser


def take(page, matter, name, confirm=False, **fields):
    page.goto(page.base_url + f"/supervision/{matter.pk}/")
    page.locator(f"a[data-action={name}]").first.click()
    form = page.locator("[data-testid=task-form]")
    for field, value in fields.items():
        form.locator(f"[name={field}]").fill(value)
    if confirm:
        form.locator("input[name=confirm]").check()
    form.locator("[data-testid=submit]").click()
    page.wait_for_url(lambda url: "/act/" not in url)


def test_the_office_registers_and_the_units_feed_back(page):
    due = add_working_days(timezone.localdate(), 10).due
    log_in(page, "supervision_office")
    page.goto(page.base_url + "/supervision/")
    page.locator("[data-testid=register]").click()
    form = page.locator("[data-testid=register-form]")
    form.locator("[name=title]").fill("完成中小学校舍安全改造")
    form.locator("[name=source]").select_option("leader_instruction")
    form.locator("[name=instruction]").fill("请教育局牵头，交通运输局配合，按期完成。")
    form.locator("[name=lead_unit]").select_option("education")
    form.locator("[name=co_units]").select_option(["transport"])
    form.locator("[name=due]").fill(due.isoformat())
    form.locator("[name=requirements]").fill("办结后书面反馈。")
    form.locator("[name=proposal]").fill("建议列为督办事项。")
    form.locator("[data-testid=submit]").click()
    page.wait_for_url("**/supervision/*/")
    expect(page.locator("[data-testid=matter-state]")).to_have_text("拟办待审定")
    matter = SupervisionMatter.objects.get()

    log_in(page, "supervision_office_head")
    take(page, matter, "approve", confirm=True)
    page.goto(page.base_url + f"/supervision/{matter.pk}/")
    expect(page.locator("[data-testid=matter-state]")).to_have_text("已立项交办")
    expect(page.locator("[data-testid=card]")).to_contain_text("南府督交")

    log_in(page, "staff_education")
    take(page, matter, "draft_feedback", feedback="校舍改造已全部完成。")

    # The lead unit's head cannot sign off before the co-unit has countersigned.
    log_in(page, "head_education")
    page.goto(page.base_url + f"/supervision/{matter.pk}/")
    expect(page.locator("a[data-action=sign_off]")).to_have_count(0)

    log_in(page, "head_transport")
    take(page, matter, "countersign", opinion="同意")

    log_in(page, "head_education")
    take(page, matter, "sign_off", confirm=True)
    page.goto(page.base_url + f"/supervision/{matter.pk}/")
    expect(page.locator("[data-testid=matter-state]")).to_have_text("已反馈待归档")
    expect(page.locator("[data-testid=countersigns]")).to_contain_text("交通运输局")
