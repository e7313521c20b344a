"""A citizen files a real-name complaint on the portal and gets a tracking code; the
complaints office accepts it and transfers it to the education bureau from the task screens;
the bureau's staff member reports; the office verifies, decides and gives feedback; the
citizen's tracking page shows the published result. The bureau never sees who complained."""

import re

import pytest
from django.core.cache import cache

from casework.complaints.models import Complaint

from .helpers import log_in

pytestmark = pytest.mark.browser

NAME = "赵丽华"
PHONE = "13698765432"
CONTENT = "2026年11月在教育局窗口办理学籍转入，工作人员推诿刁难，要求提供无关证明。"
PUBLISHED = "经核实，已责令被投诉单位改进窗口服务并通报批评相关人员。"


@pytest.fixture(autouse=True)
def fresh_limits():
    """The portal's per-address limits count in the cache: start from zero."""
    cache.clear()
    yield
    cache.clear()


def state(page):
    return page.locator("[data-testid=complaint-state]").first.inner_text()


def act_on_task(
    page, complaint_url, action, fill=None, confirm=False, expect_state="", lands_on=None
):
    """From the complaint page to its task screen and act. The office lands on the
    complaint's next task when it is its own (``lands_on``, the task's name), else on the
    complaint page; either way the test goes on from the complaint page."""
    page.goto(complaint_url)
    page.locator("[data-testid=task-link]").click()
    page.wait_for_url("**/execute/**")
    tab = page.locator(f"[data-testid=actions] a[data-action={action}]")
    if "cw-current" not in (tab.get_attribute("class") or ""):
        tab.click()
        page.wait_for_url(f"**action={action}*")
    form = page.locator("[data-testid=task-form]")
    form.locator(f"input[name=action][value={action}]").wait_for(state="attached")
    for selector, value in (fill or {}).items():
        field = form.locator(selector)
        if selector.startswith("select"):
            field.select_option(value)
        else:
            field.fill(value)
    if confirm:
        form.locator("input[name=confirm]").check()
    form.locator("[data-testid=submit]").click()
    if lands_on:
        page.wait_for_url(f"**/{lands_on}/*/execute/**")
        page.goto(complaint_url)
    else:
        page.wait_for_url(re.compile(r".*/complaints/staff/\d+/$"))
    page.locator("[data-testid=complaint-state]").get_by_text(expect_state).wait_for()


def file_on_the_portal(page, name=NAME, phone=PHONE):
    page.goto(page.base_url + "/complaints/new/")
    page.select_option("select[name=category]", "attitude")
    page.select_option("select[name=respondent_department]", "education")
    page.fill("textarea[name=content]", CONTENT)
    page.check("input[name=real_name][value='1']")
    page.fill("input[name=name]", name)
    page.fill("input[name=phone]", phone)
    page.click("button[type=submit]")
    page.wait_for_url("**/complaints/submitted/")
    return page.locator("[data-testid=tracking-code]").inner_text().strip()


def test_a_citizen_files_on_the_portal_and_gets_a_tracking_code(page):
    page.set_default_timeout(5_000)
    code = file_on_the_portal(page)
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
    assert Complaint.objects.filter(tracking_code=code).exists()


def test_the_office_transfers_the_organ_reports_and_the_result_is_published(page):
    # --- the citizen, without an account ---------------------------------------------------
    # Filed on the portal's own form (the referrer policy is same-origin, so the browser's
    # POST passes Django's CSRF origin check).
    code = file_on_the_portal(page)
    complaint = Complaint.objects.get(tracking_code=code)
    complaint_url = f"{page.base_url}/complaints/staff/{complaint.pk}/"

    # --- the complaints office accepts and transfers -----------------------------------
    log_in(page, "complaints")
    page.goto(page.base_url + "/complaints/staff/")
    page.locator(f"[data-testid=complaint-list] tr[data-complaint='{complaint.pk}'] a").click()
    page.wait_for_url(re.compile(r".*/complaints/staff/\d+/$"))
    assert state(page) == "已提交"
    identity = page.locator("[data-testid=identity-masked]").inner_text()
    assert "136****5432" in identity and PHONE not in page.content()
    act_on_task(page, complaint_url, "accept", expect_state="已受理", lands_on="route_complaint")
    act_on_task(
        page,
        complaint_url,
        "transfer",
        fill={"select[name=organ]": "education", "textarea[name=note]": "属教育局职责"},
        expect_state="已转办",
    )
    assert "南充市教育局" in page.locator("[data-testid=current-task]").inner_text()

    # --- the education bureau reports, without ever seeing who complained --------------
    log_in(page, "staff_education")
    # The task is given to the bureau's sole account: it waits in his inbox, not the queue.
    page.goto(page.base_url + "/workflow/inbox/")
    page.locator("a[href*='/organ_handling/']").first.click()
    page.wait_for_url("**/organ_handling/*/execute/**")
    screen = page.content()
    assert f"投诉第{complaint.pk}号" in screen
    for secret in (NAME, PHONE, "136****5432", code):
        assert secret not in screen
    form = page.locator("[data-testid=task-form]")
    form.locator("textarea[name=report]").fill(
        "已约谈窗口工作人员，取消无依据的证明要求，并当面致歉。"
    )
    form.locator("[data-testid=submit]").click()
    page.wait_for_url(re.compile(r".*/complaints/staff/\d+/$"))
    page.locator("[data-testid=complaint-state]").get_by_text("承办机关已报告").wait_for()
    for secret in (NAME, PHONE, "136****5432", "吴晓燕"):
        assert secret not in page.content()
    page.screenshot(path="var/browser-complaint-organ.png", full_page=True)

    # --- the office verifies, decides and gives feedback --------------------------------
    log_in(page, "complaints")
    act_on_task(
        page, complaint_url, "verify", expect_state="核实处理中", lands_on="decide_complaint"
    )
    act_on_task(
        page,
        complaint_url,
        "decide",
        fill={
            "select[name=outcome]": "supervision_decision",
            "textarea[name=text]": "投诉属实，责令教育局整改窗口服务。",
            "textarea[name=published_result]": PUBLISHED,
        },
        confirm=True,
        expect_state="已作出处理",
        lands_on="feedback_or_close",
    )
    act_on_task(
        page,
        complaint_url,
        "give_feedback",
        fill={"textarea[name=text]": "您反映的问题已查实并责令整改，感谢您的监督。"},
        expect_state="已反馈投诉人",
        lands_on="close_complaint",
    )
    history = page.locator("[data-testid=history]").inner_text()
    assert "转办" in history and "承办机关报告办理结果" in history and "反馈投诉人" in history
    page.screenshot(path="var/browser-complaint-office.png", full_page=True)

    # --- the citizen tracks the complaint with the code alone ---------------------------
    page.context.clear_cookies()
    page.goto(page.base_url + "/complaints/track/")
    page.fill("input[name=code]", code)
    page.click("button[type=submit]")
    status = page.locator("[data-testid=status]")
    status.get_by_text(PUBLISHED).wait_for()
    text = status.inner_text()
    assert "已反馈投诉人" in text
    for secret in (NAME, PHONE, "吴晓燕", "何丽", "已约谈窗口工作人员"):
        assert secret not in page.content()
    page.screenshot(path="var/browser-complaint-track.png", full_page=True)
