"""A due date never falls on a rest day (遇法定节假日顺延, Xinxiang warning art. 16): a date a
person sets — an investigation's, an in-person report's, an organ's reporting date, an
extension's new date — that falls on a weekend or a holiday moves to the next working day,
the deadline keeps the date as set beside it, and the answer (API and page) says so. The
pre-warning then starts on the working day before the moved date (Xinxiang warning art.
5)."""

import datetime

import pytest

from casework.deadlines import services
from casework.deadlines.models import Deadline, Extension, Kind, Level
from casework.documents.models import Document
from casework.org.models import Department, Official, User
from casework.workcalendar import periods
from casework.workcalendar import services as calendar

pytestmark = pytest.mark.django_db

D = datetime.date
CASES = "/api/v1/accountability-cases"


# --- the one rule, in the calendar --------------------------------------------------------------


def test_the_calendar_rolls_a_rest_day_forward_and_leaves_a_working_day_alone():
    assert periods.rolled_forward(D(2026, 1, 23)) == D(2026, 1, 23)  # a Friday
    assert periods.rolled_forward(D(2026, 1, 24)) == D(2026, 1, 26)  # Saturday → Monday
    assert periods.rolled_forward(D(2026, 1, 25)) == D(2026, 1, 26)  # Sunday → Monday
    # The Spring Festival of 2026 (15–23 February) rolls to the first working day after it.
    assert periods.rolled_forward(D(2026, 2, 17)) == D(2026, 2, 24)
    # An adjusted working Saturday (调休上班日) is a working day: it stays.
    assert periods.is_working_day(D(2026, 2, 14))
    assert periods.rolled_forward(D(2026, 2, 14)) == D(2026, 2, 14)


def open_on(due, kind=Kind.INVESTIGATION, unit="supervision"):
    return services.open_deadline(
        kind,
        start=D(2026, 1, 5),
        due=due,
        description="完成调查核实",
        unit=Department.objects.get(code=unit),
    )


def test_a_due_date_set_on_a_sunday_moves_to_monday_and_keeps_the_date_as_set(demo_people):
    deadline = open_on(D(2026, 1, 25))
    assert (deadline.due, deadline.due_as_set) == (D(2026, 1, 26), D(2026, 1, 25))
    assert deadline.due_note == "2026-01-25 为休息日，顺延至 2026-01-26"
    assert "顺延至 2026-01-26" in deadline.history.earliest().history_change_reason
    on_a_working_day = open_on(D(2026, 1, 23))
    assert (on_a_working_day.due, on_a_working_day.due_as_set) == (D(2026, 1, 23), None)


def test_the_pre_warning_of_a_moved_due_date_starts_on_the_working_day_before_it(demo_people):
    """Set for Sunday 2026-01-25, due Monday 01-26: pre-warning from Friday 01-23 (not
    Thursday), the weekend and Monday; yellow on Tuesday; red on Thursday."""
    deadline = open_on(D(2026, 1, 25))
    assert deadline.level_as_of(D(2026, 1, 22)) == Level.NORMAL
    for day in (D(2026, 1, 23), D(2026, 1, 24), D(2026, 1, 25), D(2026, 1, 26)):
        assert deadline.level_as_of(day) == Level.PRE_WARNING, day
    assert deadline.level_as_of(D(2026, 1, 27)) == Level.YELLOW
    assert deadline.level_as_of(D(2026, 1, 29)) == Level.RED
    # The SQL rule agrees.
    levels = {
        day: Deadline.objects.with_level(day).get(pk=deadline.pk).level
        for day in (D(2026, 1, 22), D(2026, 1, 23), D(2026, 1, 26), D(2026, 1, 27))
    }
    assert levels == {
        D(2026, 1, 22): Level.NORMAL,
        D(2026, 1, 23): Level.PRE_WARNING,
        D(2026, 1, 26): Level.PRE_WARNING,
        D(2026, 1, 27): Level.YELLOW,
    }


def test_an_extension_to_a_saturday_is_asked_and_granted_for_the_monday(demo_people):
    investigator = User.objects.get(username="investigator")
    mayor = User.objects.get(username="mayor")
    deadline = open_on(D(2026, 1, 26))
    extension = services.ask_for_extension(
        deadline, investigator, {"reason": "证人外出", "new_due": "2026-01-31"}, on=D(2026, 1, 20)
    )
    assert (extension.new_due, extension.new_due_as_asked) == (D(2026, 2, 2), D(2026, 1, 31))
    assert extension.new_due_note == "2026-01-31 为休息日，顺延至 2026-02-02"
    services.decide_on_extension(extension, mayor, {"approve": True}, on=D(2026, 1, 21))
    deadline.refresh_from_db()
    assert (deadline.due, deadline.due_as_set, deadline.original_due) == (
        D(2026, 2, 2),
        D(2026, 1, 31),
        D(2026, 1, 26),
    )


