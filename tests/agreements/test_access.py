"""Who sees which cases and agreements (agreements/access.py), the one rule every page, download,
search and command asks: by unit. A role today in a unit that is not an OPD shows everything; OPD
staff see their own OPD's; no role today, nothing."""
from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from alur.agreements.access import (
    access_agreement, access_case, agreements_visible_to, cases_visible_to, opds_visible_to, sees_every_unit,
)
from alur.org.models import OrgUnit, Role, RoleAssignment
from alur.workflow.errors import NotAllowed, NotFound
from tests.agreements.registerdata import agreement
from tests.conftest import Walker


@pytest.fixture
def both(users):
    """A case and an agreement of Dinas Pariwisata, and the same of Dinas Kelautan dan Perikanan."""
    return {
        "dispar": (Walker(users, opd="dispar").case, agreement(title="PKS dispar", opd="dispar")),
        "dkp": (Walker(users, opd="dkp", title="PKS Budidaya Rumput Laut").case, agreement(title="PKS dkp", opd="dkp")),
    }


def seen(user) -> tuple[list[str], list[str]]:
    """The OPDs of the cases and of the agreements the user sees."""
    return (sorted(cases_visible_to(user).values_list("org_unit__code", flat=True)),
            sorted(agreements_visible_to(user).values_list("org_unit__code", flat=True)))


def newcomer(username: str, *roles: tuple[str, str], **period):
    """A person holding each (role, unit code) given."""
    user = get_user_model().objects.create_user(username)
    for role, unit in roles:
        RoleAssignment.objects.create(user=user, role=Role.objects.get(key=role), org_unit=OrgUnit.objects.get(code=unit), **period)
    return user


# --- which ones ---------------------------------------------------------------------------------

@pytest.mark.parametrize("username", ["karo", "pengelola", "analis", "tkksd", "gubernur"])
def test_a_role_outside_the_opds_sees_every_case_and_agreement(users, both, username):
    assert seen(users[username]) == (["dispar", "dkp"], ["dispar", "dkp"])
    assert sees_every_unit(users[username])


def test_opd_staff_see_their_own_opds_cases_and_agreements_only(users, both):
    assert seen(users["kepala_dkp"]) == (["dkp"], ["dkp"])
    assert not sees_every_unit(users["kepala_dkp"])


def test_someone_holding_no_role_sees_nothing(users, both):
    assert seen(newcomer("tamu")) == ([], [])
    assert seen(None) == ([], [])


def test_someone_whose_role_has_ended_sees_nothing(users, both):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    former = newcomer("mantan_karo", ("karo", "biro-pemerintahan"), valid_from=yesterday - datetime.timedelta(days=30),
                      valid_until=yesterday)

    assert seen(former) == ([], [])


def test_an_inactive_account_sees_nothing(users, both):
    karo = users["karo"]
    karo.is_active = False
    karo.save()

    assert seen(karo) == ([], [])


def test_a_role_in_an_opd_and_one_in_the_biro_together_see_everything(users, both):
    plt = newcomer("plt", ("kepala_opd", "dkp"), ("kabag", "biro-pemerintahan"))

    assert seen(plt) == (["dispar", "dkp"], ["dispar", "dkp"])


def test_the_opds_offered_are_every_opd_or_ones_own(users):
    assert [unit.code for unit in opds_visible_to(users["karo"])] == ["dkp", "dispar"]  # by name
    assert [unit.code for unit in opds_visible_to(users["kepala_dispar"])] == ["dispar"]
    assert list(opds_visible_to(newcomer("tamu"))) == []


# --- this one? ------------------------------------------------------------------------------------

def test_access_to_a_case_of_ones_own_opd_gives_the_case(users, both):
    case, _agreement = both["dispar"]

    assert access_case(users["kepala_dispar"], case.pk) == case


def test_access_to_another_opds_case_is_not_allowed(users, both):
    case, _agreement = both["dispar"]

    with pytest.raises(NotAllowed, match="Perkara ini milik Perangkat Daerah lain; Anda tidak dapat melihatnya."):
        access_case(users["kepala_dkp"], case.pk)


def test_access_to_an_unknown_case_is_not_found_naming_its_number(users):
    with pytest.raises(NotFound, match="Perkara #999999 tidak ditemukan."):
        access_case(users["karo"], 999999)


def test_access_to_an_agreement_of_ones_own_opd_gives_the_agreement(users, both):
    _case, own = both["dkp"]

    assert access_agreement(users["kepala_dkp"], own.pk) == own


def test_access_to_another_opds_agreement_is_not_allowed(users, both):
    _case, theirs = both["dkp"]

    with pytest.raises(NotAllowed, match="Perjanjian ini milik Perangkat Daerah lain; Anda tidak dapat melihatnya."):
        access_agreement(users["kepala_dispar"], theirs.pk)


def test_access_to_an_unknown_agreement_is_not_found_naming_its_number(users):
    with pytest.raises(NotFound, match="Perjanjian #999999 tidak ditemukan."):
        access_agreement(users["karo"], 999999)


def test_access_to_a_case_is_three_queries(users, both, django_assert_max_num_queries):
    case, _agreement = both["dispar"]

    with django_assert_max_num_queries(3):  # the case with its SOP and OPD, the roles held, their units' kinds
        access_case(users["kepala_dispar"], case.pk)
