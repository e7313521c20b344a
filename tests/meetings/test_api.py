"""The executive meeting over HTTP: the official's statement before the meeting, the
secretariat's acts, the refusals with their status (each changing nothing), history rows."""

import datetime

import pytest

from casework.deadlines.models import Notification
from casework.meetings.models import AgendaItem, Meeting

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduled(awaiting_meeting, login_api):
    """A case scheduled through the API for the meeting of 2026-03-05; its item."""
    case = awaiting_meeting()
    response = login_api("secretariat").post(
        f"/api/v1/accountability-cases/{case.pk}/transitions/schedule",
        {"meeting_date": "2026-03-05", "on": "2026-03-03"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["meeting_date"] == "2026-03-05"
    return AgendaItem.objects.get(object_id=case.pk)


def test_the_procedure_end_to_end(scheduled, login_api, people, today):
    today(D(2026, 3, 4))
    secretariat, official = login_api("secretariat"), login_api("head_education")
    item, meeting = scheduled, scheduled.meeting

    listed = secretariat.get("/api/v1/meetings").json()
    assert [m["number"] for m in listed["results"]] == ["2026年第1次"]
    body = secretariat.get(f"/api/v1/meetings/{meeting.pk}").json()
    assert body["state"] == "planned" and [i["id"] for i in body["items"]] == [item.pk]

    # The official was told, sees their item and files a statement before the meeting.
    notice = official.get("/api/v1/notifications").json()["results"][0]
    assert "2026-03-05" in notice["body"]
    mine = official.get(f"/api/v1/agenda-items/{item.pk}").json()
    assert mine["meeting_date"] == "2026-03-05" and mine["may_file_statement"] is True
    response = official.post(
        f"/api/v1/agenda-items/{item.pk}/statement",
        {"text": "本人的书面陈述和申辩", "on": "2026-03-04"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["written_statement"] == "本人的书面陈述和申辩"
    today(D(2026, 3, 6))
    mine = official.get(f"/api/v1/agenda-items/{item.pk}").json()
    assert mine["may_file_statement"] is False  # the meeting's day has passed

    # The secretariat prints the agenda, the meeting is held, the item minuted, the minutes
    # printed.
    response = secretariat.post(
        f"/api/v1/meetings/{meeting.pk}/agenda/document", {"on": "2026-03-04"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["agenda_document"]["number"] == "南府常议〔2026〕1号"
    version = response.json()["version"]
    response = secretariat.post(
        f"/api/v1/meetings/{meeting.pk}/held",
        {
            "chair": people["mayor"].pk,
            "attendance": [{"name": "市长", "capacity": "member"}],
            "on": "2026-03-05",
        },
        format="json",
        HTTP_IF_MATCH=f'"{version}"',
    )
    assert response.status_code == 200 and response.json()["state"] == "held"
    response = secretariat.post(
        f"/api/v1/meetings/{meeting.pk}/minutes",
        {
            "item": item.pk,
            "minutes": "与会人员一致认为应予问责",
            "statement": "会上陈述",
            "defence": "会上申辩",
            "decisions": ["给予通报批评"],
            "on": "2026-03-05",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    [minuted] = response.json()["items"]
    assert minuted["defence"] == "会上申辩" and minuted["deliberated_on"] == "2026-03-05"
    assert [m["text"] for m in response.json()["agreed_matters"]] == ["给予通报批评"]
    case = secretariat.get(f"/api/v1/accountability-cases/{item.object_id}").json()
    assert case["state"] == "deliberated"
    response = secretariat.post(
        f"/api/v1/meetings/{meeting.pk}/minutes/document", {"on": "2026-03-06"}, format="json"
    )
    assert response.status_code == 200
    minutes = response.json()["minutes_document"]
    assert minutes["number"] == "南府常纪〔2026〕1号" and "本人的书面陈述和申辩" in minutes["body"]

    history = secretariat.get(f"/api/v1/meetings/{meeting.pk}/history").json()
    assert {entry["object"] for entry in history} == {
        "meeting",
        "agenda_item",
        "attendee",
        "agreed_matter",
    }
    statement_rows = [e for e in history if e["reason"] == "提交书面陈述和申辩"]
    assert [e["actor"] for e in statement_rows] == ["head_education"]
    assert all(entry["actor"] for entry in history)


def test_who_sees_what(scheduled, login_api):
    item = scheduled
    for username in ("head_education", "head_transport"):
        assert login_api(username).get(f"/api/v1/meetings/{item.meeting_id}").status_code == 404
        assert login_api(username).get("/api/v1/meetings").json()["count"] == 0
    assert login_api("head_transport").get(f"/api/v1/agenda-items/{item.pk}").status_code == 404
    assert login_api("mayor").get(f"/api/v1/meetings/{item.meeting_id}").status_code == 200
    assert login_api("head_education").get(f"/api/v1/agenda-items/{item.pk}").status_code == 200


def test_refusals_change_nothing(scheduled, login_api):
    item, meeting = scheduled, scheduled.meeting
    secretariat, official = login_api("secretariat"), login_api("head_education")
    url = f"/api/v1/meetings/{meeting.pk}"
    cases = [
        # wrong person
        (official, f"{url}/postpone", {"new_date": "2026-03-12", "reason": "x"}, 404),
        (login_api("mayor"), f"{url}/postpone", {"new_date": "2026-03-12", "reason": "x"}, 403),
        (
            login_api("mayor"),
            f"/api/v1/agenda-items/{item.pk}/statement",
            {"text": "x", "on": "2026-03-04"},
            403,
        ),
        (
            login_api("head_transport"),
            f"/api/v1/agenda-items/{item.pk}/statement",
            {"text": "x"},
            404,
        ),
        # malformed dates and bodies
        (secretariat, f"{url}/postpone", {"new_date": "2026-02-30", "reason": "x"}, 400),
        (secretariat, f"{url}/postpone", {"new_date": "12/03/2026", "reason": "x"}, 400),
        (secretariat, f"{url}/postpone", {"new_date": "2026-03-04", "reason": "x"}, 400),
        (secretariat, f"{url}/postpone", ["2026-03-12"], 400),
        (secretariat, "/api/v1/meetings", {"date": "2031-01-01"}, 400),
        (secretariat, f"{url}/held", {"attendance": "市长"}, 400),
        (
            official,
            f"/api/v1/agenda-items/{item.pk}/statement",
            {"text": "x", "on": "2026-02-31"},
            400,
        ),
        # before the meeting, the meeting is not held nor minuted
        (secretariat, f"{url}/held", {"attendance": [], "on": "2026-03-04"}, 422),
        (secretariat, f"{url}/minutes", {"item": item.pk, "minutes": "x", "on": "2026-03-04"}, 422),
        (secretariat, f"{url}/minutes/document", {"on": "2026-03-04"}, 409),
        # after the meeting's day, no written statement
        (
            official,
            f"/api/v1/agenda-items/{item.pk}/statement",
            {"text": "x", "on": "2026-03-06"},
            422,
        ),
    ]
    for client, path, body, expected in cases:
        response = client.post(path, body, format="json")
        assert response.status_code == expected, (path, body, response.content)
    meeting.refresh_from_db()
    item.refresh_from_db()
    assert (meeting.state, meeting.version) == ("planned", 2)
    assert item.written_statement == "" and item.history.count() == 1
    assert Meeting.objects.count() == 1


def test_postponement_over_http(scheduled, login_api, people):
    secretariat = login_api("secretariat")
    meeting = scheduled.meeting
    response = secretariat.post(
        f"/api/v1/meetings/{meeting.pk}/postpone",
        {"new_date": "2026-03-12", "reason": "市长出差", "on": "2026-03-04"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 409  # the version is 2 since the item was added
    response = secretariat.post(
        f"/api/v1/meetings/{meeting.pk}/postpone",
        {"new_date": "2026-03-12", "reason": "市长出差", "on": "2026-03-04"},
        format="json",
    )
    assert response.status_code == 200
    new = response.json()
    assert new["date"] == "2026-03-12" and [i["id"] for i in new["items"]] == [scheduled.pk]
    old = secretariat.get(f"/api/v1/meetings/{meeting.pk}").json()
    assert old["state"] == "postponed" and old["postponed_to"] == new["id"]
    case = secretariat.get(f"/api/v1/accountability-cases/{scheduled.object_id}").json()
    assert case["meeting_date"] == "2026-03-12"
    titles = Notification.objects.filter(recipient=people["head_education"]).values_list(
        "title", flat=True
    )
    assert sorted(t[:6] for t in titles) == ["常务会议延期", "常务会议通知"]
    # A postponed meeting is not postponed again, nor is a held one.
    response = secretariat.post(
        f"/api/v1/meetings/{meeting.pk}/postpone",
        {"new_date": "2026-03-19", "reason": "x", "on": "2026-03-04"},
        format="json",
    )
    assert response.status_code == 409
    secretariat.post(
        f"/api/v1/accountability-cases/{scheduled.object_id}/transitions/deliberate",
        {"minutes": "纪要", "on": "2026-03-12"},
        format="json",
    )
    response = secretariat.post(
        f"/api/v1/meetings/{new['id']}/postpone",
        {"new_date": "2026-03-19", "reason": "x", "on": "2026-03-12"},
        format="json",
    )
    assert response.status_code == 409
    assert secretariat.get(f"/api/v1/meetings/{new['id']}").json()["state"] == "held"


def test_plan_a_meeting_and_schedule_onto_it(awaiting_meeting, login_api):
    secretariat = login_api("secretariat")
    response = secretariat.post(
        "/api/v1/meetings",
        {"date": "2026-03-12", "place": "第二会议室", "on": "2026-03-02"},
        format="json",
    )
    assert response.status_code == 201 and response["Location"].startswith("/api/v1/meetings/")
    meeting = response.json()
    case = awaiting_meeting()
    response = secretariat.post(
        f"/api/v1/accountability-cases/{case.pk}/transitions/schedule",
        {"meeting": meeting["id"], "on": "2026-03-03"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["meeting_date"] == "2026-03-12"
    agenda = secretariat.get(f"/api/v1/meetings/{meeting['id']}/agenda").json()
    assert [i["object_id"] for i in agenda] == [case.pk]
    assert (
        login_api("head_education")
        .post("/api/v1/meetings", {"date": "2026-03-12"}, format="json")
        .status_code
        == 403
    )


def test_the_list_filters(scheduled, login_api):
    secretariat = login_api("secretariat")
    assert secretariat.get("/api/v1/meetings?date=2026-03-05").json()["count"] == 1
    assert secretariat.get("/api/v1/meetings?date=2026-03-06").json()["count"] == 0
    assert secretariat.get("/api/v1/meetings?state=held").json()["count"] == 0
    for query in ("date=1990-01-01", "date=2026-02-30", "state=cancelled"):
        response = secretariat.get(f"/api/v1/meetings?{query}")
        assert response.status_code == 400 and query.split("=")[0] in response.json()["fields"]
