"""Who may have a document's PDF (the rule of the procedure that issued it, asked, not
rewritten; anyone else 404, as for the document itself), and corrections: appended by the
issuing office as numbered amendments with their own PDF, the original untouched — on the
page and through the API."""

import re

import pytest

from casework.documents.models import Amendment, DocType, DocumentFile

from .pdfcheck import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(client, people):
    def _login(username):
        client.force_login(people[username])
        return client

    return _login


def flat(pdf: bytes) -> str:
    return re.sub(r"\s+", "", text(pdf))


# --- who may have the PDF ----------------------------------------------------------------


@pytest.mark.parametrize(
    "username, status",
    [
        ("secretariat", 200),
        ("mayor", 200),
        ("investigator", 200),
        ("legal", 200),
        ("head_education", 200),  # the official concerned (Liupanshui art. 12)
        ("head_transport", 404),
        ("staff_education", 404),
        ("complaints", 404),
    ],
)
def test_the_pdf_of_a_case_document_is_answered_to_whoever_may_see_the_case(
    issue, login_api, username, status
):
    document = issue(DocType.DECISION)
    response = login_api(username).get(f"/api/v1/documents/{document.pk}/pdf")
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert document.number in flat(b"".join(response))
    else:
        assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    "username, status",
    [
        ("investigator", 200),
        ("supervision_leader", 200),
        ("secretariat", 200),
        ("head_education", 200),  # the warned unit
        ("staff_education", 200),
        ("head_transport", 404),
        ("legal", 404),
    ],
)
def test_the_pdf_of_an_admonition_letter_follows_who_may_see_the_letter(
    issue, login_api, username, status
):
    document = issue(DocType.ADMONITION_LETTER)
    assert login_api(username).get(f"/api/v1/documents/{document.pk}/pdf").status_code == status
    assert login_api(username).get(f"/documents/{document.pk}/pdf").status_code in (
        status,
        302,
        403,
    )


def test_a_document_that_does_not_exist_and_one_not_seen_answer_alike(issue, login_api, client):
    document = issue(DocType.DECISION)
    missing = login_api("head_transport").get(f"/api/v1/documents/{document.pk + 999}/pdf")
    hidden = login_api("head_transport").get(f"/api/v1/documents/{document.pk}/pdf")
    assert missing.status_code == hidden.status_code == 404
    assert missing.json() == hidden.json()
    assert client.get(f"/api/v1/documents/{document.pk}/pdf").status_code in (401, 403)


def test_every_document_object_carries_its_pdf_url(issue, login_api, case, people):
    from casework.deadlines.models import AdmonitionLetter

    document = issue(DocType.NOTICE_OF_START)
    api = login_api("secretariat")
    body = api.get(f"/api/v1/accountability-cases/{case.pk}").json()
    [listed] = [d for d in body["documents"] if d["id"] == document.pk]
    assert listed["pdf_url"] == f"/api/v1/documents/{document.pk}/pdf"
    assert api.get(listed["pdf_url"])["Content-Type"] == "application/pdf"
    assert api.get(f"/api/v1/documents/{document.pk}").json()["pdf_url"] == listed["pdf_url"]

    letter_document = issue(DocType.ADMONITION_LETTER)
    letter = AdmonitionLetter.objects.get(document=letter_document)
    letters = login_api("investigator").get("/api/v1/admonition-letters").json()["results"]
    [row] = [r for r in letters if r["id"] == letter.pk]
    assert row["pdf_url"] == f"/api/v1/documents/{letter_document.pk}/pdf"


