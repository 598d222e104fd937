"""Signing and registering a PKS through the real engine: the period checked at step 12, the
register number and what the steps recorded given at the end `teregistrasi`, in the completion's
own transaction (a failure refuses the completion and gives the number back)."""
from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.utils import timezone

from alur.agreements import lifecycle
from alur.agreements.entry import update_agreement
from alur.agreements.models import Agreement, Distribution, RegisterCounter
from alur.agreements.register import ROMAN_MONTHS
from alur.agreements.lifecycle import record_legal_basis
from alur.org.models import OrgUnit, Role, RoleAssignment
from alur.workflow.audit import verify_chain
from alur.workflow.definitions import definition_of
from alur.workflow.errors import InvalidInput, MissingDocuments, NotAllowed
from alur.workflow.models import AuditEvent, Case, Document, Task
from alur.workflow.services import complete_task
from tests.agreements.registerdata import agreement as entered_by_hand
from tests.agreements.walking import complete, drafted, registered, to_signing
from tests.conftest import PERIOD_ENDS, PERIOD_STARTS, pdf


def number(running: int, kind: str = "PKS") -> str:
    today = timezone.localdate()
    return f"119/{running}/{kind}/B.PEM/{ROMAN_MONTHS[today.month - 1]}/{today.year}"


def state(agreement: Agreement) -> tuple:
    """What a refused completion must leave as it was."""
    agreement.refresh_from_db()
    return (agreement.number, agreement.registered_on, agreement.starts_on, agreement.legal_basis,
            list(RegisterCounter.objects.values_list("year", "kind", "last")), Distribution.objects.count(),
            AuditEvent.objects.count(), Document.objects.count(),
            list(Task.objects.filter(case=agreement.case).values_list("step_key", "status")))


@pytest.fixture
def at_signing(users):
    agreement, walker = drafted(users)
    to_signing(walker)
    return agreement, walker


@pytest.fixture
def at_registration(at_signing):
    agreement, walker = at_signing
    complete(walker)
    assert walker.open_task.step_key == "registrasi"
    return agreement, walker


# --- the registered end ------------------------------------------------------------------------------

def test_the_registered_end_gives_the_agreement_its_number_and_what_the_steps_recorded(at_registration, users):
    agreement, walker = at_registration

    complete(walker)

    agreement.refresh_from_db()
    assert (walker.case.status, walker.case.end_key) == (Case.Status.COMPLETED, "teregistrasi")
    assert agreement.number == number(1)
    assert agreement.registered_on == timezone.localdate()
    assert (agreement.signed_on, agreement.signed_place, agreement.partner_number) == (
        datetime.date(2026, 11, 24), "Pangkalpinang", "045/PKS/PMJ/XI/2026")
    assert (agreement.starts_on, agreement.ends_on) == (datetime.date(2026, 12, 1), datetime.date(2028, 11, 30))
    assert agreement.signer == Agreement.Signer.GUBERNUR
    assert agreement.archive_place == "Lemari arsip Bagian Kerja Sama, rak 2"
    assert (agreement.legal_basis, agreement.legal_basis_by) == ("", None)


def test_each_recipient_of_the_distribution_is_a_row_dated_the_day_of_registration(at_registration):
    agreement, walker = at_registration

    complete(walker, distribusi="  Dinas Pariwisata \n\n Inspektorat   Provinsi\nPT Pesona Wisata Serumpun\n")

    assert list(agreement.distributions.values_list("recipient", "sent_on")) == [
        ("Dinas Pariwisata", timezone.localdate()), ("Inspektorat Provinsi", timezone.localdate()),
        ("PT Pesona Wisata Serumpun", timezone.localdate())]


def test_the_registration_is_in_the_audit_chain_after_the_completion_that_made_it(at_registration, users):
    agreement, walker = at_registration

    complete(walker)

    last_two = list(AuditEvent.objects.order_by("-seq")[:2])
    assert [e.action for e in last_two] == ["agreement.registered", "task.completed"]
    event = last_two[0]
    assert (event.actor, event.case_id) == (users["pengelola"], agreement.case_id)
    assert event.data["number"] == number(1)
    assert event.data["distribution"] == ["Dinas Pariwisata", "PT Maju Jaya"]
    assert (event.data["starts_on"], event.data["ends_on"]) == (PERIOD_STARTS.isoformat(), PERIOD_ENDS.isoformat())
    assert verify_chain().ok


