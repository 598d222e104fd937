"""The life of an agreement drafted through an SOP (the PKS, the MoU): from the intake of its
draft to its register number, then the Karo's legal basis and a cancellation.

The engine runs the SOP and calls this module's two hooks (workflow/hooks.py) for every SOP whose
definition says its cases carry an agreement (`intake: subject: agreement`). Which step records
which field of the register is said by the definition's `register` section, checked when the
definition loads (sop/loader.py), so nothing here names a step of a particular SOP:

- `check_step`, before the completion writes anything: the values a step records for the register
  must be ones the register can keep: lengths of its columns, a signing date not in the future, a
  Kepala OPD signing only with the number of the Governor's surat kuasa, a period of at most five
  years ending after it starts unless the legal basis is recorded by someone who may (the Karo:
  `may_record_legal_basis`), either on the case page beforehand (`record_legal_basis`) or, by a
  completer who is the Karo (Plt.), in the step's own field.
- `step_completed`, in the completion's transaction: the fields this step recorded are written on
  the agreement; at the register's end the agreement gets its number (register.py), one
  Distribution row per recipient dated that day, and an audit event. Anything that fails rolls the
  completion back, so a case is never registered without its number nor numbered unregistered.

A case started without an agreement (`alur case start`) carries none: nothing is written for it.
"""
from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from alur.org.models import OrgUnit
from alur.sop import SopDefinition
from alur.workflow.audit import record_event
from alur.workflow.errors import InvalidInput, NotAllowed, NotFound, WorkflowError
from alur.workflow.models import Case
from alur.workflow.definitions import definition_of
from alur.workflow.services import Attachment, atomic_with_files, newest_version, start_case

from .entry import (LENGTH_LIMITED, PartnerDetails, check_implements, check_urusan, check_value, partner_for,
                    same_number)
from .models import Agreement, Distribution, Partner
from .register import take_number
from .selectors import keeps_register, may_record_legal_basis
from .validity import check_validity

PKS_SOP = "pks-pihak-ketiga"
MAX_DURATION_MONTHS = 5 * 12
RECIPIENT_LENGTH = Distribution._meta.get_field("recipient").max_length
_DATE_FIELDS = ("signed_on", "starts_on", "ends_on")


# --- the intake ------------------------------------------------------------------------------------

@atomic_with_files
def register_draft(*, actor, title: str, org_unit: OrgUnit, partner: Partner | PartnerDetails, object: str,
                   scope: str, duration_months: int, disposition_number: str, disposition_date: datetime.date,
                   disposition_from: str, draft: Attachment, soft_file: Attachment | None = None,
                   disposition_scan: Attachment | None = None, urusan: str = "", value: Decimal | None = None,
                   implements: Agreement | None = None, follows: Case | None = None, record: dict | None = None,
                   sop_key: str = PKS_SOP) -> Agreement:
    """The intake: an incoming draft with its disposition starts its case at the SOP's first step,
    carrying the agreement of the kind the SOP registers.

    `draft` is the first document the intake requires (the draft PKS or MoU). The urusan, the value
    and the MoU a PKS carries out are optional and pass the checks a manual entry passes (entry.py)."""
    definition = definition_of(newest_version(sop_key))
    if definition.register is None:
        raise InvalidInput(f"{definition.name} tidak menghasilkan perjanjian; daftarkan perkaranya tanpa data perjanjian.")
    kind = definition.register.kind
    if not 1 <= duration_months <= MAX_DURATION_MONTHS:
        raise InvalidInput(f"Jangka waktu harus 1 sampai {MAX_DURATION_MONTHS} bulan (paling lama lima tahun).")
    if disposition_date > timezone.localdate():
        raise InvalidInput("Tanggal disposisi tidak boleh di masa depan.")
    if disposition_from not in Agreement.DispositionFrom.values:
        raise InvalidInput(f"Disposisi dari '{disposition_from}' tidak dikenal.")
    urusan, value = check_urusan(urusan or ""), check_value(value)
    check_implements(kind, implements)
    partner = partner_for(partner)
    attachments = [draft, *(a for a in (soft_file, disposition_scan) if a is not None)]
    case = start_case(sop_key=sop_key, title=title, org_unit=org_unit, actor=actor, attachments=attachments,
                      record=record, follows=follows)
    return Agreement.objects.create(
        case=case, title=case.title, org_unit=org_unit, partner=partner, object=object.strip(), scope=scope.strip(),
        duration_months=duration_months, disposition_number=disposition_number.strip(),
        disposition_date=disposition_date, disposition_from=disposition_from, registered_by=actor,
        kind=kind, urusan=urusan, value=value, implements=implements,
    )


