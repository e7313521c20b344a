"""Every date a caller supplies is bounded by the working-day calendar (its first day to the
last day of its table) and by the sense of the field: the day of an act not after today, a due
date or a meeting not beyond two years ahead. A date outside is a 400 naming the field,
answered in milliseconds — never a 500, never a response that runs for years of days. An
explanation spans its deadline's own period and a bounded tail of overdue days."""

import datetime
import time

import pytest
from django.utils import timezone

from casework.accountability.models import AccountabilityCase
from casework.complaints.models import Complaint
from casework.deadlines.models import Extension
from casework.exceptions import InvalidInput
from casework.kernel.payloads import HORIZON
from casework.org.models import Official
from casework.workcalendar import periods
from tests.deadlines.helpers import deadline, upcoming

pytestmark = pytest.mark.django_db

D = datetime.date
CASES = "/api/v1/accountability-cases"
FAST = 1.0  # seconds: a refusal is answered at once, whatever the date (9999: 14 s before)


def refused(response, field):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["error"] == "invalid"
    assert field in body["fields"], body
    return body["fields"][field][0]


def timed(call):
    call()  # warm: the first request of a test builds the URL resolver and the schema caches
    started = time.perf_counter()
    response = call()
    return response, time.perf_counter() - started


# --- query parameters -----------------------------------------------------------------------


@pytest.mark.parametrize("as_of", ["8000-01-01", "9999-12-31", "2100-01-01", "1990-01-01"])
def test_an_explanation_as_of_a_day_outside_the_calendar_is_400_at_once(login_api, as_of):
    item = upcoming(5)
    response, elapsed = timed(
        lambda: login_api("mayor").get(f"/api/v1/deadlines/{item.pk}/explanation?as_of={as_of}")
    )
    assert "不在工作日历范围内" in refused(response, "as_of")
    assert elapsed < FAST


@pytest.mark.parametrize("as_of", ["9999-12-31", "2100-01-01", "2003-12-31"])
def test_the_deadline_list_as_of_a_day_outside_the_calendar_is_400(login_api, as_of):
    upcoming(5)
    response, elapsed = timed(lambda: login_api("mayor").get(f"/api/v1/deadlines?as_of={as_of}"))
    refused(response, "as_of")
    assert elapsed < FAST


def test_the_last_day_of_the_calendar_is_still_answered(login_api):
    _first, last = periods.calendar_range()
    response = login_api("mayor").get(f"/api/v1/deadlines?as_of={last.isoformat()}")
    assert response.status_code == 200
    over = (last + datetime.timedelta(days=1)).isoformat()
    assert login_api("mayor").get(f"/api/v1/deadlines?as_of={over}").status_code == 400


def test_an_explanation_spans_the_period_and_a_bounded_tail(login_api):
    """A deadline due in 2005 asked about on the last day of the calendar: the days of its own
    period, the first weeks overdue, and the exact count of working days overdue."""
    item = deadline(D(2005, 3, 1))
    _first, last = periods.calendar_range()
    response, elapsed = timed(
        lambda: login_api("mayor").get(
            f"/api/v1/deadlines/{item.pk}/explanation?as_of={last.isoformat()}"
        )
    )
    assert response.status_code == 200
    body = response.json()
    assert len(body["days"]) == 30
    assert 0 < len(body["overdue_days"]) <= 31
    assert body["overdue_days"][-1]["date"] == "2005-04-01"
    assert body["overdue_days_truncated"] is True
    assert body["overdue_working_days"] == periods.working_days_between(D(2005, 3, 1), last).count
    assert len(response.content) < 20_000
    assert elapsed < 2


def test_a_short_overdue_tail_is_listed_whole(login_api):
    today = timezone.localdate()
    # A working day about ten days ago: a due date set on a rest day rolls forward to the next
    # working day (Xinxiang warning art. 16), which would shorten the tail.
    due = today - datetime.timedelta(days=10)
    while periods.rolled_forward(due) != due:
        due -= datetime.timedelta(days=1)
    item = deadline(due)
    assert item.due == due
    body = login_api("mayor").get(f"/api/v1/deadlines/{item.pk}/explanation").json()
    assert len(body["overdue_days"]) == (today - due).days >= 10
    assert body["overdue_days_truncated"] is False


def test_working_days_between_with_the_end_before_the_start_is_400(login_api):
    response = login_api("mayor").get(
        "/api/v1/calendar/working-days-between?start=2026-06-01&end=2004-01-05"
    )
    assert refused(response, "end") == "截止日不得早于起算日。"


# --- bodies ----------------------------------------------------------------------------------


