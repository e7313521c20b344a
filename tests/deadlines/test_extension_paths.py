"""Every path that extends a deadline obeys the same rules (docs/deadlines.md;
Xinxiang complaints art. 5–6; Xinxiang warning art. 5–9):

* asked in writing, with reasons, *before* the deadline falls due (on the due day at the
  latest) — later: 422;
* the total of all extensions of a deadline is capped per kind, in working days counted from
  the original due date (the day of the event not counted): complaint handling 15, an
  organ's report 15, an investigation 40, anything else 30 — exactly the cap is allowed,
  one working day more is refused (422);
* decided by the approver the procedure names, never by the person who asked (403);
* the approvers are told of a request, the person who asked is not;
* a refusal leaves nothing behind: no pending request that would block a correct one.

The paths: the deadline API (``/api/v1/deadlines/<id>/extensions``), the deadline pages
(``/deadlines/<id>/extend/``, ``/deadlines/extensions/<id>/decide/``), and the complaint
transitions ``request_extension`` / ``approve_extension`` for the organ's reporting deadline
and the office's handling period (``{"kind": ...}``), over the API and on the complaint's
screen of recordings.
"""

import datetime

import pytest
from django.utils import timezone

from casework.complaints import services as complaints
from casework.deadlines import services
from casework.org.models import Department, User
from casework.workcalendar.periods import add_working_days

from .helpers import working_days_ago

pytestmark = pytest.mark.django_db

# The caps of docs/deadlines.md / settings.DEADLINE_EXTENSION_CAPS, in working days in total.
CAPS = {
    "complaint_handling": 15,
    "organ_report": 15,
    "investigation": 40,
    "rectification_report": 30,  # "others"
}
# kind → (unit responsible, who asks, who approves)
WHO = {
    "complaint_handling": ("complaints", "complaints", "complaints_head"),
    "organ_report": ("education", "staff_education", "complaints_head"),
    "investigation": ("supervision", "investigator", "mayor"),
    "rectification_report": ("education", "staff_education", "supervision_leader"),
}


def on_day(day: datetime.date) -> str:
    return day.isoformat()


def after(day, n) -> datetime.date:
    """The n-th working day after ``day`` (``day`` itself not counted)."""
    return add_working_days(day, n).due


@pytest.fixture
def people(demo_people):
    return {user.username: user for user in User.objects.all()}


@pytest.fixture
def api(login_api):
    return login_api


@pytest.fixture
def pages(client, people):
    def _login(username):
        client.force_login(people[username])
        return client

    return _login


def deadline_of(kind, *, due=None, days=10, start=None):
    """A deadline of ``kind`` kept by its unit (WHO), due in ``days`` working days."""
    start = start or timezone.localdate()
    return services.open_deadline(
        kind,
        start=start,
        days=None if due else days,
        due=due,
        description="期限",
        unit=Department.objects.get(code=WHO[kind][0]),
    )


def ask(client, pk, new_due, reason="情况复杂，需要补充调查"):
    return client.post(
        f"/api/v1/deadlines/{pk}/extensions",
        {"reason": reason, "new_due": on_day(new_due)},
        format="json",
    )


def extensions(client, pk):
    response = client.get(f"/api/v1/deadlines/{pk}/extensions")
    assert response.status_code == 200, response.content
    return response.json()


def told(client, text):
    """The caller's notifications whose title contains ``text``."""
    body = client.get("/api/v1/notifications").json()
    return [n for n in body["results"] if text in n["title"]]


# --- the deadline API ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", CAPS)
def test_the_api_allows_exactly_the_cap_and_refuses_one_working_day_more(kind, api):
    item = deadline_of(kind)
    asker = api(WHO[kind][1])
    beyond = ask(asker, item.pk, after(item.due, CAPS[kind] + 1))
    assert beyond.status_code == 422, beyond.content
    assert beyond.json()["error"] == "refused_by_rule" and "new_due" in beyond.json()["fields"]
    # The refusal left nothing: the correct request goes through at once.
    assert extensions(asker, item.pk) == []
    exact = ask(asker, item.pk, after(item.due, CAPS[kind]))
    assert exact.status_code == 201, exact.content
    assert exact.json()["status"] == "pending"


