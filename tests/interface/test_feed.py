"""The event feed: every state change, card and document, oldest first, from a cursor, as
the caller's scopes allow — and never a complainant's identity (Xinxiang complaints art. 8)."""

import datetime
import json
import threading
import time

import pytest
from django.db import connection

from casework.accountability import services as accountability
from casework.complaints import services as complaints
from casework.deadlines import services as deadline_services
from casework.exceptions import NotAllowed
from casework.interface.models import Event, Scope
from casework.org.models import Official, User

from .conftest import ALL_EVENTS, event, send

pytestmark = pytest.mark.django_db
NAME, PHONE, EMAIL = "王秀英", "13812345678", "wangxiuying@example.cn"
NOTE = "内部核实：投诉人系该校家长委员会成员"
CONTENT = "办理学籍转入手续时，工作人员多次推诿，态度恶劣。"


def person(username):
    return User.objects.get(username=username)


@pytest.fixture
def complaint(demo_people):
    filed = complaints.submit(
        {
            "category": "attitude",
            "respondent_department": "education",
            "content": CONTENT,
            "real_name": True,
            "name": NAME,
            "phone": PHONE,
            "email": EMAIL,
        }
    )
    office = person("complaints")
    complaints.transition(filed, "accept", office, {})
    complaints.transition(filed, "add_note", office, {"text": NOTE})
    complaints.transition(filed, "transfer", office, {"organ": "education"})
    filed.refresh_from_db()
    return filed


@pytest.fixture
def case(demo_people):
    registered = accountability.register_case(
        person("secretariat"),
        {
            "official": Official.objects.get(user__username="head_education").pk,
            "grounds": ["4.1.1"],
            "source": "mayor",
            "summary": "未完成政府工作报告确定的任务",
            "on": "2026-01-05",
        },
    )
    return accountability.transition(registered, "start", person("mayor"), {"on": "2026-01-06"})


