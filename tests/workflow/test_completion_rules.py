"""Completing a task: who acts, whether the task is open, the kelengkapan and the step's own
products, the decision; then the next task and the audit event. A refused completion says why and
changes nothing (no task closed or opened, no document stored, no event written)."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.conf import settings

from alur.org.models import OrgUnit
from alur.workflow.errors import InvalidInput, MissingDocuments, NotAllowed, NotFound, TaskNotOpen
from alur.workflow.models import AuditEvent, Case, Document, Task
from alur.workflow.services import Attachment, attach_document, complete_task, load_sop, resubmit_case, start_case
from tests.conftest import pdf, record_for


def snapshot() -> dict:
    """Everything a refused action must leave as it was."""
    return {
        "cases": list(Case.objects.order_by("pk").values_list("pk", "status", "round", "end_key", "ended_at")),
        "tasks": list(Task.objects.order_by("pk").values_list(
            "pk", "status", "assignee_id", "claimed_at", "completed_at", "completed_by_id", "outcome", "note", "data")),
        "documents": list(Document.objects.order_by("pk").values_list("pk", "kind", "version", "sha256")),
        "events": AuditEvent.objects.count(),
    }


def stored_files() -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-seq").first()


# A small SOP whose only step needs a document nobody produces before it: the plain kelengkapan rule.
KELENGKAPAN_SOP = """\
format: alur-sop/1
key: uji-kelengkapan
identitas:
  nama: SOP uji kelengkapan
roles:
  - key: karo
    name: Karo Pemerintahan
  - key: pengelola
    name: Pengelola Informasi Kerja Sama
documents:
  - key: draft_pks
    name: Draft PKS
  - key: disposisi
    name: Disposisi
intake:
  roles: [pengelola]
  kelengkapan: [draft_pks]
start: periksa
steps:
  - key: periksa
    number: 1
    actor: karo
    activity: Memeriksa draft beserta lembar disposisinya
    kelengkapan: [draft_pks, disposisi]
    waktu: 5 menit
    next: selesai
ends:
  - key: selesai
    name: Selesai
"""


@pytest.fixture
def kelengkapan_task(users) -> Task:
    """The open first task of a case of KELENGKAPAN_SOP: it holds draft_pks but no disposisi."""
    load_sop(text=KELENGKAPAN_SOP, source_name="uji-kelengkapan.yaml")
    case = start_case(sop_key="uji-kelengkapan", title="PKS uji", org_unit=OrgUnit.objects.get(code="dispar"),
                      actor=users["pengelola"], attachments=[pdf("draft_pks")])
    return Task.objects.get(case=case, status=Task.Status.OPEN)


@pytest.fixture
def at_analysis(walker) -> Task:
    """A case whose open task is step 4, the analyst's (it produces the hasil telaahan)."""
    walker.steps(3)
    task = walker.open_task
    assert task.step_key == "analisa_draft"
    return task


@pytest.fixture
def at_karo_decision(walker) -> Task:
    walker.steps(6)
    task = walker.open_task
    assert task.step_key == "periksa_karo"
    return task


# --- a completion that goes through --------------------------------------------------------------

def test_completing_a_task_closes_it_opens_the_next_and_records_one_event(walker, users):
    task = walker.open_task
    events_before = AuditEvent.objects.count()

    complete_task(task_id=task.pk, actor=users["karo"])

    task.refresh_from_db()
    assert (task.status, task.completed_by, task.outcome, task.note) == (Task.Status.DONE, users["karo"], "", "")
    assert task.completed_at is not None
    following = walker.open_task
    assert (following.step_key, following.role_key, following.round) == ("tugaskan_kasubbag", "kabag", 1)
    assert AuditEvent.objects.count() == events_before + 1
    event = last_event()
    assert (event.action, event.actor, event.case_id, event.task_id_ref) == ("task.completed", users["karo"], walker.case.pk, task.pk)
    assert event.data["opened"] == {"task": following.pk, "step": "tugaskan_kasubbag", "role": "kabag"}


def test_decision_outcome_and_note_are_recorded_on_the_task_and_the_event(at_karo_decision, users):
    complete_task(task_id=at_karo_decision.pk, actor=users["karo"], outcome="tidak_setuju", note="  Lengkapi pasal sanksi.  ")

    at_karo_decision.refresh_from_db()
    assert (at_karo_decision.outcome, at_karo_decision.note) == ("tidak_setuju", "Lengkapi pasal sanksi.")
    event = last_event()
    assert (event.data["outcome"], event.data["note"]) == ("tidak_setuju", "Lengkapi pasal sanksi.")
    assert event.data["opened"]["step"] == "kembalikan_ke_opd"


