"""One real-name complaint, every stage, every surface, everyone outside the complaints
office (Xinxiang complaints art. 8: "对投诉人相关信息严格保密"; docs/complaints.md: the identity and
contact details are visible only to the complaints office; transferred organs, officials
concerned, exports and reports see a redacted complaint).

Wang Xiaoming (王小明, 13812345678, wxm@example.com) writes to the office. His letter is
registered, accepted, marked urgent, transferred to the education bureau, whose staff ask for
more time (granted by the head of the office), report, and the office verifies, decides to
pursue the fault of the bureau's head (which opens an accountability case), writes back to
him — as real letters do, by name: "王小明先生：……" — and closes it. The letter arrived 20
working days ago, so the deadlines on it have run late and the scan has issued admonition
letters, proposed preliminary investigations and sent notices about it.

At every stage, as every account that is not the complaints office, every API endpoint,
page, task screen and export that could show the complaint is fetched, and none may contain
the name, the phone, the e-mail, or their masked forms. The office itself sees the masked
values unless it states a reason.

The feedback letter names the complainant: it is the office's own (rules.disclosure), like
the identity.
"""

import csv
import io
import json
import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from casework.complaints import services
from casework.deadlines import services as deadlines
from casework.org.models import Official, User
from casework.workcalendar.periods import add_working_days

from ..deadlines.helpers import working_days_ago
from ..documents.pdfcheck import text as pdf_text

pytestmark = pytest.mark.django_db

NAME, PHONE, EMAIL = "王小明", "13812345678", "wxm@example.com"
MASKED = ("王**", "138****5678", "w***@example.com")
SECRETS = (NAME, PHONE, EMAIL, *MASKED)
FEEDBACK = "王小明先生：您反映的教育局窗口推诿问题已查实，已责令整改并追究相关责任，感谢您的监督。"

OUTSIDE_THE_OFFICE = (
    "head_education",
    "staff_education",
    "investigator",
    "supervision_leader",
    "mayor",
    "secretariat",
    "legal",
    "admin",
    "head_transport",
)

# The stages at which everything is fetched, in order: the complaint after each step.
STAGES = [
    "submitted",
    "accepted",  # marked urgent, the on-site response recorded (Xinxiang complaints art. 5)
    "transferred",
    "extension_requested",  # by the organ, for its reporting deadline (Xinxiang complaints art. 6)
    "handled_by_organ",  # after the head of the office granted the extension
    "verifying",
    "decided",  # fault liability of the bureau's head: a linked accountability case
    "feedback_given",
    "closed",
]


@pytest.fixture(autouse=True)
def fresh_limits():
    """The public tracking is rate-limited per address (a cache): start from a clean one."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def site_urls():
    """viewflow's nodes learn their URL namespaces when the URLconf is built."""
    from django.urls import get_resolver

    assert get_resolver().url_patterns


def _people():
    return {user.username: user for user in User.objects.all()}


def received():
    """The letter arrived 20 working days ago: its 15 working days have run out."""
    return working_days_ago(20)


def day(n):
    """The n-th working day after the letter arrived (that day not counted)."""
    return add_working_days(received(), n).due


def walk():
    """Yield (stage, complaint) as the complaint is taken through STAGES by the services;
    the scan runs after each step, as it would every night."""
    people = _people()
    complaint = services.register(
        people["complaints"],
        {
            "channel": "letter",
            "on": received().isoformat(),
            "category": "attitude",
            "respondent_department": "education",
            "content": "来信反映：到教育局办理学籍转入手续时，窗口工作人员多次推诿，态度恶劣。",
            "real_name": True,
            "name": NAME,
            "phone": PHONE,
            "email": EMAIL,
        },
    )
    handling_due = add_working_days(received(), 15).due
    head = Official.objects.get(user__username="head_education")
    steps = [
        (None, "accept", "complaints", 1, {}),
        (None, "mark_urgent", "complaints", 1, {"reason": "学生开学在即，影响入学"}),
        (
            "accepted",
            "record_onsite_response",
            "complaints",
            1,
            {"text": "已派人到窗口协调", "responders": "投诉中心 王某"},
        ),
        ("transferred", "transfer", "complaints", 2, {"organ": "education"}),
        (
            "extension_requested",
            "request_extension",
            "staff_education",
            3,
            {
                "kind": "organ_report",
                "reason": "涉及多所学校，需逐一核查",
                "new_due": add_working_days(handling_due, 5).due.isoformat(),
            },
        ),
        (None, "approve_extension", "complaints_head", 4, {"approve": True, "reason": "同意"}),
        ("handled_by_organ", "organ_report", "staff_education", 5, {"report": "已批评教育"}),
        ("verifying", "verify", "complaints", 6, {}),
        (
            "decided",
            "decide",
            "complaints",
            7,
            {
                "outcome": "fault_liability",
                "text": "窗口推诿属实，追究局长过错责任",
                "official": head.pk,
            },
        ),
        ("feedback_given", "give_feedback", "complaints", 8, {"text": FEEDBACK}),
        ("closed", "close", "complaints", 9, {}),
    ]
    deadlines.scan()
    yield "submitted", complaint
    for stage, name, username, n, body in steps:
        body = dict(body, on=day(n).isoformat())
        complaint = services.transition(complaint, name, people[username], body)
        deadlines.scan()
        if stage is not None:
            yield stage, complaint


