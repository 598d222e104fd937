"""`alur demo`: the Biro, two OPDs and one demo user per role, loaded as often as one likes."""
from __future__ import annotations

from django.contrib.auth import get_user_model

from alur.demo import demo_password
from alur.org.models import OrgUnit, RoleAssignment

ROLE_USERS = ["gubernur", "tkksd", "karo", "kabag", "kasubbag", "analis", "pengelola",
              "sekda", "kasubbag_tu", "agendaris", "pelaksana"]
OPD_HEADS = {"kepala_dispar": "dispar", "kepala_dkp": "dkp"}


def test_demo_creates_the_biro_and_the_opds_dispar_and_dkp(alur, without_demo):
    result = alur("demo")

    assert result.exit_code == 0, result
    assert set(OrgUnit.objects.filter(kind=OrgUnit.Kind.OPD).values_list("code", flat=True)) == {"dispar", "dkp"}
    assert OrgUnit.objects.filter(kind=OrgUnit.Kind.BIRO, code="biro-pemerintahan").exists()


def test_demo_creates_one_user_per_role_named_by_the_role_key(alur, without_demo):
    alur("demo")

    holders = set(RoleAssignment.objects.values_list("user__username", "role_id"))
    assert {(name, name) for name in ROLE_USERS} <= holders


def test_demo_makes_each_opd_head_kepala_opd_of_their_own_opd_only(alur, without_demo):
    alur("demo")

    for username, code in OPD_HEADS.items():
        held = set(RoleAssignment.objects.filter(user__username=username).values_list("role_id", "org_unit__code"))
        assert held == {("kepala_opd", code)}


def test_demo_creates_exactly_one_user_per_role_and_one_head_per_opd(alur, without_demo):
    alur("demo")

    assert set(get_user_model().objects.values_list("username", flat=True)) == {*ROLE_USERS, *OPD_HEADS}


def test_demo_run_again_adds_no_row(alur, db, row_counts):
    alur("demo")
    before = row_counts()

    result = alur("demo")

    assert result.exit_code == 0, result
    assert row_counts() == before


def test_demo_json_says_which_users_it_created_the_first_time_and_none_the_second(alur, without_demo):
    first = alur("demo", "--json").json()
    second = alur("demo", "--json").json()

    assert first["ok"] is True and second["ok"] is True
    assert {u["username"]: u["created"] for u in first["users"]} == {u: True for u in [*ROLE_USERS, *OPD_HEADS]}
    assert {u["username"]: u["created"] for u in second["users"]} == {u: False for u in [*ROLE_USERS, *OPD_HEADS]}


def test_demo_run_again_keeps_a_password_someone_changed(alur, without_demo):
    alur("demo")
    karo = get_user_model().objects.get(username="karo")
    karo.set_password("rahasia-baru-karo")
    karo.save()

    alur("demo")

    karo.refresh_from_db()
    assert karo.check_password("rahasia-baru-karo")


def test_demo_prints_each_user_with_role_and_unit_and_the_password(alur, without_demo):
    result = alur("demo")

    lines = result.out.splitlines()
    kepala = next(line for line in lines if line.startswith("kepala_dkp "))
    assert "Kepala OPD" in kepala and "Dinas Kelautan dan Perikanan" in kepala
    assert all(any(line.startswith(f"{name} ") for line in lines) for name in ROLE_USERS)
    assert f"Kata sandi semua pengguna demo: {demo_password()}" in result.out


def test_demo_users_can_log_in_with_the_demo_password(alur, without_demo):
    alur("demo")

    assert get_user_model().objects.get(username="kepala_dispar").check_password(demo_password())
