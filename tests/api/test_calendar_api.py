"""The calendar endpoints of docs/api.md, "Calendar"."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

ADD = "/api/v1/calendar/add-working-days"
BETWEEN = "/api/v1/calendar/working-days-between"


@pytest.fixture
def reader():
    client = APIClient()
    client.force_authenticate(get_user_model().objects.create_user("calendar-reader"))
    return client


def test_ten_working_days_from_saturday_2026_03_07_as_in_the_api_spec(reader):
    response = reader.get(ADD, {"start": "2026-03-07", "days": "10"})
    assert response.status_code == 200
    assert response.json() == {
        "start": "2026-03-07",
        "days": 10,
        "due": "2026-03-20",
        "provisional": False,
    }


def test_ten_working_days_from_2026_02_10_cross_the_spring_festival(reader):
    response = reader.get(ADD, {"start": "2026-02-10", "days": "10"})
    assert response.json()["due"] == "2026-03-02"


def test_a_period_into_2027_is_provisional(reader):
    body = reader.get(ADD, {"start": "2026-12-28", "days": "10"}).json()
    assert body == {"start": "2026-12-28", "days": 10, "due": "2027-01-11", "provisional": True}


def test_working_days_between_excludes_start_and_includes_end(reader):
    response = reader.get(BETWEEN, {"start": "2026-03-07", "end": "2026-03-20"})
    assert response.status_code == 200
    assert response.json() == {"count": 10, "provisional": False}
    body = reader.get(BETWEEN, {"start": "2026-12-01", "end": "2027-01-05"}).json()
    assert body["provisional"] is True


def test_working_days_between_refuses_an_end_before_the_start(reader):
    response = reader.get(BETWEEN, {"start": "2026-03-20", "end": "2026-03-07"})
    assert response.status_code == 400
    assert response.json()["fields"] == {"end": ["截止日不得早于起算日。"]}


def test_without_credentials_is_401():
    response = APIClient().get(ADD, {"start": "2026-03-07", "days": "10"})
    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"


@pytest.mark.parametrize(
    "params, field",
    [
        ({"start": "2026-13-01", "days": "10"}, "start"),
        ({"start": "2026/03/07", "days": "10"}, "start"),
        ({"start": "2026-03-07", "days": "abc"}, "days"),
        ({"start": "2026-03-07", "days": "-1"}, "days"),
        ({"start": "2026-03-07", "days": "3651"}, "days"),
        ({"start": "2003-12-31", "days": "10"}, "start"),
        ({"days": "10"}, "start"),
        ({"start": "2026-03-07"}, "days"),
        ({"start": "9999-12-30", "days": "3650"}, "start"),
    ],
)
def test_add_working_days_with_a_bad_parameter_is_400_naming_the_field(reader, params, field):
    response = reader.get(ADD, params)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid"
    assert field in body["fields"]


def test_add_working_days_without_parameters_names_both(reader):
    body = reader.get(ADD).json()
    assert set(body["fields"]) == {"start", "days"}


@pytest.mark.parametrize(
    "params, field",
    [
        ({"start": "2026-13-01", "end": "2026-03-20"}, "start"),
        ({"start": "2026-03-07", "end": "2026-02-30"}, "end"),
        ({"start": "2026-03-07"}, "end"),
        ({"end": "2026-03-07"}, "start"),
        ({"start": "2026-03-07", "end": "1999-01-01"}, "end"),
    ],
)
def test_working_days_between_with_a_bad_parameter_is_400_naming_the_field(reader, params, field):
    response = reader.get(BETWEEN, params)
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_dates_beyond_the_calendar_are_400_naming_the_field_not_500(reader):
    response = reader.get(BETWEEN, {"start": "2026-03-07", "end": "9999-12-31"})
    assert response.status_code == 400
    assert "不在工作日历范围内" in response.json()["fields"]["end"][0]
    body = reader.get(BETWEEN, {"start": "2026-03-07", "end": "2028-12-31"}).json()
    assert body["provisional"] is True


def test_the_schema_describes_both_endpoints(reader):
    response = reader.get("/api/v1/schema", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    add = schema["paths"]["/api/v1/calendar/add-working-days"]["get"]
    assert {p["name"] for p in add["parameters"]} == {"start", "days"}
    between = schema["paths"]["/api/v1/calendar/working-days-between"]["get"]
    assert {p["name"] for p in between["parameters"]} == {"start", "end"}
