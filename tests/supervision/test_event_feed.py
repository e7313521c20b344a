"""Supervision matters in the data interface's event feed: their steps and their documents
(the assignment card) are read under the scope ``events:supervision`` and no other."""

import pytest

from casework.documents.models import DocType
from casework.interface.models import Scope
from tests.interface.readers import events, reader

pytestmark = pytest.mark.django_db


def test_an_approved_matter_and_its_card_are_read_under_the_supervision_scope(assigned):
    matter = assigned()
    seen = events(reader(Scope.EVENTS_SUPERVISION, name="市委督查系统"))
    assert {row["topic"] for row in seen} == {"supervision"}
    assert "approve" in [row["data"].get("step") for row in seen]
    cards = [row["data"] for row in seen if row["type"] == "document"]
    assert [card["type"] for card in cards] == [DocType.SUPERVISION_CARD]
    assert cards[0]["number"] == matter.card.number
    others = events(reader(Scope.EVENTS_ACCOUNTABILITY, Scope.EVENTS_WARNINGS, name="其他系统"))
    assert "supervision" not in {row["topic"] for row in others}
