"""Specification of the SOP definition loader: what it accepts, and how it reports what it refuses.

Every malformed definition here is the small valid definition below with one edit, so each test
shows exactly the mistake it is about. Lines are found in the edited text, never counted by hand.
"""
from __future__ import annotations

import pytest

from alur.sop import DefinitionError, Duration, Problem, load_definition_file, load_definition_text

VALID = """\
format: alur-sop/1
key: surat-masuk
identitas:
  nama: SOP Contoh Pengadministrasian Surat Masuk
  nomor: "1/SOP/2024"
roles:
  - key: staf
    name: Staf Tata Usaha
    reports_to: kepala
  - key: kepala
    name: Kepala Bagian
  - key: arsiparis
    name: Arsiparis
documents:
  - key: surat
    name: Surat masuk
  - key: nota
    name: Nota dinas
intake:
  roles: [staf]
  kelengkapan: [surat]
start: terima
steps:
  - key: terima
    number: 1
    actor: staf
    activity: Menerima dan mencatat surat masuk
    kelengkapan:
      - surat
    waktu: 5 menit
    next: putuskan
  - key: putuskan
    number: 2
    actor: kepala
    inferred: [actor]
    activity: Memutuskan tindak lanjut surat
    waktu: 1 jam
    decision:
      setuju: arsipkan
      tidak_setuju: ditolak
  - key: arsipkan
    number: 3
    actor: arsiparis
    activity: Membuat nota dinas dan mengarsipkan surat
    produces: [nota]
    waktu: 1 hari kerja
    next: selesai
ends:
  - key: selesai
    name: Surat diarsipkan
  - key: ditolak
    name: Surat ditolak
    resubmittable: true
"""

EXTRA_STEP = """\
  - key: {key}
    number: {number}
    actor: staf
    activity: Langkah tambahan
    waktu: 10 menit
    next: {next}
"""


def valid_text() -> str:
    """The smallest definition that uses every kind of entry; each test edits one thing in it."""
    return VALID


