"""Agreements signed outside Alur, entered by hand into the register, and corrections of a
register entry.

The rules an entry must pass live here once, as small checks that raise with a message for the
person who typed the value; the XLSX import (imports.py) runs the same checks and files each
message under the column it came from.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from alur.org.models import OrgUnit
from alur.workflow.audit import record_event
from alur.workflow.errors import InvalidInput, NotAllowed, NotFound

from .models import URUSAN, Agreement, Distribution, Partner
from .register import KIND_CODES, count_back, count_past, running_of
from .selectors import keeps_register
from .validity import check_validity

URUSAN_CODES = frozenset(code for code, _label in URUSAN)


@dataclass(frozen=True)
class Contact:
    """A contact person of a partner, as typed in."""

    name: str
    position: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class PartnerDetails:
    """A partner not yet in the directory, with its contact persons."""

    name: str
    kind: str
    address: str = ""
    contacts: tuple[Contact, ...] = field(default_factory=tuple)


def clean_text(value: Any) -> str:
    """One line of text as people mean it: outer blanks gone, runs of blanks one space."""
    return " ".join(str(value or "").split())


def same_number(number: str):
    """The agreements holding this register number (compared without regard to case)."""
    return Agreement.objects.filter(number__iexact=clean_text(number))


# --- the checks ---------------------------------------------------------------------------------

def check_number(number: str, *, exclude_pk: int | None = None) -> str:
    """Our register number, cleaned; refused when empty or held by another agreement."""
    number = clean_text(number)
    if not number:
        raise InvalidInput("Nomor register wajib diisi.")
    holders = same_number(number)
    if exclude_pk is not None:
        holders = holders.exclude(pk=exclude_pk)
    holder = holders.first()
    if holder is not None:
        raise InvalidInput(f"Nomor {number} sudah dipakai oleh perjanjian #{holder.pk} \u201c{holder.title}\u201d.")
    return number


# The typed one-line fields of an agreement and of a new partner, as (model, field): their
# database columns have a length, checked here so a too-long value is a message, not an error.
LENGTH_LIMITED = {
    "number": (Agreement, "number"), "partner_number": (Agreement, "partner_number"), "title": (Agreement, "title"),
    "signed_place": (Agreement, "signed_place"), "power_of_attorney": (Agreement, "power_of_attorney"),
    "archive_place": (Agreement, "archive_place"), "partner": (Partner, "name"),
    "recipient": (Distribution, "recipient"),
}


def check_length(key: str, value: Any) -> None:
    """Refuse a value longer than its column holds, naming the field, its length and the limit."""
    model, name = LENGTH_LIMITED[key]
    field_ = model._meta.get_field(name)
    text = clean_text(value)
    if len(text) > field_.max_length:
        with translation.override("id"):  # the services speak Indonesian, whatever language the page is in
            label = "nama pihak ketiga" if model is Partner else str(field_.verbose_name)
        raise InvalidInput(f"{label.capitalize()} terlalu panjang: {len(text)} karakter, paling banyak {field_.max_length}.")


def check_lengths(**values: Any) -> None:
    for key, value in values.items():
        check_length(key, value)


def check_number_series(number: str, kind: str) -> None:
    """A number written in another kind's series is refused: it would be counted as that kind's
    and, given again by the register, block a registration."""
    for other, code in KIND_CODES.items():
        if other != kind and running_of(number, other) is not None:
            raise InvalidInput(f"Nomor {number} ditulis sebagai nomor {code}, padahal jenis perjanjiannya "
                               f"{Agreement.Kind(kind).label}; periksa jenis atau nomornya.")


def check_registered_on(registered_on: datetime.date | None, signed_on: datetime.date | None) -> None:
    if registered_on is None:
        return
    if registered_on > timezone.localdate():
        raise InvalidInput(f"Tanggal registrasi ({registered_on:%d-%m-%Y}) tidak boleh di masa depan.")
    if signed_on is not None and registered_on < signed_on:
        raise InvalidInput(f"Tanggal registrasi ({registered_on:%d-%m-%Y}) sebelum tanggal penandatanganan "
                           f"({signed_on:%d-%m-%Y}).")


def check_kind(kind: str) -> str:
    if kind not in Agreement.Kind.values:
        raise InvalidInput(f"Jenis perjanjian '{kind}' tidak dikenal; pilih PKS, MoU atau addendum.")
    return kind


def check_implements(kind: str, mou: Agreement | None) -> None:
    """A PKS (or its addendum) may carry out an MoU; only an MoU can be carried out."""
    if mou is None:
        return
    if mou.kind != Agreement.Kind.MOU:
        raise InvalidInput(f"{_name(mou)} bukan MoU ({mou.get_kind_display()}); PKS hanya dapat melaksanakan MoU.")
    if kind == Agreement.Kind.MOU:
        raise InvalidInput("MoU tidak melaksanakan MoU lain; kosongkan MoU induknya.")


def check_amends(kind: str, amended: Agreement | None, *, own_pk: int | None = None) -> None:
    """An addendum amends an agreement of the register; only an addendum amends."""
    if kind == Agreement.Kind.ADDENDUM and amended is None:
        raise InvalidInput("Addendum harus menyebut perjanjian yang diubahnya.")
    if amended is None:
        return
    if kind != Agreement.Kind.ADDENDUM:
        raise InvalidInput(f"Hanya addendum yang dapat mengubah perjanjian lain; jenisnya harus addendum, bukan "
                           f"{Agreement.Kind(kind).label}.")
    if own_pk is not None and amended.pk == own_pk:
        raise InvalidInput("Addendum tidak dapat mengubah dirinya sendiri.")


def check_signer(signer: str, power_of_attorney: str) -> tuple[str, str]:
    """Who signed for the province; a Kepala OPD signs only with a surat kuasa, whose number is kept."""
    if signer and signer not in Agreement.Signer.values:
        raise InvalidInput(f"Penandatangan '{signer}' tidak dikenal; pilih Gubernur atau Kepala OPD dengan surat kuasa.")
    power_of_attorney = clean_text(power_of_attorney)
    if signer == Agreement.Signer.KEPALA_OPD and not power_of_attorney:
        raise InvalidInput("Kepala OPD menandatangani dengan surat kuasa: isi nomor surat kuasanya.")
    return signer, power_of_attorney


def check_signed_on(signed_on: datetime.date | None) -> None:
    if signed_on is None:
        raise InvalidInput("Tanggal penandatanganan wajib diisi.")
    if signed_on > timezone.localdate():
        raise InvalidInput(f"Tanggal penandatanganan ({signed_on:%d-%m-%Y}) tidak boleh di masa depan.")


def check_urusan(urusan: str) -> str:
    if urusan and urusan not in URUSAN_CODES:
        raise InvalidInput(f"Urusan '{urusan}' tidak dikenal.")
    return urusan


def check_value(value: Decimal | None) -> Decimal | None:
    if value is not None and value < 0:
        raise InvalidInput("Nilai perjanjian tidak boleh negatif.")
    if value is not None and abs(value) >= Decimal(10) ** 16:
        raise InvalidInput("Nilai perjanjian terlalu besar.")
    return value


def check_org_unit(org_unit: OrgUnit | None) -> OrgUnit:
    if org_unit is None:
        raise InvalidInput("OPD pelaksana wajib diisi.")
    if org_unit.kind != OrgUnit.Kind.OPD:
        raise InvalidInput(f"{org_unit.name} bukan Perangkat Daerah (OPD).")
    return org_unit


def check_required(**values: Any) -> None:
    for label, value in values.items():
        if not clean_text(value):
            raise InvalidInput(f"{label.replace('_', ' ').capitalize()} wajib diisi.")


def check_partner_details(details: PartnerDetails) -> PartnerDetails:
    name = clean_text(details.name)
    if not name:
        raise InvalidInput("Nama pihak ketiga wajib diisi.")
    check_length("partner", name)
    if details.kind not in Partner.Kind.values:
        raise InvalidInput(f"Jenis pihak ketiga '{details.kind}' tidak dikenal.")
    existing = Partner.objects.filter(name__iexact=name).first()
    if existing is not None:
        raise InvalidInput(f"Pihak ketiga \u201c{existing.name}\u201d sudah ada di direktori; pilih dari daftar.")
    contacts = []
    for contact in details.contacts:
        if not clean_text(contact.name):
            if any(clean_text(v) for v in (contact.position, contact.phone, contact.email)):
                raise InvalidInput("Narahubung harus bernama.")
            continue
        email = clean_text(contact.email)
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise InvalidInput(f"Surel narahubung {clean_text(contact.name)} ('{email}') tidak sah.") from None
        contacts.append(Contact(clean_text(contact.name), clean_text(contact.position), clean_text(contact.phone), email))
    return PartnerDetails(name, details.kind, str(details.address or "").strip(), tuple(contacts))


def months_between(starts_on: datetime.date, ends_on: datetime.date) -> int:
    """The duration in whole months as an agreement states it: from 1 January 2026 to
    31 December 2027 is 24 months. At least one."""
    months = (ends_on.year - starts_on.year) * 12 + ends_on.month - starts_on.month
    # A month begun counts whole ("to the day before" is the usual form); ending on the day it
    # began, as in 1 January 2026 to 1 January 2028, is whole months already.
    if ends_on.day > starts_on.day:
        months += 1
    return max(1, months)


def _name(agreement: Agreement) -> str:
    return f"{agreement.number or '#' + str(agreement.pk)} \u201c{agreement.title}\u201d"


def _agreement(value: Agreement | int | None, what: str) -> Agreement | None:
    if value is None or value == "":
        return None
    if isinstance(value, Agreement):
        return value
    found = Agreement.objects.filter(pk=value).first()
    if found is None:
        raise NotFound(f"{what} #{value} tidak ditemukan.")
    return found


# --- the audit's picture of an agreement ---------------------------------------------------------

REGISTER_FIELDS = (
    "kind", "number", "partner_number", "title", "partner", "org_unit", "object", "scope", "duration_months",
    "urusan", "value", "signed_on", "signed_place", "signer", "power_of_attorney", "starts_on", "ends_on",
    "legal_basis", "implements", "amends", "registered_on", "archive_place",
)


def _plain(value: Any) -> Any:
    """A value as the audit trail keeps it (JSON-native)."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(agreement: Agreement) -> dict[str, Any]:
    """The register fields of an agreement, JSON-native; related rows by id."""
    data = {}
    for name in REGISTER_FIELDS:
        model_field = Agreement._meta.get_field(name)
        data[name] = _plain(getattr(agreement, model_field.attname))
    return data


