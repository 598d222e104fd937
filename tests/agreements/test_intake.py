"""The intake service (register_draft): the register fields known from the draft besides its
partner and object, the urusan, the value and the MoU the PKS carries out, are optional and pass
the checks a manual entry passes; a refusal starts no case."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from alur.agreements.models import Agreement, Partner
from alur.agreements.lifecycle import register_draft
from alur.org.models import OrgUnit
from alur.workflow.errors import InvalidInput
from alur.workflow.models import Case, Document
from tests.agreements.registerdata import agreement as entered_by_hand
from tests.conftest import pdf


def draft(users, **extra) -> Agreement:
    return register_draft(
        actor=users["pengelola"], title="PKS Promosi Wisata Bahari", org_unit=OrgUnit.objects.get(code="dispar"),
        partner=Partner.objects.get(name="PT Pesona Wisata Serumpun"), object="Promosi pariwisata bersama",
        scope="Promosi dan pelatihan pemandu wisata", duration_months=24, disposition_number="B/123/SETDA/2026",
        disposition_date=timezone.localdate() - datetime.timedelta(days=3),
        disposition_from=Agreement.DispositionFrom.SEKDA, draft=pdf("draft_pks"), **extra)


def nothing_started() -> bool:
    return (Case.objects.count(), Agreement.objects.filter(case__isnull=False).count(), Document.objects.count()) == (0, 0, 0)


@pytest.fixture
def mou(demo):
    return entered_by_hand(kind=Agreement.Kind.MOU, number="119/3/MoU/B.PEM/II/2025", title="MoU Pariwisata Bahari")


def test_it_keeps_the_urusan_the_value_and_the_mou_the_pks_carries_out(users, mou):
    agreement = draft(users, urusan="pariwisata", value=Decimal("1500000000.50"), implements=mou)

    agreement.refresh_from_db()
    assert (agreement.kind, agreement.urusan, agreement.value, agreement.implements) == (
        Agreement.Kind.PKS, "pariwisata", Decimal("1500000000.50"), mou)
    assert list(mou.implementations.all()) == [agreement]


def test_they_are_optional(users):
    agreement = draft(users)

    agreement.refresh_from_db()
    assert (agreement.urusan, agreement.value, agreement.implements) == ("", None, None)


def test_a_value_of_nothing_is_kept_as_nothing_not_as_unknown(users):
    agreement = draft(users, value=Decimal("0"))

    agreement.refresh_from_db()
    assert agreement.value == Decimal("0")


def test_an_unknown_urusan_is_refused_and_starts_nothing(users):
    with pytest.raises(InvalidInput, match="Urusan 'pariwisata_bahari' tidak dikenal"):
        draft(users, urusan="pariwisata_bahari")

    assert nothing_started()


@pytest.mark.parametrize(("value", "words"), [
    (Decimal("-1"), "Nilai perjanjian tidak boleh negatif"),
    (Decimal(10) ** 16, "Nilai perjanjian terlalu besar"),
])
def test_a_value_the_register_refuses_is_refused_and_starts_nothing(users, value, words):
    with pytest.raises(InvalidInput, match=words):
        draft(users, value=value)

    assert nothing_started()


def test_an_agreement_that_is_not_an_mou_is_refused_as_the_one_carried_out(users):
    pks = entered_by_hand(kind=Agreement.Kind.PKS, number="119/8/PKS/B.PEM/II/2025", title="PKS Pemandu Wisata")

    with pytest.raises(InvalidInput, match=r"119/8/PKS/B.PEM/II/2025 .PKS Pemandu Wisata. bukan MoU"):
        draft(users, implements=pks)

    assert nothing_started()
