"""A browser test that sees a red card on the board and opens its explanation. The supervision
leader logs in, follows the menu to the warning board, finds the education bureau's deadline
that is three working days overdue as of today, and opens "如何计算", which lists the days
counted and skipped with their reasons."""

import pytest

from casework.deadlines.models import Kind
from tests.deadlines.helpers import red, upcoming

from .helpers import log_in

pytestmark = pytest.mark.browser


def test_the_supervision_leader_sees_a_red_card_and_opens_its_explanation(page):
    card = red(kind=Kind.ORGAN_REPORT, unit="education", description="报送投诉办理结果")
    upcoming(5, unit="education", description="尚未到期的事项")  # normal: not on the board

    log_in(page, "supervision_leader")
    # The inbox shows the bell and the early-warning menu.
    page.locator("[data-testid=bell]").wait_for()
    page.click("[data-testid=menu-board]")
    page.wait_for_url("**/deadlines/board/")
    row = page.locator(f"[data-testid=board-cards] tr[data-deadline='{card.pk}']")
    row.wait_for()
    assert row.get_attribute("data-level") == "red"
    assert "红牌" in row.inner_text()
    assert "南充市教育局" in row.inner_text()
    assert row.locator("[data-testid=overdue]").inner_text() == "3"
    assert "尚未到期的事项" not in page.content()
    counts = page.locator("[data-testid=unit-counts] tr[data-unit='education']")
    assert counts.locator("[data-testid=red-count]").inner_text() == "1"

    row.locator("[data-testid=explain-link]").click()
    page.wait_for_url(f"**/deadlines/{card.pk}/explain/")
    explanation = page.locator("[data-testid=explanation]")
    assert explanation.get_attribute("data-level") == "red"
    assert "红牌" in explanation.inner_text()
    days = page.locator("[data-testid=explain-days]").inner_text()
    assert "工作日" in days and "周末" in days  # the period spans 30 calendar days
    overdue = page.locator("[data-testid=overdue-days]").inner_text()
    assert "逾期第 3 个工作日" in overdue
    page.screenshot(path="var/browser-warning-explanation.png", full_page=True)


def test_an_official_is_refused_the_board(page):
    log_in(page, "head_education")
    assert page.locator("[data-testid=menu-board]").count() == 0
    response = page.goto(page.base_url + "/deadlines/board/")
    assert response.status == 403
