"""`alur case start|show|list|resubmit`: registering a draft and following it through the SOP."""
from __future__ import annotations

import datetime

import pytest

from alur.workflow.models import Case, Document, Task
from alur.workflow.services import complete_task
from tests.conftest import Walker

PKS = "pks-pihak-ketiga"
TITLE = "PKS Promosi Wisata dengan PT Maju Jaya"


@pytest.fixture
def start(alur, attach):
    """`case start` of a PKS draft from Dinas Pariwisata; keyword arguments replace the defaults."""

    def run(*extra: str, sop: str = PKS, title: str = TITLE, opd: str = "dispar", as_user: str = "pengelola",
            draft: bool = True):
        args = ["case", "start", "--sop", sop, "--title", title, "--opd", opd, "--as", as_user]
        if draft:
            args += ["--attach", attach("draft_pks", "draf-pks.pdf")]
        return alur(*args, *extra)

    return run


def returned_case(users) -> Case:
    """A case the Karo sent back at step 7, now waiting for the OPD's corrected draft."""
    walker = Walker(users)
    walker.steps(6)
    walker.step("tidak_setuju", note="Lengkapi lampiran teknis.")
    walker.step()
    assert walker.case.status == Case.Status.RETURNED
    return walker.case


# --- start ----------------------------------------------------------------------------------------

def test_start_registers_the_case_and_opens_step_1_for_the_karo(start, demo):
    result = start()

    assert result.exit_code == 0, result
    case = Case.objects.get()
    assert (case.title, case.org_unit.code, case.status) == (TITLE, "dispar", Case.Status.RUNNING)
    task = Task.objects.get(case=case)
    assert (task.step_key, task.role_key, task.status) == ("terima_disposisi", "karo", Task.Status.OPEN)
    assert f"Perkara #{case.pk} didaftarkan." in result.out
    assert f"Sekarang: langkah 1 (tugas #{task.pk}) oleh Karo Pemerintahan" in result.out


def test_start_stores_the_attached_draft_as_version_1(start, demo):
    start()

    document = Document.objects.get()
    assert (document.kind, document.version, document.original_name, document.round) == ("draft_pks", 1, "draf-pks.pdf", 1)
    assert document.file.read() == b"%PDF-1.4 draft_pks"
    assert document.uploaded_by.username == "pengelola"


def test_start_json_gives_the_case_and_the_id_of_its_first_task(start, demo):
    result = start("--json")

    assert result.exit_code == 0, result
    data = result.json()
    case, task = Case.objects.get(), Task.objects.get()
    assert (data["ok"], data["id"], data["sop"], data["opd"], data["status"], data["round"]) == (True, case.pk, PKS, "dispar", "running", 1)
    assert data["current"] == [{"task": task.pk, "step": "terima_disposisi", "number": 1, "role": "karo"}]
    assert [d["kind"] for d in data["documents"]] == ["draft_pks"]


def test_start_may_be_done_by_the_karo_who_holds_the_first_step(start, demo):
    assert start(as_user="karo").exit_code == 0


@pytest.mark.parametrize(
    ("options", "named"),
    [
        pytest.param({"as_user": "siapa"}, ["siapa"], id="unknown-user"),
        pytest.param({"opd": "dinkes"}, ["dinkes"], id="unknown-opd-code"),
        pytest.param({"opd": "biro-pemerintahan"}, ["biro-pemerintahan"], id="unit-that-is-not-an-opd"),
        pytest.param({"sop": "pks-tidak-ada"}, ["pks-tidak-ada", PKS], id="unknown-sop-key"),
        pytest.param({"draft": False}, ["Draft PKS"], id="without-the-draft"),
        pytest.param({"as_user": "analis"}, ["tidak berwenang", "Pengelola Informasi Kerja Sama"], id="user-without-intake-role"),
        pytest.param({"title": "   "}, ["Judul"], id="blank-title"),
    ],
)
def test_start_with_bad_input_is_refused_naming_what_is_wrong_and_changes_nothing(start, demo, row_counts, options, named):
    before = row_counts()

    result = start(**options)

    assert result.exit_code == 1, result
    assert all(word in result.err for word in named), result
    assert result.out == ""
    assert row_counts() == before


def test_start_with_a_malformed_attach_is_refused_showing_the_expected_form(alur, demo, row_counts):
    before = row_counts()

    result = alur("case", "start", "--sop", PKS, "--title", TITLE, "--opd", "dispar", "--as", "pengelola",
                  "--attach", "draft_pks")

    assert result.exit_code == 1, result
    assert "--attach 'draft_pks'" in result.err and "JENIS=PATH" in result.err
    assert row_counts() == before


