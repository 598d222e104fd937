from django.db import migrations

# Monitoring (workflow/monitoring.py) reads done tasks by completion time, a period at a time. The
# index is partial: open tasks, which are claimed, reminded and released, are not in it; a task
# enters it once, when completed, at the index's right-hand edge (completion times only grow). The
# columns the report groups by follow the time, so PostgreSQL answers from the index alone.
#
# PostgreSQL only. On the embedded SQLite database the extra index page written by every
# completion cost a fifth of the engine's throughput (`make bench`), and an office running on
# SQLite has a few thousand tasks, which the report scans in milliseconds; the million-task
# figure the index is for is measured on PostgreSQL.
CREATE = (
    "CREATE INDEX task_done_by_completion ON workflow_task"
    " (completed_at, case_id, step_key, working_minutes, outcome)"
    " WHERE status = 'done' AND working_minutes IS NOT NULL"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS task_done_by_completion")


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0004_alter_task_escalate_at_alter_task_remind_at"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
