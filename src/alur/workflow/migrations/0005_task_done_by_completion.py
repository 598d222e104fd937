from django.db import migrations, models


class Migration(migrations.Migration):
    """The index of done tasks by completion time that monitoring reads (see Task.Meta)."""

    dependencies = [
        ("workflow", "0004_alter_task_escalate_at_alter_task_remind_at"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="task",
            index=models.Index(
                condition=models.Q(("status", "done"), ("working_minutes__isnull", False)),
                fields=["completed_at", "case", "step_key", "working_minutes", "outcome"],
                name="task_done_by_completion",
            ),
        ),
    ]
