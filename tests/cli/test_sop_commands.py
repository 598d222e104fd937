"""`alur sop check|load|show|list`: checking, loading and reading SOP definitions."""
from __future__ import annotations

from pathlib import Path

import pytest

from alur.sop import shipped_definition_paths
from alur.workflow.models import SopVersion

PKS = "pks-pihak-ketiga"


@pytest.fixture
def pks_text() -> str:
    (path,) = [p for p in shipped_definition_paths() if p.stem == PKS]
    return path.read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


@pytest.fixture
def pks_file(tmp_path, pks_text) -> Path:
    path = tmp_path / "pks.yaml"
    path.write_text(pks_text, encoding="utf-8")
    return path


@pytest.fixture
def broken_file(tmp_path, pks_text) -> Path:
    """The PKS definition with two mistakes: an unreadable time standard and an unknown actor."""
    text = pks_text.replace("waktu: 5 menit", "waktu: lima menit", 1).replace("actor: analis\n", "actor: analyst\n", 1)
    path = tmp_path / "rusak.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# --- check ----------------------------------------------------------------------------------------

def test_check_of_a_valid_definition_exits_0_and_says_it_is_valid(alur, pks_file):
    result = alur("sop", "check", pks_file)

    assert result.exit_code == 0, result
    assert f"{pks_file}: sah ({PKS})" in result.out


def test_check_of_a_definition_with_mistakes_exits_1_printing_file_line_message_for_each(alur, broken_file):
    text = broken_file.read_text(encoding="utf-8")

    result = alur("sop", "check", broken_file)

    assert result.exit_code == 1, result
    problems = result.out.splitlines()
    assert len(problems) == 2, result
    waktu_line, actor_line = line_of(text, "waktu: lima menit"), line_of(text, "actor: analyst")
    assert problems[0].startswith(f"{broken_file}:{waktu_line}: ") and "lima menit" in problems[0]
    assert problems[1].startswith(f"{broken_file}:{actor_line}: ") and "analyst" in problems[1]


def test_check_of_several_files_fails_when_any_is_invalid_and_reports_each(alur, pks_file, broken_file):
    result = alur("sop", "check", pks_file, broken_file)

    assert result.exit_code == 1, result
    assert f"{pks_file}: sah ({PKS})" in result.out
    assert f"{broken_file}:" in result.out


def test_check_of_a_file_that_does_not_exist_exits_1_naming_the_file(alur, tmp_path):
    missing = tmp_path / "tidak-ada.yaml"

    result = alur("sop", "check", missing)

    assert result.exit_code == 1, result
    assert result.out.startswith(f"{missing}:")
    assert "tidak ditemukan" in result.out


def test_check_json_lists_each_file_with_its_problems_and_their_lines(alur, pks_file, broken_file):
    text = broken_file.read_text(encoding="utf-8")

    result = alur("sop", "check", pks_file, broken_file, "--json")

    assert result.exit_code == 1, result
    data = result.json()
    assert data["ok"] is False
    valid, broken = data["files"]
    assert (valid["file"], valid["ok"], valid["key"], valid["problems"]) == (str(pks_file), True, PKS, [])
    assert (broken["file"], broken["ok"]) == (str(broken_file), False)
    assert [p["line"] for p in broken["problems"]] == [line_of(text, "waktu: lima menit"), line_of(text, "actor: analyst")]


def test_check_needs_no_database(alur, pks_file):
    # No `db` fixture: pytest-django fails any query, so this shows `check` reads files only.
    assert alur("sop", "check", pks_file).exit_code == 0


# --- load -----------------------------------------------------------------------------------------

def test_load_of_a_new_sop_stores_it_as_version_1(alur, db, tmp_path, pks_text):
    path = tmp_path / "uji.yaml"
    path.write_text(pks_text.replace(f"key: {PKS}", "key: pks-uji", 1), encoding="utf-8")

    result = alur("sop", "load", path)

    assert result.exit_code == 0, result
    assert "pks-uji" in result.out and "versi 1" in result.out
    assert list(SopVersion.objects.filter(sop__key="pks-uji").values_list("version", flat=True)) == [1]


def test_load_of_the_text_already_loaded_keeps_the_version(alur, db, pks_file, row_counts):
    before = row_counts()

    result = alur("sop", "load", pks_file, "--json")

    assert result.exit_code == 0, result
    data = result.json()
    assert (data["ok"], data["key"], data["version"], data["created"]) == (True, PKS, 1, False)
    assert row_counts() == before


def test_load_of_a_changed_text_of_a_known_sop_stores_the_next_version(alur, db, tmp_path, pks_text):
    path = tmp_path / "pks-revisi.yaml"
    path.write_text(pks_text.replace("waktu: 5 menit", "waktu: 10 menit", 1), encoding="utf-8")

    result = alur("sop", "load", path, "--json")

    assert result.exit_code == 0, result
    assert (result.json()["version"], result.json()["created"]) == (2, True)
    assert SopVersion.objects.filter(sop__key=PKS).count() == 2


def test_load_of_a_file_that_does_not_exist_is_refused_naming_the_file(alur, db, tmp_path, row_counts):
    missing = tmp_path / "tidak-ada.yaml"
    before = row_counts()

    result = alur("sop", "load", missing)

    assert result.exit_code == 1, result
    assert str(missing) in result.err
    assert result.out == ""
    assert row_counts() == before


def test_load_of_an_invalid_definition_is_refused_with_file_line_messages(alur, db, broken_file, row_counts):
    text = broken_file.read_text(encoding="utf-8")
    before = row_counts()

    result = alur("sop", "load", broken_file)

    assert result.exit_code == 1, result
    # The loader names the file by the name it was given; the line is what the author needs.
    assert f"{broken_file.name}:{line_of(text, 'waktu: lima menit')}:" in result.err
    assert f"{broken_file.name}:{line_of(text, 'actor: analyst')}:" in result.err
    assert row_counts() == before


