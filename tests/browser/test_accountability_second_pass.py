"""The Nanchong measures in the browser, for the roles concerned: the secretariat enters a
review request that arrived by post after the decision became final (Nanchong art. 14, postmark); a
staff member cannot be the subject of a case, and the head holds him to account by reference
and decides it himself (Nanchong art. 2, 3, 20); a late request is refused, blocks nothing, and the
mayor admits it on legitimate grounds from ``final`` (Nanchong art. 14)."""

import datetime

import pytest

from casework.accountability import services
from casework.accountability.models import AccountabilityCase
from casework.org.models import Official, User

from .helpers import log_in

pytestmark = pytest.mark.browser

D = datetime.date


def _final_case(received, final_on):
    """A decision served by post on ``received`` and become final on ``final_on``."""
    people = {user.username: user for user in User.objects.all()}
    d0 = received - datetime.timedelta(days=7)
    case = services.register_case(
        people["secretariat"],
        {
            "official": Official.objects.get(user__username="head_education").pk,
            "grounds": ["4.1.1"],
            "source": "mayor",
            "summary": "未完成政府工作报告确定的任务",
            "on": d0.isoformat(),
        },
    )
    steps = [
        ("start", "mayor", {}),
        ("submit_to_meeting", "mayor", {"reason": "事实清楚"}),
        ("schedule", "secretariat", {"meeting_date": d0.isoformat()}),
        ("deliberate", "secretariat", {"minutes": "纪要"}),
        ("decide", "mayor", {"modes": ["3"], "reason": "情节较重"}),
    ]
    for name, username, body in steps:
        case = services.transition(case, name, people[username], {**body, "on": d0.isoformat()})
    case = services.transition(
        case,
        "serve",
        people["investigator"],
        {"received_on": received.isoformat(), "method": "post", "on": received.isoformat()},
    )
    if final_on is not None:
        case = services.transition(
            case, "become_final", people["secretariat"], {"on": final_on.isoformat()}
        )
    return case


def _task_form(page, case, action):
    page.goto(f"{page.base_url}/accountability/{case.pk}/")
    page.click("[data-testid=task-link]")
    page.wait_for_url("**/execute/**")
    page.goto(page.url.split("?")[0] + f"?action={action}")
    return page.locator("[data-testid=task-form]")


def test_the_secretariat_enters_a_posted_request_after_the_decision_became_final(page):
    # Served 2026-09-17, the window ends 2026-10-08, final on 10-09.
    case = _final_case(D(2026, 9, 17), D(2026, 10, 9))
    log_in(page, "secretariat")
    form = _task_form(page, case, "request_review")
    form.locator("textarea[name=grounds]").fill("不服问责决定（书面申请，邮寄）")
    form.locator("input[name=filed_on]").fill("2026-10-08")
    form.locator("input[name=on]").fill("2026-10-12")
    form.locator("[data-testid=submit]").click()
    # The next task (the mayor's) is not hers and no other work waits: she lands on the case.
    page.wait_for_url(f"**/accountability/{case.pk}/")
    assert page.locator("[data-testid=case-state]").inner_text() == "已申请复核"
    row = page.locator("[data-testid=review-request]").first.inner_text()
    assert "2026-10-08" in row and "代为录入" in row and "李文静" in row
    assert "撤销“决定生效”" in page.locator("[data-testid=history]").inner_text()

    # The mayor finds it in his queue and decides on it.
    log_in(page, "mayor")
    page.goto(f"{page.base_url}/accountability/{case.pk}/")
    assert page.locator("[data-testid=task-link]").count() == 1


