"""The monthly evaluation in the data interface's event feed: its steps and its bulletin are
read under the scope ``events:evaluation`` — and by no other scope (a client reading the
warnings is not told of the bulletin)."""

import pytest

from casework.accountability.documents import FORMATS as CASE_DOCUMENTS
from casework.documents.formats import registered
from casework.documents.models import DocType
from casework.interface.models import Scope, Topic
from tests.interface.readers import events, reader

pytestmark = pytest.mark.django_db


def test_the_published_month_and_its_bulletin_are_read_under_the_evaluation_scope(published):
    seen = events(reader(Scope.EVENTS_EVALUATION, name="市委组织部考核系统"))
    assert {row["topic"] for row in seen} == {"evaluation"}
    steps = [row["data"].get("step") for row in seen if row["type"] == "state_change"]
    assert steps[-2:] == ["review", "publish"]
    bulletins = [row["data"] for row in seen if row["type"] == "document"]
    assert [b["type"] for b in bulletins] == [DocType.EVALUATION_BULLETIN]
    assert bulletins[0]["number"] == published.bulletin.number
    warnings = events(reader(Scope.EVENTS_WARNINGS, name="预警系统"))
    assert all(row["topic"] == "warnings" for row in warnings)
    assert DocType.EVALUATION_BULLETIN not in {row["data"].get("type") for row in warnings}


def test_every_document_type_is_published_under_a_topic():
    """A case's documents under accountability; every other type names its topic (a new
    type without one would silently stay out of the feed)."""
    caseless = {
        doc_type
        for doc_type, format_ in registered().items()
        if doc_type not in CASE_DOCUMENTS and format_.procedure in Topic.values
    }
    assert set(DocType.values) == set(CASE_DOCUMENTS) | caseless