def test_registrations_count_on_within_the_year_and_kind(users):
    first = registered(users)
    second = registered(users, title="PKS Pengembangan Desa Wisata", opd="dkp", partner="PT Timah Tbk")

    assert (first.number, second.number) == (number(1), number(2))
    today = timezone.localdate()
    assert list(RegisterCounter.objects.values_list("year", "kind", "last")) == [(today.year, "pks", 2)]


def at_governor(users) -> tuple[Agreement, object]:
    agreement, walker = drafted(users)
    walker.steps(6)
    walker.step("setuju")
    walker.step("setuju")
    assert walker.open_task.step_key == "keputusan_gubernur"
    return agreement, walker


def governor_decides(walker, users, **record) -> Task:
    documents = [pdf("disposisi_gubernur")] + ([pdf("surat_kuasa")] if record.get("penandatangan") == "kepala_opd" else [])
    return complete_task(task_id=walker.open_task.pk, actor=users["gubernur"], outcome="setuju", record=record,
                         attachments=documents)


def to_the_end(agreement: Agreement, walker) -> Agreement:
    walker.steps(2)
    complete(walker)
    complete(walker)
    agreement.refresh_from_db()
    return agreement


def test_the_opd_head_signing_with_a_surat_kuasa_is_the_signer_registered_with_its_number(users):
    agreement, walker = at_governor(users)

    governor_decides(walker, users, penandatangan="kepala_opd", nomor_surat_kuasa="  180/ 45 /HUK/2026 ")
    agreement = to_the_end(agreement, walker)

    assert (agreement.signer, agreement.power_of_attorney) == (Agreement.Signer.KEPALA_OPD, "180/ 45 /HUK/2026")
    event = AuditEvent.objects.get(action="agreement.registered")
    assert event.data["power_of_attorney"] == "180/ 45 /HUK/2026"


def test_the_opd_head_chosen_to_sign_without_the_surat_kuasa_number_is_refused_naming_the_field(users):
    agreement, walker = at_governor(users)
    before = state(agreement)

    with pytest.raises(InvalidInput) as refused:
        governor_decides(walker, users, penandatangan="kepala_opd")

    assert "Nomor surat kuasa" in refused.value.message and "langkah 9" in refused.value.message
    assert state(agreement) == before
    assert walker.open_task.step_key == "keputusan_gubernur"


def test_a_surat_kuasa_number_longer_than_the_register_keeps_is_refused(users):
    agreement, walker = at_governor(users)

    with pytest.raises(InvalidInput, match="Isian 'Nomor surat kuasa .*' terlalu panjang: paling banyak 120 karakter"):
        governor_decides(walker, users, penandatangan="kepala_opd", nomor_surat_kuasa="x" * 121)


def test_the_governor_signing_keeps_no_surat_kuasa_number(users):
    agreement, walker = at_governor(users)

    governor_decides(walker, users, penandatangan="gubernur", nomor_surat_kuasa="180/45/HUK/2026")
    agreement = to_the_end(agreement, walker)

    assert (agreement.signer, agreement.power_of_attorney) == (Agreement.Signer.GUBERNUR, "")


def test_a_case_on_an_sop_version_without_the_surat_kuasa_number_keeps_its_rule(users):
    agreement, _walker = at_governor(users)
    definition = definition_of(agreement.case.sop_version)
    step = definition.step("keputusan_gubernur")
    older_step = dataclasses.replace(step, record=tuple(f for f in step.record if f.key != "nomor_surat_kuasa"))
    older_register = dataclasses.replace(definition.register, fields=tuple(
        f for f in definition.register.fields if f[0] != "power_of_attorney"))
    older = dataclasses.replace(definition, register=older_register)

    lifecycle.check_step(definition=older, case_id=agreement.case_id, step=older_step, outcome="setuju",
                         record={"penandatangan": "kepala_opd"}, actor=users["gubernur"])


def test_a_case_that_carries_no_agreement_ends_registered_without_a_number(walker):
    to_signing(walker)
    walker.steps(2)

    assert walker.case.end_key == "teregistrasi"
    assert not Agreement.objects.exists()
    assert not RegisterCounter.objects.exists()


