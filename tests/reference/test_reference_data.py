"""The reference data of the law, as ``load_reference`` puts it in every database."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from casework.accountability.models import Ground, Mode, Source
from casework.complaints.models import ComplaintCategory, ComplaintOutcome
from casework.org.models import Department

REFERENCE_DIR = Path(settings.BASE_DIR) / "fixtures" / "reference"

# Nanchong art. 4: every numbered item; (六) and (七) have none.
GROUND_CODES = [
    "4.1.1",
    "4.1.2",
    "4.2.1",
    "4.2.2",
    "4.2.3",
    "4.3.1",
    "4.3.2",
    "4.3.3",
    "4.4.1",
    "4.4.2",
    "4.4.3",
    "4.4.4",
    "4.4.5",
    "4.5.1",
    "4.5.2",
    "4.5.3",
    "4.5.4",
    "4.6",
    "4.7",
]
SOURCE_CODES = [
    "mayor",
    "npc_cppcc",
    "judicial",
    "legal_affairs",
    "supervision",
    "audit",
    "assessment",
    "vice_mayor",
    # Nanchong art. 20: a department head holds a member of his department to account.
    "department_head",
]
CATEGORY_CODES = [
    "nonperformance",
    "unlawful_act",
    "nondisclosure",
    "fees",
    "bribery",
    "attitude",
    "damage",
    "unilateral",
    "other",
]
OUTCOME_CODES = [
    "open_case",
    "fault_liability",
    "supervision_decision",
    "special_report",
    "unfounded",
]
REFERENCE_MODELS = [Ground, Source, Mode, ComplaintCategory, ComplaintOutcome, Department]


@pytest.mark.django_db
def test_grounds_are_the_items_of_article_4():
    grounds = list(Ground.objects.all())
    assert [g.code for g in grounds] == GROUND_CODES
    for ground in grounds:
        parts = ground.code.split(".")
        assert ground.category == int(parts[1])
        assert ground.item == (int(parts[2]) if len(parts) == 3 else None)
        assert ground.article.startswith("第四条第（")
        assert ground.name and ground.active
    assert Ground.objects.get(code="4.1.1").article == "第四条第（一）项第1目"
    assert Ground.objects.get(code="4.5.4").article == "第四条第（五）项第4目"
    assert Ground.objects.get(code="4.7").article == "第四条第（七）项"


@pytest.mark.django_db
def test_sources_are_those_of_article_5_and_20():
    assert list(Source.objects.values_list("code", flat=True)) == SOURCE_CODES
    assert Source.objects.get(code="judicial").article == "第五条第（二）项"


@pytest.mark.django_db
def test_modes_follow_article_13_and_6_7_require_filing():
    modes = list(Mode.objects.all())
    assert [m.code for m in modes] == ["1", "2", "3", "4", "5", "6", "7"]
    assert [m.code for m in modes if m.requires_filing] == ["6", "7"]
    assert [m.code for m in modes if m.has_deadline] == ["2"]
    assert modes[1].name == "限期整改"
    assert modes[6].name == "引咎辞职"
    assert modes[0].article == "第十三条第（一）项"


@pytest.mark.django_db
def test_complaint_categories_and_outcomes():
    assert list(ComplaintCategory.objects.values_list("code", flat=True)) == CATEGORY_CODES
    assert ComplaintCategory.objects.get(code="other").article == "第四条第（九）项"
    assert list(ComplaintOutcome.objects.values_list("code", flat=True)) == OUTCOME_CODES
    opening = ComplaintOutcome.objects.filter(opens_accountability=True)
    assert list(opening.values_list("code", flat=True)) == ["fault_liability"]


@pytest.mark.django_db
def test_departments_include_the_demo_ones_and_art_22_verticals():
    by_code = {d.code: d for d in Department.objects.all()}
    for code in ["education", "transport", "supervision", "legal", "general_office"]:
        assert not by_code[code].vertical
    assert by_code["general_office"].kind == Department.Kind.GENERAL_OFFICE
    assert by_code["complaints"].kind == Department.Kind.INSTITUTION
    # Nanchong art. 22: finance, tax, foreign exchange, commodity inspection, industry and commerce,
    # quality supervision, drug supervision.
    for code in ["tax", "pbc", "forex", "inspection", "aic", "quality", "drug"]:
        department = by_code[code]
        assert department.vertical
        assert department.kind == Department.Kind.VERTICAL
        assert department.supervising_organ
    assert all(d.kind != Department.Kind.VERTICAL for d in by_code.values() if not d.vertical)


@pytest.mark.django_db
def test_loading_twice_creates_nothing_twice_and_restores_the_rows():
    before = {model: model.objects.count() for model in REFERENCE_MODELS}
    Ground.objects.filter(code="4.1.1").update(name="改过的名称")
    call_command("load_reference", verbosity=0)
    call_command("load_reference", verbosity=0)
    after = {model: model.objects.count() for model in REFERENCE_MODELS}
    assert after == before
    assert Ground.objects.get(code="4.1.1").name != "改过的名称"


def test_fixtures_rely_on_natural_keys_except_departments():
    for path in REFERENCE_DIR.glob("*.json"):
        rows = json.loads(path.read_text(encoding="utf-8"))
        assert rows, path.name
        if path.name == "departments.json":
            # Department has no natural key: explicit primary keys 1..N.
            assert [row["pk"] for row in rows] == list(range(1, len(rows) + 1))
        else:
            assert all("pk" not in row for row in rows), path.name
