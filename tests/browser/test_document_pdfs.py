"""Every document type in the browser: the print page drawn from the PDF's own template, its
PDF downloaded by the person who may see it, the first page of each PDF saved as a PNG
(pdftoppm) under var/test-artefacts/documents/ for a person to look at; the secretariat
appends a correction and finds it numbered beside the untouched original."""

import re
import subprocess
from pathlib import Path

import pytest

from casework.documents.models import DocType
from casework.org.models import User
from tests.documents.samples import issue_document, register_case

from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTEFACTS = Path("var/test-artefacts/documents")


def test_every_document_type_prints_and_downloads_as_a_pdf(page):
    people = {user.username: user for user in User.objects.all()}
    case = register_case(people)
    documents = {t: issue_document(case, people, t) for t in DocType.values}
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    # The secretariat sees every case document; a bulletin not tied to a month is the
    # supervision bureau's alone; a complaint's letters the complaints office's (the
    # feedback letter is addressed to the complainant: the office's alone).
    readers = {
        DocType.EVALUATION_BULLETIN: "investigator",
        DocType.COMPLAINT_TRANSFER_LETTER: "complaints",
        DocType.COMPLAINT_FEEDBACK_LETTER: "complaints",
        # A supervision document tied to no matter is the supervision office's alone.
        DocType.SUPERVISION_CARD: "supervision_office",
        DocType.SUPERVISION_LETTER: "supervision_office",
        DocType.SUPERVISION_CRITICISM: "supervision_office",
    }
    reader = None
    for doc_type, document in documents.items():
        wanted = readers.get(doc_type, "secretariat")
        if reader != wanted:
            log_in(page, wanted)
            reader = wanted
        page.goto(f"{page.base_url}/accountability/documents/{document.pk}/")
        article = page.locator("[data-testid=document]")
        assert page.locator("[data-testid=document-number]").inner_text() == document.number
        assert "〇" in page.locator("[data-testid=document-date]").inner_text()
        assert article.locator(".gw-organ-mark").evaluate("e => getComputedStyle(e).color") in (
            "rgb(230, 0, 18)",
        )
        response = page.request.get(f"{page.base_url}/documents/{document.pk}/pdf")
        assert response.status == 200 and response.headers["content-type"] == "application/pdf"
        pdf = ARTEFACTS / f"{doc_type}.pdf"
        pdf.write_bytes(response.body())
        subprocess.run(
            [
                "pdftoppm",
                "-f",
                "1",
                "-l",
                "1",
                "-r",
                "60",
                "-png",
                "-singlefile",
                pdf,
                ARTEFACTS / doc_type,
            ],
            check=True,
        )
        assert (ARTEFACTS / f"{doc_type}.png").stat().st_size > 5_000
    log_in(page, "secretariat")
    page.goto(f"{page.base_url}/accountability/documents/{documents[DocType.DECISION].pk}/")
    page.screenshot(path=str(ARTEFACTS / "decision-page.png"), full_page=True)

    # An official of another department is told nothing.
    log_in(page, "head_transport")
    decision = documents[DocType.DECISION]
    assert page.goto(f"{page.base_url}/accountability/documents/{decision.pk}/").status == 404
    assert page.request.get(f"{page.base_url}/documents/{decision.pk}/pdf").status == 404

    # The organ a complaint was transferred to reads its transfer letter, never the letter
    # to a complainant (Xinxiang complaints art. 8).
    log_in(page, "staff_education")
    transfer = documents[DocType.COMPLAINT_TRANSFER_LETTER]
    feedback = documents[DocType.COMPLAINT_FEEDBACK_LETTER]
    assert page.goto(f"{page.base_url}/documents/{transfer.pk}/").status == 200
    assert page.request.get(f"{page.base_url}/documents/{transfer.pk}/pdf").status == 200
    assert page.goto(f"{page.base_url}/documents/{feedback.pk}/").status == 404
    assert page.request.get(f"{page.base_url}/documents/{feedback.pk}/pdf").status == 404


def test_the_secretariat_appends_a_correction_beside_the_original(page):
    people = {user.username: user for user in User.objects.all()}
    document = issue_document(register_case(people), people, DocType.DECISION)
    log_in(page, "secretariat")
    page.goto(f"{page.base_url}/accountability/{document.case_id}/")
    page.locator("[data-testid=documents] a", has_text=document.number).click()
    page.wait_for_url(f"**/documents/{document.pk}/")
    page.fill("#amend-text", "问责方式（1）更正为（2）。")
    page.fill("#amend-reason", "笔误")
    page.click("[data-testid=amend-form] button[type=submit]")
    page.wait_for_url(f"**/documents/{document.pk}/")
    amendments = page.locator("[data-testid=amendments]").inner_text()
    assert "补正第1号" in amendments and "问责方式（1）更正为（2）。" in amendments
    files = page.locator("[data-testid=document-files]").inner_text()
    assert f"{document.number}.pdf" in files and re.search(r"补正第1号\.pdf", files)
    article = page.locator("[data-testid=document]").inner_text()
    assert "更正为" not in article  # the original, as issued
    response = page.request.get(f"{page.base_url}/documents/{document.pk}/amendments/1/pdf")
    assert response.status == 200
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    (ARTEFACTS / "decision-amendment-1.pdf").write_bytes(response.body())
