"""At most five years, ending after the start, unless the Karo records the legal basis."""
from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model

from alur.agreements.validity import check_validity
from alur.workflow.errors import InvalidInput, NotAllowed

START = datetime.date(2026, 1, 1)


@pytest.fixture
def people(demo):
    return {u.username: u for u in get_user_model().objects.all()}


def test_five_years_exactly_needs_no_legal_basis(people):
    assert check_validity(starts_on=START, ends_on=datetime.date(2031, 1, 1), actor=people["pengelola"]) == ""


def test_a_day_beyond_five_years_is_refused_naming_the_period(people):
    with pytest.raises(InvalidInput, match="jangka waktu 01-01-2026 sampai 02-01-2031 melebihi 5 tahun"):
        check_validity(starts_on=START, ends_on=datetime.date(2031, 1, 2), actor=people["pengelola"])


def test_an_end_before_the_start_is_refused(people):
    with pytest.raises(InvalidInput, match=r"tanggal berakhir \(31-12-2025\) sebelum tanggal mulai \(01-01-2026\)"):
        check_validity(starts_on=START, ends_on=datetime.date(2025, 12, 31), actor=people["pengelola"])


def test_the_karo_may_let_a_longer_period_stand_on_its_legal_basis(people):
    basis = check_validity(starts_on=START, ends_on=datetime.date(2036, 1, 1), legal_basis="  Perpres 12/2021  pasal 7 ",
                           actor=people["karo"])
    assert basis == "Perpres 12/2021 pasal 7"


def test_a_legal_basis_from_someone_else_is_not_enough(people):
    with pytest.raises(NotAllowed, match="hanya dapat dicatat oleh Karo Pemerintahan"):
        check_validity(starts_on=START, ends_on=datetime.date(2036, 1, 1), legal_basis="Perpres 12/2021",
                       actor=people["pengelola"])


def test_a_period_within_the_rules_keeps_no_legal_basis(people):
    assert check_validity(starts_on=START, ends_on=datetime.date(2027, 1, 1), legal_basis="tidak perlu",
                          actor=people["karo"]) == ""