def test_the_extension_api_answers_with_the_date_asked_and_the_date_granted(login_api):
    deadline = open_on(D(2026, 12, 18))
    response = login_api("investigator").post(
        f"/api/v1/deadlines/{deadline.pk}/extensions",
        {"reason": "证人外出", "new_due": "2026-12-26"},  # a Saturday
        format="json",
    )
    assert response.status_code in {200, 201}, response.content
    body = response.json()
    extension = Extension.objects.get(deadline=deadline)
    assert extension.new_due == D(2026, 12, 28)
    assert "2026-12-28" in str(body) and "2026-12-26" in str(body)


def test_a_calendar_correction_that_makes_a_set_due_date_a_holiday_moves_it(demo_people):
    deadline = open_on(D(2026, 1, 23))  # a Friday, set by hand
    calendar.set_day(D(2026, 1, 23), False, "holiday", "测试假日", reason="国务院通知（测试）")
    deadline.refresh_from_db()
    assert (deadline.due, deadline.due_as_set) == (D(2026, 1, 26), D(2026, 1, 23))


# --- through the accountability API: the mayor's dates -------------------------------------------


def started_case(login_api, on="2026-02-02"):
    registered = login_api("secretariat").post(
        CASES,
        {
            "official": Official.objects.get(user__username="head_education").pk,
            "grounds": ["4.1.1"],
            "source": "mayor",
            "summary": "未完成政府工作报告确定的任务",
            "on": on,
        },
        format="json",
    )
    assert registered.status_code == 201, registered.content
    pk = registered.json()["id"]
    started = login_api("mayor").post(f"{CASES}/{pk}/transitions/start", {"on": on}, format="json")
    assert started.status_code == 200, started.content
    return pk


def only(body, kind):
    found = [d for d in body["deadlines"] if d["kind"] == kind]
    assert len(found) == 1, body["deadlines"]
    return found[0]


def test_an_investigation_due_in_the_spring_festival_is_due_the_first_working_day_after(login_api):
    pk = started_case(login_api)
    response = login_api("mayor").post(
        f"{CASES}/{pk}/transitions/assign_investigation",
        {"due": "2026-02-17", "on": "2026-02-02"},
        format="json",
    )
    assert response.status_code == 200, response.content
    investigation = only(response.json(), "investigation")
    assert investigation["due"] == "2026-02-24"
    assert investigation["due_as_set"] == "2026-02-17"
    assert investigation["due_note"] == "2026-02-17 为休息日，顺延至 2026-02-24"
    # The assignment issued to the bureau names the moved date.
    assignment = Document.objects.get(case_id=pk, doc_type="investigation_assignment")
    assert "2026-02-24" in assignment.body


def test_an_in_person_report_due_on_a_sunday_is_due_monday_and_the_page_says_so(
    login_api, client, demo_people
):
    pk = started_case(login_api, on="2026-01-05")
    response = login_api("mayor").post(
        f"{CASES}/{pk}/transitions/order_report",
        {"due": "2026-01-25", "on": "2026-01-05"},
        format="json",
    )
    assert response.status_code == 200, response.content
    report = only(response.json(), "report")
    assert (report["due"], report["due_as_set"]) == ("2026-01-26", "2026-01-25")
    client.force_login(User.objects.get(username="mayor"))
    page = client.get(f"/accountability/{pk}/").content.decode()
    assert "2026-01-25 为休息日，顺延至 2026-01-26" in page


def test_a_due_date_on_a_working_day_is_taken_as_given_through_the_api(login_api):
    pk = started_case(login_api)
    response = login_api("mayor").post(
        f"{CASES}/{pk}/transitions/assign_investigation",
        {"due": "2026-02-13", "on": "2026-02-02"},
        format="json",
    )
    investigation = only(response.json(), "investigation")
    assert (investigation["due"], investigation["due_as_set"], investigation["due_note"]) == (
        "2026-02-13",
        None,
        "",
    )


# --- the complaint's organ report -----------------------------------------------------------------


def test_a_reporting_date_on_a_saturday_moves_to_monday_inside_the_handling_period(login_api):
    office = login_api("complaints")
    registered = office.post(
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
    pk = registered.json()["id"]
    url = f"/api/v1/complaints/{pk}/transitions/"
    assert office.post(url + "accept", {"on": "2026-11-02"}, format="json").status_code == 200
    response = office.post(
        url + "transfer",
        {"organ": "education", "due": "2026-11-14", "on": "2026-11-03"},
        format="json",
    )
    assert response.status_code == 200, response.content
    organ = only(response.json(), "organ_report")
    assert (organ["due"], organ["due_as_set"]) == ("2026-11-16", "2026-11-14")