def test_a_staff_member_is_no_subject_and_the_head_decides_a_linked_case(page):
    # Registering against a 科员 is refused, naming the official.
    log_in(page, "secretariat")
    page.goto(page.base_url + "/accountability/new/")
    form = page.locator("[data-testid=register-form]")
    staff = Official.objects.get(user__username="staff_education")
    form.locator("select[name=official]").select_option(str(staff.pk))
    form.locator("input[name=grounds][value='4.1.1']").check()
    form.locator("select[name=source]").select_option("mayor")
    form.locator("textarea[name=summary]").fill("经办人员未按期报送材料")
    form.locator("button[type=submit]").click()
    assert "不是部门行政首长" in page.content()
    assert not AccountabilityCase.objects.filter(official=staff).exists()

    # After his own case, the head holds the staff member to account by reference.
    parent = _final_case(D(2026, 9, 17), D(2026, 10, 9))
    log_in(page, "head_education")
    form = _task_form(page, parent, "open_linked_case")
    form.locator("[name=official]").fill(str(staff.pk))
    form.locator("textarea[name=summary]").fill("经办人员未按期报送材料，致使工作延误")
    form.locator("input[name=on]").fill("2026-10-12")
    form.locator("[data-testid=submit]").click()
    page.wait_for_load_state()
    child = AccountabilityCase.objects.get(parent=parent)
    page.goto(f"{page.base_url}/accountability/{parent.pk}/")
    linked = page.locator("[data-testid=linked-case]").inner_text()
    assert child.number in linked and "何丽" in linked

    # The mayor is not the decider of the linked case.
    log_in(page, "mayor")
    page.goto(f"{page.base_url}/accountability/{child.pk}/")
    assert page.locator("[data-testid=task-link]").count() == 0

    # The head is: the task is in his inbox and he starts the case.
    log_in(page, "head_education")
    page.goto(f"{page.base_url}/accountability/{child.pk}/")
    assert "第二十条" in page.locator("[data-testid=parent-case]").inner_text()
    page.click("[data-testid=task-link]")
    page.wait_for_url("**/execute/**")
    page.goto(page.url.split("?")[0] + "?action=start")
    page.locator("[data-testid=task-form] [data-testid=submit]").click()
    # The linked case's next task is his too: he lands on it.
    page.wait_for_url("**/direct_inquiry/*/execute/**")
    page.goto(f"{page.base_url}/accountability/{child.pk}/")
    assert page.locator("[data-testid=case-state]").inner_text() == "已启动"


def test_a_late_request_blocks_nothing_and_the_mayor_admits_it_from_final(page):
    case = _final_case(D(2026, 9, 17), None)
    # The official files after the window: refused, recorded late.
    log_in(page, "head_education")
    form = _task_form(page, case, "request_review")
    # An official files on the day itself (the day field is the staff's, for posted requests).
    form.locator("textarea[name=grounds]").fill("事实不清")
    form.locator("[data-testid=submit]").click()
    assert "复核申请期已于2026-10-08届满" in page.content()

    # It blocks nothing: the secretariat lets the decision become final.
    log_in(page, "secretariat")
    form = _task_form(page, case, "become_final")
    form.locator("input[name=on]").fill("2026-10-09")
    form.locator("[data-testid=submit]").click()
    # The case's next task (execution) is the secretariat's: she lands on it.
    page.wait_for_url("**/execute_and_close/*/execute/**")
    page.goto(f"{page.base_url}/accountability/{case.pk}/")
    assert page.locator("[data-testid=case-state]").inner_text() == "决定已生效"
    assert "逾期未受理" in page.locator("[data-testid=review-request]").first.inner_text()

    # The mayor admits it on legitimate grounds: the case reopens into review.
    log_in(page, "mayor")
    form = _task_form(page, case, "request_review")
    form.locator("textarea[name=grounds]").fill("事实不清")
    form.locator("input[name=late_ok]").check()
    form.locator("textarea[name=late_reason]").fill("申请人因公出国，有出境记录")
    form.locator("input[name=on]").fill("2026-10-12")
    form.locator("[data-testid=submit]").click()
    # Deciding on the request is his next task on the case: he lands on it.
    page.wait_for_url("**/decide_review_request/*/execute/**")
    page.goto(f"{page.base_url}/accountability/{case.pk}/")
    assert page.locator("[data-testid=case-state]").inner_text() == "已申请复核"
    row = page.locator("[data-testid=review-request]").first.inner_text()
    assert "市长准予" in row and "因公出国" in row