def test_setuju_needs_no_note(at_karo_decision, users):
    complete_task(task_id=at_karo_decision.pk, actor=users["karo"], outcome="setuju")

    assert Task.objects.get(case=at_karo_decision.case, status=Task.Status.OPEN).step_key == "bahas_tkksd"


# --- who acts, and whether the task is still open ------------------------------------------------

def test_actor_without_the_step_role_is_refused_and_nothing_changes(walker, users):
    task = walker.open_task  # step 1 is the Karo's
    before = snapshot()

    with pytest.raises(NotAllowed) as refused:
        complete_task(task_id=task.pk, actor=users["kabag"], attachments=[pdf("disposisi")])

    assert "peran Karo Pemerintahan" in refused.value.message
    assert "Kabag Kerja Sama tidak memegang peran itu" in refused.value.message
    assert snapshot() == before
    assert walker.open_task.pk == task.pk


def test_completed_task_cannot_be_completed_again(walker, users):
    task = walker.open_task
    complete_task(task_id=task.pk, actor=users["karo"])
    before = snapshot()

    with pytest.raises(TaskNotOpen) as refused:
        complete_task(task_id=task.pk, actor=users["karo"])

    assert f"Tugas #{task.pk} sudah diselesaikan oleh Kepala Biro Pemerintahan" in refused.value.message
    assert snapshot() == before
    assert Task.objects.filter(case=walker.case).count() == 2


def test_unknown_task_is_refused_as_not_found(walker, users):
    before = snapshot()

    with pytest.raises(NotFound, match="Tugas #987654 tidak ditemukan"):
        complete_task(task_id=987654, actor=users["karo"])

    assert snapshot() == before


# --- kelengkapan ---------------------------------------------------------------------------------

def test_step_with_missing_kelengkapan_is_refused_naming_the_document(kelengkapan_task, users):
    before = snapshot()

    with pytest.raises(MissingDocuments) as refused:
        complete_task(task_id=kelengkapan_task.pk, actor=users["karo"])

    assert refused.value.missing == ["disposisi"]
    assert refused.value.message == "Kelengkapan langkah 1 belum lengkap: Disposisi belum dilampirkan."
    assert snapshot() == before
    kelengkapan_task.refresh_from_db()
    assert kelengkapan_task.status == Task.Status.OPEN


def test_refused_completion_rolls_back_attachments_passed_in_the_same_call(kelengkapan_task, users):
    documents_before = Document.objects.count()
    before = snapshot()

    with pytest.raises(MissingDocuments, match="Disposisi"):
        complete_task(task_id=kelengkapan_task.pk, actor=users["karo"], attachments=[pdf("draft_pks", "revisi")])

    assert Document.objects.count() == documents_before
    assert not Document.objects.filter(case=kelengkapan_task.case, kind="draft_pks", version=2).exists()
    assert snapshot() == before


def test_refused_completion_leaves_no_file_in_storage(kelengkapan_task, users):
    files_before = stored_files()

    with pytest.raises(MissingDocuments, match="Disposisi"):
        complete_task(task_id=kelengkapan_task.pk, actor=users["karo"], attachments=[pdf("draft_pks", "revisi")])

    # The rolled-back upload must not stay on disk: no row points at it, and it was refused.
    assert stored_files() == files_before


def test_kelengkapan_attached_in_the_same_call_lets_the_step_complete(kelengkapan_task, users):
    complete_task(task_id=kelengkapan_task.pk, actor=users["karo"], attachments=[pdf("disposisi")])

    kelengkapan_task.refresh_from_db()
    assert kelengkapan_task.status == Task.Status.DONE
    case = Case.objects.get(pk=kelengkapan_task.case_id)
    assert (case.status, case.end_key) == (Case.Status.COMPLETED, "selesai")
    assert Document.objects.get(case=case, kind="disposisi").task_id == kelengkapan_task.pk


# --- the step's own products ---------------------------------------------------------------------

def test_step_without_its_product_is_refused_naming_hasil_telaahan(at_analysis, users):
    before = snapshot()

    with pytest.raises(MissingDocuments) as refused:
        complete_task(task_id=at_analysis.pk, actor=users["analis"])

    assert refused.value.missing == ["hasil_telaahan"]
    assert refused.value.message == "Kelengkapan langkah 4 belum lengkap: Hasil telaahan belum dilampirkan."
    assert snapshot() == before


def test_refused_product_check_rolls_back_other_attachments_of_the_call(at_analysis, users):
    before = snapshot()

    with pytest.raises(MissingDocuments, match="Hasil telaahan"):
        complete_task(task_id=at_analysis.pk, actor=users["analis"], attachments=[pdf("draft_pks", "catatan analis")])

    assert snapshot() == before
    assert Document.objects.filter(case=at_analysis.case, kind="draft_pks").count() == 1


