"""What a step records besides its decision (its definition's `record` fields).

In the PKS SOP the TKKSD forum (step 8) records the meeting date and the members present, and the
Governor (step 9), when he agrees, records who signs the PKS: himself, or the head of the
proposing OPD with a surat kuasa, which then has to be uploaded in that task. The values are
checked against the step, stored on the task and written into the completion's audit event. A
refused completion says what is wrong, naming the field by its label, and changes nothing.
"""
from __future__ import annotations

import pytest

from alur.org.models import OrgUnit
from alur.workflow.audit import verify_chain
from alur.workflow.errors import InvalidInput, MissingDocuments
from alur.workflow.models import AuditEvent, Case, Document, Task
from alur.workflow.services import attach_document, complete_task, load_sop, start_case
from tests.conftest import RECORDS, pdf

FORUM = RECORDS["bahas_tkksd"]


def snapshot() -> dict:
    """Everything a refused completion must leave as it was, what tasks recorded included."""
    return {
        "cases": list(Case.objects.order_by("pk").values_list("pk", "status", "round", "end_key")),
        "tasks": list(Task.objects.order_by("pk").values_list("pk", "status", "completed_at", "outcome", "note", "data")),
        "documents": list(Document.objects.order_by("pk").values_list("pk", "kind", "version", "task_id")),
        "events": AuditEvent.objects.count(),
    }


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-seq").first()


@pytest.fixture
def forum(walker) -> Task:
    """The open task of step 8, the TKKSD forum."""
    walker.steps(6)
    walker.step("setuju")  # Karo
    task = walker.open_task
    assert task.step_key == "bahas_tkksd"
    return task


@pytest.fixture
def governor(walker, forum) -> Task:
    """The open task of step 9, the Governor's decision on the forum's recommendation."""
    walker.step("setuju")
    task = walker.open_task
    assert task.step_key == "keputusan_gubernur"
    return task


def complete_forum(task: Task, users, *, record: dict, outcome: str = "setuju", note: str = "") -> Task:
    return complete_task(task_id=task.pk, actor=users["tkksd"], outcome=outcome, note=note, record=record,
                         attachments=[pdf("notulen")])


# The Kepala OPD signs under the Governor's surat kuasa, whose number step 9 records with it.
BY_OPD_HEAD = {"penandatangan": "kepala_opd", "nomor_surat_kuasa": "180/45/HUK/2026"}


def decide(task: Task, users, *, record: dict, outcome: str = "setuju", note: str = "", documents=("disposisi_gubernur",)) -> Task:
    return complete_task(task_id=task.pk, actor=users["gubernur"], outcome=outcome, note=note, record=record,
                         attachments=[pdf(kind) for kind in documents])


# --- the forum's date and members ----------------------------------------------------------------

def test_the_forums_date_and_members_are_stored_on_its_task(forum, users):
    done = complete_forum(forum, users, record=FORUM)

    forum.refresh_from_db()
    assert forum.data == {"tanggal_rapat": "2026-11-20", "anggota_hadir": "Sekda (ketua), Asisten I, Karo Pemerintahan"}
    assert done.data == forum.data


def test_the_forums_date_and_members_are_in_the_audit_event_of_the_completion(forum, users):
    complete_forum(forum, users, record=FORUM)

    event = last_event()
    assert (event.action, event.task_id_ref) == ("task.completed", forum.pk)
    assert event.data["record"] == {"tanggal_rapat": "2026-11-20", "anggota_hadir": "Sekda (ketua), Asisten I, Karo Pemerintahan"}
    assert verify_chain().ok


def test_the_forum_records_its_date_and_members_when_it_disagrees_too(forum, users):
    complete_forum(forum, users, record=FORUM, outcome="tidak_setuju", note="Forum meminta kajian manfaat ekonomi.")

    forum.refresh_from_db()
    assert (forum.outcome, forum.data) == ("tidak_setuju", FORUM)


def test_a_step_that_records_nothing_stores_nothing_and_its_event_has_no_record(walker, users):
    task = walker.open_task

    complete_task(task_id=task.pk, actor=users["karo"])

    task.refresh_from_db()
    assert task.data == {}
    assert "record" not in last_event().data


