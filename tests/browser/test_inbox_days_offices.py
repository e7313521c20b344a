"""A day at work for the two offices that serve the others: the complaints office (效能投诉中心)
and the city government's legal affairs office (法制办). Each starts from the inbox (待办),
sees its work with the due dates, acts, and lands on its next piece of work or on the object —
never on an empty inbox with work waiting. The inbox counts in the menu follow."""

import re

import pytest

from casework.accountability import services as accountability
from casework.complaints import services as complaints
from casework.complaints.models import Complaint
from casework.org.models import Official, User
from tests.deadlines.helpers import working_days_ago

from .helpers import log_in
from .test_inbox_days import inbox_count, open_inbox

pytestmark = pytest.mark.browser


def person(username):
    return User.objects.get(username=username)


def _complaint(content, *, name="李建国", phone="13911112222"):
    """A real-name letter about the education bureau, registered by the office today."""
    return complaints.register(
        person("complaints"),
        {
            "channel": "letter",
            "category": "attitude",
            "respondent_department": "education",
            "content": content,
            "real_name": True,
            "name": name,
            "phone": phone,
        },
    )


def test_the_complaints_offices_day(page):
    first = _complaint("来信反映：教育局窗口办理学籍转入时多次推诿。")
    second = complaints.transition(
        _complaint("来信反映：教育局窗口工作时间擅自离岗。", name="赵敏", phone="13922223333"),
        "accept",
        person("complaints"),
        {},
    )
    log_in(page, "complaints")
    rows = open_inbox(page)
    assert inbox_count(page) == 2 and rows.count() == 2
    texts = rows.all_inner_texts()
    # Each row names the complaint in full, with its due date and the working days left.
    assert any(f"投诉第{first.pk}号" in text for text in texts)
    assert any(f"投诉第{second.pk}号" in text for text in texts)
    for row in (rows.nth(0), rows.nth(1)):
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row.locator("[data-testid=row-due]").inner_text())
        assert "个工作日" in row.locator("[data-testid=row-days-left]").inner_text()
    # No identity in the inbox: the office reads it on the complaint, masked, by stating why.
    assert "李建国" not in page.content() and "13911112222" not in page.content()
    page.screenshot(path="var/browser-inbox-complaints.png", full_page=True)

    # The new letter: accepted; its next step is the office's own, so the office lands on it.
    page.locator(f"tr:has-text('投诉第{first.pk}号') [data-testid=row-step]").click()
    page.wait_for_url("**/examine_complaint/*/execute/**")
    form = page.locator("[data-testid=task-form]")
    form.locator("input[name=action][value=accept]").wait_for(state="attached")
    form.locator("[data-testid=submit]").click()
    page.wait_for_url("**/route_complaint/*/execute/**")
    assert f"投诉第{first.pk}号" in page.content()
    assert inbox_count(page) == 2

    # Transferred to the education bureau: the organ's work now; the office goes on to the
    # other complaint waiting for it.
    tab = page.locator("[data-testid=actions] a[data-action=transfer]")
    if "cw-current" not in (tab.get_attribute("class") or ""):
        tab.click()
        page.wait_for_url("**action=transfer*")
    form = page.locator("[data-testid=task-form]")
    form.locator("input[name=action][value=transfer]").wait_for(state="attached")
    form.locator("select[name=organ]").select_option("education")
    form.locator("[data-testid=submit]").click()
    page.wait_for_url("**/route_complaint/*/execute/**")
    assert f"投诉第{second.pk}号" in page.content()
    assert inbox_count(page) == 1

    # The transfer letter is on the complaint, numbered, with its PDF
    # (Xinxiang complaints art. 6); it names no complainant.
    letter = Complaint.objects.get(pk=first.pk).transfer_letter
    page.goto(f"{page.base_url}/complaints/staff/{first.pk}/")
    documents = page.locator("[data-testid=documents]")
    assert letter.number in documents.inner_text()
    documents.locator("a", has_text=letter.number).click()
    page.wait_for_url(f"**/documents/{letter.pk}/")
    article = page.locator("[data-testid=document]").inner_text()
    assert "南充市教育局" in article and "李建国" not in article
    assert page.request.get(f"{page.base_url}/documents/{letter.pk}/pdf").status == 200

    # The education bureau's only account finds the complaint in its inbox.
    log_in(page, "staff_education")
    rows = open_inbox(page)
    assert inbox_count(page) == 1
    assert f"投诉第{first.pk}号" in rows.first.inner_text()


def _under_review(official, on):
    """A decided case of ``official``, served, the review requested and accepted by the
    mayor (Nanchong art. 14, 15): the legal office's review is next."""
    secretariat, mayor = person("secretariat"), person("mayor")
    case = accountability.register_case(
        secretariat,
        {
            "official": Official.objects.get(user__username=official).pk,
            "grounds": ["4.1.1"],
            "source": "mayor",
            "summary": "未完成政府工作报告确定的任务",
            "on": on[0].isoformat(),
        },
    )

    def act(case, name, who, day, **body):
        body["on"] = day.isoformat()
        return accountability.transition(case, name, who, body)

    case = act(case, "start", mayor, on[0])
    case = act(case, "submit_to_meeting", mayor, on[0], reason="事实清楚")
    case = act(case, "schedule", secretariat, on[0], meeting_date=on[0].isoformat())
    case = act(case, "deliberate", secretariat, on[0], minutes="会议纪要")
    case = act(case, "decide", mayor, on[0], modes=["3"], reason="情节较重")
    case = act(
        case,
        "serve",
        secretariat,
        on[1],
        received_on=on[1].isoformat(),
        method="in_person",
    )
    case = act(case, "request_review", person(official), on[2], grounds="认定事实有误")
    return act(case, "accept_review", mayor, on[3], suspend=False)


def test_the_legal_offices_day(page):
    days = [working_days_ago(n) for n in (6, 5, 3, 2)]
    first = _under_review("head_education", days)
    second = _under_review("head_transport", days)
    log_in(page, "legal")
    rows = open_inbox(page)
    assert inbox_count(page) == 2 and rows.count() == 2
    texts = " ".join(rows.all_inner_texts())
    assert first.number in texts and second.number in texts
    assert "复核并提交复核报告" in texts
    page.screenshot(path="var/browser-inbox-legal.png", full_page=True)

    row = page.locator(f"tr:has-text('{first.number}')")
    row.locator("[data-testid=row-step]").click()
    page.wait_for_url("**/review/*/execute/**")
    # The review's screen shows what is reviewed: the request's grounds.
    assert "认定事实有误" in page.content()
    form = page.locator("[data-testid=task-form]")
    form.locator("textarea[name=report]").fill("经复核，原决定认定事实清楚，建议维持。")
    form.locator("[data-testid=submit]").click()
    # On to the other review, the office's next piece of work.
    page.wait_for_url("**/review/*/execute/**")
    assert second.number in page.content()
    assert inbox_count(page) == 1
    form = page.locator("[data-testid=task-form]")
    form.locator("textarea[name=report]").fill("经复核，建议变更问责方式。")
    form.locator("[data-testid=submit]").click()
    # Nothing left: the case it acted on, its report recorded; the mayor decides next.
    page.wait_for_url(re.compile(rf".*/accountability/{second.pk}/$"))
    assert inbox_count(page) == 0
    assert f"案件 {second.number}：已提交复核报告" in page.content()
    log_in(page, "mayor")
    open_inbox(page)
    assert inbox_count(page) == 2
