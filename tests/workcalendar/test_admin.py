"""The calendar in the admin: every save goes through the services."""

import pytest
from django.contrib.auth import get_user_model

from casework.workcalendar import periods
from casework.workcalendar.models import CalendarDay, CalendarYear, Source

from .helpers import d

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("root-calendar", password="x")
    client.force_login(user)
    client.user = user
    return client


def change_url(date):
    return f"/admin/workcalendar/calendarday/{date}/change/"


def test_the_calendar_lists_open_with_their_filters(admin_client):
    response = admin_client.get("/admin/workcalendar/calendarday/?year=2026&kind__exact=holiday")
    assert response.status_code == 200
    assert "春节" in response.content.decode()
    assert admin_client.get("/admin/workcalendar/calendaryear/").status_code == 200
    assert admin_client.get(change_url("2026-02-14")).status_code == 200
    assert (
        admin_client.get("/admin/workcalendar/calendarday/2026-02-14/history/").status_code == 200
    )


def test_saving_a_day_in_the_admin_is_a_recorded_correction(admin_client):
    response = admin_client.post(
        change_url("2027-01-01"),
        {
            "is_working": "",
            "kind": "holiday",
            "holiday_name": "元旦",
            "change_reason": "国务院办公厅关于2027年部分节假日安排的通知",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    day = CalendarDay.objects.get(date=d("2027-01-01"))
    assert (day.is_working, day.kind, day.source) == (False, "holiday", Source.ADMIN)
    record = day.history.latest()
    assert record.history_user == admin_client.user
    assert record.history_change_reason == "国务院办公厅关于2027年部分节假日安排的通知"
    assert periods.add_working_days(d("2026-12-28"), 10).due == d("2027-01-12")


def test_a_day_cannot_be_saved_without_a_reason_or_with_a_contradiction(admin_client):
    base = {"is_working": "", "kind": "holiday", "holiday_name": "元旦"}
    assert admin_client.post(change_url("2027-01-01"), base).status_code == 200
    contradiction = dict(base, is_working="on", change_reason="通知")
    assert admin_client.post(change_url("2027-01-01"), contradiction).status_code == 200
    assert CalendarDay.objects.get(date=d("2027-01-01")).source == Source.LIBRARY


def test_the_admin_action_marks_a_year_complete(admin_client):
    response = admin_client.post(
        "/admin/workcalendar/calendaryear/",
        {"action": "mark_complete", "_selected_action": ["2027"]},
    )
    assert response.status_code == 302
    year = CalendarYear.objects.get(year=2027)
    assert year.complete is True
    assert year.history.latest().history_user == admin_client.user
    assert periods.add_working_days(d("2027-03-01"), 10).provisional is False