def test_start_with_an_attached_file_that_does_not_exist_is_refused_naming_the_path(alur, demo, tmp_path, row_counts):
    missing = tmp_path / "tidak-ada.pdf"
    before = row_counts()

    result = alur("case", "start", "--sop", PKS, "--title", TITLE, "--opd", "dispar", "--as", "pengelola",
                  "--attach", f"draft_pks={missing}")

    assert result.exit_code == 1, result
    assert str(missing) in result.err
    assert row_counts() == before


def test_start_with_an_unknown_document_kind_is_refused_naming_the_kind_and_the_known_ones(start, demo, attach, row_counts):
    before = row_counts()

    result = start("--attach", attach("proposal"))

    assert result.exit_code == 1, result
    assert "'proposal'" in result.err and "draft_pks" in result.err
    assert row_counts() == before


def test_start_with_an_empty_attached_file_is_refused_naming_the_file(alur, demo, attach, row_counts):
    before = row_counts()

    result = alur("case", "start", "--sop", PKS, "--title", TITLE, "--opd", "dispar", "--as", "pengelola",
                  "--attach", attach("draft_pks", "kosong.pdf", b""))

    assert result.exit_code == 1, result
    assert "kosong.pdf" in result.err
    assert row_counts() == before


def test_start_refused_with_json_is_an_error_object_on_stdout(start, demo):
    result = start("--json", opd="dinkes")

    assert result.exit_code == 1, result
    data = result.json()
    assert (data["ok"], data["code"]) == (False, "not_found")
    assert "dinkes" in data["error"]
    assert result.err == ""


def test_start_refused_leaves_no_stored_file_behind(start, demo, attach, stored_files):
    # The draft is valid, the second attachment is not: the whole start is refused, so the
    # draft's file must not stay on disk without a row pointing at it.
    result = start("--attach", attach("proposal"))

    assert result.exit_code == 1, result
    assert stored_files() == []


# --- show -----------------------------------------------------------------------------------------

def test_show_gives_the_timeline_with_role_actor_start_end_and_time_standard_of_each_step(alur, walker):
    walker.steps(2)

    result = alur("case", "show", walker.case.pk)

    assert result.exit_code == 0, result
    lines = result.out.splitlines()
    header = next(line for line in lines if line.startswith("Putaran "))
    assert header.split() == ["Putaran", "No", "Peran", "Pelaksana", "Mulai", "Selesai", "Lama", "kerja", "Waktu", "baku", "Keterangan"]
    rows = lines[lines.index(header) + 2:lines.index(header) + 5]
    assert "Karo Pemerintahan" in rows[0] and "Kepala Biro Pemerintahan" in rows[0] and "5 menit" in rows[0]
    assert "Kabag Kerja Sama" in rows[1] and "30 menit" in rows[1]
    assert "Ka. Subbag" in rows[2] and "(berjalan)" in rows[2] and "15 menit" in rows[2]


def test_show_says_which_step_is_open_and_for_whom(alur, walker):
    walker.steps(3)
    task = walker.open_task

    result = alur("case", "show", walker.case.pk)

    assert f"Sekarang: langkah 4 (tugas #{task.pk}) oleh Analisis Kerja Sama lintas Sektor" in result.out


def test_show_gives_a_decision_with_its_note(alur, users):
    case = returned_case(users)

    result = alur("case", "show", case.pk)

    assert "Status: Dikembalikan — Draft dikembalikan ke Perangkat Daerah" in result.out
    assert "Tidak setuju: Lengkapi lampiran teknis." in result.out


def test_show_gives_the_note_of_a_step_without_decision_as_it_was_written(alur, walker, users):
    complete_task(task_id=walker.open_task.pk, actor=users["karo"], note="Segera dibahas.")

    row = next(line for line in alur("case", "show", walker.case.pk).out.splitlines() if "5 menit" in line)

    assert row.endswith("  Segera dibahas.")


def test_show_lists_the_documents_of_the_case(alur, walker):
    walker.steps(4)  # the analis attached the hasil telaahan at step 4

    result = alur("case", "show", walker.case.pk, "--json")

    assert [(d["kind"], d["version"], d["uploaded_by"]) for d in result.json()["documents"]] == [
        ("draft_pks", 1, "pengelola"), ("hasil_telaahan", 1, "analis"),
    ]


