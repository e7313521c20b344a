"""The early-warning API: extensions, the explanation of a deadline, admonition letters,
preliminary investigations and notifications — each success and each refusal (403 wrong
person, 404 invisible, 409 wrong state, 422 refused by a rule, 400 bad input)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.deadlines import services
from casework.deadlines.models import (
    AdmonitionLetter,
    Deadline,
    Extension,
    Kind,
    Notification,
    PreliminaryInvestigation,
)
from casework.org.models import Official, User

from .helpers import (
    deadline,
    red,
    set_cap,
    upcoming,
    working_days_ago,
    working_days_ahead,
    yellow,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def people(demo_people):
    return {user.username: user for user in User.objects.all()}


@pytest.fixture
def api(login_api, people):
    """api("investigator") → an API client signed in as that demo account."""
    return login_api


def post(client, url, body=None):
    return client.post(url, body or {}, format="json")


# --- extensions ---------------------------------------------------------------------------


def test_the_responsible_person_asks_and_the_mayor_grants_keeping_the_original_due(api, people):
    item = upcoming(5)
    new_due = working_days_ahead(3, item.due)
    url = f"/api/v1/deadlines/{item.pk}/extensions"
    response = post(api("investigator"), url, {"reason": "证人外出", "new_due": str(new_due)})
    assert response.status_code == 201, response.json()
    extension = response.json()
    assert extension["status"] == "pending" and extension["requested_by"] == "investigator"
    assert extension["deadline"]["id"] == item.pk and extension["new_due"] == str(new_due)

    decided = post(
        api("mayor"), f"{url}/{extension['id']}/decide", {"approve": True, "reason": "同意"}
    )
    assert decided.status_code == 200, decided.json()
    body = decided.json()
    assert body["status"] == "approved" and body["decided_by"] == "mayor"
    assert body["deadline"]["due"] == str(new_due)
    assert body["deadline"]["original_due"] == str(item.due)
    listed = api("investigator").get(url).json()
    assert [e["status"] for e in listed] == ["approved"]


def test_a_refused_extension_leaves_the_due_date(api, people):
    item = upcoming(5)
    url = f"/api/v1/deadlines/{item.pk}/extensions"
    new_due = str(working_days_ahead(2, item.due))
    ext = post(api("investigator"), url, {"reason": "复杂", "new_due": new_due}).json()
    body = post(api("mayor"), f"{url}/{ext['id']}/decide", {"approve": False, "reason": "不同意"})
    assert body.status_code == 200
    assert body.json()["status"] == "refused"
    assert body.json()["deadline"]["due"] == str(item.due)
    assert body.json()["deadline"]["original_due"] is None


def test_someone_who_sees_the_deadline_but_is_not_responsible_is_403(api):
    item = upcoming(5)
    response = post(
        api("secretariat"),
        f"/api/v1/deadlines/{item.pk}/extensions",
        {"reason": "x", "new_due": str(working_days_ahead(2, item.due))},
    )
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    assert "责任人" in response.json()["detail"]


def test_permission_is_checked_before_the_body(api):
    item = upcoming(5)
    response = post(api("secretariat"), f"/api/v1/deadlines/{item.pk}/extensions", {})
    assert response.status_code == 403


def test_a_deadline_the_caller_cannot_see_is_404(api):
    item = upcoming(5)  # the supervision bureau's, in no case
    for path in ("extensions", "explanation"):
        url = f"/api/v1/deadlines/{item.pk}/{path}"
        assert api("head_tax").get(url).status_code == 404
    response = post(
        api("head_tax"),
        f"/api/v1/deadlines/{item.pk}/extensions",
        {"reason": "x", "new_due": str(working_days_ahead(2, item.due))},
    )
    assert response.status_code == 404
    assert post(api("head_tax"), "/api/v1/deadlines/999999/extensions").status_code == 404


def test_an_official_sees_and_extends_the_deadlines_of_their_own_unit(api, people):
    """The education bureau's people are warned about its deadlines, so they see them."""
    item = upcoming(5, kind=Kind.ORGAN_REPORT, unit="education", description="报送办理结果")
    response = post(
        api("staff_education"),
        f"/api/v1/deadlines/{item.pk}/extensions",
        {"reason": "需现场核查", "new_due": str(working_days_ahead(2, item.due))},
    )
    assert response.status_code == 201, response.json()
    listed = api("staff_education").get("/api/v1/deadlines").json()["results"]
    assert [d["id"] for d in listed] == [item.pk]
    assert api("head_transport").get("/api/v1/deadlines").json()["results"] == []
    # The complaints office head decides on complaint kinds, not the mayor.
    ext = response.json()["id"]
    decide = f"/api/v1/deadlines/{item.pk}/extensions/{ext}/decide"
    assert post(api("mayor"), decide, {"approve": True}).status_code == 403
    assert post(api("complaints_head"), decide, {"approve": True}).status_code == 200


