"""`alur task list|claim|release|complete`: the work waiting for each person, and doing it."""
from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.contrib.auth import get_user_model

from alur.org.models import OrgUnit, RoleAssignment
from alur.workflow.models import Case, Document, Task
from alur.workflow.selectors import inbox_for
from tests.conftest import RECORDS, Walker, backdate


def assert_refused(result, *named: str) -> None:
    """Exit status 1, one message on stderr naming what is wrong, nothing on stdout."""
    assert result.exit_code == 1, result
    for word in named:
        assert word in result.err, result
    assert result.out == "", result


def record_args(step_key: str) -> list[str]:
    """What the step records (RECORDS of tests/conftest.py) as --record KEY=VALUE arguments."""
    return [arg for key, value in RECORDS[step_key].items() for arg in ("--record", f"{key}={value}")]


def to_signing(walker):
    """Walk the straight path to step 12, the signing by the head of the proposing OPD."""
    walker.steps(6)
    walker.step("setuju")
    walker.step("setuju")
    walker.step("setuju")
    walker.steps(2)
    assert walker.open_task.step_key == "penandatanganan"


@pytest.fixture
def second_kabag(demo):
    """Another holder of the Kabag role (a Plh., say), to see claims between two people."""
    user = get_user_model().objects.create_user("kabag2", first_name="Plh.", last_name="Kabag Kerja Sama")
    RoleAssignment.objects.create(user=user, role_id="kabag", org_unit=OrgUnit.objects.get(code="biro-pemerintahan"))
    return user


# --- list -----------------------------------------------------------------------------------------

def test_list_shows_the_open_task_of_the_users_role_with_its_case_step_and_time_standard(alur, walker):
    task = walker.open_task

    result = alur("task", "list", "--as", "karo")

    assert result.exit_code == 0, result
    row = next(line for line in result.out.splitlines() if line.startswith(f"{task.pk} "))
    assert f" {walker.case.pk} " in row and "PKS Promosi Wisata" in row and "dispar" in row and "5 menit" in row


def test_list_json_gives_the_task_ids_steps_and_whether_a_decision_is_due(alur, walker):
    walker.steps(6)
    task = walker.open_task

    result = alur("task", "list", "--as", "karo", "--json")

    assert result.exit_code == 0, result
    (row,) = result.json()["tasks"]
    assert (row["id"], row["case"], row["step"], row["number"], row["role"], row["decision"]) == (
        task.pk, walker.case.pk, "periksa_karo", 7, "karo", True)