def test_show_json_of_a_completed_case_has_thirteen_steps_with_510_minutes_of_standard(alur, walker):
    walker.steps(6)
    walker.step("setuju")
    walker.step("setuju")
    walker.step("setuju")
    walker.steps(4)

    result = alur("case", "show", walker.case.pk, "--json")

    assert result.exit_code == 0, result
    data = result.json()
    assert (data["status"], data["end"], data["current"]) == ("completed", "teregistrasi", [])
    assert [e["number"] for e in data["timeline"]] == list(range(1, 14))
    assert sum(e["standard_minutes"] for e in data["timeline"]) == 510
    assert all(e["actor"] and e["started_at"] and e["ended_at"] for e in data["timeline"])
    assert [e["outcome"] for e in data["timeline"] if e["outcome"]] == ["setuju", "setuju", "setuju"]


def test_show_json_gives_what_each_step_recorded(alur, walker):
    walker.steps(6)
    walker.step("setuju")  # Karo
    walker.step("setuju")  # TKKSD: the forum's date and members
    walker.step("setuju")  # Gubernur: who signs

    result = alur("case", "show", walker.case.pk, "--json")

    records = {e["step"]: e["record"] for e in result.json()["timeline"]}
    assert records["bahas_tkksd"] == {"tanggal_rapat": "2026-11-20", "anggota_hadir": "Sekda (ketua), Asisten I, Karo Pemerintahan"}
    assert records["keputusan_gubernur"] == {"penandatangan": "gubernur"}
    assert records["periksa_karo"] == records["finalisasi_draft"] == {}
    # In the order the SOP declares them, whatever order the database keeps.
    assert list(records["bahas_tkksd"]) == ["tanggal_rapat", "anggota_hadir"]


def test_show_writes_a_list_recorded_one_entry_per_line_on_the_steps_one_line(alur, walker):
    walker.steps(6)
    for _ in range(3):
        walker.step("setuju")
    walker.steps(4)  # to the registration, which records its recipients one per line

    lines = alur("case", "show", walker.case.pk).out.splitlines()

    registration = next(line for line in lines if " Pengelola Informasi Kerja Sama " in line and "distribusi=" in line)
    assert "distribusi=Dinas Pariwisata / PT Maju Jaya" in registration


def test_show_appends_what_a_step_recorded_to_its_remark(alur, walker):
    walker.steps(6)
    walker.step("setuju")
    walker.step("setuju")

    lines = alur("case", "show", walker.case.pk).out.splitlines()

    forum = next(line for line in lines if " TKKSD " in line)
    assert "Setuju; tanggal_rapat=2026-11-20; anggota_hadir=Sekda" in forum


def test_show_of_an_unknown_case_is_refused_naming_its_number(alur, demo):
    result = alur("case", "show", 999999)

    assert result.exit_code == 1, result
    assert "#999999" in result.err
    assert result.out == ""


def test_show_as_a_person_shows_a_case_of_their_own_opd(alur, walker):
    result = alur("case", "show", walker.case.pk, "--as", "kepala_dispar")

    assert result.exit_code == 0, result
    assert f"Perkara #{walker.case.pk}: PKS Promosi Wisata dengan PT Maju Jaya" in result.out


def test_show_as_the_head_of_another_opd_is_refused_as_on_the_web(alur, walker):
    result = alur("case", "show", walker.case.pk, "--as", "kepala_dkp", "--json")

    assert result.exit_code == 1, result
    assert result.json() == {"ok": False, "code": "not_allowed",
                             "error": "Perkara ini milik Perangkat Daerah lain; Anda tidak dapat melihatnya."}


def test_show_as_a_person_of_an_unknown_case_is_refused_naming_its_number(alur, demo):
    result = alur("case", "show", 999999, "--as", "karo")

    assert (result.exit_code, result.err.strip()) == (1, "Perkara #999999 tidak ditemukan.")


# --- list -----------------------------------------------------------------------------------------

def test_list_shows_each_case_with_its_opd_and_status(alur, users):
    returned = returned_case(users)
    running = Walker(users, opd="dkp", title="PKS Budidaya Rumput Laut").case

    result = alur("case", "list")

    assert result.exit_code == 0, result
    lines = result.out.splitlines()
    assert any(line.startswith(f"{running.pk} ") and "dkp" in line and "Berjalan" in line for line in lines), result
    assert any(line.startswith(f"{returned.pk} ") and "dispar" in line and "Dikembalikan" in line for line in lines), result