def test_product_attached_in_the_completing_call_counts(at_analysis, users):
    complete_task(task_id=at_analysis.pk, actor=users["analis"], attachments=[pdf("hasil_telaahan")])

    at_analysis.refresh_from_db()
    assert at_analysis.status == Task.Status.DONE
    assert Document.objects.get(case=at_analysis.case, kind="hasil_telaahan").task_id == at_analysis.pk


def test_product_uploaded_earlier_during_the_same_task_counts(at_analysis, users):
    attach_document(task_id=at_analysis.pk, actor=users["analis"], attachment=pdf("hasil_telaahan"))

    complete_task(task_id=at_analysis.pk, actor=users["analis"])

    at_analysis.refresh_from_db()
    assert at_analysis.status == Task.Status.DONE


def test_product_uploaded_during_an_earlier_task_does_not_count(walker, users):
    walker.steps(2)
    kasubbag_task = walker.open_task
    assert kasubbag_task.step_key == "perintahkan_telaah"
    attach_document(task_id=kasubbag_task.pk, actor=users["kasubbag"], attachment=pdf("hasil_telaahan", "catatan awal"))
    walker.step()
    analysis = walker.open_task
    before = snapshot()

    with pytest.raises(MissingDocuments, match="Hasil telaahan belum dilampirkan"):
        complete_task(task_id=analysis.pk, actor=users["analis"])

    assert snapshot() == before
    assert Document.objects.filter(case=walker.case, kind="hasil_telaahan").count() == 1


def test_product_of_an_earlier_round_does_not_count(walker, users):
    walker.steps(6)
    walker.step("tidak_setuju", note="Lengkapi lampiran teknis.")
    walker.step()
    resubmit_case(case_id=walker.case.pk, actor=users["kepala_dispar"], attachments=[pdf("draft_pks", "perbaikan")])
    walker.steps(3)
    analysis = walker.open_task
    assert (analysis.step_key, analysis.round) == ("analisa_draft", 2)
    assert Document.objects.filter(case=walker.case, kind="hasil_telaahan").count() == 1  # round 1's
    before = snapshot()

    with pytest.raises(MissingDocuments, match="Hasil telaahan belum dilampirkan"):
        complete_task(task_id=analysis.pk, actor=users["analis"])

    assert snapshot() == before


def test_second_tkksd_forum_needs_its_own_notulen(walker, users):
    walker.steps(6)
    walker.step("setuju")  # Karo
    walker.step("setuju")  # TKKSD, first forum, with its notulen
    walker.step("tidak_setuju", note="Perjelas pembagian keuntungan.")  # Gubernur sends it back
    forum = walker.open_task
    assert forum.step_key == "bahas_tkksd"
    before = snapshot()

    with pytest.raises(MissingDocuments) as refused:
        # Its date and members are recorded; only the minutes of this second forum are missing.
        complete_task(task_id=forum.pk, actor=users["tkksd"], outcome="setuju", record=record_for("bahas_tkksd", "setuju"))

    assert refused.value.missing == ["notulen"]
    assert "Notulen forum TKKSD" in refused.value.message
    assert snapshot() == before


# --- the decision --------------------------------------------------------------------------------

def test_decision_step_without_an_outcome_is_refused(at_karo_decision, users):
    before = snapshot()

    with pytest.raises(InvalidInput) as refused:
        complete_task(task_id=at_karo_decision.pk, actor=users["karo"])

    assert refused.value.message == "Langkah 7 adalah keputusan: pilih setuju atau tidak_setuju."
    assert snapshot() == before


def test_decision_step_with_an_unknown_outcome_is_refused(at_karo_decision, users):
    before = snapshot()

    with pytest.raises(InvalidInput) as refused:
        complete_task(task_id=at_karo_decision.pk, actor=users["karo"], outcome="mungkin")

    assert "pilih setuju atau tidak_setuju" in refused.value.message
    assert "'mungkin' tidak dikenal" in refused.value.message
    assert snapshot() == before


def test_tidak_setuju_without_a_note_is_refused(at_karo_decision, users):
    before = snapshot()

    with pytest.raises(InvalidInput) as refused:
        complete_task(task_id=at_karo_decision.pk, actor=users["karo"], outcome="tidak_setuju")

    assert "Tidak setuju" in refused.value.message
    assert "wajib disertai catatan" in refused.value.message
    assert snapshot() == before


