"""Demo data: the Biro, two OPDs and one user per role, so every path of the PKS SOP can be walked.

Idempotent: running it again adds nothing and never resets a password someone has changed.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from alur.agreements.models import Partner
from alur.org.models import OrgUnit, Role, RoleAssignment
from alur.workflow.services import load_shipped_sops

DEFAULT_PASSWORD = "alur-demo"

UNITS = [
    ("pemprov", "Gubernur Kepulauan Bangka Belitung", OrgUnit.Kind.PIMPINAN),
    ("tkksd", "Tim Koordinasi Kerja Sama Daerah (TKKSD)", OrgUnit.Kind.TIM),
    ("biro-pemerintahan", "Biro Pemerintahan Setda Provinsi Kepulauan Bangka Belitung", OrgUnit.Kind.BIRO),
    ("dispar", "Dinas Pariwisata", OrgUnit.Kind.OPD),
    ("dkp", "Dinas Kelautan dan Perikanan", OrgUnit.Kind.OPD),
]

PARTNERS = [
    ("PT Pesona Wisata Serumpun", Partner.Kind.BADAN_USAHA, "Jl. Jenderal Sudirman No. 10, Pangkalpinang"),
    ("Universitas Bangka Belitung", Partner.Kind.PERGURUAN_TINGGI, "Balunijuk, Merawang, Kabupaten Bangka"),
    ("PT Timah Tbk", Partner.Kind.BUMN_BUMD, "Jl. Jenderal Sudirman No. 51, Pangkalpinang"),
]

# username, full name, role, unit code
USERS = [
    ("gubernur", "Staf Gubernur (atas nama Gubernur)", "gubernur", "pemprov"),
    ("tkksd", "Sekretariat TKKSD", "tkksd", "tkksd"),
    ("karo", "Kepala Biro Pemerintahan", "karo", "biro-pemerintahan"),
    ("kabag", "Kabag Kerja Sama", "kabag", "biro-pemerintahan"),
    ("kasubbag", "Kasubbag Kerja Sama Swasta dan LN", "kasubbag", "biro-pemerintahan"),
    ("analis", "Analis Kerja Sama Lintas Sektor", "analis", "biro-pemerintahan"),
    ("pengelola", "Pengelola Informasi Kerja Sama", "pengelola", "biro-pemerintahan"),
    ("kepala_dispar", "Kepala Dinas Pariwisata", "kepala_opd", "dispar"),
    ("kepala_dkp", "Kepala Dinas Kelautan dan Perikanan", "kepala_opd", "dkp"),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    unit: str
    created: bool


def demo_password() -> str:
    return os.environ.get("ALUR_DEMO_PASSWORD", DEFAULT_PASSWORD)


@transaction.atomic
def load_demo() -> list[DemoUser]:
    load_shipped_sops()
    units = {}
    for code, name, kind in UNITS:
        units[code], _ = OrgUnit.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})
    for name, kind, address in PARTNERS:
        Partner.objects.get_or_create(name=name, defaults={"kind": kind, "address": address})
    User = get_user_model()
    result = []
    for username, full_name, role_key, unit_code in USERS:
        first, _, last = full_name.partition(" ")
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": first, "last_name": last})
        if created:
            user.set_password(demo_password())
            user.save(update_fields=["password"])
        role = Role.objects.get(key=role_key)
        RoleAssignment.objects.get_or_create(user=user, role=role, org_unit=units[unit_code])
        result.append(DemoUser(username, full_name, role.name, units[unit_code].name, created))
    return result
