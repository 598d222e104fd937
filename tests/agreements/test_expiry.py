"""Expiry notices (agreements/expiry.py): 90, 60, 30, 7 and 0 days before a registered agreement
ends, each once, to the Kepala OPD of its OPD and the Pengelola Informasi Kerja Sama; after a
worker was down, the nearest threshold passed only; through the worker's pass."""
from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from alur.agreements.expiry import THRESHOLDS, _send, due_threshold, sweep_expiring
from alur.agreements.models import Agreement
from alur.agreements.lifecycle import cancel_agreement
from alur.agreements.status import AKAN_BERAKHIR, BERAKHIR, status_of
from alur.notifications.links import path_of
from alur.notifications.models import Notification
from alur.workflow.audit import verify_chain
from alur.workflow.models import AuditEvent, Case
from tests.agreements.test_register_number import at_once, postgres_only
from tests.agreements.walking import drafted, registered
from tests.cli.conftest import alur  # noqa: F401 (fixture)

TODAY = datetime.date(2027, 3, 1)


def ending(agreement: Agreement, days: int) -> Agreement:
    """The agreement ending `days` after TODAY."""
    Agreement.objects.filter(pk=agreement.pk).update(ends_on=TODAY + datetime.timedelta(days=days))
    agreement.refresh_from_db()
    return agreement


@pytest.fixture
def agreement(users) -> Agreement:
    return registered(users)


def notices(agreement: Agreement) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(key__startswith=f"agreement:{agreement.pk}:")
                  .values_list("recipient__username", "key"))


# --- when ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("days_left, due, passed_over", [
    (91, None, ()), (90, 90, ()), (61, 90, ()), (60, 60, (90,)), (20, 30, (90, 60)), (7, 7, (90, 60, 30)),
    (1, 7, (90, 60, 30)), (0, 0, (90, 60, 30, 7)), (-7, 0, (90, 60, 30, 7)), (-8, None, ()),
])
def test_the_threshold_due_is_the_nearest_one_passed(days_left, due, passed_over):
    ends_on = TODAY + datetime.timedelta(days=days_left)

    assert due_threshold(ends_on, TODAY, []) == (due, passed_over)


def test_thresholds_dealt_with_are_not_due_again():
    ends_on = TODAY + datetime.timedelta(days=20)

    assert due_threshold(ends_on, TODAY, [90, 60, 30]) == (None, ())
    assert due_threshold(ends_on, TODAY, [90]) == (30, (60,))


def test_nothing_is_sent_more_than_ninety_days_before_the_end(agreement):
    ending(agreement, 91)

    assert sweep_expiring(TODAY).notices == []
    assert notices(agreement) == []


# --- to whom, and once ------------------------------------------------------------------------------

def test_ninety_days_before_the_end_the_opds_head_and_the_pengelola_are_told(agreement, users):
    ending(agreement, 90)

    report = sweep_expiring(TODAY)

    (notice,) = report.notices
    assert (notice.threshold, notice.days_left, notice.recipients) == (90, 90, ("kepala_dispar", "pengelola"))
    assert notices(agreement) == [("kepala_dispar", f"agreement:{agreement.pk}:expiry:90"),
                                  ("pengelola", f"agreement:{agreement.pk}:expiry:90")]
    sent = Notification.objects.filter(recipient=users["kepala_dispar"]).get()
    assert sent.title == f"Perjanjian {agreement.number} berakhir dalam 90 hari"
    assert "PT Pesona Wisata Serumpun" in sent.body and "30-05-2027" in sent.body
    assert (sent.kind, path_of(sent)) == ("agreement.expiry_noticed", f"/perkara/{agreement.case_id}/")
    agreement.refresh_from_db()
    assert agreement.expiry_notices == [90]


def test_the_head_of_another_opd_is_not_told(agreement, users):
    ending(agreement, 30)

    sweep_expiring(TODAY)

    assert not Notification.objects.filter(recipient=users["kepala_dkp"]).exists()