def test_tidak_setuju_with_a_blank_note_is_refused(at_karo_decision, users):
    before = snapshot()

    with pytest.raises(InvalidInput, match="wajib disertai catatan"):
        complete_task(task_id=at_karo_decision.pk, actor=users["karo"], outcome="tidak_setuju", note="  \n ")

    assert snapshot() == before


def test_non_decision_step_refuses_an_outcome(walker, users):
    task = walker.open_task
    before = snapshot()

    with pytest.raises(InvalidInput) as refused:
        complete_task(task_id=task.pk, actor=users["karo"], outcome="setuju")

    assert refused.value.message == "Langkah 1 bukan langkah keputusan; jangan isi keputusan."
    assert snapshot() == before


# --- documents -----------------------------------------------------------------------------------

def test_document_is_stored_with_sha256_size_content_type_uploader_and_version(walker, users):
    content = b"%PDF-1.4 draft_pks isi"
    document = Document.objects.get(case=walker.case, kind="draft_pks")

    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert (document.size, document.content_type, document.original_name) == (len(content), "application/pdf", "draft_pks.pdf")
    assert (document.uploaded_by, document.version, document.round, document.task_id) == (users["pengelola"], 1, 1, None)
    assert Path(document.file.path).read_bytes() == content


def test_document_content_type_is_read_from_the_bytes_not_the_name(walker, users):
    task = walker.open_task
    document = attach_document(task_id=task.pk, actor=users["karo"],
                               attachment=Attachment(kind="disposisi", name="disposisi.docx", content=b"%PDF-1.4 pindaian"))

    assert document.content_type == "application/pdf"
    assert document.task_id == task.pk


def test_a_file_that_is_not_pdf_docx_or_an_image_is_refused_and_nothing_is_stored(walker, users):
    task = walker.open_task
    before = snapshot()

    with pytest.raises(InvalidInput, match="bukan jenis yang diterima"):
        attach_document(task_id=task.pk, actor=users["karo"],
                        attachment=Attachment(kind="disposisi", name="disposisi.pdf", content=b"hanya teks biasa"))

    assert snapshot() == before


def test_new_upload_of_a_kind_is_a_new_version_and_v1_is_untouched(walker, users):
    v1 = Document.objects.get(case=walker.case, kind="draft_pks")
    v1_fields = (v1.file.name, v1.sha256, v1.size, v1.uploaded_by_id, v1.uploaded_at)
    v1_bytes = Path(v1.file.path).read_bytes()
    revised = b"%PDF-1.4 draft_pks versi revisi dari Karo"

    v2 = attach_document(task_id=walker.open_task.pk, actor=users["karo"],
                         attachment=Attachment(kind="draft_pks", name="draft_pks.pdf", content=revised, content_type="application/pdf"))

    assert list(Document.objects.filter(case=walker.case, kind="draft_pks").values_list("version", flat=True)) == [1, 2]
    assert (v2.version, v2.uploaded_by, v2.sha256, v2.size) == (2, users["karo"], hashlib.sha256(revised).hexdigest(), len(revised))
    v1.refresh_from_db()
    assert (v1.file.name, v1.sha256, v1.size, v1.uploaded_by_id, v1.uploaded_at) == v1_fields
    assert v2.file.name != v1.file.name
    assert Path(v1.file.path).read_bytes() == v1_bytes
    assert Path(v2.file.path).read_bytes() == revised


def test_uploading_the_same_bytes_again_is_a_new_version_with_its_own_file(walker, users):
    v1 = Document.objects.get(case=walker.case, kind="draft_pks")

    v2 = attach_document(task_id=walker.open_task.pk, actor=users["karo"], attachment=pdf("draft_pks"))

    assert (v2.version, v2.sha256) == (2, v1.sha256)
    assert v2.file.name != v1.file.name
    assert Path(v1.file.path).read_bytes() == Path(v2.file.path).read_bytes() == b"%PDF-1.4 draft_pks isi"


def test_document_of_an_unknown_kind_is_refused(walker, users):
    task = walker.open_task
    before = snapshot()

    with pytest.raises(InvalidInput) as refused:
        complete_task(task_id=task.pk, actor=users["karo"], attachments=[pdf("surat_sakti")])

    assert "Jenis dokumen 'surat_sakti' tidak dikenal" in refused.value.message
    assert snapshot() == before


def test_empty_file_is_refused(walker, users):
    task = walker.open_task
    before = snapshot()

    with pytest.raises(InvalidInput) as refused:
        complete_task(task_id=task.pk, actor=users["karo"],
                      attachments=[Attachment(kind="disposisi", name="disposisi.pdf", content=b"")])

    assert refused.value.message == "Berkas disposisi.pdf kosong."
    assert snapshot() == before
