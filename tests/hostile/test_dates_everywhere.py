"""Dates outside the working-day calendar (before 2004, after the end of its table) are a 400
naming the field wherever a date is accepted — the complaint steps, the pages' forms — and no
case or document is ever numbered with such a year (〔1990〕): the numbering refuses it as the
last line, whatever path a date took to get there."""

import datetime

import pytest

from casework.accountability.models import AccountabilityCase
from casework.complaints.models import Complaint
from casework.deadlines import services
from casework.deadlines.models import Extension, Kind, PreliminaryInvestigation
from casework.documents import services as documents
from casework.documents.models import DocumentCounter
from casework.exceptions import InvalidInput
from casework.org.models import Department, User
from casework.workcalendar import periods

pytestmark = pytest.mark.django_db

D = datetime.date


def test_no_number_is_taken_for_a_year_outside_the_calendar(reference_data):
    _first, last = periods.calendar_range()
    for year in (1990, 2003, last.year + 1):
        with pytest.raises(InvalidInput) as refused:
            documents.next_number("case", year)
        assert "on" in refused.value.fields and str(year) in refused.value.message
    assert not DocumentCounter.objects.exists()
    assert documents.next_number("case", 2004) == (1, "南府问案〔2004〕1号")


def test_a_case_opened_from_an_investigation_dated_1990_is_not_numbered_1990(demo_people):
    deadline = services.open_deadline(
        Kind.ORGAN_REPORT,
        start=D(2026, 1, 5),
        due=D(2026, 1, 26),
        description="报送办理结果",
        unit=Department.objects.get(code="education"),
    )
    services.scan(D(2026, 1, 29))
    investigation = services.decide_investigation(
        PreliminaryInvestigation.objects.get(deadline=deadline),
        User.objects.get(username="supervision_leader"),
        approve=True,
    )
    with pytest.raises(InvalidInput):
        services.conclude_investigation(
            investigation,
            User.objects.get(username="investigator"),
            open_case=True,
            conclusion="属实",
            on=D(1990, 1, 5),
        )
    assert not AccountabilityCase.objects.exists()
    assert not DocumentCounter.objects.filter(year=1990).exists()


def test_a_case_registered_in_2004_is_numbered_2004(login_api):
    from casework.org.models import Official

    response = login_api("secretariat").post(
        "/api/v1/accountability-cases",
        {
            "official": Official.objects.get(user__username="head_education").pk,
            "grounds": ["4.1.1"],
            "source": "mayor",
            "summary": "补录2004年的纸质案件",
            "on": "2004-03-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["number"] == "南府问案〔2004〕1号"


@pytest.fixture
def complaint_id(login_api):
    response = login_api("complaints").post(
        "/api/v1/complaints",
        {
            "category": "attitude",
            "respondent_department": "education",
            "content": "来信反映：办理学籍转入手续时，工作人员多次推诿。",
            "real_name": False,
            "channel": "letter",
            "on": "2026-11-02",
        },
        format="json",
    )
    return response.json()["id"]


@pytest.mark.parametrize(
    "name, body, field",
    [
        ("accept", {"on": "1990-01-05"}, "on"),
        ("accept", {"on": "2003-12-31"}, "on"),
        ("mark_urgent", {"reason": "正在发生", "on": "1990-01-05"}, "on"),
        ("add_note", {"text": "核实", "on": "9999-12-31"}, "on"),
    ],
)
def test_a_complaint_step_dated_outside_the_calendar_is_400_naming_the_field(
    login_api, complaint_id, name, body, field
):
    response = login_api("complaints").post(
        f"/api/v1/complaints/{complaint_id}/transitions/{name}", body, format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]
    assert Complaint.objects.get(pk=complaint_id).version == 1


def test_a_reporting_date_after_the_table_is_400_naming_due(login_api, complaint_id):
    office = login_api("complaints")
    url = f"/api/v1/complaints/{complaint_id}/transitions/"
    assert office.post(url + "accept", {"on": "2026-11-02"}, format="json").status_code == 200
    _first, last = periods.calendar_range()
    over = (last + datetime.timedelta(days=1)).isoformat()
    response = office.post(url + "transfer", {"organ": "education", "due": over}, format="json")
    assert response.status_code == 400 and "due" in response.json()["fields"]


def test_the_extension_page_shows_a_1990_date_beside_new_due_and_saves_nothing(client, demo_people):
    deadline = services.open_deadline(
        Kind.INVESTIGATION,
        start=D(2026, 11, 2),
        due=D(2026, 12, 18),
        description="完成调查核实",
        unit=Department.objects.get(code="supervision"),
    )
    client.force_login(User.objects.get(username="investigator"))
    response = client.post(
        f"/deadlines/{deadline.pk}/extend/",
        {"new_due": "1990-01-05", "reason": "证人外出", "confirm": "on"},
    )
    assert response.status_code == 200
    assert "不在工作日历范围内" in " ".join(response.context["form"].errors["new_due"])
    assert not Extension.objects.exists()


def test_the_staff_registration_page_refuses_a_1990_day_of_receipt(client, demo_people):
    client.force_login(User.objects.get(username="complaints"))
    response = client.post(
        "/complaints/staff/new/",
        {
            "category": "attitude",
            "respondent_department": "education",
            "content": "来信反映：办理学籍转入手续时，工作人员多次推诿。",
            "channel": "letter",
            "real_name": "0",
            "on": "1990-01-05",
        },
    )
    assert response.status_code == 200
    assert "on" in response.context["form"].errors
    assert not Complaint.objects.exists()
