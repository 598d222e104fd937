"""Every SOP that ships with Alur runs its straight path and each of its return paths through the
engine's services, with the exact sequence of steps and of the people who act, to the end the
procedure names. The sequences are written out here as the SOPs' readers wrote them (from their
notes), not derived from the definitions, so a definition that routes differently fails.

The PKS SOP's own paths are specified in test_paths.py; the case-carrying SOPs' register in
tests/agreements/.
"""
from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from alur.org.models import OrgUnit, RoleAssignment
from alur.workflow.definitions import definition_of
from alur.workflow.models import Case, Task
from alur.workflow.services import complete_task, start_case
from tests.conftest import pdf

TODAY = datetime.date.today


def path(text: str) -> list[tuple[str, str, str]]:
    """'step:role step:role:tidak_setuju ...' as (step, role, outcome) triples; a decision without
    an outcome written is setuju."""
    triples = []
    for item in text.split():
        step, role, *outcome = item.split(":")
        triples.append((step, role, outcome[0] if outcome else ""))
    return triples


PENAWARAN_START = ("terima_disposisi:karo tugaskan_kasubbag:kabag perintahkan_telaah:kasubbag "
                   "pertimbangan_teknis:kepala_opd telaah_penawaran:analis koreksi_kasubbag:kasubbag "
                   "koreksi_kabag:kabag ")
MOU_START = ("terima_disposisi:karo tugaskan_kasubbag:kabag perintahkan_telaah:kasubbag analisa_draft:analis "
             "koreksi_kasubbag:kasubbag koreksi_kabag:kabag ")
SURAT_KELUAR_TAIL = "beri_nomor:agendaris kirim_surat:agendaris arsipkan:agendaris"