def edit(text: str, old: str, new: str) -> str:
    """`text` with its one occurrence of `old` replaced, so an edit can never land in the wrong place."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def add_step(text: str, key: str, number: int, next: str) -> str:
    return edit(text, "ends:\n", EXTRA_STEP.format(key=key, number=number, next=next) + "ends:\n")


def lines_of(text: str, fragment: str) -> list[int]:
    """The 1-based numbers of the lines containing `fragment`."""
    return [number for number, line in enumerate(text.splitlines(), start=1) if fragment in line]


def line_of(text: str, fragment: str) -> int:
    found = lines_of(text, fragment)
    assert len(found) == 1, f"{fragment!r} is on lines {found}"
    return found[0]


def problems_of(text: str) -> list[Problem]:
    with pytest.raises(DefinitionError) as raised:
        load_definition_text(text, source="contoh.yaml")
    return raised.value.problems


def only_problem(text: str) -> Problem:
    problems = problems_of(text)
    assert len(problems) == 1, "\n".join(str(p) for p in problems)
    return problems[0]


# --- the valid definition ------------------------------------------------------------------------


def test_the_valid_definition_loads_with_its_steps_in_order():
    definition = load_definition_text(valid_text())

    assert definition.key == "surat-masuk"
    assert definition.name == "SOP Contoh Pengadministrasian Surat Masuk"
    assert [s.key for s in definition.steps] == ["terima", "putuskan", "arsipkan"]
    assert definition.start_step.key == "terima"
    assert definition.step("putuskan").outcomes == (("setuju", "arsipkan"), ("tidak_setuju", "ditolak"))
    assert definition.step("terima").kelengkapan == ("surat",)
    assert definition.step("arsipkan").produces == ("nota",)
    assert definition.end("ditolak").resubmittable is True


def test_start_defaults_to_the_first_step():
    definition = load_definition_text(edit(valid_text(), "start: terima\n", ""))

    assert definition.start == "terima"


def test_the_intake_roles_and_the_first_steps_actor_may_start_a_case():
    definition = load_definition_text(edit(valid_text(), "roles: [staf]", "roles: [arsiparis]"))

    assert definition.may_start("arsiparis")
    assert definition.may_start("staf")
    assert not definition.may_start("kepala")


def test_marks_say_which_fields_are_inferred():
    definition = load_definition_text(valid_text())

    assert definition.step("putuskan").marks.is_inferred("actor")
    assert not definition.step("putuskan").marks.is_inferred("waktu")
    assert not definition.step("terima").marks.is_inferred("actor")


def test_a_problem_prints_as_file_line_message():
    assert str(Problem("pks.yaml", 12, "pesan")) == "pks.yaml:12: pesan"


# --- unknown roles and documents ----------------------------------------------------------------


def test_unknown_step_actor_is_reported_on_the_actor_line():
    text = edit(valid_text(), "actor: arsiparis", "actor: arsip")

    problem = only_problem(text)

    assert problem.line == line_of(text, "actor: arsip")
    assert problem.message == "langkah 'arsipkan': pelaksana 'arsip' tidak ada di daftar peran"


def test_unknown_role_in_reports_to_is_reported_on_its_line():
    text = edit(valid_text(), "reports_to: kepala", "reports_to: kabag")

    problem = only_problem(text)

    assert problem.line == line_of(text, "reports_to: kabag")
    assert problem.message == "peran 'staf': reports_to menyebut peran 'kabag' yang tidak ada"


def test_unknown_intake_role_is_reported_on_its_line():
    text = edit(valid_text(), "roles: [staf]", "roles: [staf, tamu]")

    problem = only_problem(text)

    assert problem.line == line_of(text, "roles: [staf, tamu]")
    assert problem.message == "intake: peran 'tamu' tidak ada di daftar peran"


def test_unknown_kelengkapan_document_is_reported_on_its_own_item_line():
    text = edit(valid_text(), "      - surat\n", "      - surat\n      - lampiran\n")

    problem = only_problem(text)

    assert problem.line == line_of(text, "- lampiran")
    assert problem.message == "langkah 'terima': jenis dokumen 'lampiran' di 'kelengkapan' tidak ada di daftar dokumen"


def test_unknown_produced_document_is_reported_on_its_line():
    text = edit(valid_text(), "produces: [nota]", "produces: [memo]")

    problem = only_problem(text)

    assert problem.line == line_of(text, "produces: [memo]")
    assert problem.message == "langkah 'arsipkan': jenis dokumen 'memo' di 'produces' tidak ada di daftar dokumen"


def test_unknown_intake_document_is_reported_on_its_line():
    text = edit(valid_text(), "kelengkapan: [surat]", "kelengkapan: [disposisi]")

    problem = only_problem(text)

    assert problem.line == line_of(text, "kelengkapan: [disposisi]")
    assert problem.message == "intake: jenis dokumen 'disposisi' tidak ada di daftar dokumen"


# --- targets and paths ---------------------------------------------------------------------------


def test_next_naming_no_step_or_end_is_reported_on_its_line():
    text = edit(valid_text(), "next: putuskan", "next: putusan")

    problem = only_problem(text)

    assert problem.line == line_of(text, "next: putusan")
    assert problem.message == "langkah 'terima': 'next' menuju 'putusan', yang bukan langkah maupun akhir"


def test_decision_outcome_naming_no_step_or_end_is_reported_on_its_line():
    text = edit(valid_text(), "tidak_setuju: ditolak", "tidak_setuju: tolak")

    problem = only_problem(text)

    assert problem.line == line_of(text, "tidak_setuju: tolak")
    assert problem.message == "langkah 'putuskan': bila tidak setuju menuju 'tolak', yang bukan langkah maupun akhir"


def test_a_broken_target_is_reported_alone_not_with_the_paths_it_breaks():
    # Without the typo, 'putuskan' and 'arsipkan' would be unreachable and 'terima' trapped;
    # those are consequences, and listing them would hide the one line to fix.
    text = edit(valid_text(), "next: putuskan", "next: putusan")

    assert [p.message for p in problems_of(text)] == [
        "langkah 'terima': 'next' menuju 'putusan', yang bukan langkah maupun akhir"
    ]


def test_a_step_no_path_reaches_from_the_start_is_reported_on_its_first_line():
    text = add_step(valid_text(), "catat", 4, "selesai")

    problem = only_problem(text)

    assert problem.line == line_of(text, "- key: catat")
    assert problem.message == "langkah 'catat' tidak dapat dicapai dari langkah awal 'terima'"


def test_a_loop_of_two_steps_with_no_exit_reports_both_steps():
    text = edit(valid_text(), "next: selesai", "next: periksa_ulang")
    text = add_step(text, "periksa_ulang", 4, "arsipkan")

    problems = problems_of(text)

    assert [(p.line, p.message) for p in problems] == [
        (line_of(text, "- key: arsipkan"), "langkah 'arsipkan' tidak punya jalan menuju akhir mana pun"),
        (line_of(text, "- key: periksa_ulang"), "langkah 'periksa_ulang' tidak punya jalan menuju akhir mana pun"),
    ]


def test_a_main_path_that_loops_back_is_reported_where_it_turns_back():
    # Every step can still reach an end (through tidak setuju), but the straight path never does,
    # so the SOP's total time standard would be meaningless.
    text = edit(valid_text(), "next: selesai", "next: putuskan")

    problem = only_problem(text)

    assert problem.line == line_of(text, "- key: arsipkan")
    assert problem.message == (
        "langkah 'arsipkan': jalan utama (setuju di setiap keputusan) kembali ke langkah 'putuskan' dan tidak pernah sampai ke akhir"
    )


def test_a_loop_back_through_tidak_setuju_is_allowed():
    definition = load_definition_text(edit(valid_text(), "tidak_setuju: ditolak", "tidak_setuju: terima"))

    assert [s.key for s in definition.straight_path()] == ["terima", "putuskan", "arsipkan"]


def test_start_naming_no_step_is_reported_on_its_line():
    text = edit(valid_text(), "start: terima", "start: mulai")

    problem = only_problem(text)

    assert problem.line == line_of(text, "start: mulai")
    assert problem.message == "start menyebut langkah 'mulai' yang tidak ada"


def test_a_step_with_neither_next_nor_decision_is_reported_on_its_first_line():
    text = edit(valid_text(), "    next: selesai\n", "")

    problem = only_problem(text)

    assert problem.line == line_of(text, "- key: arsipkan")
    assert problem.message == "langkah 'arsipkan': tidak punya 'next' maupun 'decision'; tulis langkah atau akhir berikutnya"


# --- decisions -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("outcome", "in_words"), [("setuju", "setuju"), ("tidak_setuju", "tidak setuju")])
def test_a_decision_missing_an_outcome_is_reported_on_the_decision_line(outcome, in_words):
    target = {"setuju": "arsipkan", "tidak_setuju": "ditolak"}[outcome]
    text = edit(valid_text(), f"      {outcome}: {target}\n", "")

    problem = only_problem(text)

    assert problem.line == line_of(text, "decision:")
    assert problem.message == (
        f"langkah 'putuskan': keputusan tidak punya hasil '{outcome}'; tulis ke mana langkah berlanjut bila {in_words}"
    )


def test_an_unknown_decision_outcome_is_reported_on_its_line():
    text = edit(valid_text(), "      tidak_setuju: ditolak\n", "      tidak_setuju: ditolak\n      batal: ditolak\n")

    problem = only_problem(text)

    assert problem.line == line_of(text, "batal: ditolak")
    assert problem.message == "langkah 'putuskan': decision: hasil 'batal' tidak dikenal; yang dikenal: setuju, tidak_setuju"


def test_a_decision_step_that_also_has_next_is_reported_on_the_next_line():
    text = edit(valid_text(), "    decision:\n", "    next: arsipkan\n    decision:\n")

    problem = only_problem(text)

    assert problem.line == line_of(text, "next: arsipkan")
    assert "langkah keputusan tidak boleh punya 'next'" in problem.message
    assert "per hasil di 'decision'" in problem.message


def test_a_decision_that_is_not_a_mapping_is_reported_on_its_line():
    text = edit(valid_text(), "    decision:\n      setuju: arsipkan\n      tidak_setuju: ditolak\n", "    decision: setuju\n")

    problem = only_problem(text)

    assert problem.line == line_of(text, "decision: setuju")
    assert problem.message == "langkah 'putuskan': decision harus berupa pemetaan (kunci: nilai)"


# --- duplicates ----------------------------------------------------------------------------------


def test_a_duplicate_step_key_is_reported_on_the_second_step_naming_the_first():
    text = add_step(valid_text(), "terima", 4, "selesai")
    first, second = lines_of(text, "- key: terima")

    problem = only_problem(text)

    assert problem.line == second
    assert problem.message == f"langkah 'terima' ditulis dua kali (pertama di baris {first})"


def test_a_duplicate_role_key_is_reported_on_the_second_role_naming_the_first():
    text = edit(valid_text(), "documents:\n", "  - key: staf\n    name: Staf lain\ndocuments:\n")
    first, second = lines_of(text, "- key: staf")

    problem = only_problem(text)

    assert problem.line == second
    assert problem.message == f"peran 'staf' ditulis dua kali (pertama di baris {first})"


def test_a_duplicate_document_key_is_reported_on_the_second_document_naming_the_first():
    text = edit(valid_text(), "intake:\n", "  - key: nota\n    name: Nota lain\nintake:\n")
    first, second = lines_of(text, "- key: nota")

    problem = only_problem(text)

    assert problem.line == second
    assert problem.message == f"jenis dokumen 'nota' ditulis dua kali (pertama di baris {first})"


def test_a_field_written_twice_in_one_mapping_is_reported_on_the_second_naming_the_first():
    # Plain YAML keeps the last value silently; the author would never know which one counts.
    text = edit(valid_text(), "    waktu: 5 menit\n", "    waktu: 5 menit\n    waktu: 10 menit\n")

    problem = only_problem(text)

    assert problem.line == line_of(text, "waktu: 10 menit")
    assert problem.message == f"langkah 'terima': kolom 'waktu' ditulis dua kali (pertama di baris {line_of(text, 'waktu: 5 menit')})"


def test_a_top_level_section_written_twice_is_reported():
    text = valid_text() + "start: putuskan\n"

    problem = only_problem(text)

    assert problem.line == line_of(text, "start: putuskan")
    assert problem.message == f"definisi: kolom 'start' ditulis dua kali (pertama di baris {line_of(text, 'start: terima')})"


def test_a_duplicate_step_number_is_reported_on_the_second_step_naming_the_first():
    text = edit(valid_text(), "number: 3", "number: 2")

    problem = only_problem(text)

    assert problem.line == line_of(text, "- key: arsipkan")
    assert problem.message == f"langkah 'arsipkan': nomor 2 sudah dipakai langkah lain (baris {line_of(text, '- key: putuskan')})"


def test_two_steps_without_a_number_are_not_also_reported_as_sharing_one():
    text = edit(valid_text(), "    number: 1\n", "")
    text = edit(text, "    number: 2\n", "")

    assert [p.message for p in problems_of(text)] == [
        "langkah 'terima': kolom wajib 'number' tidak ada",
        "langkah 'putuskan': kolom wajib 'number' tidak ada",
    ]


# --- durations (waktu) ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "amount", "unit", "minutes", "working_days"),
    [
        ("5 menit", 5, "menit", 5, 0),
        ("3 jam", 3, "jam", 180, 0),
        ("2 hari kerja", 2, "hari kerja", 0, 2),
        ("1 hari", 1, "hari kerja", 0, 1),
    ],
)
def test_a_readable_duration_is_loaded_as_working_time(written, amount, unit, minutes, working_days):
    definition = load_definition_text(edit(valid_text(), "waktu: 5 menit", f"waktu: {written}"))

    waktu = definition.step("terima").waktu

    assert waktu == Duration(amount, unit)
    assert (waktu.minutes, waktu.working_days) == (minutes, working_days)


def test_a_day_is_always_a_working_day():
    assert str(Duration.parse("1 hari")) == "1 hari kerja"


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("lima menit", "waktu 'lima menit' tidak dapat dibaca; tulis seperti '5 menit', '3 jam' atau '2 hari kerja'"),
        ("5 minutes", "waktu '5 minutes' tidak dapat dibaca; tulis seperti '5 menit', '3 jam' atau '2 hari kerja'"),
        ("0 menit", "waktu '0 menit' harus lebih dari nol"),
        ('""', "'waktu' tidak boleh kosong"),
    ],
)
def test_an_unreadable_duration_is_reported_on_its_line(written, message):
    text = edit(valid_text(), "waktu: 5 menit", f"waktu: {written}")

    problem = only_problem(text)

    assert problem.line == line_of(text, f"waktu: {written}")
    assert problem.message == f"langkah 'terima': {message}"


# --- missing required fields ---------------------------------------------------------------------


def test_missing_identitas_nama_is_reported_on_the_identitas_line():
    text = edit(valid_text(), "  nama: SOP Contoh Pengadministrasian Surat Masuk\n", "")

    problem = only_problem(text)

    assert problem.line == line_of(text, "identitas:")
    assert problem.message == "identitas: kolom wajib 'nama' tidak ada"


def test_missing_step_actor_is_reported_on_the_steps_first_line():
    text = edit(valid_text(), "    actor: kepala\n", "")

    problem = only_problem(text)

    assert problem.line == line_of(text, "- key: putuskan")
    assert problem.message == "langkah 'putuskan': kolom wajib 'actor' tidak ada"


def test_missing_step_activity_is_reported_on_the_steps_first_line():
    text = edit(valid_text(), "    activity: Menerima dan mencatat surat masuk\n", "")

    problem = only_problem(text)

    assert problem.line == line_of(text, "- key: terima")
    assert problem.message == "langkah 'terima': kolom wajib 'activity' tidak ada"


def test_missing_step_waktu_is_reported_on_the_steps_first_line():
    text = edit(valid_text(), "    waktu: 1 jam\n", "")

    problem = only_problem(text)

    assert problem.line == line_of(text, "- key: putuskan")
    assert problem.message == "langkah 'putuskan': kolom wajib 'waktu' tidak ada"


def test_empty_step_activity_is_reported_on_its_line():
    text = edit(valid_text(), "activity: Memutuskan tindak lanjut surat", 'activity: ""')

    problem = only_problem(text)

    assert problem.line == line_of(text, 'activity: ""')
    assert problem.message == "langkah 'putuskan': 'activity' tidak boleh kosong"


def test_missing_role_name_is_reported_on_the_roles_first_line():
    text = edit(valid_text(), "    name: Kepala Bagian\n", "")

    problem = only_problem(text)

    assert problem.line == line_of(text, "- key: kepala")
    assert problem.message == "peran 'kepala': kolom wajib 'name' tidak ada"


def test_missing_top_level_steps_is_reported_on_the_first_line():
    before, after = valid_text().split("steps:\n")
    text = before + "ends:\n" + after.split("ends:\n")[1]

    problem = only_problem(text)

    assert problem.line == 1
    assert problem.message == "definisi: kolom wajib 'steps' tidak ada"


def test_missing_top_level_roles_is_reported_on_the_first_line_not_on_a_later_section():
    before, after = valid_text().split("roles:\n  - key: staf", 1)
    text = before + "documents:" + after.split("documents:", 1)[1]

    problems = problems_of(text)

    assert (1, "definisi: kolom wajib 'roles' tidak ada") in [(p.line, p.message) for p in problems]


def test_an_empty_steps_list_is_reported_on_its_line():
    before, after = valid_text().split("steps:\n")
    text = before + "steps: []\nends:\n" + after.split("ends:\n")[1]

    problem = only_problem(text)

    assert problem.line == line_of(text, "steps: []")
    assert problem.message == "definisi harus punya setidaknya satu langkah"


# --- unreadable files ----------------------------------------------------------------------------


def test_yaml_that_does_not_parse_is_reported_on_the_line_of_the_error():
    text = edit(valid_text(), "activity: Memutuskan tindak lanjut surat", "activity: Memutuskan: tindak lanjut surat")

    problem = only_problem(text)

    assert problem.line == line_of(text, "activity: Memutuskan: tindak lanjut surat")
    assert problem.message.startswith("YAML tidak dapat dibaca: ")


def test_a_wrongly_indented_field_is_reported_on_its_line():
    text = edit(valid_text(), "    waktu: 1 jam", "   waktu: 1 jam")

    problem = only_problem(text)

    assert problem.line == line_of(text, "   waktu: 1 jam")
    assert problem.message.startswith("YAML tidak dapat dibaca: ")


def test_an_unclosed_quote_is_reported_where_it_opens_not_at_the_end_of_the_file():
    text = edit(valid_text(), "activity: Memutuskan tindak lanjut surat", 'activity: "Memutuskan tindak lanjut surat')

    problem = only_problem(text)

    assert problem.line == line_of(text, 'activity: "Memutuskan')
    assert problem.message.startswith("YAML tidak dapat dibaca: ")


def test_a_control_character_is_reported_on_its_line():
    text = edit(valid_text(), "Memutuskan tindak lanjut surat", "Memutuskan tindak\x07lanjut surat")

    problem = only_problem(text)

    assert problem.line == line_of(text, "Memutuskan tindak\x07lanjut surat")
    assert problem.message == "YAML tidak dapat dibaca: karakter kendali #x0007 tidak boleh ada"


@pytest.mark.parametrize("text", ["", "\n\n", "# hanya komentar\n"], ids=["nothing", "blank-lines", "only-a-comment"])
def test_an_empty_file_is_reported_on_line_1(text):
    problem = only_problem(text)

    assert problem.line == 1
    assert problem.message == "berkas kosong: tidak ada definisi SOP"


def test_a_top_level_list_is_reported_on_line_1():
    problem = only_problem("- terima\n- putuskan\n")

    assert problem.line == 1
    assert problem.message == "definisi harus berupa pemetaan (kunci: nilai)"


def test_a_file_that_does_not_exist_is_reported_for_the_file_as_a_whole(tmp_path):
    path = tmp_path / "tidak-ada.yaml"

    with pytest.raises(DefinitionError) as raised:
        load_definition_file(path)

    assert raised.value.problems == [Problem(str(path), 0, "berkas tidak ditemukan")]


def test_a_file_is_loaded_and_its_problems_are_named_by_its_path(tmp_path):
    good = tmp_path / "baik.yaml"
    good.write_text(valid_text(), encoding="utf-8")
    bad = tmp_path / "salah.yaml"
    bad_text = edit(valid_text(), "actor: arsiparis", "actor: arsip")
    bad.write_text(bad_text, encoding="utf-8")

    assert load_definition_file(good).key == "surat-masuk"
    with pytest.raises(DefinitionError) as raised:
        load_definition_file(bad)
    assert str(raised.value) == (
        f"{bad}:{line_of(bad_text, 'actor: arsip')}: langkah 'arsipkan': pelaksana 'arsip' tidak ada di daftar peran"
    )


# --- unknown fields and marks --------------------------------------------------------------------


def test_an_unknown_field_is_reported_on_its_line_with_the_likely_meant_field():
    text = edit(valid_text(), "    waktu: 5 menit\n", "    waktu: 5 menit\n    ouptut: Surat tercatat\n")

    problem = only_problem(text)

    assert problem.line == line_of(text, "ouptut: Surat tercatat")
    assert problem.message.startswith("langkah 'terima': kolom 'ouptut' tidak dikenal (maksudnya 'output'?); yang dikenal: key, number,")


def test_a_mistyped_required_field_is_reported_as_unknown_and_as_missing():
    text = edit(valid_text(), "    actor: kepala\n", "    actr: kepala\n")

    problems = problems_of(text)

    assert [(p.line, p.message.split(";")[0]) for p in problems] == [
        (line_of(text, "- key: putuskan"), "langkah 'putuskan': kolom wajib 'actor' tidak ada"),
        (line_of(text, "actr: kepala"), "langkah 'putuskan': kolom 'actr' tidak dikenal (maksudnya 'actor'?)"),
    ]


def test_inferred_naming_a_field_that_does_not_exist_is_reported_on_its_line():
    text = edit(valid_text(), "inferred: [actor]", "inferred: [pelaksana]")

    problem = only_problem(text)

    assert problem.line == line_of(text, "inferred: [pelaksana]")
    assert problem.message.startswith("langkah 'putuskan': 'inferred' menyebut kolom 'pelaksana' yang tidak ada; yang bisa: number, actor,")


def test_an_unknown_format_is_reported_on_its_line():
    text = edit(valid_text(), "format: alur-sop/1", "format: alur-sop/2")

    problem = only_problem(text)

    assert problem.line == 1
    assert problem.message == "format 'alur-sop/2' tidak dikenal; yang didukung: alur-sop/1"


def test_a_key_with_capitals_or_spaces_is_reported_on_its_line():
    text = edit(valid_text(), "key: surat-masuk", "key: Surat Masuk")

    problem = only_problem(text)

    assert problem.line == line_of(text, "key: Surat Masuk")
    assert problem.message == "definisi: kunci 'Surat Masuk' hanya boleh berisi huruf kecil, angka, '_' dan '-'"


def test_removing_any_one_line_gives_a_definition_or_problems_never_a_crash():
    lines = valid_text().splitlines(keepends=True)
    for index in range(len(lines)):
        text = "".join(lines[:index] + lines[index + 1:])
        try:
            load_definition_text(text)
        except DefinitionError as error:
            assert error.problems, f"without line {index + 1}: no problems listed"
            assert all(1 <= p.line <= len(lines) for p in error.problems), f"without line {index + 1}: {error}"


# --- many problems at once -----------------------------------------------------------------------


def test_every_problem_in_a_file_is_reported_sorted_by_line():
    text = valid_text()
    text = edit(text, "actor: arsiparis", "actor: arsip")  # last step
    text = edit(text, "waktu: 5 menit", "waktu: lima menit")  # first step
    text = edit(text, "    name: Kepala Bagian\n", "    name: Kepala Bagian\n    jabatan: eselon III\n")  # a role
    text = edit(text, "kelengkapan: [surat]", "kelengkapan: [disposisi]")  # intake
    text = add_step(text, "catat", 4, "selesai")  # unreachable

    problems = problems_of(text)

    assert [p.line for p in problems] == [
        line_of(text, "jabatan: eselon III"),
        line_of(text, "kelengkapan: [disposisi]"),
        line_of(text, "waktu: lima menit"),
        line_of(text, "actor: arsip"),
        line_of(text, "- key: catat"),
    ]
    assert [p.message.split(":")[0] for p in problems] == [
        "peran 'kepala'",
        "intake",
        "langkah 'terima'",
        "langkah 'arsipkan'",
        "langkah 'catat' tidak dapat dicapai dari langkah awal 'terima'",
    ]


def test_the_error_text_lists_every_problem_one_per_line():
    text = edit(valid_text(), "actor: arsiparis", "actor: arsip")
    text = edit(text, "waktu: 5 menit", "waktu: lima menit")

    with pytest.raises(DefinitionError) as raised:
        load_definition_text(text, source="contoh.yaml")

    lines = str(raised.value).splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"contoh.yaml:{line_of(text, 'waktu: lima menit')}: langkah 'terima': waktu 'lima menit'")
    assert lines[1].startswith(f"contoh.yaml:{line_of(text, 'actor: arsip')}: langkah 'arsipkan': pelaksana 'arsip'")