def test_the_api_counts_every_extension_of_a_deadline_against_one_cap(api):
    item = deadline_of("organ_report")
    first = ask(api("staff_education"), item.pk, after(item.due, 5))
    decide = f"/api/v1/deadlines/{item.pk}/extensions/{first.json()['id']}/decide"
    approved = api("complaints_head").post(decide, {"approve": True}, format="json")
    assert approved.status_code == 200 and approved.json()["deadline"]["original_due"]
    moved = datetime.date.fromisoformat(approved.json()["deadline"]["due"])
    # 5 granted: 10 more reach the cap of 15 from the original due date, 11 pass it.
    refused = ask(api("staff_education"), item.pk, after(moved, 11))
    assert refused.status_code == 422, refused.content
    assert ask(api("staff_education"), item.pk, after(moved, 10)).status_code == 201


def test_the_api_refuses_a_request_after_the_due_day_and_keeps_nothing(api):
    late = deadline_of("investigation", start=working_days_ago(11), due=working_days_ago(1))
    response = ask(api("investigator"), late.pk, after(timezone.localdate(), 5))
    assert response.status_code == 422, response.content
    assert "届满" in response.json()["detail"]
    assert extensions(api("investigator"), late.pk) == []


def test_the_api_accepts_a_request_on_the_due_day_itself(api):
    today = timezone.localdate()
    item = deadline_of("investigation", start=working_days_ago(10), due=today)
    assert ask(api("investigator"), item.pk, after(today, 3)).status_code == 201


@pytest.mark.parametrize(
    "kind, asker",
    [("complaint_handling", "complaints_head"), ("rectification_report", "supervision_leader")],
)
def test_the_api_refuses_an_approver_deciding_on_their_own_request(kind, asker, api):
    unit = {"complaint_handling": "complaints", "rectification_report": "supervision"}[kind]
    item = services.open_deadline(
        kind,
        start=timezone.localdate(),
        days=10,
        description="期限",
        unit=Department.objects.get(code=unit),
    )
    asked = ask(api(asker), item.pk, after(item.due, 2))
    assert asked.status_code == 201, asked.content
    response = api(asker).post(
        f"/api/v1/deadlines/{item.pk}/extensions/{asked.json()['id']}/decide",
        {"approve": True, "reason": "同意"},
        format="json",
    )
    assert response.status_code == 403, response.content
    [extension] = extensions(api(asker), item.pk)
    assert extension["status"] == "pending"


@pytest.mark.parametrize("kind", CAPS)
def test_the_api_tells_the_approvers_of_a_request_and_not_the_asker(kind, api):
    item = deadline_of(kind)
    unit, asker, approver = WHO[kind]
    new_due = after(item.due, 3)
    assert ask(api(asker), item.pk, new_due).status_code == 201
    notices = told(api(approver), "延期申请待审批")
    assert [n for n in notices if on_day(new_due) in n["title"]], notices
    assert told(api(asker), "延期申请待审批") == []


def test_the_api_refuses_a_decision_that_does_not_say_approve_or_refuse(api):
    item = deadline_of("organ_report")
    asked = ask(api("staff_education"), item.pk, after(item.due, 2))
    response = api("complaints_head").post(
        f"/api/v1/deadlines/{item.pk}/extensions/{asked.json()['id']}/decide", {}, format="json"
    )
    assert response.status_code == 400 and "approve" in response.json()["fields"]
    assert extensions(api("staff_education"), item.pk)[0]["status"] == "pending"


# --- the deadline pages -------------------------------------------------------------------------