# --- the signed document is required --------------------------------------------------------------

def test_the_signing_cannot_be_reported_without_the_signed_pks(at_signing):
    agreement, walker = at_signing
    before = state(agreement)

    with pytest.raises(MissingDocuments, match="Dokumen PKS"):
        complete(walker, attachments=[])

    assert state(agreement) == before


def test_registration_cannot_happen_without_the_signed_pks_on_the_case(at_registration):
    agreement, walker = at_registration
    Document.objects.filter(case=agreement.case, kind="dokumen_pks").delete()
    before = state(agreement)

    with pytest.raises(MissingDocuments, match="Kelengkapan langkah 13 belum lengkap: Dokumen PKS"):
        complete(walker)

    assert state(agreement) == before
    assert agreement.number is None


# --- the period at step 12 --------------------------------------------------------------------------

def test_a_period_beyond_five_years_is_refused_naming_its_dates_and_changes_nothing(at_signing):
    agreement, walker = at_signing
    before = state(agreement)

    with pytest.raises(InvalidInput) as refused:
        complete(walker, tanggal_mulai="2026-12-01", tanggal_berakhir="2031-12-02")

    assert "01-12-2026 sampai 02-12-2031 melebihi 5 tahun" in refused.value.message
    assert "Karo Pemerintahan dapat mencatatnya pada halaman perkara" in refused.value.message
    assert state(agreement) == before


def test_an_end_before_the_start_is_refused_naming_both_dates(at_signing):
    agreement, walker = at_signing

    with pytest.raises(InvalidInput, match=r"tanggal berakhir \(30-11-2026\) sebelum tanggal mulai \(01-12-2026\)"):
        complete(walker, tanggal_mulai="2026-12-01", tanggal_berakhir="2026-11-30")


def test_exactly_five_years_is_within_the_rule(at_signing):
    agreement, walker = at_signing

    complete(walker, tanggal_mulai="2026-12-01", tanggal_berakhir="2031-12-01")

    assert walker.open_task.step_key == "registrasi"


def test_a_signing_date_still_to_come_is_refused(at_signing):
    agreement, walker = at_signing
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(InvalidInput, match=f"Tanggal penandatanganan {tomorrow:%d-%m-%Y} belum tiba"):
        complete(walker, tanggal_tanda_tangan=tomorrow.isoformat())


def test_the_opd_heads_own_legal_basis_is_refused_as_only_the_karo_may_record_it(at_signing):
    agreement, walker = at_signing
    before = state(agreement)

    with pytest.raises(InvalidInput, match="hanya dapat dicatat oleh Karo Pemerintahan"):
        complete(walker, tanggal_berakhir="2033-01-01", dasar_hukum="Perpres 38/2015 tentang KPBU")

    assert state(agreement) == before


def test_a_legal_basis_the_karo_recorded_lets_a_longer_period_stand_and_is_registered(at_signing, users):
    agreement, walker = at_signing
    record_legal_basis(agreement_id=agreement.pk, legal_basis="Perpres 38/2015 tentang KPBU, pasal 5", actor=users["karo"])

    complete(walker, tanggal_mulai="2026-12-01", tanggal_berakhir="2046-11-30")
    complete(walker)

    agreement.refresh_from_db()
    assert (agreement.ends_on, agreement.legal_basis, agreement.legal_basis_by) == (
        datetime.date(2046, 11, 30), "Perpres 38/2015 tentang KPBU, pasal 5", users["karo"])


def test_a_karo_acting_as_head_of_the_opd_may_give_the_legal_basis_at_the_signing(at_signing, users):
    agreement, walker = at_signing
    karo = users["karo"]
    RoleAssignment.objects.create(user=karo, role=Role.objects.get(key="kepala_opd"), org_unit=OrgUnit.objects.get(code="dispar"),
                                  acting=RoleAssignment.Acting.PLT)

    complete(walker, actor=karo, tanggal_berakhir="2036-11-30", dasar_hukum="Perpres 38/2015 tentang KPBU")
    complete(walker)

    agreement.refresh_from_db()
    assert (agreement.legal_basis, agreement.legal_basis_by) == ("Perpres 38/2015 tentang KPBU", karo)


