"""The hash chain over the append-only record.

**What is sealed.** Every row of an append-only table: every history table
(django-simple-history, all apps), and the tables other apps declare with ``append_only``
(issued documents and their amendments, the identity-access log). When such a row is inserted,
an ``AuditEntry`` is written in the same transaction (a ``post_save`` receiver):

    content_hash  = sha256 of the row as stored: {"table": …, "row": {column: value, …}}
                    (read back from the database, values in a canonical form, the columns
                    listed in the entry)
    previous_hash = entry_hash of the entry before (64 zeros for the first)
    entry_hash    = sha256 of seq | table | row id | columns | content_hash | previous_hash
                    | recorded_at

Entries are numbered without gaps. Appending takes a transaction-scoped lock on PostgreSQL
(``pg_advisory_xact_lock``), so that two transactions never chain from the same entry; on
SQLite the writer already holds the database's write lock. ``previous_hash`` is unique, so a
fork could not be stored even if the lock failed.

**What refuses.** On PostgreSQL every one of these tables and the chain itself carry a
trigger (django-pgtrigger ``Protect``) that refuses UPDATE and DELETE, whoever asks.

**What is checked.** ``verify`` (``manage.py verify_audit``) walks the chain — numbering,
links, each entry's own hash — and then every sealed table: a row whose content no longer
gives its entry's hash is *altered*, an entry whose row is gone names a *deleted* row, a row
with no entry was *inserted* behind the application's back. Someone able to rewrite the whole
chain after an edit is caught by the head: ``manage.py audit_head`` prints the last entry's
number and hash to the log each day, and ``verify_audit --expect-head N:HASH`` proves that
entry N still has the hash an offsite copy of the log recorded.
"""

import contextlib
import contextvars
import datetime
import decimal
import hashlib
import json
import time
import uuid
from dataclasses import dataclass, field

from django.db import connections, models, transaction
from django.db.models import Subquery
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import HistoricalChanges

GENESIS = "0" * 64
# The key of the advisory lock that serialises appends on PostgreSQL ("casework audit").
LOCK_KEY = 0x63617365_61756474

_sealed: dict[str, type[models.Model]] = {}

# The rows inserted inside ``sealed_together``, sealed at its end (None: seal each at once).
_pending: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "casework_audit_pending", default=None
)


def history_models() -> list[type[models.Model]]:
    from django.apps import apps

    return [model for model in apps.get_models() if issubclass(model, HistoricalChanges)]


def append_only(*models_: type[models.Model]) -> None:
    """Seal every row inserted into these tables, and on PostgreSQL refuse UPDATE and DELETE
    on them (in the migrations of their apps)."""
    import pgtrigger

    for model in models_:
        table = model._meta.db_table
        if table in _sealed:
            continue
        _sealed[table] = model
        pgtrigger.Protect(
            name="append_only", operation=pgtrigger.Update | pgtrigger.Delete
        ).register(model)
        post_save.connect(_on_insert, sender=model, weak=False, dispatch_uid=f"audit_seal_{table}")


def sealed_models() -> dict[str, type[models.Model]]:
    return dict(_sealed)


def _on_insert(sender, instance, created, using, **kwargs):
    if created:
        pending = _pending.get()
        if pending is not None:
            pending.append((type(instance), instance.pk, using))
        else:
            append(type(instance), instance.pk, using=using)


def _on_bulk_insert(sender, pks, using, **kwargs):
    if sender._meta.db_table in _sealed:
        pending = _pending.get()
        if pending is not None:
            pending.extend((sender, pk, using) for pk in sorted(pks))
        else:
            append_many(sender, pks, using=using)


@contextlib.contextmanager
def sealed_together(*, locked=False):
    """Seal the rows inserted inside the block together when it ends, still inside the
    caller's transaction (``history.acting`` opens one per act): one lock, one read of the
    chain's last entry, one read per table, one insert — instead of three queries per row. If
    the block raises, nothing is sealed (its transaction rolls back); a row whose savepoint
    rolled back is no longer there to seal. Nested blocks seal with the outermost. ``locked``:
    the caller already holds the record's lock for its transaction."""
    if _pending.get() is not None:
        yield
        return
    pending: list = []
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    for using in dict.fromkeys(item[2] for item in pending):
        append_rows([(m, pk) for m, pk, u in pending if u == using], using=using, locked=locked)


# --- hashing ---------------------------------------------------------------------------------


