from django.db import migrations


def seed_default_hours(apps, schema_editor):
    # The province's civil-service hours (37.5 a week); the administrator edits them in the admin.
    from alur.worktime.calendar import DEFAULT_HOURS

    WorkingPeriod = apps.get_model("worktime", "WorkingPeriod")
    if WorkingPeriod.objects.exists():
        return
    WorkingPeriod.objects.bulk_create(
        WorkingPeriod(weekday=weekday, starts=starts, ends=ends)
        for weekday, periods in DEFAULT_HOURS.items() for starts, ends in periods
    )


class Migration(migrations.Migration):
    dependencies = [("worktime", "0001_initial")]
    operations = [migrations.RunPython(seed_default_hours, migrations.RunPython.noop)]
