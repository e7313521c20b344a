"""The flows moved from the procedure apps (``accountability/flows``, ``complaints/flows``)
into the ``workflows`` app; viewflow stores a flow and its tasks by module path, so the
stored references follow. History rows of the tasks keep the reference of their time but
are rewritten too, so that they can still be read."""

from django.db import migrations

MOVES = [
    ("accountability/flows.AccountabilityFlow", "workflows/accountability.AccountabilityFlow"),
    ("complaints/flows.ComplaintFlow", "workflows/complaints.ComplaintFlow"),
]
COLUMNS = [
    ("viewflow_process", "flow_class"),
    ("viewflow_task", "flow_task"),
    ("accountability_historicaltask", "flow_task"),
]


def _rewrite(schema_editor, pairs):
    with schema_editor.connection.cursor() as cursor:
        for table, column in COLUMNS:
            for old, new in pairs:
                cursor.execute(
                    f"UPDATE {table} SET {column} = %s || substr({column}, %s) "
                    f"WHERE {column} = %s OR {column} LIKE %s",
                    [new, len(old) + 1, old, old + ".%"],
                )


def forwards(apps, schema_editor):
    _rewrite(schema_editor, MOVES)


def backwards(apps, schema_editor):
    _rewrite(schema_editor, [(new, old) for old, new in MOVES])


class Migration(migrations.Migration):
    dependencies = [
        ("viewflow", "0015_task_scheduled"),
        ("accountability", "0004_historicaltask"),
        ("complaints", "0002_complaint_historicalcomplaint_identityaccess"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