def register_case(login_api, on):
    return login_api("secretariat").post(
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


def started_case(login_api, on="2026-03-02"):
    case = register_case(login_api, on).json()
    response = login_api("mayor").post(
        f"{CASES}/{case['id']}/transitions/start", {"on": on}, format="json"
    )
    assert response.status_code == 200, response.json()
    return response.json()


def test_a_case_back_dated_to_1990_is_400_naming_on_and_nothing_is_registered(login_api):
    message = refused(register_case(login_api, "1990-01-05"), "on")
    assert "1990-01-05 不在工作日历范围内（2004-01-01 至" in message
    assert not AccountabilityCase.objects.exists()


def test_assign_investigation_dated_1990_is_400_naming_on(login_api):
    case = started_case(login_api)
    response = login_api("mayor").post(
        f"{CASES}/{case['id']}/transitions/assign_investigation",
        {"on": "1990-01-07", "working_days": 10},
        format="json",
    )
    refused(response, "on")
    assert AccountabilityCase.objects.get(pk=case["id"]).state == "initiated"


@pytest.mark.parametrize(
    "name, body, field",
    [
        ("assign_investigation", {"due": "2100-01-04"}, "due"),
        ("assign_investigation", {"due": "1990-01-04"}, "due"),
        ("order_report", {"due": "2100-01-04"}, "due"),
    ],
)
def test_a_due_date_outside_the_calendar_is_400_naming_it(login_api, name, body, field):
    case = started_case(login_api)
    response = login_api("mayor").post(
        f"{CASES}/{case['id']}/transitions/{name}", body, format="json"
    )
    assert "不在工作日历范围内" in refused(response, field)


def test_a_due_date_beyond_the_horizon_is_400_even_inside_the_calendar(login_api, monkeypatch):
    """An administrator may extend the table for decades; a due date stays within two years."""
    case = started_case(login_api)
    far = timezone.localdate() + HORIZON + datetime.timedelta(days=1)
    monkeypatch.setattr(periods, "calendar_range", lambda: (D(2004, 1, 1), D(2100, 12, 31)))
    response = login_api("mayor").post(
        f"{CASES}/{case['id']}/transitions/assign_investigation",
        {"due": far.isoformat()},
        format="json",
    )
    assert "自今天起两年内" in refused(response, "due")


def test_a_meeting_in_2100_is_400_naming_meeting_date():
    from casework.accountability.payloads import Schedule

    serializer = Schedule(data={"meeting_date": "2100-01-04"})
    assert not serializer.is_valid()
    assert "不在工作日历范围内" in str(serializer.errors["meeting_date"][0])


@pytest.mark.parametrize(
    "payload, body, field",
    [
        ("NotifyFindings", {"findings": "查明", "served_on": "2099-01-01"}, "served_on"),
        ("Serve", {"received_on": "2099-01-01", "method": "post"}, "received_on"),
        ("RequestReview", {"grounds": "不服", "filed_on": "1999-01-01"}, "filed_on"),
        (
            "RecordPriorSanction",
            {"sanction": "警告", "imposed_by": "监察局", "imposed_on": "1990-01-01"},
            "imposed_on",
        ),
    ],
)
def test_the_day_of_an_act_is_bounded_in_every_payload(payload, body, field):
    from casework.accountability import payloads

    serializer = getattr(payloads, payload)(data=body)
    assert not serializer.is_valid()
    assert field in serializer.errors


def test_the_day_of_an_act_may_not_be_tomorrow():
    from casework.accountability.payloads import NotifyFindings

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    serializer = NotifyFindings(data={"findings": "查明", "served_on": tomorrow.isoformat()})
    assert not serializer.is_valid()
    assert str(serializer.errors["served_on"][0]) == "送达日期不得晚于今天。"


def test_a_staff_registered_complaint_dated_1990_is_400_naming_on(login_api):
    response = login_api("complaints").post(
        "/api/v1/complaints",
        {
            "category": "attitude",
            "respondent_department": "education",
            "content": "来信反映：办理学籍转入手续时，工作人员多次推诿。",
            "real_name": False,
            "channel": "letter",
            "on": "1990-01-01",
        },
        format="json",
    )
    refused(response, "on")
    assert not Complaint.objects.exists()


def test_an_extension_to_1990_is_400_naming_new_due_on_both_paths(login_api, api_client):
    item = upcoming(5)
    response = login_api("investigator").post(
        f"/api/v1/deadlines/{item.pk}/extensions",
        {"reason": "情况复杂", "new_due": "1990-01-01"},
        format="json",
    )
    refused(response, "new_due")

    # the complaint procedure's own step
    filed = api_client.post(
        "/api/v1/public/complaints",
        {
            "category": "attitude",
            "respondent_department": "education",
            "content": "办理学籍转入手续时，工作人员多次推诿，态度恶劣。",
            "real_name": False,
        },
        format="json",
    )
    pk = Complaint.objects.get(tracking_code=filed.json()["tracking_code"]).pk
    office = login_api("complaints")
    for name, body in [("accept", {}), ("transfer", {"organ": "education"})]:
        url = f"/api/v1/complaints/{pk}/transitions/{name}"
        assert office.post(url, body, format="json").status_code == 200
    response = login_api("staff_education").post(
        f"/api/v1/complaints/{pk}/transitions/request_extension",
        {"reason": "情况复杂，需现场核查", "new_due": "1990-01-01"},
        format="json",
    )
    refused(response, "new_due")
    assert not Extension.objects.exists()


def test_the_calendar_refuses_an_early_date_as_invalid_input_not_a_crash():
    """The last line: a date that reached a computation anyway (a row written before these
    checks) is the caller's error, which the API answers 400."""
    with pytest.raises(InvalidInput):
        periods.add_working_days(D(1990, 1, 1), 5)
    with pytest.raises(ValueError):  # callers that catch a ValueError still do
        periods.add_working_days(D(1990, 1, 1), 5)
