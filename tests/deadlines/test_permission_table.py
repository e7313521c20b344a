"""Every (action, kind of deadline, account) cell of early warning and correction (预警纠错),
through the HTTP API and the warning board.

Written by hand from docs/deadlines.md, the early-warning measures (Xinxiang warning art. 5–9),
the complaint measures (Xinxiang complaints art. 5–6), the Nanchong measures (Nanchong art. 6:
the mayor, or the vice-mayor by a recorded delegation) and docs/api.md:

* who sees a deadline: the staff of the procedures (the mayor's office, the supervision
  bureau, the legal affairs office, the administrator) every one; the complaints office
  those outside accountability cases; an official the deadlines of their own cases; and
  everyone the deadlines they must keep (named, or of their unit). Anyone else: 404;
* who asks for an extension: whoever must keep the deadline, before it falls due; never
  for a right of the official (objection period, review window): 403;
* who decides it: the mayor (or the vice-mayor while the delegation is in force) for an
  accountability period, the head of the complaints office for a complaint period, the
  supervision leader for a rectification report — never the person who asked;
* letters (效能告诫书, Xinxiang warning art. 7) are reported on by the unit warned
  (Xinxiang warning art. 9);
* preliminary investigations (Xinxiang warning art. 8) are approved by the supervision leader
  and concluded by the supervision bureau; the board and its exports are for the supervision
  bureau and the mayor's office.

One test per action: the data is set up once through the services and the API, then every
cell is asked. A step that succeeds is rolled back (a savepoint), so that every cell meets
the same data; a refusal is not, and each test checks at its end that the refusals left
nothing behind.
"""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from casework.accountability import services as accountability
from casework.complaints import services as complaints
from casework.deadlines import services
from casework.deadlines.models import Kind
from casework.org.models import Department, Official, User
from casework.workcalendar.periods import add_working_days

from .helpers import working_days_ago

pytestmark = pytest.mark.django_db

ACCOUNTS = [
    "mayor",
    "vicemayor",
    "secretariat",
    "investigator",
    "supervision_leader",
    "legal",
    "complaints",
    "complaints_head",
    "head_education",
    "head_transport",
    "head_tax",
    "staff_education",
    "admin",
]
STAFF = frozenset(
    {"mayor", "vicemayor", "secretariat", "investigator", "supervision_leader", "legal", "admin"}
)
# The warning board, letters and investigations: the supervision bureau and the mayor's office.
BOARD = frozenset(
    {"mayor", "vicemayor", "secretariat", "investigator", "supervision_leader", "admin"}
)
SUPERVISION = frozenset({"investigator", "supervision_leader"})
OFFICE = frozenset({"complaints", "complaints_head"})
EDUCATION = frozenset({"head_education", "staff_education"})
# The demo delegation of the mayor to the vice-mayor (casework.org.demo) runs 2026–2027.
DELEGATION = (datetime.date(2026, 1, 1), datetime.date(2027, 12, 31))


def acting_mayors():
    today = timezone.localdate()
    return {"mayor"} | ({"vicemayor"} if DELEGATION[0] <= today <= DELEGATION[1] else set())


# kind of deadline → (who sees it besides STAFF, who must keep it and may ask, who decides)
KINDS = {
    # an investigation of a case against the head of education, kept by the bureau
    "investigation": ({"head_education"} | SUPERVISION, SUPERVISION, "mayors"),
    # the complaints office's 15 working days (Xinxiang complaints art. 5)
    "complaint_handling": (OFFICE, OFFICE, {"complaints_head"}),
    # the education bureau's report on a complaint transferred to it (Xinxiang complaints art. 6)
    "organ_report": (OFFICE | EDUCATION, EDUCATION, {"complaints_head"}),
    # the education bureau's written report after a letter (Xinxiang warning art. 9)
    "rectification_report": (OFFICE | EDUCATION, EDUCATION, {"supervision_leader"}),
    # rights of the head of education: a clock, never an extension
    "objection": ({"head_education"}, set(), set()),
    "review_window": ({"head_education"}, set(), set()),
}


