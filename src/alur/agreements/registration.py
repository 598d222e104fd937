"""Signing and registering an agreement drafted through Alur, as the engine carries its case.

The engine knows nothing of agreements; it tells (workflow/signals.py) and this module listens:

- step 9 of the PKS SOP, `keputusan_gubernur` (the Governor agrees and says who signs): a Kepala
  OPD signs only under the Governor's surat kuasa, whose number the register keeps, so choosing
  the Kepala OPD without the surat kuasa number is refused, as manual entry refuses it
  (entry.check_signer). The SOP's record types cannot make a field required by another field's
  value, hence this check rather than `required:` in the definition.
- step 12 of the PKS SOP, `penandatanganan` (the Kepala OPD reports the signed PKS): before the
  completion writes anything, the dates it records are checked. A period beyond five years, or an
  end before the start, is refused with a message naming the dates, unless the legal basis for it
  is recorded by someone who may (the Karo: `may_record_legal_basis`). The Kepala OPD holds no
  such power, so the Karo records it on the case page beforehand (`record_legal_basis`); a
  completer who is the Karo (Plt.) may give it in the step's own `dasar_hukum` field. The
  signing date may not lie in the future, and each value must fit the register's column.
- step 13, `registrasi` (Pengelola registers, distributes and archives): the recipients, one per
  line, and the archive place must fit the register's columns.
- the end `teregistrasi`: in the completion's own transaction the agreement gets its register
  number (register.py), what steps 9, 12 and 13 recorded (who signs and the number of the surat
  kuasa a Kepala OPD signs under, signing date and place, the partner's number, the period and
  its legal basis, the archive place), one Distribution row per recipient dated the day of
  registration, and registered_on; with an audit event. Anything that fails refuses the
  completion, so a case is never registered without its number nor numbered without being
  registered. A number given that an agreement entered by hand already holds is refused naming
  that agreement and what to do, not left to the database's unique constraint. The signed
  dokumen_pks is the SOP's own kelengkapan of step 13, which the engine checks before it gets here.

A case that carries no agreement (started by `alur case start` alone) ends as the engine says and
nothing is registered: the register holds agreements, with their partner and object.

Also here, the two register writes the case page offers: the Karo's legal basis for a period
outside the rule, and cancelling a registered agreement with its reason.
"""
from __future__ import annotations

import datetime

from django.db import connection, transaction
from django.utils import timezone

from alur.workflow.audit import record_event
from alur.workflow.errors import InvalidInput, NotAllowed, NotFound, WorkflowError
from alur.workflow.models import Case, Task

from .entry import same_number
from .models import Agreement, Distribution
from .register import take_number
from .selectors import keeps_register, may_record_legal_basis
from .services import PKS_SOP
from .validity import check_validity

SIGNING_STEP = "penandatanganan"
REGISTRATION_STEP = "registrasi"
SIGNER_STEP, SIGNER_FIELD = "keputusan_gubernur", "penandatangan"
POWER_OF_ATTORNEY_FIELD = "nomor_surat_kuasa"
REGISTERED_END = "teregistrasi"

_LENGTHS = {
    "tempat_tanda_tangan": Agreement._meta.get_field("signed_place").max_length,
    "nomor_pihak_ketiga": Agreement._meta.get_field("partner_number").max_length,
    "tempat_arsip": Agreement._meta.get_field("archive_place").max_length,
    POWER_OF_ATTORNEY_FIELD: Agreement._meta.get_field("power_of_attorney").max_length,
}
RECIPIENT_LENGTH = Distribution._meta.get_field("recipient").max_length


# --- receivers of the engine's signals ------------------------------------------------------------

def check_completion(sender, *, sop_key: str, case_id: int, step, record: dict, actor, **kwargs) -> None:
    """workflow.signals.step_completing: refuse a signing or a registration the register could not keep."""
    if sop_key != PKS_SOP or step.key not in (SIGNER_STEP, SIGNING_STEP, REGISTRATION_STEP):
        return
    labels = {field.key: field.label for field in step.record}
    for key, length in _LENGTHS.items():
        if len(record.get(key, "")) > length:
            raise InvalidInput(f"Isian '{labels.get(key, key)}' terlalu panjang: paling banyak {length} karakter.")
    if step.key == SIGNER_STEP:
        # A case pinned to an SOP version without the field keeps the rule it started under.
        if (POWER_OF_ATTORNEY_FIELD in labels and record.get(SIGNER_FIELD) == Agreement.Signer.KEPALA_OPD
                and not record.get(POWER_OF_ATTORNEY_FIELD)):
            raise InvalidInput(f"Kepala Perangkat Daerah menandatangani dengan surat kuasa Gubernur: isi "
                               f"'{labels[POWER_OF_ATTORNEY_FIELD]}' pada langkah {step.number} dan lampirkan "
                               "surat kuasanya.")
        return
    if step.key == REGISTRATION_STEP:
        for recipient in _recipients(record):
            if len(recipient) > RECIPIENT_LENGTH:
                raise InvalidInput(f"Penerima distribusi '{recipient[:40]}...' terlalu panjang: paling banyak "
                                   f"{RECIPIENT_LENGTH} karakter per baris (satu penerima per baris).")
        return
    signed_on = _date(record, "tanggal_tanda_tangan")
    if signed_on is not None and signed_on > timezone.localdate():
        raise InvalidInput(f"Tanggal penandatanganan {signed_on:%d-%m-%Y} belum tiba; catat penandatanganan "
                           "yang sudah dilakukan.")
    starts_on, ends_on = _date(record, "tanggal_mulai"), _date(record, "tanggal_berakhir")
    if starts_on is None or ends_on is None:
        return  # a case pinned to an SOP version that did not record the period
    try:
        check_validity(starts_on=starts_on, ends_on=ends_on, legal_basis=record.get("dasar_hukum", ""), actor=actor)
    except (InvalidInput, NotAllowed) as exc:
        # Read only now: a period within the rule, the usual one, costs the completion no query.
        agreement = Agreement.objects.filter(case_id=case_id).only("id", "legal_basis").first()
        if agreement is not None and agreement.legal_basis:
            return  # the Karo recorded the legal basis of this period on the case page
        hint = " Karo Pemerintahan dapat mencatatnya pada halaman perkara." if agreement is not None else ""
        # Shown on the step's form (a NotAllowed would be a refusal page): the dates are what to fix.
        raise InvalidInput(exc.message + hint) from None