def extend_on_page(client, pk, new_due, reason="情况复杂"):
    return client.post(
        f"/deadlines/{pk}/extend/",
        {"new_due": on_day(new_due), "reason": reason, "confirm": "on"},
    )


@pytest.mark.parametrize("kind", ["organ_report", "investigation"])
def test_the_page_allows_exactly_the_cap_and_refuses_one_working_day_more(kind, pages, api):
    item = deadline_of(kind)
    client = pages(WHO[kind][1])
    beyond = extend_on_page(client, item.pk, after(item.due, CAPS[kind] + 1))
    assert beyond.status_code == 200
    assert f"延期合计不得超过 {CAPS[kind]} 个工作日" in beyond.content.decode()
    assert extensions(api(WHO[kind][1]), item.pk) == []
    exact = extend_on_page(client, item.pk, after(item.due, CAPS[kind]))
    assert exact.status_code == 302
    [extension] = extensions(api(WHO[kind][1]), item.pk)
    assert extension["status"] == "pending"
    assert extension["new_due"] == on_day(after(item.due, CAPS[kind]))


def test_the_page_refuses_a_request_after_the_due_day_and_keeps_nothing(pages, api):
    late = deadline_of("organ_report", start=working_days_ago(11), due=working_days_ago(1))
    response = extend_on_page(pages("staff_education"), late.pk, after(timezone.localdate(), 2))
    assert response.status_code == 200 and "延期须在期限届满" in response.content.decode()
    assert extensions(api("staff_education"), late.pk) == []


def test_the_page_refuses_the_head_deciding_on_his_own_request(pages, api):
    item = deadline_of("complaint_handling")
    client = pages("complaints_head")
    assert extend_on_page(client, item.pk, after(item.due, 2)).status_code == 302
    [extension] = extensions(api("complaints_head"), item.pk)
    response = client.post(
        f"/deadlines/extensions/{extension['id']}/decide/",
        {"approve": "yes", "reason": "同意", "confirm": "on"},
    )
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert "不能审批自己提出的延期申请" in response.content.decode()
    assert extensions(api("complaints_head"), item.pk)[0]["status"] == "pending"


def test_the_page_tells_the_approver_of_a_request_and_not_the_asker(pages, api):
    item = deadline_of("organ_report")
    new_due = after(item.due, 4)
    assert extend_on_page(pages("staff_education"), item.pk, new_due).status_code == 302
    assert [
        n for n in told(api("complaints_head"), "延期申请待审批") if on_day(new_due) in n["title"]
    ]
    assert told(api("staff_education"), "延期申请待审批") == []
    assert told(api("head_education"), "延期申请待审批") == []


# --- the complaint transitions -------------------------------------------------------------------

# kind of the complaint's deadline → who asks through request_extension
COMPLAINT_KINDS = {"organ_report": "staff_education", "complaint_handling": "complaints"}


@pytest.fixture
def transferred(people, api):
    """The id of a real-name letter received today (or on ``received_on``), accepted and
    transferred to education that day (``due``: the organ's reporting deadline)."""

    def _make(real_name=True, received_on=None, **transfer):
        data = {
            "category": "attitude",
            "respondent_department": "education",
            "content": "办理学籍转入手续时，工作人员多次推诿，态度恶劣。",
            "real_name": real_name,
            "channel": "letter",
        }
        if real_name:
            data.update(name="李四", phone="13900001111")
        if received_on:
            data["on"] = on_day(received_on)
        complaint = complaints.register(people["complaints"], data)
        on = on_day(received_on or timezone.localdate())
        complaint = complaints.transition(complaint, "accept", people["complaints"], {"on": on})
        complaints.transition(
            complaint,
            "transfer",
            people["complaints"],
            {"organ": "education", "on": on, **transfer},
        )
        return complaint.pk

    return _make


