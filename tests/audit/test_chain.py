"""The record is append-only and hash-chained (casework/audit/chain.py): every history row,
issued document and identity-access row is sealed as it is written, and ``verify_audit``
names every row altered, deleted or inserted behind the application's back, and every audit
entry altered, deleted or forged. On PostgreSQL the triggers refuse UPDATE and DELETE."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from casework.accountability.models import AccountabilityCase
from casework.audit import chain
from casework.audit.models import AuditEntry, AuditVerification
from casework.complaints import services as complaint_services
from casework.complaints.models import Complaint, IdentityAccess
from casework.deadlines.models import Deadline
from casework.documents.models import Amendment, Document, DocumentFile
from casework.org.models import User

pytestmark = pytest.mark.django_db


def verify_command(*args):
    out = io.StringIO()
    try:
        call_command("verify_audit", *args, stdout=out)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue()


def table(model):
    return model._meta.db_table


def test_every_append_only_table_is_sealed():
    sealed = chain.sealed_models()
    for model in chain.history_models():
        assert table(model) in sealed, model
    from casework.evaluation.models import (
        Correction,
        Evidence,
        Line,
        Objection,
        ObjectionDecision,
        Rating,
    )

    # Besides the histories: issued documents and their files, identity views, the
    # evaluation's lines, evidence, objections, decisions, corrections and ratings, and the
    # supervision's countersignatures, urgings, criticisms and instructions.
    appended = (Document, Amendment, DocumentFile, IdentityAccess)
    appended += (Line, Evidence, Objection, ObjectionDecision, Correction, Rating)
    # The supervision's countersignatures, urgings, criticisms and the leaders' instructions
    # on a major problem.
    from casework.supervision.models import Countersign, Criticism, ProblemInstruction, Urging

    appended += (Countersign, Urging, Criticism, ProblemInstruction)
    for model in appended:
        assert table(model) in sealed, model
    assert len(sealed) == len(chain.history_models()) + len(appended)


def test_the_demo_record_verifies_and_every_row_has_its_entry(demo_record):
    report = chain.verify()
    assert report.ok, report.problems
    assert report.entries == report.rows == AuditEntry.objects.count() > 500
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    code, out = verify_command()
    assert code == 0 and "0 个问题" in out
    assert AuditVerification.objects.get().ok


def forge_history_row(model, behind_the_back):
    """INSERT a copy of the model's first history row under a new key: a forged entry in
    the history, shown like any other."""
    columns = [field.column for field in model._meta.concrete_fields]
    first = model.objects.order_by("pk").first()
    forged_id = model.objects.order_by("-pk").first().pk + 1000
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    chosen = ", ".join("%s" if c == "history_id" else connection.ops.quote_name(c) for c in columns)
    behind_the_back(
        f"INSERT INTO {table(model)} ({quoted}) SELECT {chosen} FROM {table(model)} "
        "WHERE history_id = %s",
        [forged_id, first.pk],
    )
    return forged_id


def test_tampering_behind_the_applications_back_is_named_row_by_row(demo_record, behind_the_back):
    office = User.objects.get(username="complaints")
    complaint = Complaint.objects.filter(real_name=True).first()
    complaint_services.view_identity(complaint, office, reason="核实", ip="10.1.2.3")
    assert chain.verify().ok

    CaseHistory = AccountabilityCase.history.model
    ComplaintHistory = Complaint.history.model
    DeadlineHistory = Deadline.history.model
    case_row = CaseHistory.objects.order_by("history_id")[3]
    complaint_row = ComplaintHistory.objects.order_by("history_id")[2]
    document = Document.objects.order_by("pk").first()
    access = IdentityAccess.objects.get()
    staff = User.objects.get(username="staff_education")

    # 1. A history row's actor and reason changed.
    behind_the_back(
        f"UPDATE {table(CaseHistory)} SET history_user_id = %s, history_change_reason = %s "
        "WHERE history_id = %s",
        [staff.pk, "改写的理由", case_row.pk],
    )
    # 2. A history row deleted.
    behind_the_back(
        f"DELETE FROM {table(ComplaintHistory)} WHERE history_id = %s", [complaint_row.pk]
    )
    # 3. A document's body changed.
    behind_the_back(
        f"UPDATE {table(Document)} SET body = %s WHERE id = %s", ["篡改后的正文", document.pk]
    )
    # 4. A history row inserted.
    forged_id = forge_history_row(DeadlineHistory, behind_the_back)
    # 5. An identity-access row deleted.
    behind_the_back(f"DELETE FROM {table(IdentityAccess)} WHERE id = %s", [access.pk])
    # 6. An audit entry altered (to match nothing), 7. one deleted, 8. one forged at the end.
    altered, deleted = (
        AuditEntry.objects.order_by("seq")[10],
        AuditEntry.objects.order_by("seq")[20],
    )
    behind_the_back(
        "UPDATE audit_auditentry SET content_hash = %s WHERE seq = %s", ["0" * 64, altered.seq]
    )
    behind_the_back("DELETE FROM audit_auditentry WHERE seq = %s", [deleted.seq])
    head_seq, head_hash, _at = chain.head()
    recorded_at = AuditEntry.objects.get(seq=head_seq).recorded_at
    forged_seq, columns = head_seq + 1, "id"
    content = chain.content_hash(table(Document), ["id"], {"id": 999999})
    behind_the_back(
        "INSERT INTO audit_auditentry (seq, table_name, row_id, columns, content_hash, "
        "previous_hash, entry_hash, recorded_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        [
            forged_seq,
            table(Document),
            "999999",
            columns,
            content,
            head_hash,
            chain.entry_hash(
                forged_seq, table(Document), "999999", columns, content, head_hash, recorded_at
            ),
            recorded_at,
        ],
    )

    code, out = verify_command()
    assert code == 1
    expected = [
        f"记录被篡改：{table(CaseHistory)} 主键 {case_row.pk} ",
        f"记录缺失：{table(ComplaintHistory)} 主键 {complaint_row.pk}（",
        f"记录被篡改：{table(Document)} 主键 {document.pk} ",
        f"未入审计链的记录：{table(DeadlineHistory)} 主键 {forged_id}（",
        f"记录缺失：{table(IdentityAccess)} 主键 {access.pk}（",
        f"审计链记录被篡改：第 {altered.seq} 条（{altered.table_name} 主键 {altered.row_id}）",
        f"审计链缺少记录：第 {deleted.seq} 至 {deleted.seq} 条",
        f"未入审计链的记录：{deleted.table_name} 主键 {deleted.row_id}（",
        f"记录缺失：{table(Document)} 主键 999999（审计链第 {forged_seq} 条）",
    ]
    for line in expected:
        assert line in out, (line, out)
    verification = AuditVerification.objects.latest("ran_at")
    assert not verification.ok and verification.problem_count == out.count("\n") - 1


def test_a_chain_rewritten_after_an_edit_is_caught_by_the_head_kept_offsite(
    demo_record, behind_the_back
):
    head_seq, head_hash, _at = chain.head()
    document = Document.objects.order_by("pk").first()
    behind_the_back(f"UPDATE {table(Document)} SET body = %s WHERE id = %s", ["改写", document.pk])
    # Someone who knows how the chain is computed recomputes it from the edited row on.
    entry = AuditEntry.objects.get(table_name=table(Document), row_id=str(document.pk))
    values = next(chain._read(Document, {"pk": document.pk}, "default", entry.columns.split(",")))
    content = chain.content_hash(table(Document), entry.columns.split(","), values)
    previous = entry.previous_hash
    for later in AuditEntry.objects.filter(seq__gte=entry.seq).order_by("seq"):
        if later.seq == entry.seq:
            later.content_hash = content
        later.previous_hash = previous
        later.entry_hash = chain.hash_of_entry(later)
        behind_the_back(
            "UPDATE audit_auditentry SET content_hash = %s, previous_hash = %s, entry_hash = %s "
            "WHERE seq = %s",
            [later.content_hash, later.previous_hash, later.entry_hash, later.seq],
        )
        previous = later.entry_hash
    assert chain.verify().ok  # consistent in itself…
    code, out = verify_command("--expect-head", f"{head_seq}:{head_hash}")
    assert code == 1  # …but not with the head printed to the log before the edit
    assert f"第 {head_seq} 条的摘要应为 {head_hash}" in out


def test_the_head_is_printed_for_the_log(demo_record, caplog):
    out = io.StringIO()
    with caplog.at_level("INFO", logger="casework.audit"):
        call_command("audit_head", stdout=out)
    seq, digest, _at = chain.head()
    assert f"{seq}:{digest}" in out.getvalue()
    assert f"{seq}:{digest}" in caplog.text
    assert verify_command("--expect-head", f"{seq}:{digest}")[0] == 0


def test_the_admin_shows_the_last_verification(client, demo_record):
    client.force_login(User.objects.get(username="admin"))
    page = client.get("/admin/audit/auditverification/").content.decode()
    assert "尚未校验" in page
    verify_command()
    page = client.get("/admin/audit/auditentry/", follow=True).content.decode()
    assert "最近一次校验" in page and "完整" in page
    entry = AuditEntry.objects.first()
    assert client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {}).status_code == 403
    assert (
        client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="triggers are PostgreSQL's")
def test_on_postgresql_every_sealed_table_refuses_update_and_delete(demo_record):
    from django.db import DatabaseError, transaction

    office = User.objects.get(username="complaints")
    complaint_services.view_identity(
        Complaint.objects.filter(real_name=True).first(), office, reason="核实"
    )
    checked = 0
    for name, model in [*chain.sealed_models().items(), ("audit_auditentry", AuditEntry)]:
        row = model._base_manager.order_by("pk").first()
        if row is None:
            continue
        pk = model._meta.pk.column
        for sql in (
            f"UPDATE {name} SET {pk} = {pk} WHERE {pk} = %s",
            f"DELETE FROM {name} WHERE {pk} = %s",
        ):
            with pytest.raises(DatabaseError, match="pgtrigger"), transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(sql, [row.pk])
        checked += 1
    assert checked >= 15
    assert chain.verify().ok
