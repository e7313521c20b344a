"""The secretariat registers a case in the browser; the mayor finds it in the queue, starts
it from the task screen; the case page shows the new state and the notice of start."""

import re

import pytest

from casework.org.models import Official

from .helpers import log_in

pytestmark = pytest.mark.browser


def test_secretariat_registers_and_the_mayor_starts_the_case(page):
    log_in(page, "secretariat")
    page.click("[data-testid=menu-cases]")
    page.wait_for_url("**/accountability/")
    page.click("[data-testid=register-link]")
    form = page.locator("[data-testid=register-form]")
    official = Official.objects.get(user__username="head_education")
    form.locator("select[name=official]").select_option(str(official.pk))
    form.locator("input[name=grounds][value='4.1.1']").check()
    form.locator("select[name=source]").select_option("mayor")
    form.locator("textarea[name=summary]").fill("未完成政府工作报告确定的任务")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/accountability/\d+/$"))
    assert page.locator("[data-testid=case-state]").inner_text() == "已提出"
    number = page.locator("h1").first.inner_text().split()[0]
    assert number.startswith("南府问案〔")
    case_url = page.url
    # The task waits for the mayor, not for the secretariat.
    assert "待领取：市长" in page.locator("[data-testid=current-task]").inner_text()
    assert page.locator("[data-testid=task-link]").count() == 0

    log_in(page, "mayor")
    page.goto(page.base_url + "/workflow/queue/")
    page.locator("a[href*='/consider_proposal/']").first.click()
    page.wait_for_url("**/consider_proposal/*/execute/**")
    assert number in page.content()
    page.locator("[data-testid=task-form] textarea[name=note]").fill("情况属实，启动问责。")
    page.click("[data-testid=submit]")
    # The case's next task is the mayor's too: he lands on it.
    page.wait_for_url("**/direct_inquiry/*/execute/**")

    page.goto(case_url)
    assert page.locator("[data-testid=case-state]").inner_text() == "已启动"
    assert "决定办理方式" in page.locator("[data-testid=current-task]").inner_text()
    documents = page.locator("[data-testid=documents]")
    assert "启动问责程序通知书" in documents.inner_text()
    history = page.locator("[data-testid=history]").inner_text()
    assert "启动问责程序" in history and "情况属实，启动问责。" in history
    page.screenshot(path="var/browser-accountability-case.png", full_page=True)

    documents.locator("a").first.click()
    page.wait_for_url("**/accountability/documents/*/")
    assert page.locator("[data-testid=document-number]").inner_text().startswith("南府问启〔")
    assert "南充市人民政府" in page.locator("[data-testid=document]").inner_text()
    page.screenshot(path="var/browser-accountability-document.png", full_page=True)