def test_list_gives_the_tasks_of_tugas_saya_in_its_order_soonest_due_first(alur, users):
    RoleAssignment.objects.create(user=users["karo"], role_id="kabag", org_unit=OrgUnit.objects.get(code="biro-pemerintahan"))
    earlier = Walker(users, title="PKS Datang Duluan")
    earlier.steps(1)  # now at step 2 (Kabag, 30 menit)
    later = Walker(users, title="PKS Datang Belakangan")  # step 1 (Karo, 5 menit)
    monday = datetime.datetime(2026, 2, 2, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Jakarta"))
    due_later = backdate(earlier.open_task, monday)  # due 09:30
    due_sooner = backdate(later.open_task, monday + datetime.timedelta(minutes=10))  # due 09:15

    listed = [t["id"] for t in alur("task", "list", "--as", "karo", "--json").json()["tasks"]]

    assert listed == [due_sooner.pk, due_later.pk] == [row.task.pk for row in inbox_for(users["karo"])]


def test_list_for_a_user_with_nothing_to_do_says_so(alur, walker):
    result = alur("task", "list", "--as", "analis")

    assert result.exit_code == 0, result
    assert result.out.strip() == "Tidak ada tugas terbuka untuk analis."


def test_list_of_an_opd_head_shows_only_the_tasks_of_their_own_opd(alur, walker):
    to_signing(walker)

    assert [t["step"] for t in alur("task", "list", "--as", "kepala_dispar", "--json").json()["tasks"]] == ["penandatanganan"]
    assert alur("task", "list", "--as", "kepala_dkp", "--json").json()["tasks"] == []


def test_list_as_an_unknown_user_is_refused_naming_the_user(alur, demo):
    assert_refused(alur("task", "list", "--as", "siapa"), "'siapa'")


def test_list_as_an_inactive_user_is_refused_saying_so(alur, users):
    users["karo"].is_active = False
    users["karo"].save()

    assert_refused(alur("task", "list", "--as", "karo"), "'karo'", "tidak aktif")


# --- claim and release ----------------------------------------------------------------------------

def test_claim_makes_the_user_hold_the_task(alur, walker):
    walker.step()
    task = walker.open_task

    result = alur("task", "claim", task.pk, "--as", "kabag")

    assert result.exit_code == 0, result
    assert result.out.strip() == f"Tugas #{task.pk} diambil oleh kabag."
    task.refresh_from_db()
    assert (task.assignee.username, task.status) == ("kabag", Task.Status.OPEN)


def test_claim_hides_the_task_from_the_other_holders_of_the_role(alur, walker, second_kabag):
    walker.step()
    task = walker.open_task
    assert [t["id"] for t in alur("task", "list", "--as", "kabag2", "--json").json()["tasks"]] == [task.pk]

    alur("task", "claim", task.pk, "--as", "kabag")

    assert alur("task", "list", "--as", "kabag2", "--json").json()["tasks"] == []
    assert [t["assignee"] for t in alur("task", "list", "--as", "kabag", "--json").json()["tasks"]] == ["kabag"]


def test_claim_again_by_the_holder_changes_nothing(alur, walker, row_counts):
    walker.step()
    task = walker.open_task
    alur("task", "claim", task.pk, "--as", "kabag")
    before = row_counts()

    result = alur("task", "claim", task.pk, "--as", "kabag")

    assert result.exit_code == 0, result
    assert row_counts() == before


def test_claim_of_a_task_someone_else_holds_is_refused_naming_the_holder(alur, walker, second_kabag, row_counts):
    walker.step()
    task = walker.open_task
    alur("task", "claim", task.pk, "--as", "kabag")
    before = row_counts()

    assert_refused(alur("task", "claim", task.pk, "--as", "kabag2"), f"#{task.pk}", "dipegang oleh Kabag Kerja Sama")
    assert row_counts() == before


def test_claim_by_a_user_without_the_role_is_refused_naming_the_role(alur, walker, row_counts):
    task = walker.open_task
    before = row_counts()

    assert_refused(alur("task", "claim", task.pk, "--as", "kabag"), f"#{task.pk}", "Karo Pemerintahan")
    assert row_counts() == before
    task.refresh_from_db()
    assert task.assignee is None


def test_claim_of_an_unknown_task_is_refused_naming_its_number(alur, demo):
    assert_refused(alur("task", "claim", 999999, "--as", "karo"), "#999999")


def test_claim_of_a_finished_task_is_refused_saying_who_finished_it(alur, walker):
    task = walker.open_task
    walker.step()

    assert_refused(alur("task", "claim", task.pk, "--as", "karo"), f"#{task.pk}", "sudah diselesaikan", "Kepala Biro Pemerintahan")


def test_release_gives_the_task_back_to_every_holder_of_the_role(alur, walker, second_kabag):
    walker.step()
    task = walker.open_task
    alur("task", "claim", task.pk, "--as", "kabag")

    result = alur("task", "release", task.pk, "--as", "kabag")

    assert result.exit_code == 0, result
    assert result.out.strip() == f"Tugas #{task.pk} dilepaskan."
    task.refresh_from_db()
    assert task.assignee is None
    assert [t["id"] for t in alur("task", "list", "--as", "kabag2", "--json").json()["tasks"]] == [task.pk]


def test_release_by_someone_who_does_not_hold_the_task_is_refused(alur, walker, second_kabag, row_counts):
    walker.step()
    task = walker.open_task
    alur("task", "claim", task.pk, "--as", "kabag")
    before = row_counts()

    assert_refused(alur("task", "release", task.pk, "--as", "kabag2"), "pemegang tugas")
    assert row_counts() == before
    task.refresh_from_db()
    assert task.assignee.username == "kabag"


# --- complete -------------------------------------------------------------------------------------

def test_complete_closes_the_task_and_names_the_next_step_and_its_task(alur, walker):
    task = walker.open_task

    result = alur("task", "complete", task.pk, "--as", "karo")

    assert result.exit_code == 0, result
    task.refresh_from_db()
    following = walker.open_task
    assert (task.status, task.completed_by.username) == (Task.Status.DONE, "karo")
    assert following.step_key == "tugaskan_kasubbag"
    assert result.out.startswith(f"Tugas #{task.pk} selesai pada ")
    assert f"Berikutnya: langkah 2 (tugas #{following.pk}) oleh Kabag Kerja Sama." in result.out


def test_complete_json_gives_the_next_task(alur, walker):
    task = walker.open_task

    result = alur("task", "complete", task.pk, "--as", "karo", "--json")

    assert result.exit_code == 0, result
    data = result.json()
    following = walker.open_task
    assert (data["ok"], data["task"], data["case"], data["case_status"]) == (True, task.pk, walker.case.pk, "running")
    assert data["next"] == {"task": following.pk, "step": "tugaskan_kasubbag", "role": "kabag"}


def test_complete_with_attach_stores_the_document_as_made_by_that_task(alur, walker, attach):
    walker.steps(3)
    task = walker.open_task

    result = alur("task", "complete", task.pk, "--as", "analis", "--attach", attach("hasil_telaahan", "telaah.pdf"))

    assert result.exit_code == 0, result
    document = Document.objects.get(case=walker.case, kind="hasil_telaahan")
    assert (document.task_id, document.uploaded_by.username, document.original_name) == (task.pk, "analis", "telaah.pdf")
    assert document.file.read() == b"%PDF-1.4 hasil_telaahan"


def test_complete_takes_several_attachments_at_once(alur, walker, attach):
    walker.steps(3)

    result = alur("task", "complete", walker.open_task.pk, "--as", "analis",
                  "--attach", attach("hasil_telaahan"), "--attach", attach("disposisi"))

    assert result.exit_code == 0, result
    assert set(Document.objects.filter(case=walker.case).values_list("kind", flat=True)) == {"draft_pks", "hasil_telaahan", "disposisi"}


def test_complete_of_the_signing_by_the_head_of_the_proposing_opd_opens_the_registration(alur, walker, attach):
    to_signing(walker)

    result = alur("task", "complete", walker.open_task.pk, "--as", "kepala_dispar", "--attach", attach("dokumen_pks"),
                  *record_args("penandatanganan"), "--json")

    assert result.exit_code == 0, result
    assert result.json()["next"]["step"] == "registrasi"


def test_complete_of_the_registration_ends_the_case_registered(alur, walker):
    to_signing(walker)
    walker.step()

    result = alur("task", "complete", walker.open_task.pk, "--as", "pengelola", *record_args("registrasi"))

    assert result.exit_code == 0, result
    assert f"Perkara #{walker.case.pk} berakhir: PKS teregistrasi, terdistribusi dan terarsip." in result.out
    walker.case.refresh_from_db()
    assert (walker.case.status, walker.case.end_key) == (Case.Status.COMPLETED, "teregistrasi")


def test_complete_of_the_karos_decision_with_setuju_sends_the_draft_to_the_tkksd_forum(alur, walker):
    walker.steps(6)

    result = alur("task", "complete", walker.open_task.pk, "--as", "karo", "--decision", "setuju", "--json")

    assert result.exit_code == 0, result
    assert (result.json()["outcome"], result.json()["next"]["step"]) == ("setuju", "bahas_tkksd")


def test_complete_of_the_karos_decision_with_tidak_setuju_and_a_note_returns_the_draft_through_pengelola(alur, walker):
    walker.steps(6)
    task = walker.open_task

    result = alur("task", "complete", task.pk, "--as", "karo", "--decision", "tidak_setuju", "--note", "Lengkapi lampiran.", "--json")

    assert result.exit_code == 0, result
    assert result.json()["next"] == {"task": walker.open_task.pk, "step": "kembalikan_ke_opd", "role": "pengelola"}
    task.refresh_from_db()
    assert (task.outcome, task.note) == ("tidak_setuju", "Lengkapi lampiran.")


# Refused completions: a message naming what is wrong, exit 1, no new row, the task still open.

@pytest.fixture
def expect_refusal(row_counts):
    """`refused = expect_refusal(task)` before the command, `refused(result, *named)` after it."""

    def prepare(task: Task):
        before = row_counts()

        def check(result, *named: str) -> None:
            assert_refused(result, *named)
            assert row_counts() == before
            task.refresh_from_db()
            assert (task.status, task.completed_at, task.outcome) == (Task.Status.OPEN, None, "")

        return check

    return prepare


def test_complete_of_an_unknown_task_is_refused_naming_its_number(alur, demo, row_counts):
    before = row_counts()

    assert_refused(alur("task", "complete", 999999, "--as", "karo"), "#999999")
    assert row_counts() == before


def test_complete_as_an_unknown_user_is_refused_naming_the_user(alur, walker, expect_refusal):
    task = walker.open_task
    refused = expect_refusal(task)

    refused(alur("task", "complete", task.pk, "--as", "siapa"), "'siapa'")


def test_complete_by_a_user_without_the_role_is_refused_naming_the_role(alur, walker, expect_refusal):
    task = walker.open_task
    refused = expect_refusal(task)

    refused(alur("task", "complete", task.pk, "--as", "kabag"), f"#{task.pk}", "Karo Pemerintahan", "Kabag Kerja Sama")


def test_complete_of_the_signing_by_the_head_of_another_opd_is_refused_naming_the_opd(alur, walker, attach, expect_refusal):
    to_signing(walker)
    task = walker.open_task
    refused = expect_refusal(task)

    result = alur("task", "complete", task.pk, "--as", "kepala_dkp", "--attach", attach("dokumen_pks"))

    refused(result, "Kepala OPD", "Dinas Pariwisata")


def test_complete_of_a_task_someone_else_holds_is_refused_naming_the_holder(alur, walker, second_kabag, expect_refusal):
    walker.step()
    task = walker.open_task
    alur("task", "claim", task.pk, "--as", "kabag2")
    refused = expect_refusal(task)

    refused(alur("task", "complete", task.pk, "--as", "kabag"), "dipegang oleh Plh. Kabag Kerja Sama")


def test_complete_without_the_document_the_step_makes_is_refused_naming_it(alur, walker, expect_refusal):
    walker.steps(3)
    task = walker.open_task
    refused = expect_refusal(task)

    refused(alur("task", "complete", task.pk, "--as", "analis"), "langkah 4", "Hasil telaahan")


def test_complete_with_a_document_of_another_kind_than_the_step_makes_is_refused(alur, walker, attach, expect_refusal):
    walker.steps(3)
    task = walker.open_task
    refused = expect_refusal(task)

    result = alur("task", "complete", task.pk, "--as", "analis", "--attach", attach("notulen"))

    refused(result, "Hasil telaahan")


def test_complete_with_a_decision_on_a_step_without_one_is_refused(alur, walker, expect_refusal):
    task = walker.open_task
    refused = expect_refusal(task)

    result = alur("task", "complete", task.pk, "--as", "karo", "--decision", "setuju")

    refused(result, "Langkah 1", "bukan langkah keputusan")


def test_complete_of_a_decision_step_without_a_decision_is_refused_naming_the_choices(alur, walker, expect_refusal):
    walker.steps(6)
    task = walker.open_task
    refused = expect_refusal(task)

    refused(alur("task", "complete", task.pk, "--as", "karo"), "Langkah 7", "setuju", "tidak_setuju")


def test_complete_with_tidak_setuju_without_a_note_is_refused_asking_for_the_reason(alur, walker, expect_refusal):
    walker.steps(6)
    task = walker.open_task
    refused = expect_refusal(task)

    result = alur("task", "complete", task.pk, "--as", "karo", "--decision", "tidak_setuju")

    refused(result, "Tidak setuju", "catatan")


def test_complete_with_a_malformed_attach_is_refused_showing_the_expected_form(alur, walker, expect_refusal):
    walker.steps(3)
    task = walker.open_task
    refused = expect_refusal(task)

    result = alur("task", "complete", task.pk, "--as", "analis", "--attach", "hasil_telaahan:telaah.pdf")

    refused(result, "'hasil_telaahan:telaah.pdf'", "JENIS=PATH")


def test_complete_with_an_attached_file_that_does_not_exist_is_refused_naming_the_path(alur, walker, tmp_path, expect_refusal):
    walker.steps(3)
    task = walker.open_task
    missing = tmp_path / "tidak-ada.pdf"
    refused = expect_refusal(task)

    result = alur("task", "complete", task.pk, "--as", "analis", "--attach", f"hasil_telaahan={missing}")

    refused(result, str(missing))


def test_complete_with_an_unknown_document_kind_is_refused_naming_the_kind_and_the_known_ones(alur, walker, attach, expect_refusal):
    walker.steps(3)
    task = walker.open_task
    refused = expect_refusal(task)

    result = alur("task", "complete", task.pk, "--as", "analis", "--attach", attach("telaahan"))

    refused(result, "'telaahan'", "hasil_telaahan")


def test_complete_of_a_finished_task_is_refused_saying_who_finished_it_and_when(alur, walker, row_counts):
    task = walker.open_task
    walker.step()
    before = row_counts()

    result = alur("task", "complete", task.pk, "--as", "karo")

    assert_refused(result, f"#{task.pk}", "sudah diselesaikan oleh Kepala Biro Pemerintahan")
    assert row_counts() == before


def test_complete_refused_with_json_is_an_error_object_with_its_code(alur, walker):
    walker.steps(3)

    result = alur("task", "complete", walker.open_task.pk, "--as", "analis", "--json")

    assert result.exit_code == 1, result
    data = result.json()
    assert (data["ok"], data["code"]) == (False, "missing_documents")
    assert "Hasil telaahan" in data["error"]
    assert result.err == ""


def test_complete_refused_leaves_no_stored_file_behind(alur, walker, attach, stored_files):
    walker.steps(3)
    files_before = stored_files()

    # notulen is a known kind, but step 4 must make the hasil telaahan: refused after storing.
    result = alur("task", "complete", walker.open_task.pk, "--as", "analis", "--attach", attach("notulen"))

    assert result.exit_code == 1, result
    assert stored_files() == files_before


# Arguments the parser itself checks: run through the console script's entry point, as typed.

def test_complete_with_an_unknown_decision_exits_1_naming_it_and_the_choices(alur_argv, walker, expect_refusal):
    walker.steps(6)
    task = walker.open_task
    refused = expect_refusal(task)

    result = alur_argv("task", "complete", task.pk, "--as", "karo", "--decision", "mungkin")

    assert "'mungkin'" in result.err and "setuju" in result.err and "tidak_setuju" in result.err, result
    refused(result)


def test_complete_of_a_task_id_that_is_not_a_number_exits_1_naming_it(alur_argv, demo, row_counts):
    before = row_counts()

    result = alur_argv("task", "complete", "tujuh", "--as", "karo")

    assert "'tujuh'" in result.err, result
    assert result.exit_code == 1, result
    assert row_counts() == before


def test_complete_with_an_unknown_decision_and_json_is_refused_as_json(alur_argv, walker):
    walker.steps(6)

    result = alur_argv("task", "complete", walker.open_task.pk, "--as", "karo", "--decision", "mungkin", "--json")

    assert result.exit_code == 1, result
    data = result.json()
    assert data["ok"] is False and "mungkin" in data["error"]


# --- what a step records besides its decision (--record KEY=VALUE) ---------------------------------

def at_forum(walker) -> Task:
    """Walk to step 8, the TKKSD forum, which records its meeting date and the members present."""
    walker.steps(6)
    walker.step("setuju")
    task = walker.open_task
    assert task.step_key == "bahas_tkksd"
    return task


def at_governor(walker) -> Task:
    at_forum(walker)
    walker.step("setuju")
    task = walker.open_task
    assert task.step_key == "keputusan_gubernur"
    return task


def test_complete_with_record_stores_the_forums_date_and_members_on_the_task(alur, walker, attach):
    task = at_forum(walker)

    result = alur("task", "complete", task.pk, "--as", "tkksd", "--decision", "setuju",
                  "--record", "tanggal_rapat=2026-11-20", "--record", "anggota_hadir=Sekda, Asisten I",
                  "--attach", attach("notulen"), "--json")

    assert result.exit_code == 0, result
    assert result.json()["record"] == {"tanggal_rapat": "2026-11-20", "anggota_hadir": "Sekda, Asisten I"}
    task.refresh_from_db()
    assert task.data == {"tanggal_rapat": "2026-11-20", "anggota_hadir": "Sekda, Asisten I"}


def test_complete_with_a_record_value_holding_an_equals_sign_keeps_all_of_it(alur, walker, attach):
    task = at_forum(walker)

    result = alur("task", "complete", task.pk, "--as", "tkksd", "--decision", "setuju",
                  "--record", "tanggal_rapat=2026-11-20", "--record", "anggota_hadir=Sekda (a=b)",
                  "--attach", attach("notulen"))

    assert result.exit_code == 0, result
    task.refresh_from_db()
    assert task.data["anggota_hadir"] == "Sekda (a=b)"


def test_complete_of_the_governors_decision_signed_by_the_opd_head_takes_the_surat_kuasa(alur, walker, attach):
    task = at_governor(walker)

    result = alur("task", "complete", task.pk, "--as", "gubernur", "--decision", "setuju",
                  "--record", "penandatangan=kepala_opd", "--record", "nomor_surat_kuasa=180/45/HUK/2026",
                  "--attach", attach("disposisi_gubernur"), "--attach", attach("surat_kuasa"), "--json")

    assert result.exit_code == 0, result
    assert result.json()["next"]["step"] == "finalisasi_draft"
    assert Document.objects.get(case=walker.case, kind="surat_kuasa").task_id == task.pk


@pytest.mark.parametrize(
    ("value", "named"),
    [
        pytest.param("tanggal_rapat", ["'tanggal_rapat'", "KUNCI=NILAI"], id="without-equals-sign"),
        pytest.param("=2026-11-20", ["'=2026-11-20'", "KUNCI=NILAI"], id="without-key"),
        pytest.param("tanggal_rapat=", ["'tanggal_rapat='", "kosong"], id="without-value"),
    ],
)
def test_complete_with_a_malformed_record_is_refused_showing_the_expected_form(alur, walker, attach, expect_refusal, value, named):
    task = at_forum(walker)
    refused = expect_refusal(task)

    result = alur("task", "complete", task.pk, "--as", "tkksd", "--decision", "setuju", "--record", value,
                  "--record", "anggota_hadir=Sekda", "--attach", attach("notulen"))

    refused(result, "--record", *named)


def test_complete_with_a_record_key_given_twice_is_refused_naming_it(alur, walker, attach, expect_refusal):
    task = at_forum(walker)
    refused = expect_refusal(task)

    result = alur("task", "complete", task.pk, "--as", "tkksd", "--decision", "setuju",
                  "--record", "tanggal_rapat=2026-11-20", "--record", "tanggal_rapat=2026-11-21",
                  "--record", "anggota_hadir=Sekda", "--attach", attach("notulen"))

    refused(result, "'tanggal_rapat'", "dua kali")


def test_complete_of_the_forum_without_its_date_is_refused_naming_the_field(alur, walker, attach, expect_refusal):
    task = at_forum(walker)
    refused = expect_refusal(task)

    result = alur("task", "complete", task.pk, "--as", "tkksd", "--decision", "setuju",
                  "--record", "anggota_hadir=Sekda", "--attach", attach("notulen"))

    refused(result, "Tanggal rapat forum TKKSD", "wajib")


def test_complete_with_an_unreadable_date_is_refused_showing_the_date_form(alur, walker, attach, expect_refusal):
    task = at_forum(walker)
    refused = expect_refusal(task)

    result = alur("task", "complete", task.pk, "--as", "tkksd", "--decision", "setuju",
                  "--record", "tanggal_rapat=20-11-2026", "--record", "anggota_hadir=Sekda", "--attach", attach("notulen"))

    refused(result, "'20-11-2026'", "TTTT-BB-HH")


def test_complete_with_an_unknown_record_key_is_refused_naming_it_and_the_known_ones(alur, walker, expect_refusal):
    task = walker.open_task
    refused = expect_refusal(task)

    result = alur("task", "complete", task.pk, "--as", "karo", "--record", "tanggal_rapat=2026-11-20")

    refused(result, "'tanggal_rapat'", "Langkah 1")


def test_complete_signed_by_the_opd_head_without_the_surat_kuasa_is_refused_naming_it(alur, walker, attach, expect_refusal):
    task = at_governor(walker)
    refused = expect_refusal(task)

    result = alur("task", "complete", task.pk, "--as", "gubernur", "--decision", "setuju",
                  "--record", "penandatangan=kepala_opd", "--record", "nomor_surat_kuasa=180/45/HUK/2026", "--attach", attach("disposisi_gubernur"))

    refused(result, "langkah 9", "Surat kuasa")


def test_complete_with_a_malformed_record_and_json_is_an_error_object(alur, walker):
    task = at_forum(walker)

    result = alur("task", "complete", task.pk, "--as", "tkksd", "--decision", "setuju", "--record", "tanggal_rapat", "--json")

    assert result.exit_code == 1, result
    data = result.json()
    assert (data["ok"], data["code"]) == (False, "invalid")
    assert "KUNCI=NILAI" in data["error"]
