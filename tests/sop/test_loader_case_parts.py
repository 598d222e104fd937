"""Specification of the loader for what a case carries: the intake (OPD, subject, the case it
follows, its own fields), who may resubmit, and the register's field mapping, each checked
against the rest of the definition and refused on its own line.

Every definition here is the shipped PKS definition with one edit, read from its text.
"""
from __future__ import annotations

from alur.sop import load_definition_text, shipped_definition_paths
from alur.sop.model import Follows
from tests.sop.test_loader import edit, line_of, only_problem, problems_of

PKS_TEXT = next(p for p in shipped_definition_paths() if p.name == "pks-pihak-ketiga.yaml").read_text(encoding="utf-8")


def problem_of(text: str) -> str:
    return str(only_problem(text))


def test_the_pks_definition_maps_each_register_field_to_the_step_that_records_it():
    register = load_definition_text(PKS_TEXT).register

    assert (register.kind, register.end) == ("pks", "teregistrasi")
    assert register.source("signed_on") == ("penandatanganan", "tanggal_tanda_tangan")
    assert register.source("archive_place") == ("registrasi", "tempat_arsip")
    assert register.recorded_at("keputusan_gubernur") == {"signer": "penandatangan", "power_of_attorney": "nomor_surat_kuasa"}


def test_the_pks_definition_says_who_starts_and_who_resubmits():
    definition = load_definition_text(PKS_TEXT)

    assert (definition.intake_org_unit, definition.intake_subject) == (True, "agreement")
    assert definition.starting_roles == ("pengelola", "karo")
    assert definition.resubmitting_roles == ("kepala_opd", "pengelola", "karo")


def test_a_record_key_renamed_in_its_step_but_not_in_the_register_is_refused_on_the_mapping_line():
    text = edit(PKS_TEXT, "      - key: tempat_arsip\n", "      - key: lokasi_arsip\n")

    assert problem_of(text) == (
        f"contoh.yaml:{line_of(text, 'archive_place: registrasi.tempat_arsip')}: register: fields: 'archive_place' "
        "menyebut isian 'tempat_arsip' yang tidak dicatat langkah 'registrasi' (isiannya: distribusi, lokasi_arsip)")


def test_a_register_field_mapped_to_a_step_that_does_not_exist_is_refused():
    text = edit(PKS_TEXT, "    distribution: registrasi.distribusi\n", "    distribution: arsip.distribusi\n")

    assert problem_of(text) == (f"contoh.yaml:{line_of(text, 'distribution: arsip.distribusi')}: register: fields: "
                                "'distribution' menyebut langkah 'arsip' yang tidak ada")


def test_a_register_field_mapped_to_a_record_of_another_type_is_refused():
    text = edit(PKS_TEXT, "    signed_on: penandatanganan.tanggal_tanda_tangan\n",
                "    signed_on: penandatanganan.tempat_tanda_tangan\n")

    assert "'signed_on' perlu isian berjenis date, sedangkan 'penandatanganan.tempat_tanda_tangan' berjenis text" in problem_of(text)


def test_the_distribution_recorded_before_the_step_that_reaches_the_register_end_is_refused():
    text = edit(edit(PKS_TEXT, "    distribution: registrasi.distribusi\n", "    distribution: penandatanganan.distribusi\n"),
                "      - key: dasar_hukum\n", "      - key: distribusi\n        label: Distribusi\n        type: lines\n"
                "      - key: dasar_hukum\n")

    assert problem_of(text) == (
        f"contoh.yaml:{line_of(text, 'distribution: penandatanganan.distribusi')}: register: fields: 'distribution' "
        "harus dicatat langkah yang berlanjut ke akhir 'teregistrasi'; langkah 'penandatanganan' tidak")


def test_a_register_field_written_without_its_step_is_refused():
    text = edit(PKS_TEXT, "    archive_place: registrasi.tempat_arsip\n", "    archive_place: tempat_arsip\n")

    assert "'archive_place' harus ditulis LANGKAH.ISIAN" in problem_of(text)


def test_an_unknown_register_field_is_refused_with_a_guess():
    text = edit(PKS_TEXT, "    archive_place: registrasi.tempat_arsip\n", "    archive_plac: registrasi.tempat_arsip\n")

    assert "kolom 'archive_plac' tidak dikenal (maksudnya 'archive_place'?)" in problem_of(text)


def test_a_register_without_the_period_is_refused():
    text = edit(PKS_TEXT, "    ends_on: penandatanganan.tanggal_berakhir\n", "")

    assert "register: fields: kolom wajib 'ends_on' tidak ada" in problem_of(text)


def test_a_register_at_an_end_that_returns_the_draft_is_refused():
    text = edit(PKS_TEXT, "  end: teregistrasi\n", "  end: dikembalikan\n")

    assert "akhir 'dikembalikan' adalah pengembalian (resubmittable)" in problem_of(text)


def test_an_agreement_subject_without_a_register_is_refused():
    start = PKS_TEXT.index("register:\n  kind: pks")
    text = PKS_TEXT[:start] + PKS_TEXT[PKS_TEXT.index("start: terima_disposisi"):]

    assert "subject agreement memerlukan bagian 'register'" in problem_of(text)


def test_an_sop_without_an_opd_cannot_have_a_role_run_by_the_cases_opd():
    text = edit(PKS_TEXT, "  org_unit: true\n", "  org_unit: false\n")
    problems = [str(p) for p in problems_of(text)]

    assert any("peran 'kepala_opd' dijalankan oleh OPD perkara (scope: opd)" in p for p in problems)


def test_a_resubmit_role_that_does_not_exist_is_refused():
    text = edit(PKS_TEXT, "  roles: [kepala_opd]\n", "  roles: [kepala_dinas]\n")

    assert problem_of(text) == (f"contoh.yaml:{line_of(text, 'roles: [kepala_dinas]')}: resubmit: peran "
                                "'kepala_dinas' tidak ada di daftar peran")


def test_an_intake_may_name_its_own_fields_and_the_case_it_follows():
    text = edit(PKS_TEXT, "  org_unit: true\n", "  org_unit: true\n  follows: {sop: mou-pihak-ketiga, end: teregistrasi}\n"
                "  record:\n    - key: nomor_surat\n      label: Nomor surat pengantar\n")
    definition = load_definition_text(text)

    assert definition.intake_follows == Follows(sop="mou-pihak-ketiga", end="teregistrasi")
    assert [(f.key, f.label, f.type) for f in definition.intake_record] == [("nomor_surat", "Nomor surat pengantar", "text")]
