"""The mayor opens the dashboard: the vendored ECharts draws every chart under the site's
Content-Security-Policy (no inline script), each with its table beneath."""

import pytest

from .helpers import log_in

pytestmark = pytest.mark.browser


def test_the_mayor_sees_every_chart_drawn(page):
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    log_in(page, "mayor")
    page.locator("[data-testid=menu-dashboard]").first.click()
    page.wait_for_url("**/workspace/dashboard/")
    charts = page.locator("[data-chart][data-drawn='1']")
    charts.nth(4).wait_for()
    assert charts.count() == 5
    assert page.locator("[data-chart] canvas").count() >= 5
    for key in ("open-cases", "cards", "complaints", "steps", "evaluation"):
        assert page.locator(f"[data-testid=table-{key}]").is_visible()
    page.screenshot(path="var/browser-dashboard.png", full_page=True)
    assert problems == []
