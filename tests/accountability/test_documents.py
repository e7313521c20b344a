"""Numbered documents (docs/accountability.md): numbered per type per year, immutable once
issued, corrected only by appended amendments (CBRC art. 37)."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from casework.documents import services as documents
from casework.documents.models import Amendment, DocType, Document, ImmutableDocumentError

pytestmark = pytest.mark.django_db

D = datetime.date
MARCH_2 = D(2026, 3, 2)


@pytest.fixture
def issue(people):
    def _issue(doc_type=DocType.DECISION, on=MARCH_2, body="正文", case=None):
        return documents.issue(
            case=case,
            doc_type=doc_type,
            title="问责决定书",
            body=body,
            addressee="南充市教育局 刘建华",
            issued_on=on,
            issued_by=people["mayor"],
            reason="签发",
        )

    return _issue


def decided(register, act, on):
    case = register(on=on)
    case = act(case, "start", "mayor", on=on)
    case = act(case, "submit_to_meeting", "mayor", on=on, reason="事实清楚")
    case = act(case, "schedule", "secretariat", on=on, meeting_date=on)
    case = act(case, "deliberate", "secretariat", on=on, minutes="纪要")
    return act(case, "decide", "mayor", on=on, modes=["3"], reason="情节较重")


# --- numbering ------------------------------------------------------------------------------


def test_decisions_of_two_cases_are_numbered_one_and_two(register, act):
    first = decided(register, act, D(2026, 3, 2))
    second = decided(register, act, D(2026, 3, 3))
    assert first.decision.document.number == "南府问〔2026〕1号"
    assert second.decision.document.number == "南府问〔2026〕2号"
    assert (first.decision.document.year, first.decision.document.seq) == (2026, 1)
    # Each type has its own sequence: each case has notice of start number 1 and 2.
    starts = Document.objects.filter(doc_type=DocType.NOTICE_OF_START).order_by("seq")
    assert [d.number for d in starts] == ["南府问启〔2026〕1号", "南府问启〔2026〕2号"]
    # Case numbers too.
    assert (first.number, second.number) == ("南府问案〔2026〕1号", "南府问案〔2026〕2号")


def test_numbering_is_per_type_per_year(issue):
    assert issue().number == "南府问〔2026〕1号"
    assert issue().number == "南府问〔2026〕2号"
    assert issue(DocType.REVIEW_DECISION).number == "南府复〔2026〕1号"
    assert issue(DocType.FINDINGS_NOTICE).number == "南监问告〔2026〕1号"
    # A new year restarts at 1, and the old year's sequence goes on where it was.
    assert issue(on=D(2027, 1, 4)).number == "南府问〔2027〕1号"
    assert issue(on=D(2026, 12, 31)).number == "南府问〔2026〕3号"
    assert issue(on=D(2027, 1, 5)).number == "南府问〔2027〕2号"
    # The year of a document is the year of its issue, not of the case's registration.
    assert issue(on=D(2025, 12, 31)).year == 2025


def test_every_document_type_has_a_prefix(issue):
    numbers = {issue(doc_type).number for doc_type in DocType.values}
    assert len(numbers) == len(DocType.values)
    assert all(number.endswith("〔2026〕1号") for number in numbers)


def test_the_database_refuses_a_duplicate_number(issue, people):
    document = issue()
    duplicate = Document(
        doc_type=document.doc_type,
        year=document.year,
        seq=document.seq,
        number=document.number + "（重复）",
        title="重复",
        body="x",
        issued_on=document.issued_on,
        issued_by=people["mayor"],
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


# --- immutability ---------------------------------------------------------------------------


def test_an_issued_document_cannot_be_saved_again(issue):
    document = issue(body="原文")
    document.body = "改过的正文"
    with pytest.raises(ImmutableDocumentError):
        document.save()
    fresh = Document.objects.get(pk=document.pk)
    with pytest.raises(ImmutableDocumentError):
        fresh.save(update_fields=["title"])
    assert Document.objects.get(pk=document.pk).body == "原文"
    assert document.history.count() == 1


def test_an_issued_document_cannot_be_deleted(issue):
    document = issue()
    with pytest.raises(ImmutableDocumentError):
        document.delete()
    assert Document.objects.filter(pk=document.pk).exists()


def test_a_document_of_a_case_is_protected_by_the_case(register, act):
    case = decided(register, act, D(2026, 3, 2))
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError), transaction.atomic():
        case.delete()
    assert case.documents.count() == 2


def test_bulk_updates_cannot_change_an_issued_document(issue):
    document = issue(body="原文")
    with pytest.raises(ImmutableDocumentError):
        Document.objects.filter(pk=document.pk).update(body="改过的正文")


# --- amendments -----------------------------------------------------------------------------


def test_amendments_are_appended_and_never_change_the_original(issue, people):
    document = issue(body="原文：情节较重")
    original = Document.objects.values().get(pk=document.pk)
    first = documents.amend(
        document,
        text="“情节较重”更正为“情节严重”",
        reason="笔误",
        basis="南充办法第十二条",
        actor=people["secretariat"],
    )
    second = documents.amend(
        document, text="补正主送单位", reason="遗漏", basis="", actor=people["mayor"]
    )
    assert list(document.amendments.all()) == [first, second]
    assert (first.reason, first.basis, first.created_by) == (
        "笔误",
        "南充办法第十二条",
        people["secretariat"],
    )
    assert first.history.get().history_user == people["secretariat"]
    assert first.history.get().history_change_reason == "笔误"
    # The original is untouched: every column, and no new history row.
    assert Document.objects.values().get(pk=document.pk) == original
    assert document.history.count() == 1
    # An amendment is itself immutable.
    first.text = "再改"
    with pytest.raises(ImmutableDocumentError):
        first.save()
    assert Amendment.objects.get(pk=first.pk).text == "“情节较重”更正为“情节严重”"


def test_an_amended_document_cannot_be_deleted(issue, people):
    document = issue()
    documents.amend(document, text="补正", reason="笔误", basis="", actor=people["mayor"])
    with pytest.raises(ImmutableDocumentError):
        document.delete()