def test_list_with_status_shows_only_cases_in_that_status(alur, users):
    returned = returned_case(users)
    Walker(users, opd="dkp", title="PKS Budidaya Rumput Laut")

    result = alur("case", "list", "--status", "returned", "--json")

    assert [(c["id"], c["status"]) for c in result.json()["cases"]] == [(returned.pk, "returned")]


def test_list_as_an_opd_head_shows_only_the_cases_of_their_own_opd(alur, users):
    dispar = Walker(users).case
    dkp = Walker(users, opd="dkp", title="PKS Budidaya Rumput Laut").case

    assert [c["id"] for c in alur("case", "list", "--as", "kepala_dkp", "--json").json()["cases"]] == [dkp.pk]
    assert [c["id"] for c in alur("case", "list", "--as", "kabag", "--json").json()["cases"]] == [dkp.pk, dispar.pk]


# --- resubmit -------------------------------------------------------------------------------------

def test_resubmit_of_a_returned_case_by_the_opd_head_opens_round_2_at_step_1(alur, users, attach):
    case = returned_case(users)

    result = alur("case", "resubmit", case.pk, "--as", "kepala_dispar", "--attach", attach("draft_pks", "draf-2.pdf"),
                  "--note", "Lampiran teknis sudah dilengkapi.", "--json")

    assert result.exit_code == 0, result
    data = result.json()
    assert (data["status"], data["round"]) == ("running", 2)
    assert [(c["step"], c["role"]) for c in data["current"]] == [("terima_disposisi", "karo")]
    assert list(Document.objects.filter(case=case, kind="draft_pks").values_list("version", "round")) == [(1, 1), (2, 2)]


def test_resubmit_without_a_new_draft_is_refused_naming_the_document(alur, users, row_counts):
    case = returned_case(users)
    before = row_counts()

    result = alur("case", "resubmit", case.pk, "--as", "kepala_dispar")

    assert result.exit_code == 1, result
    assert "Draft PKS" in result.err
    assert row_counts() == before
    case.refresh_from_db()
    assert (case.status, case.round) == (Case.Status.RETURNED, 1)


def test_resubmit_by_the_head_of_another_opd_is_refused(alur, users, attach, row_counts):
    case = returned_case(users)
    before = row_counts()

    result = alur("case", "resubmit", case.pk, "--as", "kepala_dkp", "--attach", attach("draft_pks"))

    assert result.exit_code == 1, result
    assert "tidak berwenang" in result.err and f"#{case.pk}" in result.err
    assert row_counts() == before


def test_resubmit_of_a_running_case_is_refused_and_changes_nothing(alur, walker, attach, row_counts):
    before = row_counts()

    result = alur("case", "resubmit", walker.case.pk, "--as", "pengelola", "--attach", attach("draft_pks"))

    assert result.exit_code == 1, result
    assert f"#{walker.case.pk}" in result.err and "tidak sedang dikembalikan" in result.err
    assert row_counts() == before


def test_resubmit_of_an_unknown_case_is_refused_naming_its_number(alur, demo, attach):
    result = alur("case", "resubmit", 999999, "--as", "kepala_dispar", "--attach", attach("draft_pks"))

    assert result.exit_code == 1, result
    assert "#999999" in result.err


def test_start_registers_a_letter_with_its_intake_fields_and_no_opd(alur, demo, tmp_path):
    scan = tmp_path / "surat.pdf"
    scan.write_bytes(b"%PDF-1.4 surat masuk")

    result = alur("case", "start", "--sop", "surat-masuk", "--title", "Undangan rakor", "--as", "agendaris",
                  "--record", "nomor_surat=005/1/2026", "--record", f"tanggal_surat={datetime.date.today()}",
                  "--record", "asal_surat=Kemendagri", "--record", "perihal=Undangan", "--record", "sifat=biasa",
                  "--attach", f"surat_masuk={scan}", "--json")

    assert result.exit_code == 0, result
    case = Case.objects.get(title="Undangan rakor")
    assert (case.org_unit, case.data["asal_surat"], result.json()["opd"]) == (None, "Kemendagri", None)


def test_start_refuses_a_letter_without_a_required_intake_field_naming_it(alur, demo, tmp_path):
    scan = tmp_path / "surat.pdf"
    scan.write_bytes(b"%PDF-1.4 surat masuk")

    result = alur("case", "start", "--sop", "surat-masuk", "--title", "Tanpa nomor", "--as", "agendaris",
                  "--attach", f"surat_masuk={scan}")

    assert result.exit_code == 1
    assert "Isian 'Nomor surat' pada pendaftaran wajib diisi." in result.err
    assert not Case.objects.filter(title="Tanpa nomor").exists()