def sees_deadline(kind, account) -> bool:
    return account in STAFF or account in KINDS[kind][0]


def expected_ask(kind, account) -> int:
    if not sees_deadline(kind, account):
        return 404
    return 201 if account in KINDS[kind][1] else 403


def approvers(kind) -> set[str]:
    deciders = KINDS[kind][2]
    return acting_mayors() if deciders == "mayors" else set(deciders)


def expected_decide(kind, account, asked_by) -> int:
    if not sees_deadline(kind, account):
        return 404
    if account not in approvers(kind) or account == asked_by:
        return 403
    return 200


# The letters of Xinxiang warning art. 7, by the unit warned → who reports
# (Xinxiang warning art. 9).
LETTER_UNITS = {"supervision": SUPERVISION, "complaints": OFFICE, "education": EDUCATION}


def expected_report(unit, account) -> int:
    if account not in BOARD and account not in LETTER_UNITS[unit]:
        return 404
    return 200 if account in LETTER_UNITS[unit] else 403


# --- the data --------------------------------------------------------------------------------


def _people():
    return {user.username: user for user in User.objects.all()}


def _after(due, n=2):
    return add_working_days(due, n).due.isoformat()


def _unit(code):
    return Department.objects.get(code=code)


def build(login_api):
    """One deadline of each kind, three letters (one per unit warned) and two preliminary
    investigations, one proposed and one approved: set up through the services and the API."""
    people = _people()
    today = timezone.localdate()
    case = accountability.register_case(
        people["secretariat"],
        {
            "official": Official.objects.get(user__username="head_education").pk,
            "grounds": ["4.1.1"],
            "source": "mayor",
            "summary": "未完成政府工作报告确定的任务",
            "on": today.isoformat(),
        },
    )

    def complaint():
        item = complaints.submit(
            {
                "category": "attitude",
                "respondent_department": "education",
                "content": "办理学籍转入手续时，工作人员多次推诿，态度恶劣。",
                "real_name": False,
            }
        )
        item = complaints.transition(item, "accept", people["complaints"], {})
        item = complaints.transition(item, "transfer", people["complaints"], {"organ": "education"})
        deadlines = login_api("complaints").get(f"/api/v1/complaints/{item.pk}").json()
        return {d["kind"]: d for d in deadlines["deadlines"]}

    on_complaint = complaint()
    other_complaint = complaint()

    def open_deadline(kind, **kwargs):
        kwargs.setdefault("start", today)
        kwargs.setdefault("days", 10)
        return services.open_deadline(kind, description="期限", **kwargs)

    ids = {
        "investigation": open_deadline(
            Kind.INVESTIGATION, case=case, unit=_unit("supervision"), days=20
        ).pk,
        "complaint_handling": on_complaint["complaint_handling"]["id"],
        "organ_report": on_complaint["organ_report"]["id"],
        "objection": open_deadline(
            Kind.OBJECTION, case=case, user=people["head_education"], days=5
        ).pk,
        "review_window": open_deadline(
            Kind.REVIEW_WINDOW, case=case, user=people["head_education"]
        ).pk,
    }
    # Late deadlines of three units: the scan issues a letter on each (Xinxiang warning art. 7) and
    # proposes a preliminary investigation on each red one (Xinxiang warning art. 8).
    late = {
        unit: open_deadline(
            kind, start=working_days_ago(12), due=working_days_ago(1), unit=_unit(unit)
        ).pk
        for unit, kind in (
            ("supervision", Kind.INVESTIGATION),
            ("complaints", Kind.COMPLAINT_HANDLING),
            ("education", Kind.ORGAN_REPORT),
        )
    }
    red = [
        open_deadline(
            Kind.ORGAN_REPORT,
            start=working_days_ago(20),
            due=working_days_ago(3),
            unit=_unit(unit),
        ).pk
        for unit in ("education", "transport")
    ]
    services.scan(today)
    bureau = login_api("investigator")
    letters = {
        letter["deadline"]["id"]: letter
        for letter in bureau.get("/api/v1/admonition-letters").json()["results"]
    }
    letter_ids = {unit: letters[pk]["id"] for unit, pk in late.items()}
    ids["rectification_report"] = letters[late["education"]]["report_deadline"]["id"]
    investigations = {
        row["deadline"]["id"]: row["id"]
        for row in bureau.get("/api/v1/preliminary-investigations").json()["results"]
    }
    proposed, approved = investigations[red[0]], investigations[red[1]]
    response = login_api("supervision_leader").post(
        f"/api/v1/preliminary-investigations/{approved}/decide",
        {"approve": True, "reason": "同意"},
        format="json",
    )
    assert response.status_code == 200, response.content
    return {
        "ids": ids,
        "other_handling": other_complaint["complaint_handling"]["id"],
        "letters": letter_ids,
        "proposed": proposed,
        "approved": approved,
    }