# --- fetching every surface ---------------------------------------------------------------------


def text_of(response) -> str:
    """What a response shows, whatever its format: JSON (unescaped), HTML, CSV, XLSX."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    content_type = response.get("Content-Type", "")
    if content_type == "application/pdf":
        return pdf_text(response.content)
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(response.content)).active
        return "\n".join(
            " ".join("" if cell is None else str(cell) for cell in row)
            for row in sheet.iter_rows(values_only=True)
        )
    if content_type.startswith("text/csv"):
        rows = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
        return "\n".join(" ".join(row) for row in rows)
    body = response.content.decode("utf-8", "replace")
    if content_type.startswith("application/json"):
        body += json.dumps(response.json(), ensure_ascii=False)
    return body


def office_view(pk):
    """The complaint as the complaints office reads it over the API: its deadlines, the
    linked case and the tracking code, to know what else to fetch."""
    client = APIClient()
    client.force_authenticate(User.objects.get(username="complaints"))
    return client.get(f"/api/v1/complaints/{pk}").json()


def api_surfaces(pk, detail):
    """(label, path) of every API endpoint that could show the complaint."""
    surfaces = [
        ("api complaint list", "/api/v1/complaints"),
        ("api complaint", f"/api/v1/complaints/{pk}"),
        ("api complaint history", f"/api/v1/complaints/{pk}/history"),
        ("api deadlines", "/api/v1/deadlines"),
        ("api admonition letters", "/api/v1/admonition-letters"),
        ("api preliminary investigations", "/api/v1/preliminary-investigations"),
        ("api notifications", "/api/v1/notifications"),
        ("api accountability cases", "/api/v1/accountability-cases"),
    ]
    for deadline in detail["deadlines"]:
        surfaces += [
            (
                f"api explanation {deadline['kind']}",
                f"/api/v1/deadlines/{deadline['id']}/explanation",
            ),
            (
                f"api extensions {deadline['kind']}",
                f"/api/v1/deadlines/{deadline['id']}/extensions",
            ),
        ]
    # The complaint's letters (Xinxiang complaints art. 6, 8), and their PDFs.
    for document in detail["documents"]:
        surfaces += [
            (f"api document {document['type']}", f"/api/v1/documents/{document['id']}"),
            (f"api document pdf {document['type']}", document["pdf_url"]),
        ]
    case = detail["accountability_case"]
    if case:
        surfaces += [
            ("api linked case", f"/api/v1/accountability-cases/{case}"),
            ("api linked case history", f"/api/v1/accountability-cases/{case}/history"),
        ]
    return surfaces


def page_surfaces(pk, detail):
    surfaces = [
        ("page complaint list", "/complaints/staff/"),
        ("page complaint", f"/complaints/staff/{pk}/"),
        ("page recordings", f"/complaints/staff/{pk}/record/"),
        ("page inbox", "/workflow/inbox/"),
        ("page queue", "/workflow/queue/"),
        ("page archive", "/workflow/archive/"),
        ("page my deadlines", "/deadlines/"),
        ("page notifications", "/deadlines/notifications/"),
        ("page letters", "/deadlines/letters/"),
        ("page investigations", "/deadlines/investigations/"),
        ("page extensions", "/deadlines/extensions/"),
        ("page board", "/deadlines/board/"),
        ("page board csv", "/deadlines/board/?format=csv"),
        ("page board xlsx", "/deadlines/board/?format=xlsx"),
    ]
    for document in detail["documents"]:
        surfaces += [
            (f"page document {document['type']}", f"/documents/{document['id']}/"),
            (f"page document pdf {document['type']}", f"/documents/{document['id']}/pdf"),
        ]
    # (The explanation pages show what the API explanation above shows.)
    case = detail["accountability_case"]
    if case:
        surfaces += [
            ("page accountability cases", "/accountability/"),
            ("page linked case", f"/accountability/{case}/"),
        ]
    return surfaces


TASK_LINK = re.compile(r'href="(/workflow/flows/complaint/[^"?#]+)"')


def fetch(client, path):
    """The response, and the page it redirects to inside the site."""
    responses = [client.get(path)]
    location = responses[0].get("Location", "")
    if (
        responses[0].status_code == 302
        and location.startswith("/")
        and "/accounts/" not in location
    ):
        responses.append(client.get(location))
    return responses


def sweep(pk, accounts=OUTSIDE_THE_OFFICE):
    """{(account, label, secret)} for every secret found, and what each account could open."""
    detail = office_view(pk)
    found, opened = set(), {}
    people = _people()
    for account in accounts:
        api = APIClient()
        api.force_authenticate(people[account])
        web = Client()
        web.force_login(people[account])
        opened[account] = set()
        seen = []
        for label, path in api_surfaces(pk, detail):
            seen += [(label, r) for r in fetch(api, path)]
        task_links = set()
        for label, path in page_surfaces(pk, detail):
            for response in fetch(web, path):
                seen.append((label, response))
                if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                    task_links |= set(TASK_LINK.findall(response.content.decode()))
        for link in sorted(task_links):
            label = "task screen " + re.sub(r"/\d+/", "/<id>/", link)
            seen += [(label, response) for response in fetch(web, link)]
        for label, response in seen:
            if response.status_code == 200:
                opened[account].add(label)
            body = text_of(response)
            for secret in SECRETS:
                if secret in body:
                    found.add((account, label, secret))
    # The citizen's own tracking: status and published result only.
    anonymous = APIClient()
    tracking = [
        (
            "api public tracking",
            anonymous.get(f"/api/v1/public/complaints/{detail['tracking_code']}"),
        ),
        (
            "page public tracking",
            Client().post("/complaints/track/", {"code": detail["tracking_code"]}),
        ),
    ]
    for label, response in tracking:
        assert response.status_code == 200, label
        for secret in SECRETS:
            if secret in text_of(response):
                found.add(("anonymous", label, secret))
    # Other systems, reading every topic of the event feed.
    feed = text_of(feed_reader().get("/api/v1/events", {"limit": 1000}))
    for secret in (*SECRETS, detail["tracking_code"]):
        if secret in feed:
            found.add(("client system", "event feed", secret))
    return found, opened


def feed_reader():
    from casework.interface.models import ClientSystem, Scope

    client = ClientSystem.objects.filter(name="市纪委信息系统").first()
    if client is None:
        client = ClientSystem(
            name="市纪委信息系统",
            scopes=[scope for scope in Scope.values if scope.startswith("events:")],
        )
    key = client.issue_key()
    client.save()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api


# The leak this sweep was written for: the feedback letter, which names the complainant as letters
# do, reaches people outside the office once it is written — the organ through the API (the page
# hides it from the organ), the supervision bureau and the administrator through the API and the
# complaint's pages. account → the surfaces that show it today.
FEEDBACK_STAGES = frozenset({"feedback_given", "closed"})


def assert_the_office_sees_it_masked(pk, stage):
    office = APIClient()
    office.force_authenticate(User.objects.get(username="complaints"))
    detail = office.get(f"/api/v1/complaints/{pk}").json()
    assert detail["identity_masked"] is True, stage
    assert (detail["name"], detail["phone"], detail["email"]) == MASKED, stage
    for path in (f"/api/v1/complaints/{pk}", "/api/v1/complaints", f"/complaints/staff/{pk}/"):
        if path.startswith("/api/"):
            body = text_of(office.get(path))
        else:
            web = Client()
            web.force_login(User.objects.get(username="complaints"))
            body = text_of(web.get(path))
        assert PHONE not in body and EMAIL not in body, (stage, path)
        if stage not in FEEDBACK_STAGES:  # the office's own letter names him
            assert NAME not in body, (stage, path)


def test_nobody_outside_the_office_learns_who_complained_at_any_stage(demo_people):
    leaks, reached = [], {}
    for stage, complaint in walk():
        found, opened = sweep(complaint.pk)
        leaks += [(stage, *leak) for leak in sorted(found)]
        reached[stage] = opened
        assert_the_office_sees_it_masked(complaint.pk, stage)
    assert not leaks, "\n".join(map(str, leaks))
    # The sweep really reached the surfaces: the organ its task screen and the complaint,
    # the bureau the board and its exports, the head the case opened against him.
    organ = reached["transferred"]["staff_education"]
    assert {"page complaint", "page queue", "api complaint", "api complaint history"} <= organ
    assert any(label.startswith("task screen") for label in organ), organ
    bureau = reached["decided"]["investigator"]
    assert {"page board", "page board csv", "page board xlsx", "page complaint"} <= bureau
    assert {"api admonition letters", "api preliminary investigations"} <= bureau
    head = reached["decided"]["head_education"]
    assert {"api linked case", "page linked case", "api notifications"} <= head
    assert "page complaint" not in reached["closed"]["mayor"]
    # The transfer letter reached the organ; the feedback letter, at no stage, anyone outside
    # the office (Xinxiang complaints art. 8).
    transfer = "api document complaint_transfer_letter"
    assert {transfer, "page document pdf complaint_transfer_letter"} <= organ
    for stage in FEEDBACK_STAGES:
        assert transfer in reached[stage]["staff_education"]
        for account, labels in reached[stage].items():
            assert not {label for label in labels if "feedback_letter" in label}, (stage, account)
