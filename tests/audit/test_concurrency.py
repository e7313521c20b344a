"""Writers at the same moment on PostgreSQL: acts on different cases, documents issued, the
identity viewed, all at once — the chain stays one line, numbered without gaps, and verifies.
(SQLite serialises whole transactions: nothing to prove there.)"""

import datetime

import pytest
from django.db import connection

from casework.accountability import services
from casework.accountability.models import AccountabilityCase
from casework.audit import chain
from casework.audit.models import AuditEntry
from casework.documents import services as documents
from casework.documents.models import DocType
from casework.org.models import User
from tests.accountability.test_concurrency import race, register

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL"
    ),
]


@pytest.fixture
def people(reference_data):
    from casework.org.demo import load_demo_people

    load_demo_people()
    return {user.username: user for user in User.objects.all()}


def test_simultaneous_writers_keep_one_chain(people):
    cases = [register(people) for _ in range(4)]

    def start(case_pk):
        def call():
            case = AccountabilityCase.objects.get(pk=case_pk)
            return services.transition(case, "start", User.objects.get(username="mayor"), {})

        return call

    def issue():
        return documents.issue(
            case=None,
            doc_type=DocType.REVIEW_DECISION,
            title="复核决定书",
            body="正文",
            addressee="南充市教育局",
            issued_on=datetime.date(2026, 3, 2),
            issued_by=User.objects.get(username="mayor"),
        )

    before = AuditEntry.objects.count()
    outcomes = race(*[start(case.pk) for case in cases], *[issue] * 4)
    assert all(error is None for _result, error in outcomes), outcomes
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1)) and len(seqs) > before
    report = chain.verify()
    assert report.ok, report.problems