# --- the engine's hooks ---------------------------------------------------------------------------

def check_step(*, definition: SopDefinition, case_id: int, step, outcome: str, record: dict, actor) -> None:
    """Refuse a step whose values for the register the register could not keep."""
    fields = _recorded_here(definition, step, outcome)
    if not fields:
        return
    labels = {field.key: field.label for field in step.record}
    values = {name: record.get(key, "") for name, key in fields.items()}
    for name, value in values.items():
        if name in LENGTH_LIMITED:
            limit = LENGTH_LIMITED[name][0]._meta.get_field(LENGTH_LIMITED[name][1]).max_length
            if len(value) > limit:
                raise InvalidInput(f"Isian '{labels[fields[name]]}' terlalu panjang: paling banyak {limit} karakter.")
    for recipient in _recipients(values.get("distribution", "")):
        if len(recipient) > RECIPIENT_LENGTH:
            raise InvalidInput(f"Penerima distribusi '{recipient[:40]}...' terlalu panjang: paling banyak "
                               f"{RECIPIENT_LENGTH} karakter per baris (satu penerima per baris).")
    if (values.get("signer") == Agreement.Signer.KEPALA_OPD and "power_of_attorney" in values
            and not values["power_of_attorney"]):
        raise InvalidInput(f"Kepala Perangkat Daerah menandatangani dengan surat kuasa Gubernur: isi "
                           f"'{labels[fields['power_of_attorney']]}' pada langkah {step.number} dan lampirkan "
                           "surat kuasanya.")
    signed_on = _date(values.get("signed_on"))
    if signed_on is not None and signed_on > timezone.localdate():
        raise InvalidInput(f"Tanggal penandatanganan {signed_on:%d-%m-%Y} belum tiba; catat penandatanganan "
                           "yang sudah dilakukan.")
    starts_on, ends_on = _date(values.get("starts_on")), _date(values.get("ends_on"))
    if starts_on is None or ends_on is None:
        return
    try:
        check_validity(starts_on=starts_on, ends_on=ends_on, legal_basis=values.get("legal_basis", ""), actor=actor)
    except (InvalidInput, NotAllowed) as exc:
        # Read only now: a period within the rule, the usual one, costs the completion no query.
        agreement = Agreement.objects.filter(case_id=case_id).only("id", "legal_basis").first()
        if agreement is not None and agreement.legal_basis:
            return  # the Karo recorded the legal basis of this period on the case page
        hint = " Karo Pemerintahan dapat mencatatnya pada halaman perkara." if agreement is not None else ""
        # Shown on the step's form (a NotAllowed would be a refusal page): the dates are what to fix.
        raise InvalidInput(exc.message + hint) from None


