"""Xinxiang performance art. 8–10: each month every department's score from its records —
score, deduction, bonus — every point traceable to the records that produced it."""

import datetime
from decimal import Decimal

from casework.evaluation.handlers import department_total
from casework.evaluation.models import Line, ScoringItem, Source
from casework.evaluation.scoring import amount
from casework.org.models import Department

D = datetime.date


def lines_of(evaluation, code):
    return {
        line.item.code: line
        for line in evaluation.current_lines().filter(department__code=code).select_related("item")
    }


def test_the_education_bureau_scores_exactly_from_its_november_records(computed):
    lines = lines_of(computed, "education")
    got = {code: (line.events, line.amount) for code, line in lines.items()}
    assert got == {
        "timeliness": (4, Decimal("30.00")),  # 60 × 2 met of 4 due
        "satisfaction": (2, Decimal("20.00")),  # 40 × (1 + 0) / 2
        "yellow_card": (2, Decimal("-4.00")),
        "red_card": (1, Decimal("-5.00")),
        "complaint_upheld": (1, Decimal("-3.00")),  # the unfounded one counts nothing
        "repeat_complaint": (1, Decimal("-2.00")),
        "accountability": (0, Decimal("0.00")),
        "supervision_late": (0, Decimal("0.00")),  # no supervision matter in November
        "deadline_met": (2, Decimal("1.00")),
    }
    assert department_total(computed, lines["timeliness"].department_id) == Decimal("37.00")


def test_a_department_without_records_keeps_the_full_scores(computed):
    transport = Department.objects.get(code="transport")
    assert department_total(computed, transport.pk) == Decimal("100.00")
    assert computed.current_lines().filter(department=transport).count() == 9


def test_every_point_is_traced_to_the_records_behind_it(computed, november):
    lines = lines_of(computed, "education")
    deadlines = november["deadlines"]
    timeliness = {(e.source, e.source_id): e.value for e in lines["timeliness"].evidence.all()}
    assert timeliness == {
        (Source.DEADLINE, deadlines["met"].pk): Decimal("1.00"),
        (Source.DEADLINE, deadlines["late"].pk): Decimal("0.00"),
        (Source.DEADLINE, deadlines["open"].pk): Decimal("0.00"),
        (Source.DEADLINE, deadlines["on_the_day"].pk): Decimal("1.00"),
    }
    yellow = [(e.source, e.source_id) for e in lines["yellow_card"].evidence.all()]
    assert yellow == [
        (Source.WARNING, november["cards"][0].pk),
        (Source.WARNING, november["cards"][1].pk),
    ]
    upheld = lines["complaint_upheld"].evidence.get()
    assert (upheld.source, upheld.source_id) == (Source.COMPLAINT, november["upheld"].pk)
    assert "追究过错责任" in upheld.label
    repeat = lines["repeat_complaint"].evidence.get()
    assert repeat.source_id == november["repeat"].pk
    ratings = sorted(e.value for e in lines["satisfaction"].evidence.all())
    assert ratings == [Decimal("0.00"), Decimal("1.00")]
    # No identity in the evidence (Xinxiang complaints art. 8).
    assert not any("王" in e.label for line in lines.values() for e in line.evidence.all())


def test_the_caps_and_weights_of_the_scheme_apply():
    item = ScoringItem(
        method="deduction", points=Decimal("2"), cap=Decimal("5"), weight=Decimal("1.5")
    )
    events = [type("E", (), {"value": Decimal("1")})()] * 4
    assert amount(item, events) == Decimal("-7.50")  # 8 capped at 5, × 1.5
    bonus = ScoringItem(method="bonus", points=Decimal("0.5"), cap=None, weight=Decimal("1"))
    assert amount(bonus, events) == Decimal("2.00")
    score = ScoringItem(method="score", points=Decimal("40"), cap=None, weight=Decimal("1"))
    assert amount(score, []) == Decimal("40.00")


def test_a_recomputed_draft_keeps_the_earlier_run_and_the_scheme_as_it_was(computed, people, today):
    from casework.evaluation import services

    item = ScoringItem.objects.get(code="yellow_card")
    services.edit_item(item, people["investigator"], {"points": "3"}, reason="加大黄牌扣分")
    first = lines_of(computed, "education")["yellow_card"]
    services.transition(computed, "recompute", people["investigator"])
    computed.refresh_from_db()
    assert computed.run == 2
    second = lines_of(computed, "education")["yellow_card"]
    assert (first.amount, second.amount) == (Decimal("-4.00"), Decimal("-6.00"))
    assert Line.objects.filter(pk=first.pk, run=1).exists()
    assert item.history.first().history_change_reason == "加大黄牌扣分"
