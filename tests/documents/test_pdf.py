"""Every document casework issues, as an official document (公文) following GB/T 9704-2012:
A4, the standard margins (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm), the fonts
embedded, the number (〔2026〕N号) and the date in Chinese numerals in the text, page numbers
"— 1 —" below the type area; stored once, sealed in the audit chain, never replaced."""

import hashlib
import re

import pytest

from casework.audit.models import AuditEntry
from casework.documents import formats, rendering, tasks
from casework.documents.models import DocType, DocumentFile, ImmutableDocumentError

from .pdfcheck import A4, MM, fonts, pages, text, words
from .samples import COMPLAINT_LETTERS, ISSUED_ON

pytestmark = pytest.mark.django_db

EVERY_TYPE = list(DocType.values)
DAY_OF_THE_ACT = {DocType.ADMONITION_LETTER, *COMPLAINT_LETTERS}


def test_every_document_type_declares_its_official_format():
    assert set(formats.registered()) == set(DocType.values)


@pytest.mark.parametrize(
    "day, words_",
    [
        ("2026-12-01", "二〇二六年十二月一日"),
        ("2026-01-10", "二〇二六年一月十日"),
        ("2027-02-11", "二〇二七年二月十一日"),
        ("2026-10-20", "二〇二六年十月二十日"),
        ("2030-03-31", "二〇三〇年三月三十一日"),
        ("2004-11-29", "二〇〇四年十一月二十九日"),
    ],
)
def test_the_date_of_a_document_is_written_in_chinese_numerals(day, words_):
    import datetime

    assert formats.chinese_date(datetime.date.fromisoformat(day)) == words_


@pytest.mark.parametrize("doc_type", EVERY_TYPE)
def test_every_document_type_renders_as_an_a4_official_document(issue, doc_type):
    document = issue(doc_type)
    pdf, page_count = rendering.render_pdf(document)

    assert pdf.startswith(b"%PDF-")
    sizes = pages(pdf)
    assert len(sizes) == page_count >= 1
    for x0, y0, x1, y1 in sizes:
        assert (x0, y0) == (0, 0)
        assert x1 == pytest.approx(A4[0], abs=1) and y1 == pytest.approx(A4[1], abs=1)

    embedded = fonts(pdf)
    assert embedded and all(embedded.values()), embedded
    assert any("NotoSerifCJK" in name.replace("-", "") for name in embedded), embedded

    content = text(pdf)
    flat = re.sub(r"\s+", "", content)
    assert re.search(r"〔2026〕\d+号", document.number)
    assert document.number in flat
    # The scan's letters and the complaint's letters are issued today, the rest on ISSUED_ON.
    day = document.issued_on
    assert day == ISSUED_ON or doc_type in DAY_OF_THE_ACT
    assert formats.chinese_date(day) in flat
    assert formats.heading_of(document).replace(" ", "") in flat
    assert f"{document.addressee}".replace(" ", "") in flat
    format_ = formats.format_of(doc_type)
    assert ("抄送" in flat) == bool(format_.copy_to)
    assert f"{format_.printed_by}{document.issued_on:%Y}年" in flat and "印发" in flat
    assert re.search(r"—\s*1\s*—", content)

    # The margins: every word of the text inside the type area (within the standard's
    # tolerance of 1 mm, which also covers the glyph boxes), the page numbers in the bottom
    # margin, 7 mm below the type area.
    placed = words(pdf)
    numbers = [w for w in placed if re.fullmatch(r"—|\d+", w.text) and w.y0 > A4[1] - 35 * MM]
    body = [w for w in placed if w not in numbers]
    assert body
    assert min(w.x0 for w in body) >= 28 * MM - MM
    assert max(w.x1 for w in body) <= A4[0] - 26 * MM + MM
    assert min(w.y0 for w in body) >= 37 * MM - MM
    assert max(w.y1 for w in body) <= A4[1] - 35 * MM + MM
    assert numbers and all(w.y0 >= A4[1] - 35 * MM + 6 * MM for w in numbers)
    # The organ's mark, first on the first page, 35 mm below the top of the type area (its
    # glyph box rises above its line by up to half a millimetre).
    mark = next(w for w in placed if w.page == 1)
    assert str(formats.format_of(doc_type).organ_mark).startswith(mark.text[:2])
    assert (37 + 35) * MM - 1.5 * MM <= mark.y0 <= (37 + 35 + 2) * MM


def test_the_pdf_is_stored_once_with_its_hash_sealed_in_the_audit_chain(issue):
    document = issue(DocType.DECISION)
    file = rendering.stored_file(document)
    assert file.sha256 == hashlib.sha256(bytes(file.content)).hexdigest()
    assert file.size == len(bytes(file.content)) and file.pages >= 1
    assert rendering.stored_file(document).pk == file.pk  # never rendered again
    assert AuditEntry.objects.filter(
        table_name=DocumentFile._meta.db_table, row_id=str(file.pk)
    ).exists()
    file.render_ms += 1
    with pytest.raises(ImmutableDocumentError):
        file.save()
    with pytest.raises(ImmutableDocumentError):
        DocumentFile.objects.filter(pk=file.pk).update(size=1)
    with pytest.raises(ImmutableDocumentError):
        file.delete()


def test_issuing_a_document_queues_its_pdf_once_the_act_commits(
    issue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = issue(DocType.FINDINGS_NOTICE)
    file = DocumentFile.objects.get(document=document, amendment=None)
    assert formats.chinese_date(ISSUED_ON) in re.sub(r"\s+", "", text(bytes(file.content)))


def test_a_renderer_that_fails_loses_nothing(issue, monkeypatch, caplog):
    """The document is issued whatever happens to its PDF; the task tries again later, and a
    download renders it then."""
    document = issue(DocType.DECISION)

    def broken(*args, **kwargs):
        raise OSError("no fonts")

    monkeypatch.setattr(rendering, "render_pdf", broken)
    result = tasks.render_document.call(document.pk)
    assert result == {"rendered": False, "attempt": 1}
    assert not DocumentFile.objects.filter(document=document).exists()
    document.refresh_from_db()
    assert document.number
    monkeypatch.undo()
    assert tasks.render_document.call(document.pk)["rendered"] is True


def test_documents_stay_chinese_whatever_the_language_of_the_reader(issue):
    from django.utils import translation

    document = issue(DocType.DECISION)
    with translation.override("en"):
        html = rendering.render_html(document)
    assert "南充市人民政府文件" in html and "抄送" in html and "印发" in html
    assert 'lang="zh-Hans"' in html
