"""The complaint's letters as numbered official documents: the transfer letter to the organ
(Xinxiang complaints art. 5, 6: the reporting period stated) and the feedback letter to the
complainant (Xinxiang complaints art. 8). The complainant's identity stays with the
complaints office: the organ reads a transfer letter that names no one, and never the
feedback letter — not through the document API, its PDF, the document page, the complaint's
API or pages, the history, the exports, nor the event feed of other systems."""

import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from casework.complaints import services
from casework.documents import rendering
from casework.documents.models import DocType, Document
from casework.interface.models import ClientSystem, Scope
from casework.org.models import User
from tests.documents.pdfcheck import text as pdf_text
from workflows import complaints as workflow

pytestmark = pytest.mark.django_db

NAME, PHONE, EMAIL = "王小明", "13812345678", "wxm@example.com"
FEEDBACK = "王小明先生：您反映的教育局窗口推诿问题已查实，已责令整改，感谢您的监督。"
OFFICE = ("complaints", "complaints_head")
ORGAN = ("head_education", "staff_education")
# Whoever is not the office: the organ, the bureau, the city's leaders and offices, the
# administrator, another department.
NOT_THE_OFFICE = (
    *ORGAN,
    "investigator",
    "supervision_leader",
    "mayor",
    "secretariat",
    "legal",
    "admin",
    "head_transport",
)


def person(username):
    return User.objects.get(username=username)


def api_as(username):
    api = APIClient()
    api.force_authenticate(person(username))
    return api


def web_as(username):
    web = Client()
    web.force_login(person(username))
    return web


@pytest.fixture
def complaint(demo_people):
    """A real-name letter about the education bureau, registered and accepted."""
    office = person("complaints")
    registered = services.register(
        office,
        {
            "channel": "letter",
            "category": "attitude",
            "respondent_department": "education",
            "content": "来信反映：到教育局办理学籍转入手续时，窗口工作人员多次推诿，态度恶劣。",
            "real_name": True,
            "name": NAME,
            "phone": PHONE,
            "email": EMAIL,
        },
    )
    return services.transition(registered, "accept", office, {})


def step(complaint, name, username="complaints", **body):
    return services.transition(complaint, name, person(username), body)


def transferred(complaint):
    return step(complaint, "transfer", organ="education")


def answered(complaint):
    complaint = step(transferred(complaint), "organ_report", "staff_education", report="已批评")
    complaint = step(complaint, "verify")
    complaint = step(complaint, "decide", outcome="supervision_decision", text="责令整改")
    return step(complaint, "give_feedback", text=FEEDBACK)


def secrets_of(complaint):
    return (NAME, PHONE, EMAIL, complaint.tracking_code)


def test_the_transfer_issues_a_numbered_letter_to_the_organ_naming_no_one(complaint):
    complaint = transferred(complaint)
    letter = complaint.transfer_letter
    assert letter.doc_type == DocType.COMPLAINT_TRANSFER_LETTER
    assert letter.number.startswith("南监投转〔") and letter.number.endswith("号")
    assert letter.addressee == "南充市教育局"
    assert letter.title == f"关于转办投诉第{complaint.pk}号的函"
    assert letter.issued_on == complaint.transferred_on
    assert letter.issued_by == person("complaints")
    # Xinxiang complaints art. 6: the period is stated in the letter.
    due = complaint.deadlines.get(kind="organ_report").due
    assert f"{due.year}年{due.month}月{due.day}日前办结" in letter.body
    pdf = pdf_text(rendering.render_pdf(letter)[0]).replace(" ", "").replace("\n", "")
    assert letter.number in pdf and "南充市教育局" in pdf
    for secret in secrets_of(complaint):
        assert secret not in letter.body + letter.title + letter.addressee
        assert secret not in pdf


def test_the_feedback_issues_a_numbered_letter_to_the_complainant(complaint):
    complaint = answered(complaint)
    letter = complaint.feedback_letter
    assert letter.doc_type == DocType.COMPLAINT_FEEDBACK_LETTER
    assert letter.number.startswith("南监投馈〔")
    assert letter.title == f"关于投诉第{complaint.pk}号处理结果的反馈意见书"
    # Addressed to "the complainant": the identity stays encrypted on the complaint, never
    # copied into a document row (what the office wrote in the text is the office's).
    assert letter.addressee == "投诉人"
    assert FEEDBACK in letter.body and "处理结果：" in letter.body
    assert PHONE not in letter.body and EMAIL not in letter.body
    assert complaint.tracking_code not in letter.body
    assert Document.objects.filter(doc_type=DocType.COMPLAINT_FEEDBACK_LETTER).count() == 1


