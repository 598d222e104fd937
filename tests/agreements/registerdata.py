"""Agreements of the register as the rekapitulasi's tests need them: written straight to the
tables (as the manual entry and the import would leave them), with the demo organisation."""
from __future__ import annotations

import datetime
import itertools

from django.contrib.auth import get_user_model

from alur.agreements.models import Agreement, ImplementationReport, Partner
from alur.org.models import OrgUnit

TODAY = datetime.date(2026, 11, 26)
_titles = itertools.count(1)


def partner(name: str, kind: str = Partner.Kind.BADAN_USAHA) -> Partner:
    return Partner.objects.get_or_create(name=name, defaults={"kind": kind})[0]


def agreement(*, title: str | None = None, partner_name: str = "PT Pesona Wisata Serumpun", partner_kind: str = Partner.Kind.BADAN_USAHA,
              opd: str = "dispar", signed: bool = True, **fields) -> Agreement:
    """A registered, signed PKS (unless told otherwise) valid for two years from 2026-01-05."""
    defaults = {
        "title": title or f"PKS contoh {next(_titles)}",
        "org_unit": OrgUnit.objects.get(code=opd),
        "partner": partner(partner_name, partner_kind),
        "object": "Kerja sama promosi", "scope": "Promosi bersama", "duration_months": 24,
        "registered_by": get_user_model().objects.get(username="pengelola"),
        "source": Agreement.Source.MANUAL,
    }
    if signed:
        defaults |= {"signed_on": datetime.date(2026, 1, 5), "signed_place": "Pangkalpinang", "signer": Agreement.Signer.GUBERNUR,
                     "starts_on": datetime.date(2026, 1, 5), "ends_on": datetime.date(2028, 1, 4),
                     "registered_on": datetime.date(2026, 1, 6)}
    return Agreement.objects.create(**defaults | fields)


def report(of: Agreement, on: datetime.date, progress: str, **fields) -> ImplementationReport:
    return ImplementationReport.objects.create(agreement=of, reported_on=on, progress=progress,
                                               reporter=get_user_model().objects.get(username="pengelola"), **fields)

