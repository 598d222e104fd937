"""`alur register import FILE [--confirm] [--as USER] [--json]` and `alur register template`."""
from __future__ import annotations

import pytest

from alur.agreements.models import Agreement
from tests.agreements.xlsx import row, xlsx


@pytest.fixture
def register_file(tmp_path):
    def write(rows, name="register.xlsx", **kwargs):
        path = tmp_path / name
        path.write_bytes(xlsx(rows, **kwargs))
        return path

    return write


def test_it_shows_a_dry_run_and_writes_nothing(alur, demo, register_file):
    path = register_file([row(), row(Nomor="180/2/PEM/2024", Judul="PKS Pemandu Wisata",
                                     **{"Pihak Ketiga": "CV Bahari Jaya", "Jenis Pihak Ketiga": "Badan usaha"})])

    result = alur("register", "import", path)

    assert result.exit_code == 0, result
    assert "2 baris akan ditambahkan, 0 sudah ada di register" in result.out
    assert "Pihak ketiga baru: CV Bahari Jaya." in result.out
    assert "180/2/PEM/2024" in result.out and "CV Bahari Jaya (baru)" in result.out
    assert f"alur register import {path} --confirm --as PENGGUNA" in result.out
    assert Agreement.objects.count() == 0


def test_it_imports_on_confirmation_then_adds_nothing_twice(alur, demo, register_file):
    path = register_file([row(), row(Nomor="180/2/PEM/2024")])

    first = alur("register", "import", path, "--confirm", "--as", "pengelola")
    again = alur("register", "import", path, "--confirm", "--as", "pengelola", "--json")

    assert first.exit_code == 0, first
    assert "2 perjanjian dicatat dari register.xlsx." in first.out
    assert again.exit_code == 0, again
    data = again.json()
    assert (data["ok"], data["confirmed"], data["add"]) == (True, True, [])
    assert [(p["row"], p["number"]) for p in data["present"]] == [(2, "180/1/PEM/2024"), (3, "180/2/PEM/2024")]
    assert Agreement.objects.filter(source="import").count() == 2


def test_the_json_of_a_confirmed_import_names_each_agreement(alur, demo, register_file):
    path = register_file([row()])

    data = alur("register", "import", path, "--confirm", "--as", "pengelola", "--json").json()

    assert data["add"][0]["agreement"] == Agreement.objects.get().pk
    assert data["add"][0]["starts_on"] == "2024-03-15"


def test_problems_are_listed_by_row_and_column_and_exit_1(alur, demo, register_file, row_counts):
    path = register_file([row(), row(Nomor="B", OPD="dinkes", Mulai="31-02-2024")])
    before = row_counts()

    result = alur("register", "import", path, "--confirm", "--as", "pengelola")

    assert result.exit_code == 1
    assert "OPD 'dinkes' tidak dikenal" in result.out and "Tanggal '31-02-2024' tidak ada di kalender." in result.out
    lines = [line for line in result.out.splitlines() if line.startswith("3 ")]
    assert [line.split()[1] for line in lines] == ["OPD", "Mulai"]
    assert result.err.strip() == "Berkas register.xlsx memiliki 2 masalah; tidak ada yang dicatat. Perbaiki berkasnya lalu periksa lagi."
    assert row_counts() == before


def test_problems_as_json(alur, demo, register_file):
    path = register_file([row(), row(Nomor="180/1/PEM/2024")])

    result = alur("register", "import", path, "--json")

    assert result.exit_code == 1
    data = result.json()
    assert (data["ok"], data["code"]) == (False, "invalid")
    assert data["problems"] == [{"row": 3, "column": "Nomor", "message": "Nomor 180/1/PEM/2024 sudah dipakai di baris 2 berkas ini."}]


def test_confirming_needs_a_user(alur, demo, register_file):
    result = alur("register", "import", register_file([row()]), "--confirm")

    assert result.exit_code == 1
    assert result.err.strip() == "--confirm memerlukan --as PENGGUNA: siapa yang mencatat harus tercatat."


def test_only_those_who_keep_the_register_import(alur, demo, register_file):
    result = alur("register", "import", register_file([row()]), "--confirm", "--as", "kepala_dispar")

    assert result.exit_code == 1
    assert "Hanya Pengelola Informasi Kerja Sama" in result.err
    assert Agreement.objects.count() == 0


@pytest.mark.parametrize(("content", "message"), [
    (b"", "kosong"),
    (b"Nomor;Judul\n", "tampaknya teks (CSV?)"),
])
def test_a_bad_file_is_refused_in_one_line(alur, demo, tmp_path, content, message):
    path = tmp_path / "register.xlsx"
    path.write_bytes(content)

    result = alur("register", "import", path)

    assert result.exit_code == 1 and message in result.err and len(result.err.strip().splitlines()) == 1


def test_a_missing_file_is_refused(alur, demo, tmp_path):
    result = alur("register", "import", tmp_path / "tidak-ada.xlsx")

    assert result.exit_code == 1 and "berkas tidak ditemukan" in result.err


def test_missing_columns_are_named(alur, demo, register_file):
    result = alur("register", "import", register_file([row()], headers=["Nomor", "Jenis", "Judul", "Pihak Ketiga"]))

    assert result.exit_code == 1
    assert "kolom wajib tidak ada di baris judul (baris 1): OPD, Objek, Ruang Lingkup, Tanggal Tanda Tangan, Mulai, Berakhir" in result.err


def test_the_template_is_written_and_reads_back_empty(alur, demo, tmp_path):
    target = tmp_path / "templat.xlsx"

    written = alur("register", "template", "-o", target)
    checked = alur("register", "import", target)

    assert written.exit_code == 0 and target.stat().st_size > 0
    assert checked.exit_code == 0, checked
    assert "0 baris akan ditambahkan" in checked.out


def test_through_the_console_script(alur_argv, demo, register_file):
    result = alur_argv("register", "import", register_file([row()]), "--json")

    assert result.exit_code == 0, result
    assert result.json()["add"][0]["number"] == "180/1/PEM/2024"
