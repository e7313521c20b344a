"""The executive meeting in the browser (Nanchong art. 11): the official concerned, notified
that his case is on the agenda, opens his item and files a written statement before the
meeting; the secretariat sees it on the agenda, records the meeting's minutes of the item (the
statement and defence made, the discussion, the matters agreed), which moves the case to
``deliberated``, and prints the minutes.

The meeting is today: a written statement is taken up to the meeting's day while the meeting
has not been held, and the minutes are recorded from the meeting's day on."""

import pytest
from django.utils import timezone

from casework.org.models import Official, User

from .helpers import log_in

pytestmark = pytest.mark.browser


def scheduled_case(today):
    """A case against the head of education on the agenda of today's meeting, through the
    services (the steps before are not under test)."""
    from casework.accountability import services

    secretariat = User.objects.get(username="secretariat")
    mayor = User.objects.get(username="mayor")
    case = services.register_case(
        secretariat,
        {
            "official": Official.objects.get(user__username="head_education").pk,
            "grounds": ["4.1.1"],
            "source": "mayor",
            "summary": "未完成政府工作报告确定的任务",
        },
    )
    case = services.transition(case, "start", mayor, {})
    case = services.transition(case, "submit_to_meeting", mayor, {"reason": "事实清楚"})
    return services.transition(case, "schedule", secretariat, {"meeting_date": today.isoformat()})


def test_the_official_files_a_statement_before_the_meeting_and_staff_deliberates(page):
    from casework.accountability.models import AccountabilityCase
    from casework.meetings.models import AgendaItem

    today = timezone.localdate()
    case = scheduled_case(today)
    item = AgendaItem.objects.get(object_id=case.pk)

    # --- the official: his notice, his item, his statement.
    log_in(page, "head_education")
    page.goto(page.base_url + "/meetings/")
    assert page.locator("[data-testid=meeting-list]").count() == 0  # not the whole agenda
    page.click(f"[data-testid=own-items] a[href='/meetings/items/{item.pk}/']")
    page.wait_for_url(f"**/meetings/items/{item.pk}/")
    assert page.locator("[data-testid=item-meeting-date]").inner_text() == today.isoformat()
    form = page.locator("[data-testid=statement-form]")
    form.locator("textarea[name=text]").fill("本人对调查认定的事实有如下说明和申辩。")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/meetings/items/{item.pk}/")
    statement = page.locator("[data-testid=written-statement]")
    assert statement.inner_text() == "本人对调查认定的事实有如下说明和申辩。"
    # Another official's meeting page is not his to see.
    response = page.goto(page.base_url + f"/meetings/{item.meeting_id}/")
    assert response.status == 404

    # --- the secretariat: the statement on the agenda, the minutes of the item.
    log_in(page, "secretariat")
    page.goto(page.base_url + "/meetings/")
    page.click(f"[data-testid=meeting-list] a[href='/meetings/{item.meeting_id}/']")
    agenda = page.locator("[data-testid=agenda]")
    assert "本人对调查认定的事实" in agenda.locator("[data-testid=written-statement]").inner_text()
    page.click("[data-testid=minutes-link]")
    page.wait_for_url(f"**/meetings/{item.meeting_id}/items/{item.pk}/minutes/")
    form = page.locator("[data-testid=minutes-form]")
    form.locator("textarea[name=statement]").fill("会上陈述：已组织整改。")
    form.locator("textarea[name=defence]").fill("会上申辩：客观原因。")
    form.locator("textarea[name=minutes]").fill("与会人员认为应予问责。")
    form.locator("textarea[name=decisions]").fill("建议给予通报批评\n责成教育局限期整改")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/meetings/{item.meeting_id}/")
    assert page.locator("[data-testid=meeting-state]").inner_text() == "已召开"
    assert page.locator("[data-testid=discussion]").inner_text() == "与会人员认为应予问责。"
    assert page.locator("[data-testid=agreed-matters] li").all_inner_texts() == [
        "建议给予通报批评",
        "责成教育局限期整改",
    ]
    page.locator("[data-testid=act-minutes-document] button[type=submit]").click()
    page.wait_for_url(f"**/meetings/{item.meeting_id}/")
    link = page.locator("[data-testid=documents] a", has_text="南府常纪")
    link.click()
    body = page.locator("[data-testid=document]").inner_text()
    assert "本人对调查认定的事实" in body and "会上申辩：客观原因。" in body

    case = AccountabilityCase.objects.get(pk=case.pk)
    assert case.state == "deliberated" and case.statement == "会上陈述：已组织整改。"