def step_completed(*, definition: SopDefinition, case_id: int, step, outcome: str, record: dict, end_key: str,
                   actor, at: datetime.datetime) -> None:
    """Write what this step recorded for the register on the case's agreement; at the register's
    end, register it."""
    fields = _recorded_here(definition, step, outcome)
    changes = {name: _value(name, record.get(key, "")) for name, key in fields.items()
               if name not in ("distribution", "legal_basis")}
    given_basis = " ".join(record.get(fields["legal_basis"], "").split()) if "legal_basis" in fields else ""
    if given_basis:
        # Kept only where the Karo has not recorded one already and the period needs it (check_step
        # let the period pass on it, so its completer may record it).
        needs = Agreement.objects.filter(case_id=case_id, legal_basis="").only("starts_on", "ends_on").first()
        if needs is not None and _needs_legal_basis(_date(changes.get("starts_on")) or needs.starts_on,
                                                    _date(changes.get("ends_on")) or needs.ends_on):
            changes |= {"legal_basis": given_basis, "legal_basis_by": actor}
    if changes:
        Agreement.objects.filter(case_id=case_id).update(**changes)
    if end_key and end_key == definition.register.end:
        agreement = Agreement.objects.select_for_update().filter(case_id=case_id).first()
        if agreement is not None:
            register_agreement(agreement=agreement, actor=actor, at=at,
                               recipients=_recipients(record.get(fields.get("distribution", ""), "")))


def _recorded_here(definition: SopDefinition, step, outcome: str) -> dict[str, str]:
    """The register fields this step records under this outcome: register field -> record key."""
    fields = definition.register.recorded_at(step.key) if definition.register else {}
    applies = {field.key for field in step.record if field.applies_to(outcome)}
    return {name: key for name, key in fields.items() if key in applies}


def _value(name: str, text: str):
    if name in _DATE_FIELDS:
        return _date(text)
    if name == "signer":
        return text if text in Agreement.Signer.values else ""
    return text


# --- registering ---------------------------------------------------------------------------------

def register_agreement(*, agreement: Agreement, actor, at: datetime.datetime, recipients: tuple[str, ...] = ()) -> Agreement:
    """Give the agreement of a case that reached its registered end its register number and
    distribute it. Runs in the completion's transaction (its caller's)."""
    if agreement.number:
        raise InvalidInput(f"Perjanjian ini sudah teregistrasi dengan nomor {agreement.number}.")
    if agreement.cancelled_at is not None:
        raise InvalidInput("Perjanjian ini sudah dibatalkan; tidak dapat diregistrasi.")
    if (agreement.starts_on and agreement.ends_on and not agreement.legal_basis
            and _needs_legal_basis(agreement.starts_on, agreement.ends_on)):
        raise InvalidInput("Jangka waktu perjanjian di luar ketentuan dan dasar hukumnya tidak tercatat.")
    if agreement.signer != Agreement.Signer.KEPALA_OPD:
        agreement.power_of_attorney = ""  # the Governor signs in his own name
    agreement.registered_on = timezone.localdate(at)
    agreement.number = take_number(kind=agreement.kind, on_date=agreement.registered_on)
    # Possible only for a number typed by hand under another kind or before the pattern changed
    # (count_past moves the counter past those of the series it reads). Saving would raise an
    # IntegrityError, a server error on every retry, since the refusal gives the number back.
    holder = same_number(agreement.number).exclude(pk=agreement.pk).only("id", "title").first()
    if holder is not None:
        raise InvalidInput(
            f"Nomor register {agreement.number} yang diberikan untuk perjanjian ini sudah dipakai oleh perjanjian "
            f"#{holder.pk} \u201c{holder.title}\u201d. Pengelola Informasi Kerja Sama perlu membetulkan nomor "
            f"perjanjian itu pada halamannya (/perjanjian/{holder.pk}/); sesudah itu selesaikan registrasi ini lagi.")
    agreement.save(update_fields=["number", "registered_on", "power_of_attorney"])
    Distribution.objects.bulk_create([Distribution(agreement=agreement, recipient=recipient, sent_on=agreement.registered_on)
                                      for recipient in recipients])
    record_event(action="agreement.registered", actor=actor, case_id=agreement.case_id, at=at, data={
        "agreement": agreement.pk, "number": agreement.number, "kind": agreement.kind,
        "signed_on": _iso(agreement.signed_on), "starts_on": _iso(agreement.starts_on), "ends_on": _iso(agreement.ends_on),
        "signer": agreement.signer, "power_of_attorney": agreement.power_of_attorney or None,
        "legal_basis": agreement.legal_basis or None,
        "distribution": list(recipients), "archive_place": agreement.archive_place,
    })
    return agreement


