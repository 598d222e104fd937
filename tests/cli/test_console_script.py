"""The `alur` console script end to end: real processes against a fresh SQLite database.

One site is set up once for the module (migrate, demo twice, one PKS case walked from `case start`
to the registration with `task complete`), and each test checks one thing about it. These tests
cost a second or more each, so the command-by-command behaviour lives in the in-process tests.
"""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.cli.conftest import Result
from tests.conftest import PERIOD_ENDS, PERIOD_STARTS

_SCRIPT = Path(sys.executable).with_name("alur")
ALUR = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "alur"]

DEMO_USERS = {"gubernur", "tkksd", "karo", "kabag", "kasubbag", "analis", "pengelola", "kepala_dispar", "kepala_dkp",
              "sekda", "kasubbag_tu", "agendaris", "pelaksana"}
DECISIONS = {"periksa_karo", "bahas_tkksd", "keputusan_gubernur"}
# The documents each step makes, attached while completing it (see tests/conftest.py).
PRODUCTS = {
    "analisa_draft": ["hasil_telaahan"],
    "bahas_tkksd": ["notulen"],
    "keputusan_gubernur": ["disposisi_gubernur"],
    "finalisasi_draft": ["naskah_pks"],
    "penandatanganan": ["dokumen_pks"],
}
# What the steps record, given as --record KEY=VALUE (see RECORDS in tests/conftest.py).
RECORDS = {
    "bahas_tkksd": {"tanggal_rapat": "2026-11-20", "anggota_hadir": "Sekda (ketua), Asisten I, Karo Pemerintahan"},
    "keputusan_gubernur": {"penandatangan": "gubernur"},
    "penandatanganan": {"tanggal_tanda_tangan": "2026-11-24", "tempat_tanda_tangan": "Pangkalpinang",
                        "tanggal_mulai": PERIOD_STARTS.isoformat(), "tanggal_berakhir": PERIOD_ENDS.isoformat()},
    "registrasi": {"distribusi": "Dinas Pariwisata\nPT Maju Jaya", "tempat_arsip": "Lemari arsip Bagian Kerja Sama"},
}
STRAIGHT_PATH = [
    ("terima_disposisi", "karo"), ("tugaskan_kasubbag", "kabag"), ("perintahkan_telaah", "kasubbag"),
    ("analisa_draft", "analis"), ("koreksi_kasubbag", "kasubbag"), ("koreksi_kabag", "kabag"),
    ("periksa_karo", "karo"), ("bahas_tkksd", "tkksd"), ("keputusan_gubernur", "gubernur"),
    ("finalisasi_draft", "karo"), ("koordinasi_penandatanganan", "kabag"), ("penandatanganan", "kepala_dispar"),
    ("registrasi", "pengelola"),
]


def run_alur(home: Path, *args) -> Result:
    env = {**os.environ, "ALUR_DATABASE_URL": f"sqlite:///{home / 'db.sqlite3'}", "ALUR_VAR_DIR": str(home)}
    done = subprocess.run([*ALUR, *map(str, args)], cwd=home, env=env, capture_output=True, text=True, timeout=120)
    return Result(done.returncode, done.stdout, done.stderr)


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result
    return result


def table_counts(home: Path) -> dict[str, int]:
    with sqlite3.connect(home / "db.sqlite3") as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def usernames(home: Path) -> list[str]:
    with sqlite3.connect(home / "db.sqlite3") as db:
        return [r[0] for r in db.execute("SELECT username FROM auth_user ORDER BY username")]


