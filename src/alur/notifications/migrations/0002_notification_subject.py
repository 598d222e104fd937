"""A notice stores what it is about (subject kind and id) instead of a web address: the web
resolves the link. Notices already stored keep where they led: their link, one of the three
addresses the sweeps wrote, becomes the subject it named."""
import re

from django.db import migrations, models

# The addresses the deadline sweep and the expiry sweep stored, as they were when they stored them.
STORED_LINKS = (
    (re.compile(r"^/tugas/(\d+)/$"), "task"),
    (re.compile(r"^/perkara/(\d+)/$"), "case"),
    (re.compile(r"^/perjanjian/(\d+)/$"), "agreement"),
)


def links_to_subjects(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    for pattern, kind in STORED_LINKS:
        for link in Notification.objects.filter(link__regex=pattern.pattern).values_list("link", flat=True).distinct():
            Notification.objects.filter(link=link).update(subject_kind=kind, subject_id=int(pattern.match(link).group(1)))


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="subject_kind",
            field=models.CharField(blank=True, choices=[("task", "Tugas"), ("case", "Perkara"), ("agreement", "Perjanjian")],
                                   max_length=20, verbose_name="perihal"),
        ),
        migrations.AddField(
            model_name="notification",
            name="subject_id",
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name="nomor perihal"),
        ),
        migrations.RunPython(links_to_subjects, migrations.RunPython.noop, elidable=True),
        migrations.RemoveField(
            model_name="notification",
            name="link",
        ),
    ]