def open_deadlines(api, pk):
    detail = api("complaints").get(f"/api/v1/complaints/{pk}").json()
    return {d["kind"]: d for d in detail["deadlines"] if not d["done_at"] and not d["cancelled_at"]}


def due(api, pk, kind):
    return datetime.date.fromisoformat(open_deadlines(api, pk)[kind]["due"])


def request_extension(client, pk, kind, new_due, reason="情况复杂，需现场核查"):
    return client.post(
        f"/api/v1/complaints/{pk}/transitions/request_extension",
        {"kind": kind, "reason": reason, "new_due": on_day(new_due)},
        format="json",
    )


def approve_extension(client, pk, body):
    return client.post(
        f"/api/v1/complaints/{pk}/transitions/approve_extension", body, format="json"
    )


def pending_on(api, pk):
    return [
        e
        for d in api("complaints").get(f"/api/v1/complaints/{pk}").json()["deadlines"]
        for e in d["extensions"]
        if e["status"] == "pending"
    ]


@pytest.mark.parametrize("kind", COMPLAINT_KINDS)
def test_the_complaint_path_allows_an_extension_of_exactly_the_cap(kind, transferred, api):
    pk = transferred()
    new_due = after(due(api, pk, kind), CAPS[kind])
    response = request_extension(api(COMPLAINT_KINDS[kind]), pk, kind, new_due)
    assert response.status_code == 200, response.content
    [extension] = pending_on(api, pk)
    assert extension["new_due"] == on_day(new_due)


def test_the_organ_cannot_extend_its_report_beyond_fifteen_working_days(transferred, api):
    pk = transferred()
    beyond = after(due(api, pk, "organ_report"), 16)
    response = request_extension(api("staff_education"), pk, "organ_report", beyond)
    assert response.status_code == 422, response.content
    assert pending_on(api, pk) == []


def test_the_office_cannot_extend_its_fifteen_working_days_by_more_than_fifteen(transferred, api):
    pk = transferred()
    beyond = after(due(api, pk, "complaint_handling"), 16)
    response = request_extension(api("complaints"), pk, "complaint_handling", beyond)
    assert response.status_code == 422, response.content
    assert pending_on(api, pk) == []


def test_the_office_cannot_extend_its_handling_period_to_the_middle_of_next_year(transferred, api):
    """The case reported: 15 working days stretched to 2027-06-30 (200 today)."""
    pk = transferred()
    far = max(datetime.date(2027, 6, 30), after(due(api, pk, "complaint_handling"), 16))
    response = request_extension(api("complaints"), pk, "complaint_handling", far)
    assert response.status_code == 422, response.content


def test_the_complaint_path_counts_every_extension_of_a_deadline_against_one_cap(transferred, api):
    pk = transferred()
    first = after(due(api, pk, "organ_report"), 5)
    assert request_extension(api("staff_education"), pk, "organ_report", first).status_code == 200
    approved = approve_extension(api("complaints_head"), pk, {"approve": True, "reason": "同意"})
    assert approved.status_code == 200, approved.content
    assert due(api, pk, "organ_report") == first
    response = request_extension(api("staff_education"), pk, "organ_report", after(first, 11))
    assert response.status_code == 422, response.content


@pytest.mark.parametrize("kind", COMPLAINT_KINDS)
def test_a_request_refused_on_the_complaint_path_leaves_nothing_behind(kind, transferred, api):
    pk = transferred()
    asker = api(COMPLAINT_KINDS[kind])
    refused = request_extension(asker, pk, kind, after(due(api, pk, kind), CAPS[kind] + 1))
    assert refused.status_code == 422, refused.content
    correct = request_extension(asker, pk, kind, after(due(api, pk, kind), 3))
    assert correct.status_code == 200, correct.content