def test_the_page_of_a_document_is_the_pdf_in_html_and_lists_its_files(issue, web):
    document = issue(DocType.DECISION)
    page = web("head_education").get(f"/documents/{document.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "二〇二六年十二月一日" in body and "南充市人民政府文件" in body
    assert "关于对南充市教育局局长刘建华予以问责的决定" in body
    assert f'href="/documents/{document.pk}/pdf"' in body
    assert 'data-testid="amend-form"' not in body  # the official does not correct it
    assert web("head_transport").get(f"/documents/{document.pk}/").status_code == 404
    assert web("head_transport").get(f"/documents/{document.pk}/pdf").status_code == 404
    # The case's page keeps its address for the same page.
    assert web("secretariat").get(f"/accountability/documents/{document.pk}/").status_code == 200


def test_a_document_page_stays_chinese_when_the_reader_reads_english(issue, web):
    document = issue(DocType.DECISION)
    client = web("secretariat")
    client.cookies["django_language"] = "en"
    body = client.get(f"/documents/{document.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    article = body[body.index('data-testid="document"') :]
    assert "南充市人民政府文件" in article and "抄送" in article and "印发" in article


# --- corrections -------------------------------------------------------------------------


def test_the_issuing_office_appends_a_numbered_correction_on_the_page(issue, web):
    document = issue(DocType.DECISION)
    original = (document.body, document.title, document.number)
    client = web("secretariat")
    response = client.post(
        f"/documents/{document.pk}/amend/",
        {"text": "第二段“第十三条”更正为“第十三条第一款”。", "reason": "引用条款笔误", "basis": ""},
    )
    assert response.status_code == 302
    client.post(
        f"/documents/{document.pk}/amend/",
        {"text": "主送机关更正为南充市教育局。", "reason": "笔误", "basis": "第十三条"},
    )
    document.refresh_from_db()
    assert (document.body, document.title, document.number) == original
    first, second = Amendment.objects.filter(document=document).order_by("id")
    assert (first.ordinal, second.ordinal) == (1, 2)

    body = client.get(f"/documents/{document.pk}/").content.decode()
    files = body[body.index('data-testid="document-files"') :]
    assert f'href="/documents/{document.pk}/pdf"' in files
    assert f'href="/documents/{document.pk}/amendments/1/pdf"' in files
    assert f'href="/documents/{document.pk}/amendments/2/pdf"' in files

    pdf = b"".join(client.get(f"/documents/{document.pk}/amendments/2/pdf"))
    words = flat(pdf)
    assert f"{document.number}补正第2号" in words
    assert "主送机关更正为南充市教育局。" in words and "补正理由：笔误" in words
    assert "原文书不作改动" in words
    original_pdf = flat(b"".join(client.get(f"/documents/{document.pk}/pdf")))
    assert "主送机关更正为" not in original_pdf
    # Each PDF is stored when first rendered: here the original and the second amendment.
    assert DocumentFile.objects.filter(document=document).count() == 2
    assert client.get(f"/documents/{document.pk}/amendments/1/pdf").status_code == 200
    assert DocumentFile.objects.filter(document=document).count() == 3
    assert client.get(f"/documents/{document.pk}/amendments/3/pdf").status_code == 404


@pytest.mark.parametrize(
    "doc_type, username",
    [
        (DocType.DECISION, "investigator"),  # the government's document: its office corrects
        (DocType.DECISION, "head_education"),
        (DocType.FINDINGS_NOTICE, "secretariat"),  # the bureau's document: the bureau corrects
        (DocType.ADMONITION_LETTER, "head_education"),
    ],
)
def test_no_one_but_the_issuing_office_corrects_a_document(issue, web, doc_type, username):
    document = issue(doc_type)
    response = web(username).post(
        f"/documents/{document.pk}/amend/", {"text": "更正", "reason": "笔误"}
    )
    assert response.status_code == 403
    assert not Amendment.objects.filter(document=document).exists()


def test_a_correction_without_its_text_or_reason_is_refused_on_the_page(issue, web):
    document = issue(DocType.FINDINGS_NOTICE)
    response = web("investigator").post(
        f"/documents/{document.pk}/amend/", {"text": "  ", "reason": "笔误"}
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Amendment.objects.filter(document=document).exists()


def test_a_correction_through_the_api(issue, login_api):
    document = issue(DocType.ADMONITION_LETTER)
    api = login_api("investigator")
    response = api.post(
        f"/api/v1/documents/{document.pk}/amendments",
        {"text": "整改报告期限更正。", "reason": "计算错误", "basis": "新乡预警纠错办法第九条"},
        format="json",
    )
    assert response.status_code == 201, response.content
    [amendment] = response.json()["amendments"]
    assert amendment["number"] == 1
    assert amendment["pdf_url"] == f"/api/v1/documents/{document.pk}/amendments/1/pdf"
    pdf = api.get(amendment["pdf_url"])
    assert pdf["Content-Type"] == "application/pdf"
    assert "整改报告期限更正。" in flat(b"".join(pdf))

    refused = login_api("head_education").post(
        f"/api/v1/documents/{document.pk}/amendments",
        {"text": "更正", "reason": "笔误"},
        format="json",
    )
    assert refused.status_code == 403
    invalid = api.post(
        f"/api/v1/documents/{document.pk}/amendments", {"text": "", "reason": ""}, format="json"
    )
    assert invalid.status_code == 400
    assert set(invalid.json()["fields"]) == {"text", "reason"}
    mistyped = api.post(
        f"/api/v1/documents/{document.pk}/amendments", {"text": 5, "reason": "笔误"}, format="json"
    )
    assert mistyped.status_code == 400 and set(mistyped.json()["fields"]) == {"text"}
    hidden = login_api("head_transport").post(
        f"/api/v1/documents/{document.pk}/amendments",
        {"text": "更正", "reason": "笔误"},
        format="json",
    )
    assert hidden.status_code == 404
    assert Amendment.objects.filter(document=document).count() == 1
