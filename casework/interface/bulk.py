"""Writing many rows at once, for a batch of item events.

Django's ``bulk_update`` builds one ``CASE`` per field with one ``WHEN`` per row: compiling it
costs Python time in rows × fields, and the database evaluates each ``CASE`` row by row. A
batch of 1,000 events touches up to 1,000 items and their deadlines, so on PostgreSQL the
rows are joined to a ``VALUES`` list instead: ``UPDATE t SET f = v.f FROM (VALUES …) v WHERE
t.id = v.id``, one statement per 500 rows. Other databases use ``bulk_update``.
"""

from django.db import connections, router
from simple_history.utils import get_history_manager_for_model

from casework.audit import signals


def update_rows(model, objs, fields, batch_size=500) -> None:
    """Write ``fields`` of ``objs`` (saved instances of ``model``)."""
    objs = list(objs)
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        model._default_manager.bulk_update(objs, fields, batch_size=50)
        return
    quote = connection.ops.quote_name
    meta = model._meta
    pk = meta.pk
    columns = [meta.get_field(name) for name in fields]
    casts = [pk.db_type(connection)] + [field.db_type(connection) for field in columns]
    # A CHECK constraint is part of the type Django gives; the cast needs the type alone.
    casts = [cast.split(" CHECK")[0] for cast in casts]
    row = "(" + ", ".join(f"%s::{cast}" for cast in casts) + ")"
    names = ", ".join(quote(column.column) for column in [pk, *columns])
    assignments = ", ".join(
        f"{quote(column.column)} = v.{quote(column.column)}" for column in columns
    )
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch_size):
            chunk = objs[start : start + batch_size]
            params = []
            for obj in chunk:
                params.append(pk.get_db_prep_value(obj.pk, connection))
                for column in columns:
                    value = getattr(obj, column.attname)
                    params.append(column.get_db_prep_save(value, connection))
            cursor.execute(
                f"UPDATE {quote(meta.db_table)} AS t SET {assignments} "
                f"FROM (VALUES {', '.join([row] * len(chunk))}) AS v ({names}) "
                f"WHERE t.{quote(pk.column)} = v.{quote(pk.column)}",
                params,
            )


def create_history(model, objs, *, update: bool) -> None:
    """One history row per object (its ``_change_reason``) in one INSERT, announced with the
    record's ``rows_appended``: whatever follows every row of the record (the audit's seal)
    handles the batch in one go."""
    rows = get_history_manager_for_model(model).bulk_history_create(objs, update=update) or []
    if rows:
        signals.rows_appended.send(
            sender=type(rows[0]), pks=[row.pk for row in rows], using=rows[0]._state.db
        )


def create_rows_with_history(model, objs) -> list:
    """New rows of ``model`` in one INSERT (with their primary keys), and their history."""
    objs = model._default_manager.bulk_create(list(objs))
    if objs:
        create_history(model, objs, update=False)
    return objs


def update_rows_with_history(model, objs, fields) -> None:
    """``update_rows``, and one history row per object."""
    objs = list(objs)
    if not objs:
        return
    update_rows(model, objs, fields)
    create_history(model, objs, update=True)