@pytest.mark.parametrize("kind", COMPLAINT_KINDS)
def test_the_complaint_path_refuses_a_request_after_the_due_day(kind, transferred, api):
    received = working_days_ago(20)
    pk = transferred(received_on=received, due=on_day(after(received, 3)))
    assert due(api, pk, kind) < timezone.localdate()
    response = request_extension(
        api(COMPLAINT_KINDS[kind]), pk, kind, after(timezone.localdate(), 3)
    )
    assert response.status_code == 422, response.content
    assert pending_on(api, pk) == []


def test_the_head_of_the_office_cannot_approve_his_own_request(transferred, api):
    pk = transferred()
    new_due = after(due(api, pk, "complaint_handling"), 3)
    asked = request_extension(api("complaints_head"), pk, "complaint_handling", new_due)
    assert asked.status_code == 200, asked.content
    response = approve_extension(api("complaints_head"), pk, {"approve": True, "reason": "同意"})
    assert response.status_code == 403, response.content
    assert [e["status"] for e in pending_on(api, pk)] == ["pending"]
    assert due(api, pk, "complaint_handling") != new_due


def test_the_head_of_the_office_approves_the_organs_request(transferred, api):
    pk = transferred()
    new_due = after(due(api, pk, "organ_report"), 3)
    assert request_extension(api("staff_education"), pk, "organ_report", new_due).status_code == 200
    refused = approve_extension(api("complaints"), pk, {"approve": True, "reason": "同意"})
    assert refused.status_code == 403
    approved = approve_extension(api("complaints_head"), pk, {"approve": True, "reason": "同意"})
    assert approved.status_code == 200, approved.content
    assert due(api, pk, "organ_report") == new_due
    assert open_deadlines(api, pk)["organ_report"]["original_due"] is not None


def test_a_decision_on_the_complaint_path_must_say_approve_or_refuse(transferred, api):
    pk = transferred()
    new_due = after(due(api, pk, "organ_report"), 3)
    assert request_extension(api("staff_education"), pk, "organ_report", new_due).status_code == 200
    response = approve_extension(api("complaints_head"), pk, {})
    assert response.status_code == 400, response.content
    assert "approve" in response.json()["fields"]
    assert [e["status"] for e in pending_on(api, pk)] == ["pending"]


@pytest.mark.parametrize("kind", COMPLAINT_KINDS)
def test_the_complaint_path_tells_the_head_of_a_request_and_not_the_asker(kind, transferred, api):
    pk = transferred()
    new_due = after(due(api, pk, kind), 3)
    asker = COMPLAINT_KINDS[kind]
    assert request_extension(api(asker), pk, kind, new_due).status_code == 200
    notices = [n for n in told(api("complaints_head"), "延期") if on_day(new_due) in n["title"]]
    assert notices
    assert told(api(asker), "延期申请待审批") == []


def test_the_head_decides_the_offices_request_asked_after_the_organ_reported(
    transferred, people, api
):
    pk = transferred()
    response = api("staff_education").post(
        f"/api/v1/complaints/{pk}/transitions/organ_report", {"report": "已整改"}, format="json"
    )
    assert response.status_code == 200 and response.json()["state"] == "handled_by_organ"
    new_due = after(due(api, pk, "complaint_handling"), 3)
    assert (
        request_extension(api("complaints"), pk, "complaint_handling", new_due).status_code == 200
    )
    approved = approve_extension(api("complaints_head"), pk, {"approve": True, "reason": "同意"})
    assert approved.status_code == 200, approved.content
    assert due(api, pk, "complaint_handling") == new_due


def test_the_organ_cannot_extend_beyond_the_cap_on_the_complaints_screen_either(
    transferred, pages, api
):
    pk = transferred()
    beyond = after(due(api, pk, "organ_report"), 16)
    url = f"/complaints/staff/{pk}/record/?action=request_extension"
    response = pages("staff_education").post(
        url, {"action": "request_extension", "reason": "需现场核查", "new_due": on_day(beyond)}
    )
    assert pending_on(api, pk) == []
    assert response.status_code == 200  # the refusal beside the form
