"""The month's table: a draft reviewed by the bureau, published with a numbered 通报 and
frozen (Xinxiang performance art. 6, 9, 12); a department objects to a line within 5 working
days of publication, the line is marked until the bureau decides, and a correction is
appended (Hubei art. 13–15)."""

import datetime
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection

from casework.documents.models import DocType
from casework.evaluation import services
from casework.evaluation.handlers import department_total
from casework.evaluation.models import Correction, Line, Objection
from casework.exceptions import NotAllowed, RefusedByRule, WrongState

D = datetime.date


def line(evaluation, department, item):
    return evaluation.current_lines().get(department__code=department, item__code=item)


def test_publication_issues_a_numbered_bulletin_and_opens_five_working_days(published):
    assert published.state == "published"
    bulletin = published.bulletin
    assert bulletin.doc_type == DocType.EVALUATION_BULLETIN
    assert bulletin.number == "监绩通〔2026〕1号"
    assert "教育局：37.00分" in bulletin.body
    # Published on Wednesday 12-02: 12-03, 04, 07, 08, 09.
    assert published.objection_until == D(2026, 12, 9)


def test_a_published_month_is_frozen(published, people):
    with pytest.raises(WrongState):
        services.transition(published, "recompute", people["investigator"])
    evaluation, outcome = services.evaluate_month(D(2026, 11, 1))
    assert (outcome, evaluation.run) == ("unchanged", 1)
    row = line(published, "education", "red_card")
    row.amount = Decimal("0")
    with pytest.raises(ValueError):
        row.save()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's")
def test_the_database_refuses_to_change_a_line(published):
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic():
        Line.objects.filter(evaluation=published).update(amount=0)


def test_publishing_needs_a_review_and_the_leader(computed, people):
    with pytest.raises(WrongState):
        services.transition(computed, "publish", people["supervision_leader"])
    with pytest.raises(NotAllowed):
        services.transition(computed, "review", people["head_education"])
    services.transition(computed, "review", people["investigator"])
    with pytest.raises(NotAllowed):
        services.transition(computed, "publish", people["investigator"])
    services.transition(computed, "return_to_draft", people["supervision_leader"])
    computed.refresh_from_db()
    assert computed.state == "draft"


def _publish_on(computed, people, today, day):
    today(day)
    services.transition(computed, "review", people["investigator"])
    services.transition(computed, "publish", people["supervision_leader"])
    computed.refresh_from_db()
    return computed


def test_an_objection_on_the_fifth_working_day_across_national_day(november, people, today):
    """Published Tuesday 09-29: 09-30, then the holiday to 10-07, 10-08, 10-09, Saturday
    10-10 (a working day), Monday 10-12 the 5th; 10-13 the 6th is refused."""
    today(D(2026, 9, 1))
    evaluation, _ = services.evaluate_month(D(2026, 8, 1), people["investigator"])
    evaluation = _publish_on(evaluation, people, today, D(2026, 9, 29))
    assert evaluation.objection_until == D(2026, 10, 12)
    today(D(2026, 10, 13))
    target = line(evaluation, "education", "timeliness")
    head = people["head_education"]
    with pytest.raises(RefusedByRule):
        services.transition(
            evaluation, "lodge_objection", head, {"line": target.pk, "reason": "迟了一天"}
        )
    assert not Objection.objects.exists()
    services.transition(
        evaluation,
        "lodge_objection",
        head,
        {"line": target.pk, "reason": "第五个工作日提出", "on": "2026-10-12"},
    )
    assert Objection.objects.get().lodged_on == D(2026, 10, 12)


def test_an_objection_marks_the_line_and_an_upheld_one_appends_a_correction(
    published, people, today
):
    head, leader = people["head_education"], people["supervision_leader"]
    red = line(published, "education", "red_card")
    today(D(2026, 12, 9))
    services.transition(
        published, "lodge_objection", head, {"line": red.pk, "reason": "红牌期限已依法延期"}
    )
    with pytest.raises(WrongState):  # one pending objection per line
        services.transition(
            published, "lodge_objection", head, {"line": red.pk, "reason": "再次提出"}
        )
    assert Objection.objects.filter(line=red, decision__isnull=True).exists()
    objection = Objection.objects.get()
    services.transition(
        published,
        "decide_objection",
        leader,
        {"objection": objection.pk, "upheld": True, "amount": "0", "reason": "延期经批准"},
    )
    red.refresh_from_db()
    assert red.amount == Decimal("-5.00")  # the line as published stays
    assert Correction.objects.get(line=red).amount == Decimal("0.00")
    assert department_total(published, red.department_id) == Decimal("42.00")
    with pytest.raises(WrongState):
        services.transition(
            published,
            "decide_objection",
            leader,
            {"objection": objection.pk, "upheld": False, "reason": "again"},
        )


def test_only_a_head_objects_and_only_to_their_own_department(published, people):
    transport = line(published, "transport", "timeliness")
    with pytest.raises(NotAllowed):
        services.transition(
            published,
            "lodge_objection",
            people["head_education"],
            {"line": transport.pk, "reason": "不是本部门"},
        )
    with pytest.raises(NotAllowed):
        services.transition(
            published,
            "lodge_objection",
            people["staff_education"],
            {"line": line(published, "education", "timeliness").pk, "reason": "科员"},
        )
    assert not Objection.objects.exists()


def test_the_command_and_the_periodic_task_compute_a_draft_once(november, today, capsys):
    from casework.evaluation.tasks import evaluate_previous_month

    call_command("evaluate_month", "2026-11")
    assert "2026-11: created, run 1" in capsys.readouterr().out
    call_command("evaluate_month", "2026-11")
    assert "recomputed, run 2" in capsys.readouterr().out
    today(D(2026, 11, 1))
    assert evaluate_previous_month.call() == "created"  # October
    assert evaluate_previous_month.call() == "exists"


def test_the_exports_carry_the_objection_mark_and_the_correction(published, people, client, today):
    head = people["head_education"]
    red = line(published, "education", "red_card")
    services.transition(published, "lodge_objection", head, {"line": red.pk, "reason": "异议"})
    client.force_login(people["investigator"])
    csv = client.get("/evaluation/2026-11/export.csv").content.decode("utf-8-sig")
    assert "教育局,红牌警告,扣分,1,-5.00,,异议处理中" in csv
    response = client.get("/evaluation/2026-11/export.xlsx")
    import io

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [row for row in sheet.iter_rows(values_only=True)]
    assert (
        rows[0][2] == "部门"
        and len(rows) == 1 + 9 * published.current_lines().values("department").distinct().count()
    )