def test_asking_after_the_deadline_is_422(api):
    item = yellow()
    response = post(
        api("investigator"),
        f"/api/v1/deadlines/{item.pk}/extensions",
        {"reason": "晚了", "new_due": str(working_days_ahead(5))},
    )
    assert response.status_code == 422
    assert response.json()["error"] == "refused_by_rule"
    assert "届满" in response.json()["detail"]


def test_asking_beyond_the_cap_is_422_naming_new_due(api):
    set_cap(Kind.INVESTIGATION, 5)
    item = upcoming(5)
    url = f"/api/v1/deadlines/{item.pk}/extensions"
    response = post(
        api("investigator"),
        url,
        {"reason": "复杂", "new_due": str(working_days_ahead(6, item.due))},
    )
    assert response.status_code == 422
    assert "new_due" in response.json()["fields"]
    response = post(
        api("investigator"),
        url,
        {"reason": "复杂", "new_due": str(working_days_ahead(5, item.due))},
    )
    assert response.status_code == 201


def test_a_second_request_while_one_is_pending_and_a_second_decision_are_409(api):
    item = upcoming(5)
    url = f"/api/v1/deadlines/{item.pk}/extensions"
    body = {"reason": "复杂", "new_due": str(working_days_ahead(2, item.due))}
    ext = post(api("investigator"), url, body).json()
    again = post(api("investigator"), url, body)
    assert again.status_code == 409 and again.json()["error"] == "conflict"
    decide = f"{url}/{ext['id']}/decide"
    assert post(api("mayor"), decide, {"approve": True}).status_code == 200
    twice = post(api("mayor"), decide, {"approve": False})
    assert twice.status_code == 409


@pytest.mark.parametrize(
    "body,field",
    [
        ({"reason": "x"}, "new_due"),
        ({"reason": "x", "new_due": "2026-02-30"}, "new_due"),
        ({"reason": " ", "new_due": "NEW_DUE"}, "reason"),
        ({"new_due": "NEW_DUE"}, "reason"),
    ],
)
def test_a_bad_request_is_400_naming_the_field(api, body, field):
    item = upcoming(5)
    if body.get("new_due") == "NEW_DUE":
        body = {**body, "new_due": str(working_days_ahead(2, item.due))}
    response = post(api("investigator"), f"/api/v1/deadlines/{item.pk}/extensions", body)
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]


def test_a_decision_without_approve_is_400_and_by_the_wrong_approver_403(api):
    item = upcoming(5)
    url = f"/api/v1/deadlines/{item.pk}/extensions"
    ext = post(
        api("investigator"), url, {"reason": "x", "new_due": str(working_days_ahead(2, item.due))}
    ).json()
    decide = f"{url}/{ext['id']}/decide"
    response = post(api("mayor"), decide, {"reason": "?"})
    assert response.status_code == 400 and "approve" in response.json()["fields"]
    assert post(api("secretariat"), decide, {"approve": True}).status_code == 403
    assert post(api("head_tax"), decide, {"approve": True}).status_code == 404
    other = upcoming(6)
    wrong = f"/api/v1/deadlines/{other.pk}/extensions/{ext['id']}/decide"
    assert post(api("mayor"), wrong, {"approve": True}).status_code == 404
    assert Extension.objects.get().status == Extension.Status.PENDING