def test_the_notice_is_in_the_audit_chain(agreement):
    ending(agreement, 7)

    sweep_expiring(TODAY)

    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.actor, event.case_id) == ("agreement.expiry_noticed", None, agreement.case_id)
    assert (event.data["threshold"], event.data["days_left"], event.data["passed_over"]) == (7, 7, [90, 60, 30])
    assert event.data["recipients"] == ["kepala_dispar", "pengelola"]
    assert verify_chain().ok


def test_each_threshold_is_sent_once_on_its_day_and_the_status_follows(agreement):
    ends_on = TODAY + datetime.timedelta(days=100)
    Agreement.objects.filter(pk=agreement.pk).update(ends_on=ends_on)
    sent = []
    for day in range(0, 110):
        today = TODAY + datetime.timedelta(days=day)
        for _ in range(2):  # a second pass the same day sends nothing
            sent += [(day, n.threshold) for n in sweep_expiring(today).notices]

    assert sent == [(10, 90), (40, 60), (70, 30), (93, 7), (100, 0)]
    assert len(notices(agreement)) == 2 * len(THRESHOLDS)
    agreement.refresh_from_db()
    assert status_of(agreement, ends_on) == AKAN_BERAKHIR
    assert status_of(agreement, ends_on + datetime.timedelta(days=1)) == BERAKHIR


def test_a_worker_down_for_weeks_sends_only_the_nearest_threshold_passed(agreement):
    ending(agreement, 20)

    (notice,) = sweep_expiring(TODAY).notices

    assert (notice.threshold, notice.passed_over) == (30, (90, 60))
    assert "20 hari lagi" in notice.line() and "ambang 90, 60 hari terlewat, tidak dikirim" in notice.line()
    assert {key for _, key in notices(agreement)} == {f"agreement:{agreement.pk}:expiry:30"}
    assert Notification.objects.get(recipient__username="pengelola").title == f"Perjanjian {agreement.number} berakhir dalam 20 hari"
    agreement.refresh_from_db()
    assert agreement.expiry_notices == [90, 60, 30]


def test_an_agreement_that_ended_days_ago_is_told_as_ended_within_a_week(agreement):
    ending(agreement, -3)

    (notice,) = sweep_expiring(TODAY).notices

    assert notice.threshold == 0
    assert Notification.objects.get(recipient__username="pengelola").title == f"Perjanjian {agreement.number} telah berakhir"


def test_an_agreement_that_ended_more_than_a_week_ago_is_not_told(agreement):
    ending(agreement, -8)

    assert sweep_expiring(TODAY).notices == []


# --- which agreements ------------------------------------------------------------------------------

def test_a_cancelled_agreement_is_not_told(agreement, users):
    ending(agreement, 30)
    cancel_agreement(agreement_id=agreement.pk, reason="Pihak ketiga pailit.", actor=users["pengelola"])

    assert sweep_expiring(TODAY).notices == []


def test_an_agreement_whose_case_was_cancelled_is_not_told(agreement):
    ending(agreement, 30)
    Case.objects.filter(pk=agreement.case_id).update(status=Case.Status.CANCELLED)

    assert sweep_expiring(TODAY).notices == []


def test_a_draft_not_registered_is_not_told(users):
    draft, _ = drafted(users)
    Agreement.objects.filter(pk=draft.pk).update(ends_on=TODAY)

    assert sweep_expiring(TODAY).notices == []


def test_with_nobody_holding_the_roles_the_threshold_is_marked_and_says_why(agreement):
    from alur.org.models import RoleAssignment

    RoleAssignment.objects.filter(role_id__in=["kepala_opd", "pengelola"]).delete()
    ending(agreement, 60)

    (notice,) = sweep_expiring(TODAY).notices

    assert (notice.sent, notice.recipients) == (False, ())
    assert "tidak ada yang memegang peran Kepala OPD di Dinas Pariwisata" in notice.line()
    agreement.refresh_from_db()
    assert agreement.expiry_notices == [90, 60]