@dataclass
class Site:
    home: Path
    demo: list[Result] = field(default_factory=list)
    counts_after_demo: list[dict[str, int]] = field(default_factory=list)
    start: Result | None = None
    walked: list[tuple[str, str]] = field(default_factory=list)
    last: Result | None = None


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    home = tmp_path_factory.mktemp("alur-site")
    papers = home / "berkas"
    papers.mkdir()
    for kind in ["draft_pks", *(k for kinds in PRODUCTS.values() for k in kinds)]:
        (papers / f"{kind}.pdf").write_bytes(f"%PDF-1.4 {kind}".encode())
    site = Site(home)

    ok(run_alur(home, "migrate", "--verbosity", "0"))
    for _ in range(2):
        site.demo.append(ok(run_alur(home, "demo", "--json")))
        site.counts_after_demo.append(table_counts(home))

    site.start = ok(run_alur(home, "case", "start", "--sop", "pks-pihak-ketiga", "--title", "PKS Promosi Wisata Belitung",
                             "--opd", "dispar", "--as", "pengelola", "--attach", f"draft_pks={papers / 'draft_pks.pdf'}", "--json"))
    following = site.start.json()["current"][0]
    while following is not None and len(site.walked) < 20:
        user = "kepala_dispar" if following["role"] == "kepala_opd" else following["role"]
        args = ["task", "complete", following["task"], "--as", user, "--json"]
        if following["step"] in DECISIONS:
            args += ["--decision", "setuju"]
        for key, value in RECORDS.get(following["step"], {}).items():
            args += ["--record", f"{key}={value}"]
        for kind in PRODUCTS.get(following["step"], []):
            args += ["--attach", f"{kind}={papers / f'{kind}.pdf'}"]
        site.last = ok(run_alur(home, *args))
        site.walked.append((following["step"], user))
        following = site.last.json()["next"]
    return site


def test_demo_run_twice_keeps_the_same_users_and_adds_no_row(site):
    first, second = (r.json() for r in site.demo)

    assert {u["username"] for u in first["users"] if u["created"]} == DEMO_USERS
    assert [u["username"] for u in second["users"] if u["created"]] == []
    assert site.counts_after_demo[0] == site.counts_after_demo[1]
    assert sorted(usernames(site.home)) == sorted(DEMO_USERS)


def test_case_start_opens_step_1_for_the_karo(site):
    data = site.start.json()

    assert (data["ok"], data["status"], data["opd"], data["round"]) == (True, "running", "dispar", 1)
    assert [(c["step"], c["role"]) for c in data["current"]] == [("terima_disposisi", "karo")]


def test_task_complete_takes_the_case_through_the_thirteen_steps_to_the_registration(site):
    assert site.walked == STRAIGHT_PATH
    last = site.last.json()
    assert (last["case_status"], last["end"], last["next"]) == ("completed", "teregistrasi", None)


def test_case_show_json_of_the_walked_case_is_completed_with_thirteen_timeline_entries(site):
    data = ok(run_alur(site.home, "case", "show", site.start.json()["id"], "--json")).json()

    assert (data["status"], data["end"]) == ("completed", "teregistrasi")
    assert len(data["timeline"]) == 13
    assert [e["step"] for e in data["timeline"]] == [step for step, _ in STRAIGHT_PATH]
    assert sum(e["standard_minutes"] for e in data["timeline"]) == 510
    assert sorted(d["kind"] for d in data["documents"]) == sorted(
        ["draft_pks", "hasil_telaahan", "notulen", "disposisi_gubernur", "naskah_pks", "dokumen_pks"])
    assert {e["step"]: e["record"] for e in data["timeline"] if e["record"]} == RECORDS


def test_case_show_text_of_the_walked_case_gives_the_forums_date_in_its_remark(site):
    result = ok(run_alur(site.home, "case", "show", site.start.json()["id"]))

    forum = next(line for line in result.out.splitlines() if " TKKSD " in line)
    assert "Setuju; tanggal_rapat=2026-11-20" in forum, result


def test_audit_verify_of_the_walked_site_exits_0(site):
    result = ok(run_alur(site.home, "audit", "verify"))

    assert result.out.startswith("Jejak audit utuh:")


def test_a_refused_command_exits_1_with_one_line_on_stderr_and_no_traceback(site):
    result = run_alur(site.home, "task", "complete", "999999", "--as", "karo")

    assert result.exit_code == 1, result
    assert result.err.strip() == "Tugas #999999 tidak ditemukan."
    assert result.out == ""


def test_sop_check_of_a_malformed_file_exits_1_with_file_line_message_on_stdout(tmp_path):
    broken = tmp_path / "rusak.yaml"
    broken.write_text("format: alur-sop/1\nkey: pks-uji\nstart: [mulai\n", encoding="utf-8")

    result = run_alur(tmp_path, "sop", "check", broken)

    assert result.exit_code == 1, result
    assert result.out.startswith(f"{broken}:3: ")
    assert "Traceback" not in result.err


def test_a_command_on_a_database_not_yet_migrated_says_to_migrate_first(tmp_path):
    result = run_alur(tmp_path, "task", "list", "--as", "karo")

    assert result.exit_code == 1
    assert result.err.strip() == "Basis data belum disiapkan untuk Alur; jalankan dahulu: alur migrate"
