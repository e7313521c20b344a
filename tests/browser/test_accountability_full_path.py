"""The "facts clear" path of the accountability procedure (docs/accountability.md) walked to its end
in the browser, each step by the demo account of the role that takes it:

proposed ─start→ initiated ─submit_to_meeting→ awaiting_meeting ─schedule→ scheduled
─deliberate→ deliberated ─decide→ decided ─serve→ served ─become_final→ final ─close→ closed

The review window (Nanchong art. 14: 10 working days from receipt) must have passed before the
decision becomes final, and the test runs "today": the acts up to service are entered with
their real dates about 30 working days ago (the ``on`` field of every act, "补录纸质案卷"), so the
window has closed by today and the last two acts are done today.
"""

import datetime
import re

import pytest
from django.utils import timezone

from casework.org.models import Official, User

from .helpers import log_in

pytestmark = pytest.mark.browser

CASE_URL = re.compile(r".*/accountability/\d+/$")

# The transitions of the path, in order, as the history panel must list them (data-action),
# with the state each one leads to (casework/accountability/models.py State, shown in Chinese).
PATH = [
    ("register", "已提出"),
    ("start", "已启动"),
    ("submit_to_meeting", "待提交常务会议"),
    ("schedule", "已列入会议议程"),
    ("deliberate", "已经会议讨论"),
    ("decide", "已作出问责决定"),
    ("serve", "决定已送达"),
    ("become_final", "决定已生效"),
    ("close", "已结案"),
]


def working_days_ago(n: int) -> datetime.date:
    from casework.workcalendar import periods

    return periods.working_day_of_ordinal(periods.working_day_ordinal(timezone.localdate()) - n)


def state_of(page, case_url) -> str:
    page.goto(case_url)
    return page.locator("[data-testid=case-state]").inner_text()


def act(page, case_url, action, fill=None, *, confirm=False, on=None):
    """From the case page: the task link → the task screen → the tab of ``action`` → fill in
    the form (``fill``: name → value; a list of values checks checkboxes, a ``select``
    is selected) → submit → the inbox."""
    page.goto(case_url)
    page.click("[data-testid=task-link]")
    page.wait_for_url("**/execute/**")
    page.click(f"[data-testid=actions] a[data-action={action}]")
    page.wait_for_url(f"**action={action}")
    form = page.locator("[data-testid=task-form]")
    assert form.locator("input[name=action]").get_attribute("value") == action
    for name, value in (fill or {}).items():
        if isinstance(value, list):
            for item in value:
                form.locator(f"input[name={name}][value='{item}']").check()
            continue
        field = form.locator(f"[name={name}]")
        tag = field.evaluate("node => node.tagName")
        if tag == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    if on is not None:
        form.locator("input[name=on]").fill(on.isoformat())
    if confirm:
        # An irreversible step is not sent until the person ticks the (required) confirmation.
        box = form.locator("input[name=confirm]")
        page.click("[data-testid=submit]")
        assert box.evaluate("box => box.validity.valueMissing")
        assert f"action={action}" in page.url
        box.check()
    else:
        assert form.locator("input[name=confirm]").count() == 0
    screen = page.url
    page.click("[data-testid=submit]")
    # On to the next piece of work, or the case: anywhere but the screen acted on.
    page.wait_for_url(lambda url: url != screen)


def register_bystander_case():
    """Another official's case, so that "only their own case" means something. Registered
    through the service: it is not part of the path under test."""
    from casework.accountability import services

    official = Official.objects.get(user__username="head_transport")
    case = services.register_case(
        User.objects.get(username="secretariat"),
        {
            "official": official.pk,
            "grounds": ["4.1.1"],
            "source": "mayor",
            "summary": "交通项目推进不力",
        },
    )
    return case.number