def test_a_recorded_date_is_stored_in_iso_form_and_text_with_its_spaces_tidied(forum, users):
    complete_forum(forum, users, record={"tanggal_rapat": " 2026-11-20 ", "anggota_hadir": "  Sekda (ketua),\n  Asisten I "})

    forum.refresh_from_db()
    assert forum.data == {"tanggal_rapat": "2026-11-20", "anggota_hadir": "Sekda (ketua), Asisten I"}


def test_each_forum_keeps_its_own_date_when_the_governor_sends_the_draft_back(walker, forum, users):
    walker.step("setuju")  # the first forum, on FORUM's date
    walker.step("tidak_setuju", note="Perjelas pembagian keuntungan.")  # the Governor sends it back
    second = walker.open_task
    assert second.step_key == "bahas_tkksd"

    complete_forum(second, users, record={"tanggal_rapat": "2026-12-03", "anggota_hadir": "Sekda (ketua), Asisten II"})

    assert list(Task.objects.filter(case=walker.case, step_key="bahas_tkksd").order_by("pk").values_list("data", flat=True)) == [
        FORUM, {"tanggal_rapat": "2026-12-03", "anggota_hadir": "Sekda (ketua), Asisten II"}]


# --- refused records -----------------------------------------------------------------------------

@pytest.mark.parametrize(("left_out", "label"), [
    ("tanggal_rapat", "Tanggal rapat forum TKKSD"),
    ("anggota_hadir", "Anggota TKKSD yang hadir"),
])
def test_a_missing_required_field_is_refused_naming_its_label_and_changes_nothing(forum, users, left_out, label):
    before = snapshot()

    with pytest.raises(InvalidInput) as refused:
        complete_forum(forum, users, record={k: v for k, v in FORUM.items() if k != left_out})

    assert refused.value.message == f"Isian '{label}' pada langkah 8 wajib diisi."
    assert snapshot() == before


def test_a_blank_required_field_counts_as_missing(forum, users):
    before = snapshot()

    with pytest.raises(InvalidInput, match="'Anggota TKKSD yang hadir' pada langkah 8 wajib diisi"):
        complete_forum(forum, users, record={**FORUM, "anggota_hadir": "  \n "})

    assert snapshot() == before


def test_a_forum_without_any_record_is_refused(forum, users):
    before = snapshot()

    with pytest.raises(InvalidInput, match="Tanggal rapat forum TKKSD"):
        complete_task(task_id=forum.pk, actor=users["tkksd"], outcome="setuju", attachments=[pdf("notulen")])

    assert snapshot() == before


@pytest.mark.parametrize("written", ["20-11-2026", "2026-02-30", "besok", "20 November 2026"])
def test_an_unreadable_date_is_refused_showing_the_form_of_a_date(forum, users, written):
    before = snapshot()

    with pytest.raises(InvalidInput) as refused:
        complete_forum(forum, users, record={**FORUM, "tanggal_rapat": written})

    assert f"'{written}' bukan tanggal" in refused.value.message
    assert "Tanggal rapat forum TKKSD" in refused.value.message and "TTTT-BB-HH" in refused.value.message
    assert snapshot() == before


def test_an_unknown_field_is_refused_naming_it_and_the_steps_fields(forum, users):
    before = snapshot()

    with pytest.raises(InvalidInput) as refused:
        complete_forum(forum, users, record={**FORUM, "tempat_rapat": "Ruang Pasir Padi"})

    assert refused.value.message == "Langkah 8 tidak mengenal isian 'tempat_rapat' (isiannya: tanggal_rapat, anggota_hadir)."
    assert snapshot() == before


def test_a_field_on_a_step_that_records_nothing_is_refused(walker, users):
    task = walker.open_task
    before = snapshot()

    with pytest.raises(InvalidInput, match="Langkah 1 tidak mengenal isian 'tanggal_rapat'"):
        complete_task(task_id=task.pk, actor=users["karo"], record={"tanggal_rapat": "2026-11-20"})

    assert snapshot() == before


def test_a_field_of_another_step_is_refused(forum, users):
    before = snapshot()

    with pytest.raises(InvalidInput, match="tidak mengenal isian 'penandatangan'"):
        complete_forum(forum, users, record={**FORUM, "penandatangan": "gubernur"})

    assert snapshot() == before


def test_a_refused_record_stores_none_of_the_attachments_of_the_call(forum, users):
    documents_before = Document.objects.count()

    with pytest.raises(InvalidInput):
        complete_forum(forum, users, record={**FORUM, "tanggal_rapat": "besok"})

    assert Document.objects.count() == documents_before
    assert not Document.objects.filter(case=forum.case, kind="notulen").exists()


