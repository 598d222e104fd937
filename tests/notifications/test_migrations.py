"""Upgrading a database whose notices stored a web address: each now stores what it was about."""
from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("notifications", "0001_initial")]
AFTER = [("notifications", "0002_notification_subject")]


@pytest.mark.django_db(transaction=True)
def test_a_notices_stored_link_becomes_the_subject_it_led_to():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    recipient = old.get_model("auth", "User").objects.create(username="sari")
    for key, link in [("task:12:reminder", "/tugas/12/"), ("task:12:escalation", "/perkara/7/"),
                      ("agreement:3:expiry:90", "/perjanjian/3/"), ("lain", "")]:
        old.get_model("notifications", "Notification").objects.create(
            recipient_id=recipient.pk, key=key, kind="task.reminded", title="Judul", body="Isi", link=link,
            created_at=timezone.now())

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    notices = new.get_model("notifications", "Notification").objects.order_by("key")

    assert [(n.key, n.subject_kind, n.subject_id) for n in notices] == [
        ("agreement:3:expiry:90", "agreement", 3), ("lain", "", None), ("task:12:escalation", "case", 7),
        ("task:12:reminder", "task", 12)]
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # leave the database as the other tests expect it