def test_an_agreement_entered_by_hand_is_told_with_a_link_to_its_own_page(users):
    from alur.agreements.models import Partner
    from alur.org.models import OrgUnit

    entered = Agreement.objects.create(
        title="PKS Beasiswa Mahasiswa", org_unit=OrgUnit.objects.get(code="dkp"),
        partner=Partner.objects.get(name="Universitas Bangka Belitung"), object="Beasiswa", scope="Beasiswa S1",
        duration_months=36, registered_by=users["pengelola"], source=Agreement.Source.MANUAL,
        number="119/4/PKS/B.PEM/I/2024", starts_on=datetime.date(2024, 3, 1), ends_on=TODAY + datetime.timedelta(days=60))

    (notice,) = sweep_expiring(TODAY).notices

    assert notice.recipients == ("kepala_dkp", "pengelola")
    assert {path_of(notice) for notice in Notification.objects.all()} == {f"/perjanjian/{entered.pk}/"}


# --- two workers ------------------------------------------------------------------------------------

def test_a_sweep_that_read_the_agreement_before_another_sent_its_notice_sends_nothing(agreement):
    ending(agreement, 30)
    stale = Agreement.objects.select_related("org_unit", "partner").get(pk=agreement.pk)
    sweep_expiring(TODAY)  # the other worker
    events = AuditEvent.objects.count()

    assert _send(stale, 30, (90, 60), TODAY) is None

    assert AuditEvent.objects.count() == events
    assert len(notices(agreement)) == 2


def test_a_sweep_that_read_the_agreement_before_it_was_cancelled_sends_nothing(agreement, users):
    ending(agreement, 30)
    stale = Agreement.objects.select_related("org_unit", "partner").get(pk=agreement.pk)
    cancel_agreement(agreement_id=agreement.pk, reason="Pihak ketiga pailit.", actor=users["pengelola"])

    assert _send(stale, 30, (90, 60), TODAY) is None
    assert notices(agreement) == []


# --- the worker -----------------------------------------------------------------------------------

def test_the_workers_pass_sends_the_expiry_notice_and_prints_its_line(alur, agreement):  # noqa: F811
    days = 7
    Agreement.objects.filter(pk=agreement.pk).update(ends_on=timezone.localdate() + datetime.timedelta(days=days))

    result = alur("worker", "--once")

    assert result.exit_code == 0, result
    assert f"Pemberitahuan masa berlaku perjanjian {agreement.number} (7 hari lagi" in result.out
    assert "dikirim kepada kepala_dispar, pengelola; ambang 90, 60, 30 hari terlewat, tidak dikirim." in result.out
    again = alur("worker", "--once", "--json").json()
    assert again["expiry"]["notices"] == []


def test_the_workers_json_gives_the_expiry_notices(alur, agreement):  # noqa: F811
    Agreement.objects.filter(pk=agreement.pk).update(ends_on=timezone.localdate() + datetime.timedelta(days=60))

    data = alur("worker", "--once", "--json").json()

    (notice,) = data["expiry"]["notices"]
    assert (notice["number"], notice["threshold"], notice["recipients"], notice["sent"]) == (
        agreement.number, 60, ["kepala_dispar", "pengelola"], True)
    assert data["expiry"]["sent"] == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_the_same_moment_send_each_notice_once(users):
    agreements = [ending(registered(users, title=f"PKS Serentak {i}"), days) for i, days in enumerate((90, 30, 0))]
    events = AuditEvent.objects.count()

    results = at_once([lambda: sweep_expiring(TODAY), lambda: sweep_expiring(TODAY)])

    assert not [r for r in results if isinstance(r, BaseException)], results
    assert sorted(n.threshold for report in results for n in report.notices) == [0, 30, 90]
    assert AuditEvent.objects.count() == events + 3
    for agreement in agreements:
        assert len(notices(agreement)) == 2
