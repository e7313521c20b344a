"""A citizen on a phone (390×844, and the narrowest, 320 px) files a complaint, copies the
tracking code with the button, and tracks the complaint by POST: the page never scrolls
sideways and no address ever carries the code."""

import pytest
from django.core.cache import cache

from casework.complaints.models import Complaint
from casework.deadlines.models import Kind

pytestmark = pytest.mark.browser

CONTENT = "2026年11月在教育局窗口办理学籍转入，工作人员推诿刁难，要求提供无关证明。"


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


def no_sideways_scroll(page):
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths


@pytest.mark.parametrize("width, height", [(390, 844), (320, 640)])
def test_a_citizen_files_and_tracks_a_complaint_on_a_phone(
    browser, live_server, reference_data, width, height
):
    from casework.org.demo import load_demo_people

    load_demo_people()
    context = browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": width, "height": height},
        is_mobile=True,
        has_touch=True,
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    addresses = []
    page.on("request", lambda request: addresses.append(request.url))
    try:
        page.goto(live_server.url + "/complaints/new/")
        no_sideways_scroll(page)
        page.select_option("select[name=category]", "attitude")
        page.select_option("select[name=respondent_department]", "education")
        page.fill("textarea[name=content]", CONTENT)
        page.check("input[name=real_name][value='0']")
        page.click("button[type=submit]")
        page.wait_for_url("**/complaints/submitted/")
        code = page.locator("[data-testid=tracking-code]").inner_text().strip()
        complaint = Complaint.objects.get(tracking_code=code)
        no_sideways_scroll(page)
        box = page.locator("[data-testid=tracking-code]").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        due = complaint.deadlines.get(kind=Kind.COMPLAINT_HANDLING).due.isoformat()
        assert due in page.locator("[data-testid=expected-completion]").inner_text()

        page.locator("[data-testid=copy-code]").click()
        page.get_by_text("已复制").wait_for()
        assert page.evaluate("() => navigator.clipboard.readText()").strip() == code
        page.screenshot(path=f"var/browser-phone-{width}-submitted.png", full_page=True)

        page.locator("[data-testid=track-now]").click()
        page.wait_for_url("**/complaints/track/")
        status = page.locator("[data-testid=status]")
        status.get_by_text("已提交").wait_for()
        assert due in status.inner_text()
        no_sideways_scroll(page)
        page.screenshot(path=f"var/browser-phone-{width}-track.png", full_page=True)

        # Later, from the tracking page itself, typing the code.
        page.goto(live_server.url + "/complaints/track/")
        page.fill("input[name=code]", code.replace("-", "").lower())
        page.locator("[data-testid=track-form] button[type=submit]").click()
        status.get_by_text("已提交").wait_for()
        no_sideways_scroll(page)
        assert all(code not in address for address in addresses)
        assert all(code.replace("-", "").lower() not in address for address in addresses)
    finally:
        context.close()