def due_of(client, pk):
    explanation = client.get(f"/api/v1/deadlines/{pk}/explanation").json()
    return datetime.date.fromisoformat(explanation["due"])


# Pending requests for the decision cells: (kind, deadline, asked by).
def pending_requests(data):
    ids = data["ids"]
    return [
        ("investigation", ids["investigation"], "investigator"),
        ("complaint_handling", ids["complaint_handling"], "complaints"),
        ("organ_report", ids["organ_report"], "staff_education"),
        ("rectification_report", ids["rectification_report"], "staff_education"),
        # the head of the complaints office asks for the office's own period
        ("complaint_handling", data["other_handling"], "complaints_head"),
    ]


# --- asking a cell --------------------------------------------------------------------------


def attempt(client, url, body, expected):
    """The answer to one cell. What a step that should succeed did is undone (a savepoint);
    a refusal is not, so that the checks at the end of each test see what it left."""
    if expected >= 400:
        return client.post(url, body, format="json")
    with transaction.atomic():
        response = client.post(url, body, format="json")
        transaction.set_rollback(True)
    return response


def mismatch(cell, response, expected):
    if response.status_code == expected:
        return []
    return [f"{cell}: expected {expected}, got {response.status_code} {response.content[:160]!r}"]


def investigation_status(clients, pk):
    rows = clients["investigator"].get("/api/v1/preliminary-investigations").json()["results"]
    return {row["id"]: row["status"] for row in rows}[pk]


@pytest.fixture
def data(login_api):
    return build(login_api)


@pytest.fixture
def clients(login_api):
    return {account: login_api(account) for account in ACCOUNTS}


@pytest.fixture
def pages(client, demo_people):
    """pages("mayor") → the test client signed in as that account (session, for the pages)."""
    people = _people()

    def _login(username):
        client.force_login(people[username])
        return client

    return _login


# --- the table --------------------------------------------------------------------------------


def test_whoever_must_keep_a_deadline_asks_for_more_time_and_nobody_for_a_right(data, clients):
    failures = []
    staff = clients["investigator"]
    for kind, pk in data["ids"].items():
        body = {"reason": "情况复杂，需要补充材料", "new_due": _after(due_of(staff, pk))}
        url = f"/api/v1/deadlines/{pk}/extensions"
        for account in ACCOUNTS:
            expected = expected_ask(kind, account)
            response = attempt(clients[account], url, body, expected)
            failures += mismatch((kind, "ask", account), response, expected)
        # The refusals left no request behind.
        assert staff.get(url).json() == [], kind
    assert not failures, "\n".join(failures)


