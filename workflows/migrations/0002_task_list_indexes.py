"""Indexes on viewflow's own tables for the lists that read them: the inbox (a person's
assigned tasks), the queue (the tasks waiting, by permission), the archive (a person's
finished tasks), the flow dashboard and task list (the tasks of one node), the process list
(one flow's processes by creation). viewflow's models are not ours to change, so the indexes
are created here, in SQL that PostgreSQL and SQLite both accept."""

from django.db import migrations

INDEXES = [
    ("wf_task_inbox", "viewflow_task (owner_id, status, created)", ""),
    ("wf_task_queue", "viewflow_task (owner_permission, created)", "WHERE status = 'NEW'"),
    ("wf_task_archive", "viewflow_task (owner_id, created)", "WHERE finished IS NOT NULL"),
    ("wf_task_node", "viewflow_task (flow_task, created)", ""),
    ("wf_task_open_node", "viewflow_task (flow_task, created)", "WHERE finished IS NULL"),
    ("wf_task_open", "viewflow_task (created)", "WHERE finished IS NULL"),
    ("wf_process_flow", "viewflow_process (flow_class, created)", ""),
]


class Migration(migrations.Migration):
    dependencies = [
        ("viewflow", "0015_task_scheduled"),
        ("workflows", "0001_flow_references"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON {target} {where}".strip(),
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, target, where in INDEXES
    ]