# --- the explanation ----------------------------------------------------------------------


def test_the_explanation_lists_the_days_counted_and_skipped_around_the_spring_festival(api):
    # Thursday 2026-02-12 + 3 working days: Fri 13th, Saturday 14th (adjusted working day),
    # the Spring Festival 15th–23rd skipped, Tuesday 24th.
    item = services.open_deadline(
        Kind.INVESTIGATION,
        start=D(2026, 2, 12),
        days=3,
        description="完成调查核实",
        unit=None,
    )
    assert item.due == D(2026, 2, 24)
    body = api("mayor").get(f"/api/v1/deadlines/{item.pk}/explanation?as_of=2026-02-27").json()
    assert body["counted"] == 3 and body["skipped"] == 9
    assert body["provisional"] is False
    days = {day["date"]: day for day in body["days"]}
    assert days["2026-02-14"]["counted"] and days["2026-02-14"]["reason"] == "调休上班日"
    assert days["2026-02-14"]["weekday"] == "星期六" and days["2026-02-14"]["ordinal"] == 2
    assert not days["2026-02-16"]["counted"] and "春节" in days["2026-02-16"]["reason"]
    assert days["2026-02-24"]["ordinal"] == 3
    # As of Friday 27th it is 3 working days overdue: red.
    assert body["level"] == "red" and body["working_days_left"] == -3
    assert [d["date"] for d in body["overdue_days"] if d["counted"]] == [
        "2026-02-25",
        "2026-02-26",
        "2026-02-27",
    ]


def test_the_explanation_of_a_period_reaching_an_unconfirmed_year_is_provisional(api):
    item = services.open_deadline(
        Kind.INVESTIGATION, start=D(2026, 12, 28), days=5, description="调查", unit=None
    )
    body = api("mayor").get(f"/api/v1/deadlines/{item.pk}/explanation").json()
    assert body["provisional"] is True and body["due"] == "2027-01-04"
    january = [day for day in body["days"] if day["date"].startswith("2027")]
    assert january and all(day["provisional"] for day in january)
    assert all("暂定" in day["reason"] for day in january)
    assert any(day["reason"].startswith("周末") for day in body["days"])


def test_the_explanation_shows_an_extension_beside_the_original_due(api, people):
    item = upcoming(5)
    new_due = working_days_ahead(3, item.due)
    ext = services.ask_for_extension(
        item, people["investigator"], {"reason": "x", "new_due": new_due}
    )
    services.decide_on_extension(ext, people["mayor"], {"approve": True})
    body = api("investigator").get(f"/api/v1/deadlines/{item.pk}/explanation").json()
    assert body["due"] == str(new_due) and body["original_due"] == str(item.due)
    assert body["extension_working_days"] == 3
    assert body["days"][-1]["date"] == str(new_due)


# --- the deadline list --------------------------------------------------------------------


def test_the_deadline_list_filters_by_procedure(api, people, citizen_complaint):
    from casework.accountability import services as accountability

    case = accountability.register_case(
        people["secretariat"],
        {
            "official": Official.objects.get(user__username="head_education").pk,
            "grounds": ["4.1.1"],
            "source": "mayor",
            "summary": "未完成工作任务",
            "on": timezone.localdate().isoformat(),
        },
    )
    on_case = upcoming(3, case=case)
    complaint = citizen_complaint()
    on_complaint = Deadline.objects.get(complaint=complaint)
    services.scan(timezone.localdate())
    client = api("mayor")

    def ids(procedure):
        body = client.get("/api/v1/deadlines", {"procedure": procedure}).json()
        return {d["id"] for d in body["results"]}

    assert on_case.pk in ids("accountability") and on_complaint.pk not in ids("accountability")
    assert on_complaint.pk in ids("complaints") and on_case.pk not in ids("complaints")
    assert client.get("/api/v1/deadlines", {"procedure": "x"}).status_code == 400