def document_surfaces(document):
    """(label, client kind, path) of every way to read one document."""
    pk = document.pk
    return [
        ("api document", "api", f"/api/v1/documents/{pk}"),
        ("api pdf", "api", f"/api/v1/documents/{pk}/pdf"),
        ("page", "web", f"/documents/{pk}/"),
        ("page pdf", "web", f"/documents/{pk}/pdf"),
        ("accountability page", "web", f"/accountability/documents/{pk}/"),
    ]


def statuses(username, document):
    api, web = api_as(username), web_as(username)
    return {
        label: (api if kind == "api" else web).get(path).status_code
        for label, kind, path in document_surfaces(document)
    }


def test_the_transfer_letter_is_read_by_the_office_the_bureau_and_the_organ_only(complaint):
    letter = transferred(complaint).transfer_letter
    for username in (*OFFICE, *ORGAN, "investigator", "supervision_leader", "admin"):
        assert set(statuses(username, letter).values()) == {200}, username
    for username in ("mayor", "secretariat", "legal", "head_transport"):
        assert set(statuses(username, letter).values()) == {404}, username


@pytest.mark.parametrize("stage", ["feedback_given", "closed"])
def test_the_feedback_letter_is_the_offices_alone_on_every_surface(complaint, stage):
    complaint = answered(complaint)
    if stage == "closed":
        complaint = step(complaint, "close")
    letter = complaint.feedback_letter
    for username in OFFICE:
        assert set(statuses(username, letter).values()) == {200}, username
        # The history names the letters by number.
        history = web_as(username).get(f"/complaints/staff/{complaint.pk}/")
        assert history.content.decode().count(letter.number) >= 2
    for username in NOT_THE_OFFICE:
        assert set(statuses(username, letter).values()) == {404}, username
    # The complaint's own API and page list the letters each reader may see.
    for username in OFFICE:
        listed = {
            d["number"]
            for d in api_as(username).get(f"/api/v1/complaints/{complaint.pk}").json()["documents"]
        }
        assert listed == {complaint.transfer_letter.number, letter.number}
        page = web_as(username).get(f"/complaints/staff/{complaint.pk}/").content.decode()
        assert letter.number in page
    for username in ("staff_education", "investigator", "admin"):
        detail = api_as(username).get(f"/api/v1/complaints/{complaint.pk}").json()
        assert [d["number"] for d in detail["documents"]] == [complaint.transfer_letter.number]
        assert "feedback_letter" not in detail and "feedback" not in detail
        listed = api_as(username).get("/api/v1/complaints").json()
        assert letter.number not in json.dumps(listed, ensure_ascii=False)
        history = api_as(username).get(f"/api/v1/complaints/{complaint.pk}/history")
        assert "feedback_letter" not in history.content.decode()
        for path in (
            f"/complaints/staff/{complaint.pk}/",
            "/complaints/staff/?format=csv",
            "/complaints/staff/?format=xlsx",
        ):
            response = web_as(username).get(path)
            assert response.status_code == 200, (username, path)
            assert letter.number.encode() not in response.content, (username, path)
            assert f"/documents/{letter.pk}/".encode() not in response.content


def test_every_document_object_carries_its_pdf_url(complaint):
    complaint = answered(complaint)
    documents = api_as("complaints").get(f"/api/v1/complaints/{complaint.pk}").json()["documents"]
    assert [d["type"] for d in documents] == [
        DocType.COMPLAINT_TRANSFER_LETTER,
        DocType.COMPLAINT_FEEDBACK_LETTER,
    ]
    for document in documents:
        assert {"id", "number", "type", "issued_on", "pdf_url", "amendments"} <= set(document)
        response = api_as("complaints").get(document["pdf_url"])
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_the_office_corrects_its_letters_and_nobody_else_does(complaint):
    complaint = answered(complaint)
    transfer, feedback = complaint.transfer_letter, complaint.feedback_letter
    body = {"text": "办理期限更正为十二月十日。", "reason": "笔误"}
    # The organ sees the transfer letter but may not correct it; the feedback letter does not
    # exist for it.
    assert (
        api_as("staff_education")
        .post(f"/api/v1/documents/{transfer.pk}/amendments", body, format="json")
        .status_code
        == 403
    )
    assert (
        api_as("staff_education")
        .post(f"/api/v1/documents/{feedback.pk}/amendments", body, format="json")
        .status_code
        == 404
    )
    for letter in (transfer, feedback):
        response = api_as("complaints").post(
            f"/api/v1/documents/{letter.pk}/amendments", body, format="json"
        )
        assert response.status_code == 201, response.content
        assert response.json()["amendments"][0]["text"] == body["text"]
    assert (
        api_as("complaints").get(f"/api/v1/documents/{feedback.pk}/amendments/1/pdf").status_code
        == 200
    )
    assert (
        api_as("staff_education")
        .get(f"/api/v1/documents/{feedback.pk}/amendments/1/pdf")
        .status_code
        == 404
    )
    assert (
        api_as("staff_education")
        .get(f"/api/v1/documents/{transfer.pk}/amendments/1/pdf")
        .status_code
        == 200
    )
    # The correction form is the office's: on the page for it, not for the organ.
    assert (
        b'data-testid="amend-form"'
        in web_as("complaints").get(f"/documents/{transfer.pk}/").content
    )
    assert (
        b'data-testid="amend-form"'
        not in web_as("staff_education").get(f"/documents/{transfer.pk}/").content
    )