def read(api, after=None, **params):
    if after is not None:
        params["after"] = after
    response = api.get("/api/v1/events", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_state_changes_and_documents_of_a_case_in_order(system, case):
    api = system(scopes=[Scope.EVENTS_ACCOUNTABILITY])
    page = read(api)
    kinds = [(r["type"], r["object"]) for r in page["results"]]
    assert kinds[0] == ("opened", f"accountability:{case.pk}")
    assert ("state_change", f"accountability:{case.pk}") in kinds
    assert any(kind == "document" for kind, _ in kinds)
    change = next(r for r in page["results"] if r["type"] == "state_change")
    assert change["data"]["step"] == "start"
    assert change["data"]["from_state"] == "proposed"
    assert change["data"]["state"] == case.state
    assert change["data"]["label"] == f"案件 {case.number}"
    document = next(r for r in page["results"] if r["type"] == "document")
    assert set(document["data"]) == {"number", "type", "type_name", "title", "issued_on", "case"}
    # Nobody is named: not the official, not the staff who acted.
    text = json.dumps(page, ensure_ascii=False)
    assert case.official.name not in text
    assert page["next_cursor"] == page["results"][-1]["cursor"]


def test_the_cursor_pages_through_and_then_waits(system, case):
    api = system(scopes=ALL_EVENTS)
    everything = read(api)["results"]
    assert len(everything) >= 3
    first = read(api, limit=2)
    assert [r["id"] for r in first["results"]] == [r["id"] for r in everything[:2]]
    rest = read(api, after=first["next_cursor"])
    assert [r["id"] for r in rest["results"]] == [r["id"] for r in everything[2:]]
    done = read(api, after=rest["next_cursor"])
    assert done == {"results": [], "next_cursor": rest["next_cursor"]}
    accountability.transition(
        case, "order_report", person("mayor"), {"on": "2026-01-07", "due": "2026-01-20"}
    )
    later = read(api, after=done["next_cursor"])
    assert [r["data"]["step"] for r in later["results"] if r["type"] == "state_change"] == [
        "order_report"
    ]
    bad = api.get("/api/v1/events", {"after": "yesterday"})
    assert bad.status_code == 400
    assert list(bad.json()["fields"]) == ["after"]


def test_a_complaint_is_reported_without_its_complainant(system, complaint):
    api = system(scopes=ALL_EVENTS)
    results = read(api)["results"]
    mine = [r for r in results if r["object"] == f"complaints:{complaint.pk}"]
    assert [r["type"] for r in mine] == ["opened", "state_change", "recorded", "state_change"]
    assert mine[-1]["data"]["state"] == "transferred"
    assert mine[0]["data"]["label"] == f"投诉第{complaint.pk}号"
    text = json.dumps(results, ensure_ascii=False)
    for secret in (NAME, PHONE, EMAIL, complaint.tracking_code, NOTE, CONTENT):
        assert secret not in text, secret
    # Nor is it in what is stored, whoever would read it.
    stored = json.dumps(list(Event.objects.values_list("data", flat=True)), ensure_ascii=False)
    for secret in (NAME, PHONE, EMAIL, complaint.tracking_code, NOTE):
        assert secret not in stored, secret


def test_scopes_choose_the_topics(system, case, complaint):
    only_complaints = read(system(scopes=[Scope.EVENTS_COMPLAINTS], name="甲"))["results"]
    assert {r["topic"] for r in only_complaints} == {"complaints"}
    only_cases = read(system(scopes=[Scope.EVENTS_ACCOUNTABILITY], name="乙"))["results"]
    assert {r["topic"] for r in only_cases} == {"accountability"}
    writer = system(scopes=[Scope.ITEMS_WRITE], name="丙")
    refused = writer.get("/api/v1/events")
    assert refused.status_code == 403
    assert refused.json()["error"] == "forbidden"


def test_cards_and_letters_and_item_changes(system, demo_people):
    writer = system(scopes=[Scope.ITEMS_WRITE, *ALL_EVENTS])
    send(writer, [event("c1", "XK-9", "accepted", "2026-02-09T09:30:00+08:00")])
    deadline_services.scan(datetime.date(2026, 2, 24))  # yellow and a letter
    results = read(writer)["results"]
    by_type = {}
    for row in results:
        by_type.setdefault(row["type"], []).append(row)
    opened = by_type["opened"][0]
    assert opened["topic"] == "items"
    assert opened["data"]["item_id"] == "XK-9"
    assert opened["data"]["state"] == "accepted"
    assert opened["data"]["due"] == "2026-02-14"
    card = by_type["card"][0]
    assert card["data"]["level"] == "yellow"
    assert card["data"]["unit"] == "education"
    assert card["data"]["matter"] == {
        "procedure": "interface",
        "system": "市行政服务中心审批系统",
        "item_id": "XK-9",
    }
    letter = by_type["document"][0]
    assert letter["topic"] == "warnings"
    assert letter["data"]["type"] == "admonition_letter"
    send(writer, [event("c2", "XK-9", "decided", "2026-02-25T09:30:00+08:00")])
    change = read(writer, after=results[-1]["cursor"])["results"]
    assert [(r["type"], r["data"]["from_state"], r["data"]["state"]) for r in change] == [
        ("state_change", "accepted", "decided")
    ]


def test_a_refused_act_leaves_no_event(system, case):
    api = system(scopes=ALL_EVENTS)
    before = Event.objects.count()
    with pytest.raises(NotAllowed):  # the official may not order his own report
        accountability.transition(case, "order_report", person("head_education"), {})
    assert Event.objects.count() == before
    assert len(read(api)["results"]) == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_an_event_committed_late_is_not_passed_over(system, reference_data):
    """Transaction A writes an event (the smaller id) and is still open when B writes one
    and commits. A reader must not be served B's event yet — its cursor would then be past
    A's — and gets both, A's first, once A commits."""
    from django.db import connections, transaction

    from casework.interface import outbox

    api = system(scopes=[Scope.EVENTS_ITEMS])
    written, release = threading.Event(), threading.Event()
    ids = {}

    def slow_writer():
        try:
            with transaction.atomic():
                ids["a"] = outbox.record("state_change", "items", "item:a", {}).pk
                written.set()
                release.wait(30)
        finally:
            connections.close_all()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    assert written.wait(30)
    with transaction.atomic():
        ids["b"] = outbox.record("state_change", "items", "item:b", {}).pk
    assert ids["a"] < ids["b"]
    early = read(api)
    assert early["results"] == []  # B is committed, but A might still come before it
    release.set()
    writer.join(30)
    # The snapshot's xmin is the server's: another write transaction that began before B
    # (another test run on the same server) holds the feed back until it ends.
    for _wait in range(600):
        later = read(api, after=early["next_cursor"])
        if later["results"]:
            break
        time.sleep(0.1)
    assert [r["id"] for r in later["results"]] == [ids["a"], ids["b"]]