# --- who signs: the Governor's choice ------------------------------------------------------------

def test_the_governor_signing_himself_needs_no_surat_kuasa(governor, users):
    decide(governor, users, record={"penandatangan": "gubernur"})

    governor.refresh_from_db()
    assert (governor.status, governor.outcome, governor.data) == (Task.Status.DONE, "setuju", {"penandatangan": "gubernur"})
    assert last_event().data["record"] == {"penandatangan": "gubernur"}
    assert not Document.objects.filter(case=governor.case, kind="surat_kuasa").exists()
    assert Task.objects.get(case=governor.case, status=Task.Status.OPEN).step_key == "finalisasi_draft"


def test_the_governors_decision_needs_the_scan_of_his_disposisi(governor, users):
    before = snapshot()

    with pytest.raises(MissingDocuments) as refused:
        decide(governor, users, record={"penandatangan": "gubernur"}, documents=())

    assert refused.value.missing == ["disposisi_gubernur"]
    assert "Disposisi Gubernur atas rekomendasi" in refused.value.message
    assert snapshot() == before


def test_setuju_without_who_signs_is_refused_naming_the_field(governor, users):
    before = snapshot()

    with pytest.raises(InvalidInput) as refused:
        decide(governor, users, record={})

    assert refused.value.message == "Isian 'Yang menandatangani PKS' pada langkah 9 wajib diisi."
    assert snapshot() == before


def test_tidak_setuju_needs_no_signer(governor, users):
    decide(governor, users, record={}, outcome="tidak_setuju", note="Perjelas pembagian keuntungan.")

    governor.refresh_from_db()
    assert (governor.outcome, governor.data) == ("tidak_setuju", {})
    assert Task.objects.get(case=governor.case, status=Task.Status.OPEN).step_key == "bahas_tkksd"


def test_a_signer_given_with_tidak_setuju_is_refused(governor, users):
    before = snapshot()

    with pytest.raises(InvalidInput) as refused:
        decide(governor, users, record={"penandatangan": "gubernur"}, outcome="tidak_setuju", note="Perjelas pembagian keuntungan.")

    assert refused.value.message == "Isian 'Yang menandatangani PKS' hanya diisi bila keputusannya setuju."
    assert snapshot() == before


@pytest.mark.parametrize("chosen", ["wakil_gubernur", "Gubernur", "sekda"])
def test_a_signer_outside_the_choices_is_refused_naming_the_choices(governor, users, chosen):
    before = snapshot()

    with pytest.raises(InvalidInput) as refused:
        decide(governor, users, record={"penandatangan": chosen})

    assert refused.value.message == f"Isian 'Yang menandatangani PKS': pilih salah satu dari gubernur, kepala_opd (bukan '{chosen}')."
    assert snapshot() == before


def test_the_opd_head_signing_without_a_surat_kuasa_is_refused_naming_it(governor, users):
    before = snapshot()

    with pytest.raises(MissingDocuments) as refused:
        decide(governor, users, record=BY_OPD_HEAD)

    assert refused.value.missing == ["surat_kuasa"]
    assert refused.value.message == "Kelengkapan langkah 9 belum lengkap: Surat kuasa belum dilampirkan."
    assert snapshot() == before


def test_the_opd_head_signing_with_a_surat_kuasa_makes_it_a_document_of_the_case(governor, users):
    decide(governor, users, record=BY_OPD_HEAD, documents=("disposisi_gubernur", "surat_kuasa"))

    governor.refresh_from_db()
    assert (governor.status, governor.data) == (Task.Status.DONE, BY_OPD_HEAD)
    surat_kuasa = Document.objects.get(case=governor.case, kind="surat_kuasa")
    assert (surat_kuasa.task_id, surat_kuasa.uploaded_by, surat_kuasa.version) == (governor.pk, users["gubernur"], 1)
    assert Task.objects.get(case=governor.case, status=Task.Status.OPEN).step_key == "finalisasi_draft"


def test_a_surat_kuasa_uploaded_earlier_in_the_same_task_counts(governor, users):
    attach_document(task_id=governor.pk, actor=users["gubernur"], attachment=pdf("surat_kuasa"))

    decide(governor, users, record=BY_OPD_HEAD)

    governor.refresh_from_db()
    assert governor.status == Task.Status.DONE


