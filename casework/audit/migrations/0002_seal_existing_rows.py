"""Seal the rows that existed before the chain: on a database being upgraded, every history
row, issued document and amendment and identity-access row already there gets its entry, in
table and key order, so that ``verify_audit`` starts from a complete chain. On a new database
there is nothing to seal."""

from django.db import migrations

# The append-only tables of other apps (the history tables are found by their columns).
DECLARED = ["documents.Document", "documents.Amendment", "complaints.IdentityAccess"]


def sealed_models(apps):
    found = {}
    for model in apps.get_models():
        names = {field.name for field in model._meta.concrete_fields}
        if {"history_id", "history_date", "history_type"} <= names:
            found[model._meta.db_table] = model
    for label in DECLARED:
        model = apps.get_model(label)
        found[model._meta.db_table] = model
    return [found[table] for table in sorted(found)]


def seal(apps, schema_editor):
    from casework.audit import chain

    entry = apps.get_model("audit", "AuditEntry")
    using = schema_editor.connection.alias
    if entry.objects.using(using).exists():
        return
    for model in sealed_models(apps):
        pks = model._base_manager.using(using).order_by("pk").values_list("pk", flat=True)
        for pk in pks.iterator(chunk_size=2000):
            chain.append(model, pk, using=using, entry_model=entry)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("accountability", "0006_append_only"),
        ("complaints", "0004_append_only"),
        ("deadlines", "0007_append_only"),
        ("documents", "0004_append_only"),
        ("org", "0003_append_only"),
        ("workcalendar", "0003_append_only"),
    ]

    operations = [migrations.RunPython(seal, migrations.RunPython.noop, elidable=True)]
