"""The pages of the executive meeting: staff see the meetings and act on them; the official
sees only their own item and files their statement there."""

import datetime

import pytest
from django.test import Client

from casework.meetings import services
from casework.meetings.models import Meeting

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def browser_as(people):
    def _as(username):
        client = Client()
        client.force_login(people[username])
        return client

    return _as


@pytest.fixture
def item(awaiting_meeting, act):
    case = act(
        awaiting_meeting(), "schedule", "secretariat", on=D(2026, 3, 3), meeting_date=D(2026, 3, 5)
    )
    return services.open_item("accountability", case.pk)


def test_staff_pages(item, browser_as):
    secretariat = browser_as("secretariat")
    page = secretariat.get("/meetings/")
    assert page.status_code == 200 and "2026年第1次" in page.content.decode()
    page = secretariat.get(f"/meetings/{item.meeting_id}/").content.decode()
    assert item.subject in page and 'data-testid="act-postpone"' in page
    # The investigator sees the meeting but has none of the secretariat's forms.
    page = browser_as("investigator").get(f"/meetings/{item.meeting_id}/").content.decode()
    assert item.subject in page and 'data-testid="act-postpone"' not in page


def test_plan_postpone_and_minutes_through_the_pages(item, browser_as):
    secretariat = browser_as("secretariat")
    response = secretariat.post(
        "/meetings/", {"date": "2026-03-19", "place": "第一会议室", "on": "2026-03-02"}
    )
    assert response.status_code == 302
    planned = Meeting.objects.get(date=D(2026, 3, 19))
    # A refusal is shown beside its form and changes nothing.
    response = secretariat.post(
        f"/meetings/{item.meeting_id}/postpone/",
        {"postpone-new_date": "2026-03-05", "postpone-reason": "x", "postpone-on": "2026-03-04"},
    )
    assert response.status_code == 200 and "延期后的日期须晚于原定日期" in response.content.decode()
    response = secretariat.post(
        f"/meetings/{item.meeting_id}/postpone/",
        {
            "postpone-new_date": "2026-03-19",
            "postpone-reason": "市长出差",
            "postpone-on": "2026-03-04",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/meetings/{planned.pk}/"
    item.refresh_from_db()
    assert item.meeting == planned
    response = secretariat.post(
        f"/meetings/{planned.pk}/items/{item.pk}/minutes/",
        {
            "minutes": "讨论",
            "defence": "申辩",
            "decisions": "通报批评\n限期整改",
            "on": "2026-03-19",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.defence == "申辩" and item.agreed_matters.count() == 2
    assert (
        browser_as("investigator")
        .get(f"/meetings/{planned.pk}/items/{item.pk}/minutes/")
        .status_code
        == 403
    )


def test_the_official_sees_their_item_and_files_a_statement(item, browser_as, people, today):
    today(D(2026, 3, 4))
    official = browser_as("head_education")
    assert official.get(f"/meetings/{item.meeting_id}/").status_code == 404
    assert browser_as("head_transport").get(f"/meetings/items/{item.pk}/").status_code == 404
    assert item.subject in official.get("/meetings/").content.decode()
    # His case's page leads to the item.
    case_page = official.get(f"/accountability/{item.object_id}/").content.decode()
    assert f'href="/meetings/items/{item.pk}/"' in case_page
    page = official.get(f"/meetings/items/{item.pk}/").content.decode()
    assert "2026-03-05" in page and 'data-testid="statement-form"' in page
    response = official.post(
        f"/meetings/items/{item.pk}/", {"text": "书面陈述", "on": "2026-03-04"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (
        item.written_statement == "书面陈述"
        and item.written_statement_by == people["head_education"]
    )
    today(D(2026, 3, 6))
    page = official.get(f"/meetings/items/{item.pk}/").content.decode()
    assert 'data-testid="statement-form"' not in page and "会后不能再提交" in page
    response = official.post(f"/meetings/items/{item.pk}/", {"text": "再次", "on": "2026-03-06"})
    assert response.status_code == 200 and "会后不能再提交" in response.content.decode()
    item.refresh_from_db()
    assert item.written_statement == "书面陈述"


def test_the_documents_page(item, browser_as, people):
    document = services.print_agenda(item.meeting, people["secretariat"], {"on": "2026-03-04"})
    page = browser_as("secretariat").get(f"/meetings/documents/{document.pk}/")
    assert page.status_code == 200 and document.number in page.content.decode()
    assert (
        browser_as("head_education").get(f"/meetings/documents/{document.pk}/").status_code == 404
    )