# --- the services ----------------------------------------------------------------------------------

def _require_register_keeper(actor) -> None:
    if not keeps_register(actor):
        raise NotAllowed("Hanya Pengelola Informasi Kerja Sama, Kabag Kerja Sama atau Karo Pemerintahan yang mencatat "
                         "perjanjian di register.")


def partner_for(partner: Partner | int | PartnerDetails) -> Partner:
    """The partner chosen from the directory, or a new one created after its checks: the one place
    a partner is created (the intake, manual entry and the import all come here)."""
    if isinstance(partner, PartnerDetails):
        details = check_partner_details(partner)
        created = Partner.objects.create(name=details.name, kind=details.kind, address=details.address)
        for contact in details.contacts:
            created.contacts.create(name=contact.name, position=contact.position, phone=contact.phone, email=contact.email)
        return created
    if isinstance(partner, Partner):
        return partner
    found = Partner.objects.filter(pk=partner).first() if partner else None
    if found is None:
        raise InvalidInput("Pilih pihak ketiga dari direktori atau isi pihak ketiga baru.")
    return found


@transaction.atomic
def record_signed_agreement(
    *, actor, kind: str, number: str, title: str, partner: Partner | int | PartnerDetails, org_unit: OrgUnit,
    object: str, scope: str, signed_on: datetime.date, starts_on: datetime.date, ends_on: datetime.date,
    partner_number: str = "", urusan: str = "", value: Decimal | None = None, signed_place: str = "",
    signer: str = "", power_of_attorney: str = "", legal_basis: str = "", implements: Agreement | int | None = None,
    amends: Agreement | int | None = None, registered_on: datetime.date | None = None, archive_place: str = "",
    audit: dict | None = None, source: str = Agreement.Source.MANUAL,
) -> Agreement:
    """Enter into the register an agreement signed outside Alur, with the number it was given on
    paper. `audit` adds details to the audit event (the import's file and row)."""
    _require_register_keeper(actor)
    kind = check_kind(kind)
    number = check_number(number)
    check_number_series(number, kind)
    check_required(judul=title, objek=object, ruang_lingkup=scope)
    check_lengths(number=number, partner_number=partner_number, title=title, signed_place=signed_place,
                  power_of_attorney=power_of_attorney, archive_place=archive_place)
    org_unit = check_org_unit(org_unit)
    check_signed_on(signed_on)
    check_registered_on(registered_on, signed_on)
    if starts_on is None or ends_on is None:
        raise InvalidInput("Tanggal mulai dan tanggal berakhir wajib diisi.")
    legal_basis = check_validity(starts_on=starts_on, ends_on=ends_on, legal_basis=legal_basis, actor=actor)
    signer, power_of_attorney = check_signer(signer, power_of_attorney)
    implements, amends = _agreement(implements, "MoU"), _agreement(amends, "Perjanjian")
    check_implements(kind, implements)
    check_amends(kind, amends)
    values = dict(
        kind=kind, number=number, partner_number=clean_text(partner_number), title=clean_text(title),
        org_unit=org_unit, object=object.strip(), scope=scope.strip(),
        duration_months=months_between(starts_on, ends_on), urusan=check_urusan(urusan), value=check_value(value),
        signed_on=signed_on, signed_place=clean_text(signed_place), signer=signer, power_of_attorney=power_of_attorney,
        starts_on=starts_on, ends_on=ends_on, legal_basis=legal_basis, legal_basis_by=actor if legal_basis else None,
        implements=implements, amends=amends, registered_on=registered_on,
        archive_place=clean_text(archive_place), registered_by=actor, source=source,
    )
    try:
        with transaction.atomic():
            # A number of Alur's own series: registrations count on from it, never giving it again.
            # The counter first, as a registration takes it first: two writers never wait on each other.
            count_past(kind=kind, number=number)
            agreement = Agreement.objects.create(partner=partner_for(partner), **values)
    except IntegrityError:
        # Checked above, so someone else took the number (or the new partner's name) meanwhile.
        raise InvalidInput(f"Nomor {number} atau pihak ketiga barunya baru saja dicatat orang lain; periksa register "
                           "lalu coba lagi.") from None
    record_event(action="agreement.recorded", actor=actor, data={
        "agreement": agreement.pk, "source": source, **snapshot(agreement), **(audit or {})})
    return agreement