def register_at_end(sender, *, sop_key: str, case_id: int, end_key: str, actor, at: datetime.datetime, **kwargs) -> None:
    """workflow.signals.case_ended: a PKS that reached `teregistrasi` enters the register."""
    if sop_key != PKS_SOP or end_key != REGISTERED_END:
        return
    # On the engine's hot path: one plain statement tells whether the case carries an agreement
    # (compiling the ORM's query would cost more than running it).
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {Agreement._meta.db_table} WHERE case_id = %s", [case_id])
        row = cursor.fetchone()
    if row is None:
        return
    agreement = Agreement.objects.select_for_update().get(pk=row[0])
    register_agreement(agreement=agreement, actor=actor, at=at)


# --- registering ------------------------------------------------------------------------------------

def register_agreement(*, agreement: Agreement, actor, at: datetime.datetime) -> Agreement:
    """Give the agreement of a case that reached its registered end its number and what the
    case's steps recorded. Runs in the completion's transaction (its caller's)."""
    if agreement.number:
        raise InvalidInput(f"Perjanjian ini sudah teregistrasi dengan nomor {agreement.number}.")
    if agreement.cancelled_at is not None:
        raise InvalidInput("Perjanjian ini sudah dibatalkan; tidak dapat diregistrasi.")
    recorded = _last_records(agreement.case_id)
    signing, registration = recorded.get(SIGNING_STEP), recorded.get(REGISTRATION_STEP)
    signing_data = signing.data if signing is not None else {}
    registration_data = registration.data if registration is not None else {}
    decision = (recorded[SIGNER_STEP].data or {}) if SIGNER_STEP in recorded else {}
    signer = decision.get(SIGNER_FIELD, "")

    agreement.registered_on = timezone.localdate(at)
    agreement.signed_on = _date(signing_data, "tanggal_tanda_tangan")
    agreement.signed_place = signing_data.get("tempat_tanda_tangan", "")
    agreement.partner_number = signing_data.get("nomor_pihak_ketiga", "")
    agreement.starts_on = _date(signing_data, "tanggal_mulai")
    agreement.ends_on = _date(signing_data, "tanggal_berakhir")
    agreement.signer = signer if signer in Agreement.Signer.values else ""
    # Kept only for the signer it belongs to: the Governor signs in his own name.
    agreement.power_of_attorney = (decision.get(POWER_OF_ATTORNEY_FIELD, "")
                                   if agreement.signer == Agreement.Signer.KEPALA_OPD else "")
    agreement.archive_place = registration_data.get("tempat_arsip", "")
    if agreement.starts_on and agreement.ends_on and not agreement.legal_basis and _needs_legal_basis(agreement):
        # Step 12 accepted the period on the legal basis its completer, who may record it, gave there.
        given = signing_data.get("dasar_hukum", "")
        if not given:
            raise InvalidInput("Jangka waktu perjanjian di luar ketentuan dan dasar hukumnya tidak tercatat.")
        agreement.legal_basis, agreement.legal_basis_by_id = given, signing.completed_by_id
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
    agreement.save(update_fields=["number", "registered_on", "signed_on", "signed_place", "partner_number",
                                  "starts_on", "ends_on", "signer", "power_of_attorney", "archive_place",
                                  "legal_basis", "legal_basis_by"])
    recipients = _recipients(registration_data)
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


def _last_records(case_id: int) -> dict[str, Task]:
    """The last completion of each step of the case (a step done again after a send-back counts last)."""
    return {task.step_key: task for task in Task.objects.filter(
        case_id=case_id, status=Task.Status.DONE, step_key__in=(SIGNER_STEP, SIGNING_STEP, REGISTRATION_STEP),
    ).order_by("id")}


def _needs_legal_basis(agreement: Agreement) -> bool:
    try:
        check_validity(starts_on=agreement.starts_on, ends_on=agreement.ends_on)
    except WorkflowError:
        return True
    return False


def _recipients(record: dict) -> tuple[str, ...]:
    """The recipients of the distribution: one per line (the engine keeps `lines` fields so)."""
    return tuple(line.strip() for line in (record.get("distribusi") or "").splitlines() if line.strip())


def _date(record: dict, key: str) -> datetime.date | None:
    value = (record or {}).get(key)
    return datetime.date.fromisoformat(value) if value else None


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


# --- the register's writes on the case page -----------------------------------------------------

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