def canonical(value):
    """A value as the JSON that is hashed: the same for the same stored value, read back on
    any day from any process."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID | datetime.timedelta):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    return str(value)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _columns(model) -> dict[str, str]:
    """column name → attribute name, for every column of the table."""
    return {f.column: f.attname for f in model._meta.concrete_fields}


def content_hash(table: str, columns: list[str], values: dict) -> str:
    row = {column: canonical(values[column]) for column in columns}
    return sha256(
        json.dumps(
            {"table": table, "row": row}, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )
    )


def entry_hash(seq, table, row_id, columns, content, previous, recorded_at) -> str:
    recorded = canonical(recorded_at)
    return sha256("|".join([str(seq), table, row_id, columns, content, previous, recorded]))


def hash_of_entry(entry) -> str:
    return entry_hash(
        entry.seq,
        entry.table_name,
        entry.row_id,
        entry.columns,
        entry.content_hash,
        entry.previous_hash,
        entry.recorded_at,
    )


def _read(model, pk_filter, using, columns, *, many=False):
    """The rows as stored, keyed by column name (a whole table streamed with ``many``)."""
    attnames = _columns(model)
    wanted = {column: attnames[column] for column in columns if column in attnames}
    queryset = model._base_manager.using(using).filter(**pk_filter).values(*wanted.values())
    rows = queryset.iterator(chunk_size=2000) if many else queryset
    for values in rows:
        yield {column: values[attname] for column, attname in wanted.items()}


# --- appending -------------------------------------------------------------------------------


def lock(using="default") -> None:
    """Take the record's lock for the rest of the transaction (PostgreSQL; SQLite serialises
    writers by itself). Appending takes it anyway; a transaction that will lock rows and then
    write history takes it *first* — the pipeline, the services, the scan, a calendar
    correction — so that no two writers ever wait for each other in a circle (one holding a
    row and waiting for the record, the other holding the record and waiting for the row)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def append(model, pk, *, using="default", entry_model=None):
    """Seal the row ``pk`` of ``model``: one entry after the last, in the caller's
    transaction."""
    from .models import AuditEntry

    entry_model = entry_model or AuditEntry
    table = model._meta.db_table
    columns = sorted(_columns(model))
    attnames = _columns(model)
    last = entry_model._base_manager.using(using).order_by("-seq")
    with transaction.atomic(using=using, savepoint=False):
        lock(using)
        # The row and the chain's last entry in one query (under the lock: the last stays last).
        found = (
            model._base_manager.using(using)
            .filter(pk=pk)
            .values(
                *attnames.values(),
                audit_last_seq=Subquery(last.values("seq")[:1]),
                audit_last_hash=Subquery(last.values("entry_hash")[:1]),
            )
            .get()
        )
        values = {column: found[attname] for column, attname in attnames.items()}
        content = content_hash(table, columns, values)
        if found["audit_last_seq"] is None:
            seq, previous = 1, GENESIS
        else:
            seq, previous = found["audit_last_seq"] + 1, found["audit_last_hash"]
        row_id = str(canonical(values[model._meta.pk.column]))
        joined = ",".join(columns)
        recorded_at = timezone.now()
        return entry_model._base_manager.using(using).create(
            seq=seq,
            table_name=table,
            row_id=row_id,
            columns=joined,
            content_hash=content,
            previous_hash=previous,
            entry_hash=entry_hash(seq, table, row_id, joined, content, previous, recorded_at),
            recorded_at=recorded_at,
        )


def append_many(model, pks, *, using="default", entry_model=None):
    """Seal the rows ``pks`` of ``model`` (inserted in bulk), in order: one read of the rows,
    one of the chain's last entry, one insert of the entries — whatever their number."""
    return append_rows([(model, pk) for pk in sorted(pks)], using=using, entry_model=entry_model)


def append_rows(items, *, using="default", entry_model=None, locked=False):
    """Seal the rows ``items`` (``(model, pk)`` in the order they were inserted), in the
    caller's transaction: one read of the rows per table, one of the chain's last entry, one
    insert of the entries. A row no longer stored (its savepoint rolled back) is skipped; a
    row listed twice is sealed once."""
    from .models import AuditEntry

    entry_model = entry_model or AuditEntry
    wanted: dict = {}
    for model, pk in items:
        wanted.setdefault(model, []).append(pk)
    with transaction.atomic(using=using, savepoint=False):
        if not locked:
            lock(using)
        stored = {}
        for model, pks in wanted.items():
            pk_column = model._meta.pk.column
            for values in _read(model, {"pk__in": pks}, using, sorted(_columns(model))):
                stored[(model, values[pk_column])] = values
        last = (
            entry_model._base_manager.using(using)
            .order_by("-seq")
            .values_list("seq", "entry_hash")
            .first()
        )
        seq, previous = last if last is not None else (0, GENESIS)
        recorded_at = timezone.now()
        entries = []
        for model, pk in items:
            values = stored.pop((model, pk), None)
            if values is None:
                continue
            table = model._meta.db_table
            columns = sorted(_columns(model))
            joined = ",".join(columns)
            seq += 1
            row_id = str(canonical(values[model._meta.pk.column]))
            content = content_hash(table, columns, values)
            digest = entry_hash(seq, table, row_id, joined, content, previous, recorded_at)
            entries.append(
                entry_model(
                    seq=seq,
                    table_name=table,
                    row_id=row_id,
                    columns=joined,
                    content_hash=content,
                    previous_hash=previous,
                    entry_hash=digest,
                    recorded_at=recorded_at,
                )
            )
            previous = digest
        return entry_model._base_manager.using(using).bulk_create(entries)


