"""The people services (alur.workflow.people) as the pages and `alur user` call them: who may use
them, and where the rule "a role run per OPD is held in an OPD" comes from. Their refusals of bad
input are specified through `alur user` (tests/cli/test_user_commands.py) and the people pages
(tests/web/test_people_pages.py)."""
from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from alur.workflow.errors import NotAllowed
from alur.workflow.people import InvalidField, add_person, assign_role, end_assignment, opd_scoped_roles
from alur.workflow.services import load_sop
from tests.workflow.test_sop_versions import V1_TEXT, changed

TODAY = datetime.date.today()


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_someone_who_does_not_administer_alur_may_not_add_people_or_change_roles(users):
    karo = users["karo"]
    assignment = users["kabag"].role_assignments.get()
    before = row_counts()

    with pytest.raises(NotAllowed, match="Hanya admin Alur"):
        add_person(actor=karo, username="budi", full_name="Budi Santoso")
    with pytest.raises(NotAllowed, match="Hanya admin Alur"):
        assign_role(actor=karo, username="karo", role_key="kabag", unit_code="biro-pemerintahan")
    with pytest.raises(NotAllowed, match="Hanya admin Alur"):
        end_assignment(actor=karo, assignment_id=assignment.pk, valid_until=TODAY)
    assert row_counts() == before


def test_a_superuser_may_add_people_and_give_roles(users):
    admin = get_user_model().objects.create_superuser("admin", "admin@babelprov.go.id", "rahasia-admin-2026")

    add_person(actor=admin, username="budi", full_name="Budi Santoso")
    assignment = assign_role(actor=admin, username="budi", role_key="kabag", unit_code="biro-pemerintahan")

    assert (assignment.user.username, assignment.role_id, assignment.valid_from) == ("budi", "kabag", TODAY)


def test_the_roles_run_per_opd_are_those_the_loaded_sops_scope_to_an_opd(users):
    assert opd_scoped_roles() == {"kepala_opd"}


def test_a_role_a_newer_sop_version_runs_per_opd_must_then_be_held_in_an_opd(users):
    analis_per_opd = changed(V1_TEXT, "    description: Analis Kerja Sama Lintas Sektor\n",
                             "    description: Analis Kerja Sama Lintas Sektor\n    scope: opd\n")
    load_sop(text=analis_per_opd, source_name="pks-pihak-ketiga.yaml")

    with pytest.raises(InvalidField, match="Peran Analisis Kerja Sama lintas Sektor dijalankan per OPD") as refusal:
        assign_role(actor=None, username="kabag", role_key="analis", unit_code="biro-pemerintahan")
    assert refusal.value.field == "unit"
    assert assign_role(actor=None, username="kabag", role_key="analis", unit_code="dispar").org_unit.code == "dispar"