def test_facts_clear_path_to_closing_as_the_real_roles(page):
    from casework.workcalendar import periods
    from workflows.accountability import open_task

    registered_on = working_days_ago(30)
    meeting_on = working_days_ago(25)
    received_on = working_days_ago(24)
    window_due = periods.add_working_days(received_on, 10).due
    assert window_due < timezone.localdate()

    # --- secretariat: register the case against head_education, dated 30 working days ago.
    log_in(page, "secretariat")
    page.click("[data-testid=menu-cases]")
    page.wait_for_url("**/accountability/")
    page.click("[data-testid=register-link]")
    form = page.locator("[data-testid=register-form]")
    official = Official.objects.get(user__username="head_education")
    form.locator("select[name=official]").select_option(str(official.pk))
    form.locator("input[name=grounds][value='4.1.1']").check()
    form.locator("select[name=source]").select_option("mayor")
    form.locator("textarea[name=summary]").fill("未完成政府工作报告确定的教育任务")
    form.locator("input[name=on]").fill(registered_on.isoformat())
    form.locator("button[type=submit]").click()
    page.wait_for_url(CASE_URL)
    case_url = page.url
    number = page.locator("h1").first.inner_text().split()[0]
    assert re.fullmatch(r"南府问案〔\d{4}〕\d+号", number)
    assert page.locator("[data-testid=case-state]").inner_text() == "已提出"
    assert "待领取：市长" in page.locator("[data-testid=current-task]").inner_text()
    assert page.locator("[data-testid=task-link]").count() == 0
    other_number = register_bystander_case()

    # --- mayor: from the queue, start the case (Nanchong art. 5).
    log_in(page, "mayor")
    page.goto(page.base_url + "/workflow/queue/")
    page.locator("tr", has_text=number).locator("a[href*='/consider_proposal/']").first.click()
    page.wait_for_url("**/consider_proposal/*/execute/**")
    assert number in page.content()
    form = page.locator("[data-testid=task-form]")
    assert form.locator("input[name=action]").get_attribute("value") == "start"
    form.locator("textarea[name=note]").fill("情况属实，启动问责。")
    form.locator("input[name=on]").fill(registered_on.isoformat())
    screen = page.url
    page.click("[data-testid=submit]")
    # On to the next piece of work, or the case: anywhere but the screen acted on.
    page.wait_for_url(lambda url: url != screen)
    assert state_of(page, case_url) == "已启动"

    # --- mayor: the facts are clear, straight to the executive meeting (Nanchong art. 6).
    act(
        page,
        case_url,
        "submit_to_meeting",
        {"reason": "事实清楚，证据确凿，提交常务会议讨论。"},
        on=registered_on,
    )
    assert state_of(page, case_url) == "待提交常务会议"
    assert "列入常务会议议程" in page.locator("[data-testid=current-task]").inner_text()

    # --- secretariat: put it on the agenda of the meeting of ``meeting_on`` (Nanchong art. 11).
    log_in(page, "secretariat")
    act(page, case_url, "schedule", {"meeting_date": meeting_on.isoformat()}, on=registered_on)
    assert state_of(page, case_url) == "已列入会议议程"

    # --- secretariat: the meeting deliberated; minutes and the official's statement.
    act(
        page,
        case_url,
        "deliberate",
        {
            "minutes": "常务会议讨论认为，应予问责。",
            "statement": "刘建华作了陈述和申辩，承认工作不力。",
        },
        on=meeting_on,
    )
    assert state_of(page, case_url) == "已经会议讨论"
    assert "作出问责决定" in page.locator("[data-testid=current-task]").inner_text()

    # --- head_education meanwhile: no button for the mayor's task, and its screen refused.
    task = open_task(Official.objects.get(pk=official.pk).cases.get(number=number))
    decide_url = page.base_url + task.flow_task.reverse("execute", args=[task.process_id, task.pk])
    log_in(page, "head_education")
    assert state_of(page, case_url) == "已经会议讨论"
    assert "待领取：市长" in page.locator("[data-testid=current-task]").inner_text()
    assert page.locator("[data-testid=task-link]").count() == 0
    response = page.goto(decide_url)
    assert response.status == 403

    # --- mayor: decide the modes (Nanchong art. 12–13), confirming the irreversible step.
    log_in(page, "mayor")
    act(
        page,
        case_url,
        "decide",
        {"modes": ["1", "3"], "reason": "未完成年度任务，造成不良影响。"},
        confirm=True,
        on=meeting_on,
    )
    assert state_of(page, case_url) == "已作出问责决定"

    # --- secretariat: serve the decision in person; received the next working day.
    log_in(page, "secretariat")
    act(
        page,
        case_url,
        "serve",
        {"method": "in_person", "received_on": received_on.isoformat()},
        confirm=True,
        on=received_on,
    )
    assert state_of(page, case_url) == "决定已送达"

    # --- head_education: only their own case, the decision, the review window.
    log_in(page, "head_education")
    page.click("[data-testid=menu-cases]")
    page.wait_for_url("**/accountability/")
    cases = page.locator("[data-testid=case-list] tbody tr")
    assert cases.count() == 1
    assert number in cases.first.inner_text()
    assert other_number not in page.locator("[data-testid=case-list]").inner_text()
    cases.first.locator("a").click()
    page.wait_for_url(CASE_URL)
    assert page.locator("[data-testid=case-state]").inner_text() == "决定已送达"
    decision_row = page.locator("[data-testid=documents] tr[data-doc-type=decision]")
    assert "问责决定书" in decision_row.inner_text()
    window = page.locator("[data-testid=deadlines] tr[data-kind=review_window]")
    cells = window.locator("td")
    assert cells.nth(2).inner_text().startswith(window_due.isoformat())
    overdue = periods.working_days_between(window_due, timezone.localdate()).count
    assert cells.nth(3).inner_text() == f"逾期 {overdue} 个工作日"
    decision_row.locator("a").first.click()
    page.wait_for_url("**/accountability/documents/*/")
    assert re.fullmatch(
        r"南府问〔\d{4}〕\d+号", page.locator("[data-testid=document-number]").inner_text()
    )
    document = page.locator("[data-testid=document]").inner_text()
    assert "（1）" in document and "（3）" in document and "10个工作日" in document
    document_url = page.url

    # --- head_transport: head_education's case and its decision do not exist for them.
    log_in(page, "head_transport")
    assert page.goto(case_url).status == 404
    assert page.goto(document_url).status == 404

    # --- secretariat: the window has passed; the decision becomes final today (Nanchong art. 14).
    log_in(page, "secretariat")
    act(page, case_url, "become_final")
    assert state_of(page, case_url) == "决定已生效"

    # --- secretariat: no execution pending for modes 1 and 3; close the case today.
    act(page, case_url, "close", confirm=True)
    assert state_of(page, case_url) == "已结案"
    assert page.locator("[data-testid=current-task]").count() == 0
    assert "本案已结案" in page.content()

    # The history lists every transition in order, with the state it led to.
    rows = page.locator("[data-testid=history] tbody tr")
    actions = [a for a in rows.evaluate_all("rs => rs.map(r => r.dataset.action)") if a]
    assert actions == [name for name, _state in PATH]
    for name, label in PATH:
        row = page.locator(f"[data-testid=history] tr[data-action={name}]")
        assert row.count() == 1
        assert row.locator("td").nth(3).inner_text().endswith(label)
    history = page.locator("[data-testid=history]").inner_text()
    assert "情况属实，启动问责。" in history

    # The documents panel: the numbered notice of start and the numbered decision.
    documents = page.locator("[data-testid=documents] tbody tr")
    assert documents.evaluate_all("rs => rs.map(r => r.dataset.docType)") == [
        "notice_of_start",
        "decision",
    ]
    start_number = documents.nth(0).locator("td").nth(0).inner_text()
    decision_number = documents.nth(1).locator("td").nth(0).inner_text()
    assert re.fullmatch(r"南府问启〔\d{4}〕\d+号", start_number)
    assert re.fullmatch(r"南府问〔\d{4}〕\d+号", decision_number)
    assert documents.nth(0).locator("td").nth(2).inner_text() == registered_on.isoformat()
    assert documents.nth(1).locator("td").nth(2).inner_text() == meeting_on.isoformat()
    page.screenshot(path="var/browser-accountability-full-path.png", full_page=True)