# Fields a correction may change, and how each is checked.
CORRECTABLE = frozenset(REGISTER_FIELDS) - {"duration_months"}


@transaction.atomic
def update_agreement(*, actor, agreement_id: int, reason: str = "", **changes: Any) -> Agreement:
    """Correct an agreement of the register. Only the fields named change; the rules of an entry
    hold for the result. The audit event keeps every changed field before and after."""
    _require_register_keeper(actor)
    unknown = sorted(set(changes) - CORRECTABLE)
    if unknown:
        raise InvalidInput(f"Isian {', '.join(unknown)} tidak dapat dikoreksi di sini.")
    agreement = Agreement.objects.select_for_update().filter(pk=agreement_id).first()
    if agreement is None:
        raise NotFound(f"Perjanjian #{agreement_id} tidak ditemukan.")
    before = snapshot(agreement)
    before_ends_on, before_number, before_kind = agreement.ends_on, agreement.number, agreement.kind

    if "number" in changes:
        # An agreement still in its case has no number yet; once it has one, it keeps having one.
        number = clean_text(changes["number"])
        agreement.number = check_number(number, exclude_pk=agreement.pk) if number or agreement.number else None
        check_lengths(number=agreement.number or "")
    if "kind" in changes:
        kind = check_kind(changes["kind"])
        if kind != Agreement.Kind.MOU and agreement.kind == Agreement.Kind.MOU and agreement.implementations.exists():
            raise InvalidInput("Perjanjian ini MoU yang dilaksanakan oleh PKS lain; jenisnya tidak dapat diubah.")
        agreement.kind = kind
    for name, label in (("title", "judul"), ("object", "objek"), ("scope", "ruang_lingkup")):
        if name in changes:
            check_required(**{label: changes[name]})
            if name == "title":
                check_length("title", changes[name])
            setattr(agreement, name, clean_text(changes[name]) if name == "title" else str(changes[name]).strip())
    for name in ("partner_number", "signed_place", "archive_place"):
        if name in changes:
            check_length(name, changes[name])
            setattr(agreement, name, clean_text(changes[name]))
    if "partner" in changes:
        agreement.partner = partner_for(changes["partner"])
    if "org_unit" in changes:
        agreement.org_unit = check_org_unit(changes["org_unit"])
    if "urusan" in changes:
        agreement.urusan = check_urusan(changes["urusan"] or "")
    if "value" in changes:
        agreement.value = check_value(changes["value"])
    if "signed_on" in changes:
        if changes["signed_on"] is not None or agreement.signed_on is not None:
            check_signed_on(changes["signed_on"])
        agreement.signed_on = changes["signed_on"]
    if "registered_on" in changes:
        agreement.registered_on = changes["registered_on"]
    if {"registered_on", "signed_on"} & set(changes):
        check_registered_on(agreement.registered_on, agreement.signed_on)
    if "signer" in changes or "power_of_attorney" in changes:
        check_length("power_of_attorney", changes.get("power_of_attorney", ""))
        agreement.signer, agreement.power_of_attorney = check_signer(
            changes.get("signer", agreement.signer), changes.get("power_of_attorney", agreement.power_of_attorney))
    if {"starts_on", "ends_on", "legal_basis"} & set(changes):
        agreement.starts_on = changes.get("starts_on", agreement.starts_on)
        agreement.ends_on = changes.get("ends_on", agreement.ends_on)
        basis = changes.get("legal_basis", agreement.legal_basis)
        if (agreement.starts_on is None) != (agreement.ends_on is None):
            raise InvalidInput("Tanggal mulai dan tanggal berakhir diisi keduanya, atau tidak sama sekali.")
        if agreement.starts_on is not None:
            kept = check_validity(starts_on=agreement.starts_on, ends_on=agreement.ends_on, legal_basis=basis, actor=actor)
            if kept != agreement.legal_basis:
                agreement.legal_basis, agreement.legal_basis_by = kept, actor if kept else None
            agreement.duration_months = months_between(agreement.starts_on, agreement.ends_on)
        if agreement.ends_on != before_ends_on:
            # A new end date is a new countdown: its 90/60/30/7/0-day notices are all still to come.
            agreement.expiry_notices = []
    if "implements" in changes:
        agreement.implements = _agreement(changes["implements"], "MoU")
    if "amends" in changes:
        agreement.amends = _agreement(changes["amends"], "Perjanjian")
    check_implements(agreement.kind, agreement.implements)
    if agreement.kind == Agreement.Kind.ADDENDUM or agreement.amends is not None:
        check_amends(agreement.kind, agreement.amends, own_pk=agreement.pk)
    _check_no_cycle(agreement)
    renumbered = (agreement.number, agreement.kind) != (before_number, before_kind)
    if renumbered and agreement.number:
        check_number_series(agreement.number, agreement.kind)

    after = snapshot(agreement)
    changed = {name: {"before": before[name], "after": after[name]} for name in REGISTER_FIELDS if before[name] != after[name]}
    if not changed:
        return agreement
    if renumbered and agreement.number:
        count_past(kind=agreement.kind, number=agreement.number)  # the counter first, as in an entry
    agreement.save()
    if renumbered and before_number:
        count_back(kind=before_kind, number=before_number)
    record_event(action="agreement.corrected", actor=actor, case_id=agreement.case_id, data={
        "agreement": agreement.pk, "changes": changed, "reason": clean_text(reason)})
    return agreement


