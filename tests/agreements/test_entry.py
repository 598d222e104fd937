"""Agreements signed outside Alur, entered by hand; corrections of the register."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from alur.agreements.entry import Contact, PartnerDetails, months_between, record_signed_agreement, update_agreement
from alur.agreements.models import Agreement, Partner
from alur.org.models import OrgUnit
from alur.workflow.errors import InvalidInput, NotAllowed
from alur.workflow.models import AuditEvent

START = datetime.date(2024, 3, 15)
END = datetime.date(2026, 3, 14)


def opd(code="dispar"):
    return OrgUnit.objects.get(code=code)


def record(users, *, by="pengelola", **overrides) -> Agreement:
    values = dict(
        kind=Agreement.Kind.PKS, number="180/12/PEM/2024", title="PKS Promosi Wisata Bahari",
        partner=Partner.objects.get(name="PT Pesona Wisata Serumpun"), org_unit=opd(), object="Promosi pariwisata",
        scope="Promosi bersama, pelatihan pemandu", signed_on=datetime.date(2024, 3, 12), starts_on=START, ends_on=END,
    )
    values.update(overrides)
    return record_signed_agreement(actor=users[by], **values)


def test_it_records_a_signed_agreement_with_every_register_field(users):
    mou = record(users, kind=Agreement.Kind.MOU, number="119/1/PEM/2023", title="MoU Pariwisata Berkelanjutan")

    agreement = record(users, partner_number="045/PKS/PWS/2024", urusan="pariwisata", value=Decimal("1500000000"),
                       signed_place="Pangkalpinang", signer=Agreement.Signer.KEPALA_OPD, power_of_attorney="SK/7/2024",
                       implements=mou.pk, registered_on=datetime.date(2024, 3, 20), archive_place="Lemari B-2")

    agreement.refresh_from_db()
    assert agreement.source == Agreement.Source.MANUAL and agreement.case is None
    assert (agreement.number, agreement.partner_number, agreement.implements, agreement.duration_months) == (
        "180/12/PEM/2024", "045/PKS/PWS/2024", mou, 24)
    assert (agreement.signer, agreement.power_of_attorney, agreement.value, agreement.archive_place) == (
        "kepala_opd", "SK/7/2024", Decimal("1500000000.00"), "Lemari B-2")
    assert agreement.registered_by == users["pengelola"]


def test_it_is_audited_with_what_was_recorded(users):
    agreement = record(users)

    event = AuditEvent.objects.filter(action="agreement.recorded").last()
    assert event.actor == users["pengelola"]
    assert event.data["agreement"] == agreement.pk
    assert (event.data["number"], event.data["starts_on"], event.data["source"]) == ("180/12/PEM/2024", "2024-03-15", "manual")


def test_a_duplicate_number_is_refused_naming_the_agreement_holding_it(users):
    first = record(users)

    with pytest.raises(InvalidInput, match=rf"Nomor 180/12/pem/2024 sudah dipakai oleh perjanjian #{first.pk} .PKS Promosi Wisata Bahari."):
        record(users, number=" 180/12/pem/2024 ", title="Lain")
    assert Agreement.objects.count() == 1


def test_a_new_partner_is_created_with_its_contact_persons(users):
    agreement = record(users, partner=PartnerDetails(
        name="  CV  Bahari Jaya ", kind=Partner.Kind.BADAN_USAHA, address="Sungailiat",
        contacts=(Contact("Rina", "Direktur", "0812", "rina@bahari.example"), Contact("Budi", phone="0813"))))

    partner = agreement.partner
    assert (partner.name, partner.address) == ("CV Bahari Jaya", "Sungailiat")
    assert [(c.name, c.position, c.email) for c in partner.contacts.all()] == [
        ("Rina", "Direktur", "rina@bahari.example"), ("Budi", "", "")]


def test_a_new_partner_already_in_the_directory_is_refused(users):
    with pytest.raises(InvalidInput, match="sudah ada di direktori"):
        record(users, partner=PartnerDetails(name="pt timah tbk", kind=Partner.Kind.BUMN_BUMD))


def test_a_bad_contact_email_is_refused(users):
    with pytest.raises(InvalidInput, match="Surel narahubung Rina"):
        record(users, partner=PartnerDetails(name="CV Baru", kind="badan_usaha", contacts=(Contact("Rina", email="bukan"),)))
    assert not Partner.objects.filter(name="CV Baru").exists()


def test_a_pks_implements_only_an_mou(users):
    pks = record(users)

    with pytest.raises(InvalidInput, match=r"bukan MoU .*PKS hanya dapat melaksanakan MoU"):
        record(users, number="180/13/PEM/2024", implements=pks)


def test_an_mou_implements_no_other_mou(users):
    mou = record(users, kind=Agreement.Kind.MOU, number="119/1/PEM/2023")

    with pytest.raises(InvalidInput, match="MoU tidak melaksanakan MoU lain"):
        record(users, kind=Agreement.Kind.MOU, number="119/2/PEM/2023", implements=mou)


def test_an_addendum_amends_an_agreement_and_only_an_addendum_amends(users):
    pks = record(users)

    addendum = record(users, kind=Agreement.Kind.ADDENDUM, number="180/12.1/PEM/2025", amends=pks, title="Addendum I")
    assert list(pks.addenda.all()) == [addendum]
    with pytest.raises(InvalidInput, match="jenisnya harus addendum"):
        record(users, number="180/14/PEM/2025", amends=pks)
    with pytest.raises(InvalidInput, match="Addendum harus menyebut perjanjian yang diubahnya"):
        record(users, kind=Agreement.Kind.ADDENDUM, number="180/15/PEM/2025")


def test_the_five_year_rule_holds_unless_the_karo_records_the_legal_basis(users):
    long_end = datetime.date(2031, 3, 15)
    with pytest.raises(InvalidInput, match="melebihi 5 tahun"):
        record(users, ends_on=long_end)
    with pytest.raises(InvalidInput, match="sebelum tanggal mulai"):
        record(users, ends_on=datetime.date(2024, 1, 1))
    with pytest.raises(NotAllowed, match="hanya dapat dicatat oleh Karo"):
        record(users, ends_on=long_end, legal_basis="Perpres 12/2021")

    agreement = record(users, by="karo", ends_on=long_end, legal_basis="Perpres 12/2021 pasal 7")

    assert (agreement.legal_basis, agreement.legal_basis_by) == ("Perpres 12/2021 pasal 7", users["karo"])


def test_a_kepala_opd_signs_only_with_a_power_of_attorney(users):
    with pytest.raises(InvalidInput, match="isi nomor surat kuasanya"):
        record(users, signer=Agreement.Signer.KEPALA_OPD)


def test_signing_in_the_future_is_refused(users):
    with pytest.raises(InvalidInput, match="tidak boleh di masa depan"):
        record(users, signed_on=datetime.date.today() + datetime.timedelta(days=3))


@pytest.mark.parametrize("field, limit, label", [
    ("title", 500, "Judul"), ("number", 120, "Nomor register"), ("partner_number", 120, "Nomor pihak ketiga"),
    ("signed_place", 200, "Tempat penandatanganan"), ("archive_place", 300, "Tempat arsip"),
])
def test_a_value_longer_than_its_field_is_refused_naming_the_field_and_the_limit(users, field, limit, label):
    with pytest.raises(InvalidInput, match=f"^{label} terlalu panjang: {limit + 1} karakter, paling banyak {limit}.$"):
        record(users, **{field: "x" * (limit + 1)})

    assert not Agreement.objects.exists()


def test_a_new_partner_name_longer_than_the_directory_holds_is_refused(users):
    with pytest.raises(InvalidInput, match="^Nama pihak ketiga terlalu panjang: 301 karakter, paling banyak 300.$"):
        record(users, partner=PartnerDetails(name="P" * 301, kind=Partner.Kind.BADAN_USAHA))


def test_a_registration_date_in_the_future_or_before_the_signing_is_refused(users):
    with pytest.raises(InvalidInput, match="Tanggal registrasi .* tidak boleh di masa depan"):
        record(users, registered_on=datetime.date.today() + datetime.timedelta(days=1))
    with pytest.raises(InvalidInput, match=r"Tanggal registrasi \(11-03-2024\) sebelum tanggal penandatanganan \(12-03-2024\)"):
        record(users, registered_on=datetime.date(2024, 3, 11))


def test_the_opd_must_be_an_opd(users):
    with pytest.raises(InvalidInput, match="bukan Perangkat Daerah"):
        record(users, org_unit=OrgUnit.objects.get(code="biro-pemerintahan"))


def test_only_those_who_keep_the_register_record(users):
    with pytest.raises(NotAllowed):
        record(users, by="kepala_dispar")
    with pytest.raises(NotAllowed):
        record(users, by="analis")
    assert Agreement.objects.count() == 0


@pytest.mark.parametrize(("start", "end", "months"), [
    ((2026, 1, 1), (2027, 12, 31), 24),
    ((2026, 1, 1), (2028, 1, 1), 24),
    ((2026, 1, 15), (2027, 1, 14), 12),
    ((2026, 1, 15), (2026, 3, 20), 3),
    ((2026, 1, 1), (2026, 1, 1), 1),
])
def test_duration_in_months_as_an_agreement_states_it(start, end, months):
    assert months_between(datetime.date(*start), datetime.date(*end)) == months


# --- corrections ----------------------------------------------------------------------------------

def test_a_correction_keeps_before_and_after_in_the_audit(users):
    agreement = record(users)

    update_agreement(actor=users["kabag"], agreement_id=agreement.pk, title="PKS Promosi Wisata Bahari Belitung",
                     archive_place="Lemari C-1", ends_on=datetime.date(2027, 3, 14), reason="salah ketik")

    agreement.refresh_from_db()
    assert (agreement.title, agreement.archive_place, agreement.duration_months) == (
        "PKS Promosi Wisata Bahari Belitung", "Lemari C-1", 36)
    event = AuditEvent.objects.filter(action="agreement.corrected").get()
    assert event.data["changes"] == {
        "title": {"before": "PKS Promosi Wisata Bahari", "after": "PKS Promosi Wisata Bahari Belitung"},
        "archive_place": {"before": "", "after": "Lemari C-1"},
        "ends_on": {"before": "2026-03-14", "after": "2027-03-14"},
        "duration_months": {"before": 24, "after": 36},
    }
    assert event.data["reason"] == "salah ketik"


def test_a_correction_that_changes_nothing_writes_no_event(users):
    agreement = record(users)

    update_agreement(actor=users["pengelola"], agreement_id=agreement.pk, title=" PKS Promosi  Wisata Bahari")

    assert not AuditEvent.objects.filter(action="agreement.corrected").exists()


def test_a_correction_passes_the_rules_of_an_entry(users):
    agreement = record(users)
    other = record(users, number="180/20/PEM/2024")

    with pytest.raises(InvalidInput, match=f"sudah dipakai oleh perjanjian #{agreement.pk}"):
        update_agreement(actor=users["pengelola"], agreement_id=other.pk, number="180/12/PEM/2024")
    with pytest.raises(InvalidInput, match="melebihi 5 tahun"):
        update_agreement(actor=users["pengelola"], agreement_id=other.pk, ends_on=datetime.date(2035, 1, 1))
    with pytest.raises(InvalidInput, match="bukan MoU"):
        update_agreement(actor=users["pengelola"], agreement_id=other.pk, implements=agreement.pk)
    with pytest.raises(InvalidInput, match="tidak dapat dikoreksi"):
        update_agreement(actor=users["pengelola"], agreement_id=other.pk, case=None)


def test_a_correction_refuses_a_value_longer_than_its_field(users):
    agreement = record(users)

    with pytest.raises(InvalidInput, match="Judul terlalu panjang"):
        update_agreement(actor=users["pengelola"], agreement_id=agreement.pk, title="x" * 501)
    with pytest.raises(InvalidInput, match="Nomor surat kuasa terlalu panjang"):
        update_agreement(actor=users["pengelola"], agreement_id=agreement.pk, signer=Agreement.Signer.KEPALA_OPD,
                         power_of_attorney="9" * 121)


def test_a_new_end_date_starts_the_expiry_notices_afresh(users):
    agreement = record(users)
    Agreement.objects.filter(pk=agreement.pk).update(expiry_notices=[90, 60])

    update_agreement(actor=users["pengelola"], agreement_id=agreement.pk, ends_on=datetime.date(2027, 3, 14))

    agreement.refresh_from_db()
    assert agreement.expiry_notices == []


def test_a_correction_keeping_the_end_date_keeps_the_notices_sent(users):
    agreement = record(users)
    Agreement.objects.filter(pk=agreement.pk).update(expiry_notices=[90])

    update_agreement(actor=users["pengelola"], agreement_id=agreement.pk, starts_on=datetime.date(2024, 4, 1))

    agreement.refresh_from_db()
    assert agreement.expiry_notices == [90]


def test_a_correction_of_the_title_keeps_a_legal_basis_the_karo_recorded(users):
    agreement = record(users, by="karo", ends_on=datetime.date(2031, 3, 15), legal_basis="Perpres 12/2021")

    update_agreement(actor=users["pengelola"], agreement_id=agreement.pk, title="Judul baru")

    agreement.refresh_from_db()
    assert (agreement.title, agreement.legal_basis, agreement.legal_basis_by) == ("Judul baru", "Perpres 12/2021", users["karo"])


def test_a_correction_back_within_the_rules_drops_the_legal_basis(users):
    agreement = record(users, by="karo", ends_on=datetime.date(2031, 3, 15), legal_basis="Perpres 12/2021")

    update_agreement(actor=users["pengelola"], agreement_id=agreement.pk, ends_on=datetime.date(2028, 3, 14))

    agreement.refresh_from_db()
    assert (agreement.legal_basis, agreement.legal_basis_by) == ("", None)


def test_an_mou_carried_out_by_a_pks_keeps_its_kind(users):
    mou = record(users, kind=Agreement.Kind.MOU, number="119/1/PEM/2023")
    record(users, number="180/20/PEM/2024", implements=mou)

    with pytest.raises(InvalidInput, match="jenisnya tidak dapat diubah"):
        update_agreement(actor=users["pengelola"], agreement_id=mou.pk, kind=Agreement.Kind.PKS)


def test_an_addendum_chain_never_loops(users):
    pks = record(users)
    first = record(users, kind=Agreement.Kind.ADDENDUM, number="A/1", amends=pks)
    second = record(users, kind=Agreement.Kind.ADDENDUM, number="A/2", amends=first)

    with pytest.raises(InvalidInput, match="Addendum tidak dapat mengubah dirinya sendiri"):
        update_agreement(actor=users["pengelola"], agreement_id=first.pk, amends=first.pk)
    with pytest.raises(InvalidInput, match="addendum-nya sendiri"):
        update_agreement(actor=users["pengelola"], agreement_id=first.pk, amends=second.pk)


def test_only_those_who_keep_the_register_correct_it(users):
    agreement = record(users)

    with pytest.raises(NotAllowed):
        update_agreement(actor=users["kepala_dispar"], agreement_id=agreement.pk, title="Lain")


def test_a_number_taken_meanwhile_is_a_clear_refusal(users, monkeypatch):
    from alur.agreements import entry

    record(users)
    # As if the check had run before another person's entry committed.
    monkeypatch.setattr(entry, "check_number", lambda number, **_: number)

    with pytest.raises(InvalidInput, match="baru saja dicatat orang lain"):
        record(users, title="Lain")
    assert Agreement.objects.count() == 1