def test_the_event_feed_names_the_letters_by_number_only(complaint):
    complaint = answered(complaint)
    client = ClientSystem(
        name="市纪委信息系统",
        scopes=[scope for scope in Scope.values if scope.startswith("events:")],
    )
    key = client.issue_key()
    client.save()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    results = api.get("/api/v1/events").json()["results"]
    letters = {r["data"]["number"]: r for r in results if r["type"] == "document"}
    for letter in (complaint.transfer_letter, complaint.feedback_letter):
        event = letters[letter.number]
        assert event["topic"] == "complaints"
        assert set(event["data"]) == {"number", "type", "type_name", "title", "issued_on"}
    text = json.dumps(results, ensure_ascii=False)
    for secret in (*secrets_of(complaint), FEEDBACK):
        assert secret not in text, secret
    # A reader of warnings only hears nothing of a complaint's letters.
    warnings = ClientSystem(name="预警系统", scopes=[Scope.EVENTS_WARNINGS])
    key = warnings.issue_key()
    warnings.save()
    reader = APIClient()
    reader.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert not [
        r for r in reader.get("/api/v1/events").json()["results"] if r["type"] == "document"
    ]


def test_the_admin_site_shows_an_administrator_no_feedback_letter(complaint):
    complaint = answered(complaint)
    admin = web_as("admin")
    transfer, feedback = complaint.transfer_letter, complaint.feedback_letter
    assert admin.get(f"/admin/documents/document/{transfer.pk}/change/").status_code == 200
    for path in (
        f"/admin/documents/document/{feedback.pk}/change/",
        f"/admin/documents/document/{feedback.pk}/history/",
    ):
        response = admin.get(path)
        assert response.status_code in (302, 403, 404), path
        assert FEEDBACK.encode() not in response.content


def test_the_organ_reads_its_transfer_letter_beside_its_task(complaint):
    complaint = transferred(complaint)
    letter = complaint.transfer_letter
    task = workflow.open_task(complaint)
    assert task.flow_task.name == "organ_handling"
    screen = web_as("staff_education").get(
        task.flow_task.reverse("execute", args=[task.process_id, task.pk])
    )
    assert screen.status_code == 200
    screen = screen.content.decode()
    assert letter.number in screen and f"/documents/{letter.pk}/" in screen
    for secret in secrets_of(complaint):
        assert secret not in screen


def test_the_office_reads_the_letter_before_it_is_issued(complaint):
    """The transfer's screen offers a preview of the transfer letter: the very text the
    handler would write, nothing kept (no number taken, no document, no state change)."""
    task = workflow.open_task(complaint)
    url = task.flow_task.reverse("execute", args=[task.process_id, task.pk])
    office = web_as("complaints")
    assert 'data-testid="preview"' in office.get(url + "?action=transfer").content.decode()
    response = office.post(
        url + "?action=transfer", {"action": "transfer", "organ": "education", "preview": "1"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    start = page.index('data-testid="document-preview"')
    draft = page[start : page.index("</section>", start)]
    assert 'data-testid="preview-document"' in draft
    assert f"关于转办投诉第{complaint.pk}号的函" in draft and "南充市教育局" in draft
    for secret in secrets_of(complaint):
        assert secret not in draft
    assert not Document.objects.exists()
    complaint.refresh_from_db()
    assert complaint.state == "accepted" and complaint.transfer_letter is None
    # Taken for real, it takes the first number of the year.
    letter = transferred(complaint).transfer_letter
    assert letter.seq == 1