def _check_no_cycle(agreement: Agreement) -> None:
    """An addendum chain never leads back to where it starts."""
    seen, current = {agreement.pk}, agreement.amends
    while current is not None:
        if current.pk in seen:
            raise InvalidInput("Addendum ini akan mengubah perjanjian yang merupakan addendum-nya sendiri.")
        seen.add(current.pk)
        current = current.amends


@transaction.atomic
def record_distribution(*, actor, agreement_id: int, recipient: str, sent_on: datetime.date) -> Distribution:
    """Record that a registered agreement's copy went to a recipient on a day: a distribution
    after registration, or one of an agreement signed before Alur."""
    _require_register_keeper(actor)
    agreement = Agreement.objects.select_for_update().filter(pk=agreement_id).first()
    if agreement is None:
        raise NotFound(f"Perjanjian #{agreement_id} tidak ditemukan.")
    if not agreement.number:
        raise InvalidInput("Perjanjian ini belum teregistrasi; distribusi dicatat sesudah registrasi.")
    check_required(penerima=recipient)
    check_length("recipient", recipient)
    if sent_on is None:
        raise InvalidInput("Tanggal distribusi wajib diisi.")
    if sent_on > timezone.localdate():
        raise InvalidInput(f"Tanggal distribusi ({sent_on:%d-%m-%Y}) tidak boleh di masa depan.")
    if agreement.signed_on is not None and sent_on < agreement.signed_on:
        raise InvalidInput(f"Tanggal distribusi ({sent_on:%d-%m-%Y}) sebelum tanggal penandatanganan "
                           f"({agreement.signed_on:%d-%m-%Y}).")
    distribution = Distribution.objects.create(agreement=agreement, recipient=clean_text(recipient), sent_on=sent_on)
    record_event(action="agreement.distributed", actor=actor, case_id=agreement.case_id, data={
        "agreement": agreement.pk, "recipient": distribution.recipient, "sent_on": sent_on.isoformat()})
    return distribution
