"""Specification of the shipped PKS definition, checked against the source SOP and its reading.

The source is shared/seeds/sop-penyusunan-pks-pihak-ketiga.txt; how the product reads it is in
shared/SOP-READING.md. Both sit in `shared/` beside the repository.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from alur.sop import load_definition_file, shipped_definition_paths

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "sop-penyusunan-pks-pihak-ketiga.txt"

STRAIGHT_PATH_ACTORS = [
    "karo", "kabag", "kasubbag", "analis", "kasubbag", "kabag", "karo",
    "tkksd", "gubernur", "karo", "kabag", "kepala_opd", "pengelola",
]
SOURCE_NUMBERS = ["1", "2", "3", "4", "5", "7", "8", "7", "8", "9", "10", "11", "12"]


@pytest.fixture(scope="module")
def pks():
    [path] = [p for p in shipped_definition_paths() if p.name == "pks-pihak-ketiga.yaml"]
    return load_definition_file(path)


@pytest.fixture(scope="module")
def seed_rows() -> list[dict[str, str]]:
    """The activity rows of the source table: number, activity, kelengkapan, waktu, output."""
    # The project is always checked out with shared/ beside it (CI does the same).
    assert SEED.exists(), f"the source SOP must be beside the repository: {SEED}"
    rows = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if not re.match(r"^\d+\t", line):
            continue
        number, activity, *rest = line.split("\t")
        # The role columns between activity and the Mutu Baku are empty; so is step 6's kelengkapan.
        *kelengkapan, waktu, output = [cell.strip() for cell in rest if cell.strip()]
        rows.append({"number": number, "activity": activity, "kelengkapan": ", ".join(kelengkapan),
                     "waktu": waktu, "output": output})
    return rows


def words(text: str) -> str:
    return " ".join(text.split())


def numbered_steps(pks):
    """The steps of the source table, in its order (the added steps have no source number)."""
    return [s for s in sorted(pks.steps, key=lambda s: s.number) if not s.marks.added]


@pytest.mark.parametrize("path", shipped_definition_paths(), ids=lambda p: p.name)
def test_every_shipped_definition_loads(path):
    assert load_definition_file(path).steps


def test_the_source_has_13_numbered_steps_and_the_reading_adds_two(pks):
    assert [s.number for s in pks.steps] == list(range(1, 16))
    assert len(numbered_steps(pks)) == 13
    assert [s.key for s in pks.steps if s.marks.added] == ["teruskan_pengembalian", "kembalikan_ke_opd"]


def test_the_added_steps_have_no_source_number(pks):
    assert [s.source_number for s in pks.steps if s.marks.added] == ["", ""]


def test_the_straight_path_visits_steps_1_to_13_in_order(pks):
    assert [s.number for s in pks.straight_path()] == list(range(1, 14))


def test_the_straight_path_actors_are_the_inferred_swimlanes(pks):
    assert [s.actor for s in pks.straight_path()] == STRAIGHT_PATH_ACTORS


def test_the_straight_path_ends_registered(pks):
    assert pks.straight_path()[-1].next == "teregistrasi"


def test_the_straight_path_takes_510_minutes(pks):
    total = pks.straight_path_time()

    assert total.minutes == 510
    assert total.working_days == 0
    assert "510 menit" in str(total)


def test_only_three_steps_are_decisions(pks):
    assert [s.key for s in pks.steps if s.is_decision] == ["periksa_karo", "bahas_tkksd", "keputusan_gubernur"]


def test_karo_sends_an_approved_draft_to_tkksd_and_returns_a_rejected_one_to_the_opd(pks):
    step = pks.step("periksa_karo")

    assert step.number == 7
    assert dict(step.outcomes) == {"setuju": "bahas_tkksd", "tidak_setuju": "kembalikan_ke_opd"}


def test_tkksd_recommends_to_the_gubernur_or_returns_through_karo(pks):
    step = pks.step("bahas_tkksd")

    assert step.number == 8
    assert dict(step.outcomes) == {"setuju": "keputusan_gubernur", "tidak_setuju": "teruskan_pengembalian"}


def test_a_tkksd_rejection_passes_through_karo_to_the_return_to_the_opd(pks):
    step = pks.step("teruskan_pengembalian")

    assert step.actor == "karo"
    assert step.next == "kembalikan_ke_opd"


def test_the_gubernur_approves_to_finalisation_or_sends_back_to_tkksd(pks):
    step = pks.step("keputusan_gubernur")

    assert step.number == 9
    assert dict(step.outcomes) == {"setuju": "finalisasi_draft", "tidak_setuju": "bahas_tkksd"}


def test_the_tkksd_forum_records_its_date_and_the_members_present_with_its_notulen(pks):
    step = pks.step("bahas_tkksd")

    assert step.produces == ("notulen",)
    assert [(f.key, f.type, f.required, f.when) for f in step.record] == [
        ("tanggal_rapat", "date", True, ""), ("anggota_hadir", "text", True, "")]
    assert step.marks.is_inferred("record")


def test_the_gubernur_yields_his_disposisi_and_on_setuju_records_who_signs(pks):
    step = pks.step("keputusan_gubernur")

    assert step.produces == ("disposisi_gubernur",)
    signer, power_of_attorney = step.record
    assert (signer.key, signer.type, signer.required, signer.when) == ("penandatangan", "choice", True, "setuju")
    # Required when the Kepala OPD signs: agreements/lifecycle.py holds that rule (power_of_attorney).
    assert (power_of_attorney.key, power_of_attorney.type, power_of_attorney.required, power_of_attorney.when) == (
        "nomor_surat_kuasa", "text", False, "setuju")
    assert [value for value, _ in signer.choices] == ["gubernur", "kepala_opd"]
    # The source: "... dan / atau menerbitkan surat kuasa kepada Perangkat Daerah".
    assert dict(signer.documents) == {"kepala_opd": ("surat_kuasa",)}
    assert step.marks.is_inferred("record")


def test_the_signing_records_its_date_place_partners_number_and_period_as_our_reading_adds(pks):
    step = pks.step("penandatanganan")

    assert step.produces == ("dokumen_pks",)
    assert [(f.key, f.type, f.required) for f in step.record] == [
        ("tanggal_tanda_tangan", "date", True), ("tempat_tanda_tangan", "text", True),
        ("nomor_pihak_ketiga", "text", False), ("tanggal_mulai", "date", True), ("tanggal_berakhir", "date", True),
        ("dasar_hukum", "text", False)]
    assert step.marks.is_inferred("record") and "dasar hukum" in step.marks.reading


def test_the_registration_records_the_recipients_one_per_line_and_the_archive_place_as_our_reading_adds(pks):
    step = pks.step("registrasi")

    assert step.kelengkapan == ("dokumen_pks",)
    assert [(f.key, f.type, f.required) for f in step.record] == [("distribusi", "lines", True), ("tempat_arsip", "text", True)]
    assert step.marks.is_inferred("record") and step.marks.reading


def test_the_return_to_the_opd_is_done_by_pengelola_and_may_be_resubmitted(pks):
    step = pks.step("kembalikan_ke_opd")

    assert step.actor == "pengelola"
    assert step.next == "dikembalikan"
    assert pks.end("dikembalikan").resubmittable
    assert not pks.end("teregistrasi").resubmittable


def test_the_source_numbers_are_kept_with_their_gaps_and_repeats(pks):
    assert [s.source_number for s in numbered_steps(pks)] == SOURCE_NUMBERS


def test_empty_header_fields_stay_empty(pks):
    assert pks.identity.tanggal_efektif == ""
    assert pks.identity.disahkan_oleh == ""


def test_the_header_keeps_the_source_values(pks):
    assert pks.identity.nomor == "/ SOP/I/2020"
    assert pks.identity.tanggal_pembuatan == "2018"
    assert pks.identity.tanggal_revisi == "Juli 2020"
    assert len(pks.identity.dasar_hukum) == 3
    assert len(pks.identity.keterkaitan) == 4


def test_step_6_has_no_kelengkapan_as_in_the_source(pks):
    assert pks.step("koreksi_kabag").number == 6
    assert pks.step("koreksi_kabag").kelengkapan == ()


def test_every_numbered_steps_actor_is_marked_inferred(pks):
    assert [s.key for s in numbered_steps(pks) if "actor" not in s.marks.inferred] == []


def test_every_steps_actor_reads_as_inferred(pks):
    assert all(s.marks.is_inferred("actor") for s in pks.steps)


def test_kepala_opd_is_resolved_within_the_cases_own_opd(pks):
    assert pks.role("kepala_opd").scope == "opd"
    assert [r.key for r in pks.roles if r.scope] == ["kepala_opd"]


def test_the_roles_are_the_swimlanes_left_to_right(pks):
    assert [r.key for r in pks.roles] == [
        "gubernur", "tkksd", "karo", "kepala_opd", "kabag", "kasubbag", "analis", "pengelola",
    ]


def test_pengelola_and_karo_may_register_an_incoming_draft(pks):
    assert pks.may_start("pengelola")
    assert pks.may_start("karo")
    assert not pks.may_start("analis")
    assert pks.intake_kelengkapan == ("draft_pks",)


def test_the_seed_has_13_activity_rows(seed_rows):
    assert [row["number"] for row in seed_rows] == SOURCE_NUMBERS


def test_each_activity_is_the_seeds_text(pks, seed_rows):
    for step, row in zip(numbered_steps(pks), seed_rows, strict=True):
        assert (step.number, words(step.activity)) == (step.number, words(row["activity"]))


def test_each_waktu_and_output_is_the_seeds_mutu_baku(pks, seed_rows):
    for step, row in zip(numbered_steps(pks), seed_rows, strict=True):
        assert (step.number, str(step.waktu), step.output) == (step.number, row["waktu"], row["output"])


def test_each_source_number_is_the_seeds_row_number(pks, seed_rows):
    assert [s.source_number for s in numbered_steps(pks)] == [row["number"] for row in seed_rows]


def test_the_only_row_without_kelengkapan_in_the_seed_is_step_6(seed_rows):
    assert [index + 1 for index, row in enumerate(seed_rows) if not row["kelengkapan"]] == [6]
