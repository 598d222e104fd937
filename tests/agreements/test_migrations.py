"""Upgrading a database with partners from before the register: contacts are kept."""
from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("agreements", "0001_initial")]
AFTER = [("agreements", "0004_remove_partner_contact_fields")]


@pytest.mark.django_db(transaction=True)
def test_a_partners_contact_person_becomes_its_first_contact():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    old.get_model("agreements", "Partner").objects.create(
        name="PT Bahari Jaya", kind="badan_usaha", contact_name="Ibu Rina", contact_phone="0812", contact_email="rina@bahari.example")
    old.get_model("agreements", "Partner").objects.create(name="Universitas Contoh", kind="perguruan_tinggi")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    contacts = new.get_model("agreements", "PartnerContact").objects.all()

    assert [(c.partner.name, c.name, c.phone, c.email) for c in contacts] == [
        ("PT Bahari Jaya", "Ibu Rina", "0812", "rina@bahari.example")]
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # leave the database as the other tests expect it