@pytest.fixture
def citizen_complaint(db):
    from casework.complaints import services as complaints

    def _submit():
        return complaints.submit(
            {
                "category": "attitude",
                "respondent_department": "education",
                "content": "办理学籍转入手续时，工作人员多次推诿。",
                "real_name": True,
                "name": "王秀英",
                "phone": "13812345678",
            }
        )

    return _submit


# --- admonition letters -------------------------------------------------------------------


@pytest.fixture
def letter(people):
    """A yellow card of the education bureau and the letter the scan issued for it."""
    item = yellow(kind=Kind.ORGAN_REPORT, unit="education", description="报送办理结果")
    services.scan(timezone.localdate())
    return AdmonitionLetter.objects.get(deadline=item)


def test_letters_are_listed_for_supervision_and_the_units_own_people(api, letter):
    body = api("investigator").get("/api/v1/admonition-letters").json()
    assert body["count"] == 1
    [row] = body["results"]
    assert row["number"] == letter.document.number and row["unit"] == "education"
    assert row["status"] == "issued" and row["deadline"]["level"] == "yellow"
    assert row["report_deadline"]["kind"] == "rectification_report"
    assert row["can_report"] is False
    [own] = api("head_education").get("/api/v1/admonition-letters").json()["results"]
    assert own["can_report"] is True
    assert api("head_transport").get("/api/v1/admonition-letters").json()["count"] == 0
    by_unit = api("mayor").get("/api/v1/admonition-letters", {"unit": "transport"}).json()
    assert by_unit["count"] == 0
    assert api("mayor").get("/api/v1/admonition-letters", {"unit": "nowhere"}).status_code == 400


def test_the_unit_reports_its_rectification_once(api, letter):
    url = f"/api/v1/admonition-letters/{letter.pk}/report"
    assert post(api("head_transport"), url, {"report": "x"}).status_code == 404
    assert post(api("investigator"), url, {"report": "x"}).status_code == 403
    blank = post(api("staff_education"), url, {"report": "  "})
    assert blank.status_code == 400 and "report" in blank.json()["fields"]
    response = post(api("staff_education"), url, {"report": "已于次日报送办理结果"})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "reported"
    assert response.json()["report_deadline"]["done_at"] is not None
    again = post(api("staff_education"), url, {"report": "再报"})
    assert again.status_code == 409


# --- preliminary investigations -----------------------------------------------------------


@pytest.fixture
def investigation(people):
    item = red(kind=Kind.ORGAN_REPORT, unit="education", description="报送办理结果")
    services.scan(timezone.localdate())
    return PreliminaryInvestigation.objects.get(deadline=item)


def test_investigations_are_for_supervision_and_the_mayors_office(api, investigation):
    body = api("investigator").get("/api/v1/preliminary-investigations").json()
    assert [row["id"] for row in body["results"]] == [investigation.pk]
    assert body["results"][0]["deadline"]["level"] == "red"
    assert body["results"][0]["status"] == "proposed"
    assert api("mayor").get("/api/v1/preliminary-investigations").status_code == 200
    refused = api("head_education").get("/api/v1/preliminary-investigations")
    assert refused.status_code == 403
    filtered = api("mayor").get("/api/v1/preliminary-investigations", {"status": "closed"})
    assert filtered.json()["count"] == 0


def test_the_leader_approves_and_the_bureau_opens_a_case(api, investigation):
    url = f"/api/v1/preliminary-investigations/{investigation.pk}"
    assert post(api("head_education"), f"{url}/decide", {"approve": True}).status_code == 404
    assert post(api("investigator"), f"{url}/decide", {"approve": True}).status_code == 403
    early = post(api("investigator"), f"{url}/conclude", {"open_case": False, "conclusion": "x"})
    assert early.status_code == 409
    approved = post(api("supervision_leader"), f"{url}/decide", {"approve": True, "reason": "同意"})
    assert approved.status_code == 200 and approved.json()["status"] == "investigating"
    assert approved.json()["approved_by"] == "supervision_leader"
    assert post(api("supervision_leader"), f"{url}/decide", {"approve": False}).status_code == 409

    head = Official.objects.get(user__username="head_education")
    assert post(api("mayor"), f"{url}/conclude", {"open_case": False}).status_code == 403
    blank = post(api("investigator"), f"{url}/conclude", {"open_case": True, "conclusion": ""})
    assert blank.status_code == 400 and "conclusion" in blank.json()["fields"]
    unknown = post(
        api("investigator"),
        f"{url}/conclude",
        {"open_case": True, "conclusion": "x", "official": 999999},
    )
    assert unknown.status_code == 400 and "official" in unknown.json()["fields"]
    concluded = post(
        api("investigator"),
        f"{url}/conclude",
        {"open_case": True, "conclusion": "推诿拖延属实", "official": head.pk},
    )
    assert concluded.status_code == 200, concluded.json()
    body = concluded.json()
    assert body["status"] == "case_opened" and body["accountability_case_number"]


