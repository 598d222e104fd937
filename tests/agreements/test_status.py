"""An agreement's status follows from its dates and its case, in Python and in SQL alike."""
from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from alur.agreements.models import Agreement, Partner
from alur.agreements.status import (AKAN_BERAKHIR, AKTIF, BERAKHIR, DALAM_PROSES, DIBATALKAN, STATUS_LABELS, count_by_status,
                                    status_of, with_status)
from alur.org.models import OrgUnit
from alur.workflow.models import Case
from alur.workflow.services import start_case
from tests.conftest import PKS, pdf

TODAY = datetime.date(2026, 11, 26)


@pytest.fixture
def make(demo):
    partner = Partner.objects.create(name="PT Contoh", kind=Partner.Kind.BADAN_USAHA)
    unit = OrgUnit.objects.get(code="dispar")
    user = get_user_model().objects.get(username="pengelola")

    def make(**fields) -> Agreement:
        defaults = {"title": "PKS contoh", "org_unit": unit, "partner": partner, "object": "o", "scope": "s",
                    "duration_months": 12, "registered_by": user, "source": Agreement.Source.MANUAL}
        return Agreement.objects.create(**defaults | fields)

    return make


def both(agreement) -> tuple[str, str]:
    """The status as status_of gives it and as the SQL annotation gives it."""
    annotated = with_status(Agreement.objects.filter(pk=agreement.pk), TODAY).get().status
    return status_of(Agreement.objects.get(pk=agreement.pk), TODAY), annotated


@pytest.mark.parametrize("ends_on, expected", [
    (TODAY + datetime.timedelta(days=400), AKTIF),
    (TODAY + datetime.timedelta(days=91), AKTIF),
    (TODAY + datetime.timedelta(days=90), AKAN_BERAKHIR),
    (TODAY, AKAN_BERAKHIR),
    (TODAY - datetime.timedelta(days=1), BERAKHIR),
])
def test_a_registered_agreement_takes_its_status_from_its_end_date(make, ends_on, expected):
    agreement = make(number="119/1/PKS/B.PEM/I/2026", starts_on=datetime.date(2026, 1, 5), ends_on=ends_on)
    assert both(agreement) == (expected, expected)


def test_an_agreement_without_a_register_number_is_in_process(make):
    assert both(make(ends_on=TODAY + datetime.timedelta(days=400))) == (DALAM_PROSES, DALAM_PROSES)


def test_a_cancelled_agreement_is_cancelled_whatever_its_dates(make):
    agreement = make(number="119/2/PKS/B.PEM/I/2026", ends_on=TODAY + datetime.timedelta(days=400), cancelled_at=timezone.now())
    assert both(agreement) == (DIBATALKAN, DIBATALKAN)


def test_the_status_turns_to_berakhir_on_its_own_when_the_day_passes(make):
    agreement = make(number="119/3/PKS/B.PEM/I/2026", ends_on=TODAY)
    assert status_of(agreement, TODAY) == AKAN_BERAKHIR
    assert status_of(agreement, TODAY + datetime.timedelta(days=1)) == BERAKHIR


def test_an_agreement_whose_case_was_cancelled_is_cancelled(make):
    case = start_case(sop_key=PKS, title="PKS yang dibatalkan", org_unit=OrgUnit.objects.get(code="dispar"),
                      actor=get_user_model().objects.get(username="pengelola"), attachments=[pdf("draft_pks")])
    agreement = make(case=case, number="119/4/PKS/B.PEM/I/2026", ends_on=TODAY + datetime.timedelta(days=400))
    assert both(agreement) == (AKTIF, AKTIF)

    Case.objects.filter(pk=case.pk).update(status=Case.Status.CANCELLED)
    assert both(agreement) == (DIBATALKAN, DIBATALKAN)


def test_the_counts_by_status_are_those_of_each_agreement_s_status(make):
    numbered = iter(range(10, 100))
    for ends_in in (400, 91, 90, 0, -1, -300):
        make(number=f"119/{next(numbered)}/PKS/B.PEM/I/2026", ends_on=TODAY + datetime.timedelta(days=ends_in))
    make(ends_on=TODAY + datetime.timedelta(days=400))  # no number yet
    make(number=f"119/{next(numbered)}/PKS/B.PEM/I/2026")  # no end date
    make(number=f"119/{next(numbered)}/PKS/B.PEM/I/2026", ends_on=TODAY - datetime.timedelta(days=5), cancelled_at=timezone.now())

    expected = dict.fromkeys(STATUS_LABELS, 0)
    for agreement in Agreement.objects.all():
        expected[status_of(agreement, TODAY)] += 1
    assert count_by_status(Agreement.objects.all(), TODAY) == expected == {
        AKTIF: 2, AKAN_BERAKHIR: 2, BERAKHIR: 2, DALAM_PROSES: 2, DIBATALKAN: 1}


def test_counts_by_status_name_every_status_even_when_none_has_it(make):
    assert count_by_status(Agreement.objects.none(), TODAY) == dict.fromkeys(STATUS_LABELS, 0)