def test_a_surat_kuasa_uploaded_in_an_earlier_task_does_not_count(walker, forum, users):
    attach_document(task_id=forum.pk, actor=users["tkksd"], attachment=pdf("surat_kuasa", "konsep"))
    walker.step("setuju")
    governor = walker.open_task
    before = snapshot()

    with pytest.raises(MissingDocuments, match="Surat kuasa belum dilampirkan"):
        decide(governor, users, record=BY_OPD_HEAD)

    assert snapshot() == before


# --- the field kinds on an SOP of their own ------------------------------------------------------

RECORD_SOP = """\
format: alur-sop/1
key: uji-isian
identitas:
  nama: SOP uji isian
roles:
  - key: karo
    name: Karo Pemerintahan
  - key: pengelola
    name: Pengelola Informasi Kerja Sama
documents:
  - key: draft_pks
    name: Draft PKS
intake:
  roles: [pengelola]
  kelengkapan: [draft_pks]
steps:
  - key: periksa
    number: 1
    actor: karo
    activity: Memeriksa draft
    waktu: 5 menit
    record:
      - key: catatan_rapat
        label: Catatan rapat
        required: false
      - key: tembusan
        label: Tembusan, satu per baris
        type: lines
        required: false
      - key: alasan_kode
        label: Kode alasan penolakan
        type: choice
        when: tidak_setuju
        choices:
          a1: Substansi
          a2: Administrasi
    decision:
      setuju: selesai
      tidak_setuju: ditolak
ends:
  - key: selesai
    name: Selesai
  - key: ditolak
    name: Ditolak
"""


@pytest.fixture
def record_task(users) -> Task:
    load_sop(text=RECORD_SOP, source_name="uji-isian.yaml")
    case = start_case(sop_key="uji-isian", title="PKS uji isian", org_unit=OrgUnit.objects.get(code="dispar"),
                      actor=users["pengelola"], attachments=[pdf("draft_pks")])
    return Task.objects.get(case=case, status=Task.Status.OPEN)


def test_an_optional_field_may_be_left_out_and_is_then_not_stored(record_task, users):
    complete_task(task_id=record_task.pk, actor=users["karo"], outcome="setuju")

    record_task.refresh_from_db()
    assert (record_task.status, record_task.data) == (Task.Status.DONE, {})


def test_an_optional_field_given_is_stored(record_task, users):
    complete_task(task_id=record_task.pk, actor=users["karo"], outcome="setuju", record={"catatan_rapat": "Lancar."})

    record_task.refresh_from_db()
    assert record_task.data == {"catatan_rapat": "Lancar."}


def test_a_field_for_tidak_setuju_is_required_then_and_refused_with_setuju(record_task, users):
    with pytest.raises(InvalidInput, match="'Kode alasan penolakan' pada langkah 1 wajib diisi"):
        complete_task(task_id=record_task.pk, actor=users["karo"], outcome="tidak_setuju", note="Kurang lampiran.")
    with pytest.raises(InvalidInput, match="'Kode alasan penolakan' hanya diisi bila keputusannya tidak setuju"):
        complete_task(task_id=record_task.pk, actor=users["karo"], outcome="setuju", record={"alasan_kode": "a1"})

    complete_task(task_id=record_task.pk, actor=users["karo"], outcome="tidak_setuju", note="Kurang lampiran.",
                  record={"alasan_kode": "a2"})

    record_task.refresh_from_db()
    assert (record_task.outcome, record_task.data) == ("tidak_setuju", {"alasan_kode": "a2"})


def test_a_lines_field_keeps_one_entry_per_line_each_tidied_and_blank_lines_left_out(record_task, users):
    complete_task(task_id=record_task.pk, actor=users["karo"], outcome="setuju",
                  record={"tembusan": "  Dinas   Pariwisata, Pemuda dan Olahraga \r\n\n  Inspektorat Provinsi\n   \n"})

    record_task.refresh_from_db()
    assert record_task.data == {"tembusan": "Dinas Pariwisata, Pemuda dan Olahraga\nInspektorat Provinsi"}


def test_a_lines_field_of_blank_lines_only_is_left_out(record_task, users):
    complete_task(task_id=record_task.pk, actor=users["karo"], outcome="setuju", record={"tembusan": " \n \n"})

    record_task.refresh_from_db()
    assert record_task.data == {}