def _needs_legal_basis(starts_on: datetime.date | None, ends_on: datetime.date | None) -> bool:
    if starts_on is None or ends_on is None:
        return False
    try:
        check_validity(starts_on=starts_on, ends_on=ends_on)
    except WorkflowError:
        return True
    return False


def _recipients(text: str) -> tuple[str, ...]:
    """The recipients of the distribution: one per line (the engine keeps `lines` fields so)."""
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def _date(value: str | datetime.date | None) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value) if value else None


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


# --- the register's writes on the case page -------------------------------------------------------

def _locked(agreement_id: int) -> Agreement:
    agreement = (Agreement.objects.select_for_update(of=("self",)).select_related("case")
                 .filter(pk=agreement_id).first())
    if agreement is None:
        raise NotFound(f"Perjanjian #{agreement_id} tidak ditemukan.")
    return agreement


@transaction.atomic
def record_legal_basis(*, agreement_id: int, legal_basis: str, actor) -> Agreement:
    """The Karo records the legal basis on which a period beyond the rule may stand, before the
    signing is reported (step 12 then accepts that period)."""
    agreement = _locked(agreement_id)
    if not may_record_legal_basis(actor):
        raise NotAllowed("Dasar hukum pengecualian jangka waktu hanya dapat dicatat oleh Karo Pemerintahan.")
    text = " ".join((legal_basis or "").split())
    if not text:
        raise InvalidInput("Tuliskan dasar hukum pengecualian jangka waktu.")
    if len(text) > 2000:
        raise InvalidInput("Dasar hukum terlalu panjang: paling banyak 2000 karakter.")
    if agreement.number:
        raise InvalidInput(f"Perjanjian ini sudah teregistrasi dengan nomor {agreement.number}; "
                           "dasar hukumnya dicatat pada registrasi.")
    if agreement.case_id and agreement.case.status != Case.Status.RUNNING:
        raise InvalidInput("Perkara ini tidak sedang berjalan.")
    agreement.legal_basis, agreement.legal_basis_by = text, actor
    agreement.save(update_fields=["legal_basis", "legal_basis_by"])
    record_event(action="agreement.legal_basis_recorded", actor=actor, case_id=agreement.case_id,
                 data={"agreement": agreement.pk, "legal_basis": text})
    return agreement


@transaction.atomic
def cancel_agreement(*, agreement_id: int, reason: str, actor) -> Agreement:
    """Cancel a registered agreement, with its reason. It keeps its number (numbers never go back
    into use); its status becomes dibatalkan and no expiry notice goes out for it any more."""
    agreement = _locked(agreement_id)
    if not keeps_register(actor):
        raise NotAllowed("Pembatalan perjanjian hanya oleh Pengelola Informasi Kerja Sama, Kabag Kerja Sama "
                         "atau Karo Pemerintahan.")
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidInput("Tuliskan alasan pembatalan.")
    if agreement.cancelled_at is not None:
        when = timezone.localtime(agreement.cancelled_at).strftime("%d-%m-%Y %H:%M")
        raise InvalidInput(f"Perjanjian ini sudah dibatalkan pada {when}.")
    if not agreement.number:
        raise InvalidInput("Perjanjian ini belum teregistrasi; yang dapat dibatalkan hanya perjanjian yang teregistrasi.")
    now = timezone.now()
    agreement.cancelled_at, agreement.cancel_reason = now, reason
    agreement.save(update_fields=["cancelled_at", "cancel_reason"])
    record_event(action="agreement.cancelled", actor=actor, case_id=agreement.case_id, at=now,
                 data={"agreement": agreement.pk, "number": agreement.number, "reason": reason})
    return agreement