PATHS = {
    "penawaran-kerja-sama-pihak-ketiga": [
        ("disetujui", PENAWARAN_START + "periksa_karo:karo bahas_tkksd:tkksd siapkan_persetujuan:karo "
                      "paraf_sekda:sekda keputusan_gubernur:gubernur kirim_persetujuan:pengelola"),
        ("ditolak", PENAWARAN_START + "periksa_karo:karo bahas_tkksd:tkksd:tidak_setuju siapkan_penolakan:karo "
                    "paraf_penolakan:sekda tandatangan_penolakan:gubernur kirim_penolakan:pengelola"),
        ("disetujui", PENAWARAN_START + "periksa_karo:karo:tidak_setuju telaah_penawaran:analis "
                      "koreksi_kasubbag:kasubbag koreksi_kabag:kabag periksa_karo:karo bahas_tkksd:tkksd "
                      "siapkan_persetujuan:karo paraf_sekda:sekda keputusan_gubernur:gubernur kirim_persetujuan:pengelola"),
        ("disetujui", PENAWARAN_START + "periksa_karo:karo bahas_tkksd:tkksd siapkan_persetujuan:karo "
                      "paraf_sekda:sekda:tidak_setuju siapkan_persetujuan:karo paraf_sekda:sekda "
                      "keputusan_gubernur:gubernur kirim_persetujuan:pengelola"),
        ("ditolak", PENAWARAN_START + "periksa_karo:karo bahas_tkksd:tkksd siapkan_persetujuan:karo "
                    "paraf_sekda:sekda keputusan_gubernur:gubernur:tidak_setuju bahas_tkksd:tkksd:tidak_setuju "
                    "siapkan_penolakan:karo paraf_penolakan:sekda tandatangan_penolakan:gubernur kirim_penolakan:pengelola"),
        ("ditolak", PENAWARAN_START + "periksa_karo:karo bahas_tkksd:tkksd:tidak_setuju siapkan_penolakan:karo "
                    "paraf_penolakan:sekda:tidak_setuju siapkan_penolakan:karo paraf_penolakan:sekda "
                    "tandatangan_penolakan:gubernur kirim_penolakan:pengelola"),
        ("disetujui", PENAWARAN_START + "periksa_karo:karo bahas_tkksd:tkksd:tidak_setuju siapkan_penolakan:karo "
                      "paraf_penolakan:sekda tandatangan_penolakan:gubernur:tidak_setuju bahas_tkksd:tkksd "
                      "siapkan_persetujuan:karo paraf_sekda:sekda keputusan_gubernur:gubernur kirim_persetujuan:pengelola"),
    ],
    "mou-pihak-ketiga": [
        ("teregistrasi", MOU_START + "periksa_karo:karo bahas_tkksd:tkksd keputusan_gubernur:gubernur "
                         "finalisasi_draft:karo koordinasi_penandatanganan:kabag penandatanganan:kepala_opd "
                         "registrasi:pengelola"),
        ("dikembalikan", MOU_START + "periksa_karo:karo:tidak_setuju kembalikan_ke_opd:pengelola"),
        ("dikembalikan", MOU_START + "periksa_karo:karo bahas_tkksd:tkksd:tidak_setuju teruskan_pengembalian:karo "
                         "kembalikan_ke_opd:pengelola"),
        ("teregistrasi", MOU_START + "periksa_karo:karo bahas_tkksd:tkksd keputusan_gubernur:gubernur:tidak_setuju "
                         "bahas_tkksd:tkksd keputusan_gubernur:gubernur finalisasi_draft:karo "
                         "koordinasi_penandatanganan:kabag penandatanganan:kepala_opd registrasi:pengelola"),
    ],
    "surat-masuk": [
        ("diarsipkan", "terima_surat:agendaris agendakan:agendaris sampaikan_ke_karo:kasubbag_tu disposisi_karo:karo "
                       "disposisi_kabag:kabag tindak_lanjut:kasubbag arsipkan:agendaris"),
        ("dikembalikan", "terima_surat:agendaris:tidak_setuju kembalikan_surat:agendaris"),
    ],
    "surat-keluar": [
        ("terkirim", "ketik_konsep:pelaksana periksa_kasubbag:kasubbag paraf_kabag:kabag tandatangani_karo:karo "
                     + SURAT_KELUAR_TAIL),
        ("terkirim", "ketik_konsep:pelaksana periksa_kasubbag:kasubbag:tidak_setuju ketik_konsep:pelaksana "
                     "periksa_kasubbag:kasubbag paraf_kabag:kabag tandatangani_karo:karo " + SURAT_KELUAR_TAIL),
        ("terkirim", "ketik_konsep:pelaksana periksa_kasubbag:kasubbag paraf_kabag:kabag:tidak_setuju "
                     "ketik_konsep:pelaksana periksa_kasubbag:kasubbag paraf_kabag:kabag tandatangani_karo:karo "
                     + SURAT_KELUAR_TAIL),
        ("terkirim", "ketik_konsep:pelaksana periksa_kasubbag:kasubbag paraf_kabag:kabag tandatangani_karo:karo:tidak_setuju "
                     "ketik_konsep:pelaksana periksa_kasubbag:kasubbag paraf_kabag:kabag tandatangani_karo:karo "
                     + SURAT_KELUAR_TAIL),
    ],
}


def filled(fields, outcome: str) -> dict[str, str]:
    """Values for record fields as a person would type them: a date today (an end a year on), the
    first choice, two recipients, a line of text."""
    values = {}
    for field in fields:
        if not field.applies_to(outcome):
            continue
        if field.type == "date":
            day = TODAY() + datetime.timedelta(days=365) if "berakhir" in field.key else TODAY()
            values[field.key] = day.isoformat()
        elif field.type == "choice":
            values[field.key] = field.choices[0][0]
        elif field.type == "lines":
            values[field.key] = "Dinas Pariwisata\nArsip Biro Pemerintahan"
        else:
            values[field.key] = f"Isian {field.key}"
    return values


def holder(task: Task):
    """A demo user holding the task's role (in its OPD, for a role the case's OPD fills)."""
    assignments = RoleAssignment.objects.filter(role_id=task.role_key).select_related("user")
    if task.org_unit_id:
        assignments = assignments.filter(org_unit_id=task.org_unit_id)
    return assignments.first().user