def served_case(received_on):
    """A case served on ``received_on``, brought there through the services (the path itself
    is walked in the browser by the test above)."""
    from casework.accountability import services

    secretariat = User.objects.get(username="secretariat")
    mayor = User.objects.get(username="mayor")
    day = working_days_ago(40).isoformat()
    case = services.register_case(
        secretariat,
        {
            "official": Official.objects.get(user__username="head_education").pk,
            "grounds": ["4.1.1"],
            "source": "mayor",
            "summary": "未完成政府工作报告确定的教育任务",
            "on": day,
        },
    )
    for name, actor, data in [
        ("start", mayor, {}),
        ("submit_to_meeting", mayor, {"reason": "事实清楚"}),
        ("schedule", secretariat, {"meeting_date": day}),
        ("deliberate", secretariat, {"minutes": "应予问责"}),
        ("decide", mayor, {"modes": ["3"], "reason": "工作不力"}),
    ]:
        services.transition(case, name, actor, {**data, "on": day})
    services.transition(
        case,
        "serve",
        secretariat,
        {"method": "post", "received_on": received_on.isoformat(), "on": received_on.isoformat()},
    )
    return case


def test_official_sees_the_review_window_count_down_and_it_cannot_end_early(page):
    from casework.workcalendar import periods

    case = served_case(working_days_ago(1))
    window = case.deadlines.get(kind="review_window")
    left = periods.working_days_between(timezone.localdate(), window.due).count
    assert left > 0
    case_url = f"{page.base_url}/accountability/{case.pk}/"

    log_in(page, "head_education")
    page.goto(case_url)
    cells = page.locator("[data-testid=deadlines] tr[data-kind=review_window] td")
    assert cells.nth(2).inner_text().startswith(window.due.isoformat())
    assert cells.nth(3).inner_text() == str(left)
    # The official's own task: request review or forgo it; besides, with the decision in force,
    # he may hold his staff to account by reference (Nanchong art. 20). Nothing else is offered.
    page.click("[data-testid=task-link]")
    page.wait_for_url("**/review_window/*/execute/**")
    offered = page.locator("[data-testid=actions] a[data-action]")
    assert offered.evaluate_all("links => links.map(a => a.dataset.action)") == [
        "request_review",
        "waive_review",
        "open_linked_case",
    ]
    page.goto(page.base_url + "/deadlines/")
    row = page.locator("[data-testid=my-deadlines] tbody tr", has_text=case.number)
    assert row.locator("[data-testid=due]").inner_text() == window.due.isoformat()
    assert row.locator("[data-testid=days-left]").inner_text() == f"剩余 {left} 个工作日（不预警）"

    # The secretariat cannot make the decision final while the window is open (Nanchong art. 14):
    # the task opens to them (to enter a posted request), but becoming final is not offered.
    log_in(page, "secretariat")
    page.goto(case_url)
    page.click("[data-testid=task-link]")
    page.wait_for_url("**/review_window/*/execute/**")
    offered = page.locator("[data-testid=actions] a[data-action]")
    assert "become_final" not in offered.evaluate_all("links => links.map(a => a.dataset.action)")
    assert state_of(page, case_url) == "决定已送达"


def test_my_deadlines_shows_no_negative_remainder_for_a_passed_review_window(page):
    from casework.workcalendar import periods

    case = served_case(working_days_ago(24))
    window = case.deadlines.get(kind="review_window")
    overdue = periods.working_days_between(window.due, timezone.localdate()).count
    assert overdue > 0
    log_in(page, "head_education")
    page.goto(page.base_url + "/deadlines/")
    row = page.locator("[data-testid=my-deadlines] tbody tr", has_text=case.number)
    text = row.locator("[data-testid=days-left]").inner_text()
    assert "-" not in text, text
    assert f"{overdue} 个工作日" in text, text
