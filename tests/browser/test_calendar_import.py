"""The administrator enters next year's holiday notice: pastes the State Council's text, sees
the days that change and the deadline that would move, confirms; the year is complete and the
deadline has moved."""

import datetime

import pytest

from casework.deadlines import services
from casework.deadlines.models import Deadline, Kind
from casework.org.models import Department
from casework.workcalendar.models import CalendarYear

from .helpers import log_in

pytestmark = pytest.mark.browser

NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月6日（周六）至14日（周日）放假调休，共9天。2月20日（周六）上班。
"""
REASON = "国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕9号）"


def test_the_administrator_enters_2027_and_the_deadlines_move(page):
    deadline = services.open_deadline(
        Kind.INVESTIGATION,
        start=datetime.date(2027, 2, 1),
        days=10,
        description="跨春节调查",
        unit=Department.objects.get(code="supervision"),
    )
    assert deadline.due == datetime.date(2027, 2, 15)
    log_in(page, "admin")
    page.locator("[data-testid=menu-calendar]").first.click()
    page.wait_for_url("**/workspace/calendar/")
    page.fill("input[name=year]", "2027")
    page.fill("textarea[name=text]", NOTICE_2027)
    page.fill("input[name=reason]", REASON)
    page.locator("[data-testid=preview-notice]").click()
    preview = page.locator("[data-testid=notice-preview]")
    preview.wait_for()
    assert preview.locator("[data-testid=day-changes] tr[data-date='2027-02-08']").count() == 1
    move = preview.locator(f"[data-testid=deadline-moves] tr[data-deadline='{deadline.pk}']")
    assert "2027-02-15" in move.inner_text() and "2027-02-20" in move.inner_text()
    assert not CalendarYear.objects.get(year=2027).complete
    page.screenshot(path="var/browser-calendar-preview.png", full_page=True)
    page.locator("[data-testid=confirm-notice]").click()
    page.locator("[data-testid=messages]").get_by_text("2027").wait_for()
    assert (
        "已确认" in page.locator("[data-testid=calendar-years] tr[data-year='2027']").inner_text()
    )
    assert CalendarYear.objects.get(year=2027).complete
    assert Deadline.objects.get(pk=deadline.pk).due == datetime.date(2027, 2, 20)
