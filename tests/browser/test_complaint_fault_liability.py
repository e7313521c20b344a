"""Xinxiang complaints art. 7 (二) → Nanchong art. 2: the complaints office decides to pursue
fault responsibility from its task screen. Naming the head of another department is refused
beside the field and changes nothing; naming the head of the department complained about
opens an accountability case against him, which he then finds among his cases."""

import pytest

from casework.complaints import services
from casework.complaints.models import Complaint
from casework.org.models import Official, User

from .helpers import log_in

pytestmark = pytest.mark.browser


def verifying_complaint():
    office = User.objects.get(username="complaints")
    complaint = services.register(
        office,
        {
            "category": "nonperformance",
            "respondent_department": "education",
            "content": "来信反映：教育局对多次投诉推诿不办，造成重复投诉。",
            "real_name": False,
            "channel": "letter",
        },
    )
    complaint = services.transition(complaint, "accept", office, {})
    return services.transition(complaint, "verify", office, {})


def open_decide_form(page, complaint_url):
    page.goto(complaint_url)
    page.locator("[data-testid=task-link]").click()
    page.wait_for_url("**/execute/**")
    tab = page.locator("[data-testid=actions] a[data-action=decide]")
    if "cw-current" not in (tab.get_attribute("class") or ""):
        tab.click()
        page.wait_for_url("**action=decide*")
    form = page.locator("[data-testid=task-form]")
    form.locator("input[name=action][value=decide]").wait_for(state="attached")
    return form


def decide(form, official):
    form.locator("select[name=outcome]").select_option("fault_liability")
    form.locator("textarea[name=text]").fill("推诿不办属实，追究教育局局长过错责任。")
    form.locator("select[name=official]").select_option(str(official.pk))
    form.locator("input[name=confirm]").check()
    form.locator("[data-testid=submit]").click()


def test_the_office_opens_a_case_against_the_head_of_the_department_complained_about(page):
    complaint = verifying_complaint()
    complaint_url = f"{page.base_url}/complaints/staff/{complaint.pk}/"
    head_education = Official.objects.get(user__username="head_education")
    head_transport = Official.objects.get(user__username="head_transport")

    # --- the office names the head of another department: refused beside the field -----
    log_in(page, "complaints")
    form = open_decide_form(page, complaint_url)
    decide(form, head_transport)
    page.get_by_text("须为被投诉单位").first.wait_for()
    assert "刘建华" in page.locator("[data-testid=task-form]").inner_text()
    complaint.refresh_from_db()
    assert complaint.state == "verifying" and complaint.accountability_case is None

    # --- the head of the department complained about: the case is opened ---------------
    form = open_decide_form(page, complaint_url)
    decide(form, head_education)
    # The office lands on the complaint's next task, its own: the feedback (or closing).
    page.wait_for_url("**/feedback_or_close/*/execute/**")
    page.goto(complaint_url)
    page.locator("[data-testid=complaint-state]").get_by_text("已作出处理").wait_for()
    complaint = Complaint.objects.get(pk=complaint.pk)
    case = complaint.accountability_case
    assert case is not None and case.official == head_education
    assert case.number in page.content()
    page.screenshot(path="var/browser-complaint-fault-liability.png", full_page=True)

    # --- the head finds the case among his own --------------------------------------------
    log_in(page, "head_education")
    page.goto(page.base_url + "/accountability/")
    page.get_by_text(case.number).first.wait_for()