# --- verifying -------------------------------------------------------------------------------


@dataclass
class Report:
    entries: int = 0
    rows: int = 0
    problems: list[str] = field(default_factory=list)
    head: tuple[int, str] | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(*, using="default", expect_head: tuple[int, str] | None = None) -> Report:
    """Walk the chain and every sealed table (see the module). On PostgreSQL in one
    repeatable-read snapshot, so that rows written meanwhile do not confuse the count."""
    started = time.monotonic()
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        report = Report()
        _walk_chain(report, using, expect_head)
        for table, model in sorted(_sealed.items()):
            _check_table(report, table, model, using)
        _unknown_tables(report, using)
    report.seconds = time.monotonic() - started
    return report


def _walk_chain(report, using, expect_head):
    from .models import AuditEntry

    previous, expected = GENESIS, 1
    entries = AuditEntry.objects.using(using).order_by("seq")
    for entry in entries.iterator(chunk_size=2000):
        report.entries += 1
        if entry.seq != expected:
            report.problems.append(
                _("审计链缺少记录：第 %(first)s 至 %(last)s 条已被删除。")
                % {"first": expected, "last": entry.seq - 1}
            )
        elif entry.previous_hash != previous:
            report.problems.append(
                _("审计链断裂：第 %(seq)s 条所记前一条摘要与第 %(prev)s 条不符。")
                % {"seq": entry.seq, "prev": entry.seq - 1}
            )
        if hash_of_entry(entry) != entry.entry_hash:
            report.problems.append(
                _("审计链记录被篡改：第 %(seq)s 条（%(table)s 主键 %(row)s）的内容与其摘要不符。")
                % {"seq": entry.seq, "table": entry.table_name, "row": entry.row_id}
            )
        previous, expected = entry.entry_hash, entry.seq + 1
        report.head = (entry.seq, entry.entry_hash)
    if expect_head is not None:
        seq, wanted = expect_head
        found = AuditEntry.objects.using(using).filter(seq=seq).values_list("entry_hash", flat=True)
        if list(found) != [wanted]:
            report.problems.append(
                _("审计链与异地保存的链头不符：第 %(seq)s 条的摘要应为 %(hash)s。")
                % {"seq": seq, "hash": wanted}
            )


def _check_table(report, table, model, using):
    from .models import AuditEntry

    sealed = {}
    recorded = AuditEntry.objects.using(using).filter(table_name=table)
    for seq, row_id, columns, content in recorded.values_list(
        "seq", "row_id", "columns", "content_hash"
    ).iterator(chunk_size=5000):
        if row_id in sealed:
            report.problems.append(
                _("审计链重复记录：%(table)s 主键 %(row)s（第 %(seq)s 条）。")
                % {"table": table, "row": row_id, "seq": seq}
            )
        sealed[row_id] = (seq, columns, content)
    pk_column = model._meta.pk.column
    known = _columns(model)
    all_columns = sorted(known)
    for values in _read(model, {}, using, all_columns, many=True):
        report.rows += 1
        row_id = str(canonical(values[pk_column]))
        entry = sealed.pop(row_id, None)
        if entry is None:
            report.problems.append(
                _("未入审计链的记录：%(table)s 主键 %(row)s（绕过系统写入）。")
                % {"table": table, "row": row_id}
            )
            continue
        seq, columns, content = entry
        columns = columns.split(",")
        missing = [column for column in columns if column not in known]
        if missing or content_hash(table, columns, values) != content:
            report.problems.append(
                _("记录被篡改：%(table)s 主键 %(row)s 与审计链第 %(seq)s 条不符。")
                % {"table": table, "row": row_id, "seq": seq}
            )
    for row_id, (seq, *_rest) in sorted(sealed.items(), key=lambda item: item[1][0]):
        report.problems.append(
            _(
                "记录缺失：%(table)s 主键 %(row)s（审计链第 %(seq)s 条）已不存在"
                "——已被删除，或该条审计链记录系伪造。"
            )
            % {"table": table, "row": row_id, "seq": seq}
        )


def _unknown_tables(report, using):
    from .models import AuditEntry

    unknown = (
        AuditEntry.objects.using(using)
        .exclude(table_name__in=list(_sealed))
        .values_list("table_name", flat=True)
        .distinct()
    )
    for table in unknown:
        report.problems.append(_("审计链记录了未知的数据表：%(table)s。") % {"table": table})


def head(using="default"):
    from .models import AuditEntry

    return (
        AuditEntry.objects.using(using)
        .order_by("-seq")
        .values_list("seq", "entry_hash", "recorded_at")
        .first()
    )