def test_a_dismissed_investigation_cannot_be_concluded(api, investigation):
    url = f"/api/v1/preliminary-investigations/{investigation.pk}"
    dismissed = post(api("supervision_leader"), f"{url}/decide", {"approve": False, "reason": "x"})
    assert dismissed.json()["status"] == "dismissed"
    response = post(api("investigator"), f"{url}/conclude", {"open_case": False, "conclusion": "x"})
    assert response.status_code == 409


# --- notifications ------------------------------------------------------------------------


def test_notifications_are_the_callers_own_newest_first_with_the_unread_count(api, people):
    services.notify([people["investigator"]], "第一条")
    services.notify([people["investigator"], people["mayor"]], "第二条")
    client = api("investigator")
    body = client.get("/api/v1/notifications").json()
    assert [n["title"] for n in body["results"]] == ["第二条", "第一条"]
    assert body["unread"] == 2 and body["count"] == 2
    first = body["results"][1]["id"]
    mayors = Notification.objects.get(recipient=people["mayor"]).pk
    assert post(client, f"/api/v1/notifications/{mayors}/read").status_code == 404
    read = post(client, f"/api/v1/notifications/{first}/read")
    assert read.status_code == 200 and read.json()["unread"] is False
    assert client.get("/api/v1/notifications").json()["unread"] == 1
    unread_only = client.get("/api/v1/notifications", {"unread": "true"}).json()
    assert [n["title"] for n in unread_only["results"]] == ["第二条"]
    assert post(client, "/api/v1/notifications/read-all").json() == {"marked": 1, "unread": 0}
    assert api("mayor").get("/api/v1/notifications").json()["unread"] == 1


def test_the_scan_notices_reach_the_people_of_the_unit(api, letter):
    body = api("staff_education").get("/api/v1/notifications").json()
    assert any("效能告诫书" in n["title"] for n in body["results"])


# --- cost ---------------------------------------------------------------------------------


def test_the_lists_cost_the_same_for_1_and_6_items(api, people):
    def count(client, url):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), response.json()["count"]

    urls = ["/api/v1/admonition-letters", "/api/v1/preliminary-investigations"]
    client = api("investigator")
    red(kind=Kind.ORGAN_REPORT, unit="education")
    services.scan(timezone.localdate())
    few = [count(client, url) for url in urls]
    for unit in ["transport", "tax", "education", "transport", "supervision"]:
        deadline(working_days_ago(3), kind=Kind.ORGAN_REPORT, unit=unit)
    services.scan(timezone.localdate())
    many = [count(client, url) for url in urls]
    assert [n for _, n in few] == [1, 1] and [n for _, n in many] == [6, 6]
    assert [q for q, _ in few] == [q for q, _ in many]


# --- found while building the pages -------------------------------------------------------


def test_nobody_approves_their_own_extension(api):
    item = upcoming(5, kind=Kind.RECTIFICATION_REPORT, unit="supervision")
    url = f"/api/v1/deadlines/{item.pk}/extensions"
    asked = post(
        api("supervision_leader"),
        url,
        {"reason": "材料较多", "new_due": str(working_days_ahead(2, item.due))},
    )
    assert asked.status_code == 201
    decided = post(
        api("supervision_leader"), f"{url}/{asked.json()['id']}/decide", {"approve": True}
    )
    assert decided.status_code == 403