def test_load_refusal_with_json_is_an_error_object_on_stdout(alur, db, broken_file):
    result = alur("sop", "load", broken_file, "--json")

    assert result.exit_code == 1, result
    data = result.json()
    assert (data["ok"], data["code"]) == (False, "invalid_definition")
    assert "lima menit" in data["error"]


# --- show -----------------------------------------------------------------------------------------

def test_show_is_a_table_of_number_actor_activity_kelengkapan_waktu_and_output(alur, db):
    result = alur("sop", "show", PKS)

    assert result.exit_code == 0, result
    lines = result.out.splitlines()
    header = next(line for line in lines if line.startswith("No "))
    assert header.split() == ["No", "Pelaksana", "Aktivitas", "Kelengkapan", "Waktu", "Output", "Lanjut"]
    step_7 = next(line for line in lines if line.startswith("7 "))
    for cell in ("Karo Pemerintahan", "memeriksa hasil analisa draft", "Draft PKS, Hasil telaahan", "15 menit", "Naskah PKS"):
        assert cell in step_7
    numbers = [line.split()[0] for line in lines[lines.index(header) + 2:] if line[:1].isdigit()]
    assert numbers == [str(n) for n in range(1, 14)] + ["14", "15"]


def test_show_marks_the_steps_the_source_does_not_write(alur, db):
    lines = alur("sop", "show", PKS).out.splitlines()

    assert [line.split()[:2] for line in lines if line[:2] in ("14", "15")] == [["14", "*"], ["15", "*"]]
    assert any(line.startswith("* ") for line in lines)


def test_show_gives_the_time_standard_of_the_straight_path_510_minutes(alur, db):
    result = alur("sop", "show", PKS)

    assert "Waktu baku jalur utama: 510 menit" in result.out


def test_show_text_says_where_each_decision_leads(alur, db):
    # Step 7 (Karo): setuju goes to the TKKSD forum (8), tidak setuju to the return (15).
    step_7 = next(line for line in alur("sop", "show", PKS).out.splitlines() if line.startswith("7 "))

    assert "langkah 8" in step_7 and "langkah 15" in step_7


def test_show_json_gives_every_step_and_the_straight_path_minutes(alur, db):
    result = alur("sop", "show", PKS, "--json")

    assert result.exit_code == 0, result
    data = result.json()
    assert (data["key"], data["version"], data["straight_path_minutes"]) == (PKS, 1, 510)
    assert [s["number"] for s in data["steps"]] == list(range(1, 16))
    assert len(data["straight_path"]) == 13
    karo = next(s for s in data["steps"] if s["key"] == "periksa_karo")
    assert karo["actor"] == "karo"
    assert karo["kelengkapan"] == ["Draft PKS", "Hasil telaahan"]
    assert (karo["waktu"], karo["waktu_minutes"], karo["output"]) == ("15 menit", 15, "Naskah PKS")
    assert karo["decision"] == {"setuju": "bahas_tkksd", "tidak_setuju": "kembalikan_ke_opd"}


def test_show_json_lists_what_each_step_records(alur, db):
    steps = {s["key"]: s for s in alur("sop", "show", PKS, "--json").json()["steps"]}

    assert steps["periksa_karo"]["record"] == []
    assert steps["bahas_tkksd"]["record"] == [
        {"key": "tanggal_rapat", "label": "Tanggal rapat forum TKKSD", "type": "date", "required": True, "when": None,
         "choices": None, "documents": None},
        {"key": "anggota_hadir", "label": "Anggota TKKSD yang hadir", "type": "text", "required": True, "when": None,
         "choices": None, "documents": None},
    ]
    signer, power_of_attorney = steps["keputusan_gubernur"]["record"]
    assert (power_of_attorney["key"], power_of_attorney["required"], power_of_attorney["when"]) == (
        "nomor_surat_kuasa", False, "setuju")
    assert (signer["key"], signer["type"], signer["required"], signer["when"]) == ("penandatangan", "choice", True, "setuju")
    assert list(signer["choices"]) == ["gubernur", "kepala_opd"]
    assert signer["documents"] == {"kepala_opd": ["surat_kuasa"]}


def test_show_of_an_unknown_sop_key_is_refused_naming_the_key_and_the_known_ones(alur, db):
    result = alur("sop", "show", "pks-tidak-ada")

    assert result.exit_code == 1, result
    assert "pks-tidak-ada" in result.err and PKS in result.err
    assert result.out == ""


def test_show_of_an_unknown_sop_key_with_json_is_an_error_object(alur, db):
    result = alur("sop", "show", "pks-tidak-ada", "--json")

    assert result.exit_code == 1, result
    data = result.json()
    assert (data["ok"], data["code"]) == (False, "not_found")
    assert "pks-tidak-ada" in data["error"]


# --- list -----------------------------------------------------------------------------------------

def test_list_names_each_loaded_sop_with_its_newest_version(alur, db, tmp_path, pks_text):
    path = tmp_path / "pks-revisi.yaml"
    path.write_text(pks_text.replace("waktu: 5 menit", "waktu: 10 menit", 1), encoding="utf-8")
    alur("sop", "load", path)

    result = alur("sop", "list", "--json")

    assert result.exit_code == 0, result
    assert [(r["key"], r["version"]) for r in result.json()["sops"]] == [
        ("mou-pihak-ketiga", 1), ("penawaran-kerja-sama-pihak-ketiga", 1), (PKS, 2), ("surat-keluar", 1),
        ("surat-masuk", 1)]
