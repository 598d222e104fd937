"""Writes of the agreements domain."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from alur.org.models import OrgUnit
from alur.workflow.errors import InvalidInput
from alur.workflow.services import Attachment, atomic_with_files, start_case

from .models import Agreement, Partner

PKS_SOP = "pks-pihak-ketiga"
MAX_DURATION_MONTHS = 5 * 12


@dataclass(frozen=True)
class NewPartner:
    name: str
    kind: str
    address: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""


@atomic_with_files
def register_draft(*, actor, title: str, org_unit: OrgUnit, partner: Partner | NewPartner, object: str, scope: str,
                   duration_months: int, disposition_number: str, disposition_date: datetime.date,
                   disposition_from: str, draft: Attachment, soft_file: Attachment | None = None,
                   disposition_scan: Attachment | None = None, urusan: str = "", value: Decimal | None = None,
                   implements: Agreement | None = None, sop_key: str = PKS_SOP) -> Agreement:
    """The intake: an incoming draft PKS with its disposition starts its case at step 1.

    The urusan, the value and the MoU the PKS carries out are known from the draft and optional;
    they pass the checks a manual entry of the register passes (entry.py)."""
    # Here, not at the top: entry.py reaches this module back through selectors.py (PKS_SOP).
    from .entry import check_implements, check_urusan, check_value

    if not 1 <= duration_months <= MAX_DURATION_MONTHS:
        raise InvalidInput(f"Jangka waktu harus 1 sampai {MAX_DURATION_MONTHS} bulan (paling lama lima tahun).")
    if disposition_date > timezone.localdate():
        raise InvalidInput("Tanggal disposisi tidak boleh di masa depan.")
    if disposition_from not in Agreement.DispositionFrom.values:
        raise InvalidInput(f"Disposisi dari '{disposition_from}' tidak dikenal.")
    urusan, value = check_urusan(urusan or ""), check_value(value)
    check_implements(Agreement.Kind.PKS, implements)
    if isinstance(partner, NewPartner):
        partner = _new_partner(partner)
    attachments = [draft, *(a for a in (soft_file, disposition_scan) if a is not None)]
    case = start_case(sop_key=sop_key, title=title, org_unit=org_unit, actor=actor, attachments=attachments)
    return Agreement.objects.create(
        case=case, title=case.title, org_unit=org_unit, partner=partner, object=object.strip(), scope=scope.strip(),
        duration_months=duration_months, disposition_number=disposition_number.strip(),
        disposition_date=disposition_date, disposition_from=disposition_from, registered_by=actor,
        kind=Agreement.Kind.PKS, urusan=urusan, value=value, implements=implements,
    )


def _new_partner(new: NewPartner) -> Partner:
    name = " ".join(new.name.split())
    if not name:
        raise InvalidInput("Nama pihak ketiga tidak boleh kosong.")
    if new.kind not in Partner.Kind.values:
        raise InvalidInput(f"Jenis pihak ketiga '{new.kind}' tidak dikenal.")
    if Partner.objects.filter(name__iexact=name).exists():
        raise InvalidInput(f"Pihak ketiga '{name}' sudah ada di direktori; pilih dari daftar.")
    partner = Partner.objects.create(name=name, kind=new.kind, address=new.address.strip())
    if new.contact_name.strip():
        partner.contacts.create(name=new.contact_name.strip(), phone=new.contact_phone.strip(),
                                email=new.contact_email.strip())
    return partner