def test_only_the_karo_records_a_legal_basis(at_signing, users):
    agreement, _ = at_signing

    with pytest.raises(NotAllowed, match="hanya dapat dicatat oleh Karo Pemerintahan"):
        record_legal_basis(agreement_id=agreement.pk, legal_basis="Perpres 38/2015", actor=users["pengelola"])
    with pytest.raises(InvalidInput, match="Tuliskan dasar hukum"):
        record_legal_basis(agreement_id=agreement.pk, legal_basis="   ", actor=users["karo"])

    agreement.refresh_from_db()
    assert agreement.legal_basis == ""


def test_recording_a_legal_basis_is_audited(at_signing, users):
    agreement, _ = at_signing

    record_legal_basis(agreement_id=agreement.pk, legal_basis="Perpres  38/2015", actor=users["karo"])

    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.actor, event.case_id, event.data["legal_basis"]) == (
        "agreement.legal_basis_recorded", users["karo"], agreement.case_id, "Perpres 38/2015")


# --- what the register cannot keep is refused at the step ---------------------------------------------

def test_a_recipient_longer_than_the_register_keeps_is_refused_before_anything_is_written(at_registration):
    agreement, walker = at_registration
    before = state(agreement)

    with pytest.raises(InvalidInput, match="paling banyak 300 karakter per baris"):
        complete(walker, distribusi="Dinas Pariwisata\n" + "x" * 301)

    assert state(agreement) == before


def test_an_archive_place_too_long_is_refused_naming_the_field(at_registration):
    agreement, walker = at_registration

    with pytest.raises(InvalidInput, match="Isian 'Tempat arsip' terlalu panjang"):
        complete(walker, tempat_arsip="x" * 301)


# --- a failure refuses the completion and gives the number back ------------------------------------

def test_an_agreement_numbered_already_refuses_the_completion(at_registration):
    agreement, walker = at_registration
    Agreement.objects.filter(pk=agreement.pk).update(number="119/99/PKS/B.PEM/XI/2026")
    before = state(agreement)

    with pytest.raises(InvalidInput, match="sudah teregistrasi dengan nomor 119/99/PKS/B.PEM/XI/2026"):
        complete(walker)

    assert state(agreement) == before
    assert walker.case.status == Case.Status.RUNNING


def test_a_number_given_that_an_agreement_entered_by_hand_holds_is_refused_naming_it(at_registration, users):
    agreement, walker = at_registration
    # A MoU typed in before the PKS got a pattern of their own, in what is now the PKS series:
    # counted as a MoU, it never moved the PKS counter past it.
    holder = entered_by_hand(kind=Agreement.Kind.MOU, number=number(1), title="MoU Pariwisata Bahari")
    before = state(agreement)

    with pytest.raises(InvalidInput) as refused:
        complete(walker)

    message = refused.value.message
    assert number(1) in message and f"#{holder.pk}" in message and "MoU Pariwisata Bahari" in message
    assert f"/perjanjian/{holder.pk}/" in message and "Pengelola Informasi Kerja Sama" in message
    assert state(agreement) == before
    assert walker.open_task.step_key == "registrasi"

    # As the message says: the hand-entered number corrected, the registration goes through.
    update_agreement(actor=users["pengelola"], agreement_id=holder.pk, number="119/1/MoU/B.PEM/I/2020",
                     reason="Nomor salah ketik")
    complete(walker)

    agreement.refresh_from_db()
    assert agreement.number == number(1)


def test_a_registration_that_fails_after_taking_its_number_gives_it_back(at_registration, monkeypatch):
    agreement, walker = at_registration
    real_record_event = lifecycle.record_event

    def failing(**kwargs):
        raise InvalidInput("Jejak audit tidak dapat ditulis (uji).")

    monkeypatch.setattr(lifecycle, "record_event", failing)
    with pytest.raises(InvalidInput, match="uji"):
        complete(walker)
    assert not RegisterCounter.objects.filter(last__gt=0).exists()
    assert walker.open_task.step_key == "registrasi"

    monkeypatch.setattr(lifecycle, "record_event", real_record_event)
    complete(walker)

    agreement.refresh_from_db()
    assert agreement.number == number(1)