def start(sop_key: str, users) -> Case:
    from alur.workflow.services import newest_version

    definition = definition_of(newest_version(sop_key))
    starter = next(holder(Task(role_key=role)) for role in definition.starting_roles)
    return start_case(sop_key=sop_key, title=f"Perkara uji {sop_key}", actor=starter,
                      org_unit=OrgUnit.objects.get(code="dispar") if definition.intake_org_unit else None,
                      record=filled(definition.intake_record, ""),
                      attachments=[pdf(kind) for kind in definition.intake_kelengkapan])


def walk(case: Case, expected: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Complete the case's open task as its role's holder, taking the outcomes the expected path
    names, until the case ends; returns what happened as (step, role, outcome)."""
    definition = definition_of(case.sop_version)
    walked = []
    while (task := Task.objects.filter(case=case, status=Task.Status.OPEN).first()) is not None:
        step = definition.step(task.step_key)
        outcome = ""
        if step.is_decision:
            wanted = expected[len(walked)][2] if len(walked) < len(expected) else ""
            outcome = wanted or "setuju"
        complete_task(task_id=task.pk, actor=holder(task), outcome=outcome,
                      note="Perlu diperbaiki." if outcome == "tidak_setuju" else "",
                      record=filled(step.record, outcome),
                      attachments=[pdf(kind) for kind in step.produces])
        walked.append((task.step_key, task.role_key, outcome if outcome == "tidak_setuju" else ""))
        assert len(walked) <= len(expected) + 1, f"the case went on past the expected path: {walked}"
    return walked


CASES = [(sop, end, text) for sop, paths in PATHS.items() for end, text in paths]


@pytest.mark.parametrize("sop_key, end, text", CASES, ids=[f"{sop}-{i}" for i, (sop, _, _) in enumerate(CASES)])
def test_a_shipped_sop_runs_each_path_with_its_steps_and_people_to_its_end(demo, users, sop_key, end, text):
    case = start(sop_key, users)

    walked = walk(case, path(text))

    case.refresh_from_db()
    assert walked == path(text)
    assert case.end_key == end
    assert case.status == (Case.Status.RETURNED if definition_of(case.sop_version).end(end).resubmittable
                           else Case.Status.COMPLETED)


def test_every_shipped_sop_has_its_paths_specified_here(demo):
    from alur.workflow.models import Sop

    assert set(Sop.objects.values_list("key", flat=True)) == {*PATHS, "pks-pihak-ketiga"}


def test_an_mou_case_run_to_its_end_puts_its_mou_in_the_register_with_a_number_of_the_mou_series(demo, users):
    from alur.agreements.lifecycle import register_draft
    from alur.agreements.models import Agreement, Partner
    from alur.agreements.register import running_of

    agreement = register_draft(
        actor=users["pengelola"], title="Kesepakatan Bersama Pengembangan Wisata Bahari",
        org_unit=OrgUnit.objects.get(code="dispar"), partner=Partner.objects.get(name="PT Timah Tbk"),
        object="Pengembangan wisata bahari", scope="Promosi dan pelatihan", duration_months=12,
        disposition_number="B/1/SETDA", disposition_date=TODAY(), disposition_from=Agreement.DispositionFrom.SEKDA,
        draft=pdf("draft_kb"), sop_key="mou-pihak-ketiga")
    (end, text), *_ = PATHS["mou-pihak-ketiga"]

    walk(agreement.case, path(text))

    agreement.refresh_from_db()
    assert agreement.kind == Agreement.Kind.MOU
    assert running_of(agreement.number, Agreement.Kind.MOU) == (TODAY().year, 1)  # the first of the MoU series
    assert (agreement.signed_on, agreement.ends_on) == (TODAY(), TODAY() + datetime.timedelta(days=365))
    assert list(agreement.distributions.values_list("recipient", flat=True)) == ["Dinas Pariwisata", "Arsip Biro Pemerintahan"]