def test_the_approver_named_by_the_procedure_decides_and_never_on_their_own_request(data, clients):
    failures = []
    for kind, pk, asked_by in pending_requests(data):
        new_due = _after(due_of(clients["investigator"], pk))
        asked = clients[asked_by].post(
            f"/api/v1/deadlines/{pk}/extensions",
            {"reason": "情况复杂", "new_due": new_due},
            format="json",
        )
        assert asked.status_code == 201, asked.content
        url = f"/api/v1/deadlines/{pk}/extensions/{asked.json()['id']}/decide"
        for account in ACCOUNTS:
            expected = expected_decide(kind, account, asked_by)
            response = attempt(clients[account], url, {"approve": True, "reason": "同意"}, expected)
            failures += mismatch((kind, asked_by, "decide", account), response, expected)
        # The refusals decided nothing.
        listed = clients["investigator"].get(f"/api/v1/deadlines/{pk}/extensions").json()
        assert [e["status"] for e in listed] == ["pending"], (kind, asked_by, listed)
    assert not failures, "\n".join(failures)


def test_whoever_sees_a_deadline_reads_how_it_was_computed(data, clients, pages):
    failures = []
    for kind, pk in data["ids"].items():
        for account in ACCOUNTS:
            expected = 200 if sees_deadline(kind, account) else 404
            api = clients[account].get(f"/api/v1/deadlines/{pk}/explanation")
            failures += mismatch((kind, "explanation", account), api, expected)
            listed = clients[account].get(f"/api/v1/deadlines/{pk}/extensions")
            failures += mismatch((kind, "extensions", account), listed, expected)
            page = pages(account).get(f"/deadlines/{pk}/explain/")
            failures += mismatch((kind, "explain page", account), page, expected)
    assert not failures, "\n".join(failures)


def test_the_unit_warned_reports_its_rectification(data, clients):
    failures = []
    for unit, pk in data["letters"].items():
        url = f"/api/v1/admonition-letters/{pk}/report"
        for account in ACCOUNTS:
            expected = expected_report(unit, account)
            response = attempt(
                clients[account], url, {"report": "已于次日办结并书面报告"}, expected
            )
            failures += mismatch((unit, "report", account), response, expected)
    letters = clients["investigator"].get("/api/v1/admonition-letters").json()["results"]
    assert {letter["status"] for letter in letters} == {"issued"}
    assert not failures, "\n".join(failures)


def test_the_supervision_leader_approves_a_preliminary_investigation(data, clients):
    failures = []
    url = f"/api/v1/preliminary-investigations/{data['proposed']}/decide"
    for account in ACCOUNTS:
        expected = 404 if account not in BOARD else 200 if account == "supervision_leader" else 403
        response = attempt(clients[account], url, {"approve": True, "reason": "同意"}, expected)
        failures += mismatch(("decide investigation", account), response, expected)
    assert investigation_status(clients, data["proposed"]) == "proposed"
    assert not failures, "\n".join(failures)


def test_the_supervision_bureau_concludes_an_approved_preliminary_investigation(data, clients):
    failures = []
    body = {"open_case": False, "conclusion": "初核了结：已整改"}
    for which, ok in (("approved", 200), ("proposed", 409)):
        url = f"/api/v1/preliminary-investigations/{data[which]}/conclude"
        for account in ACCOUNTS:
            expected = 404 if account not in BOARD else ok if account in SUPERVISION else 403
            response = attempt(clients[account], url, body, expected)
            failures += mismatch((f"conclude {which} investigation", account), response, expected)
    assert investigation_status(clients, data["approved"]) == "investigating"
    assert investigation_status(clients, data["proposed"]) == "proposed"
    assert not failures, "\n".join(failures)


def test_the_board_and_its_exports_are_for_the_supervision_bureau_and_the_mayors_office(pages):
    failures = []
    for account in ACCOUNTS:
        expected = 200 if account in BOARD else 403
        for suffix in ("", "?format=csv", "?format=xlsx"):
            response = pages(account).get("/deadlines/board/" + suffix)
            failures += mismatch(("board" + suffix, account), response, expected)
    assert not failures, "\n".join(failures)
