"""Every path of the PKS SOP, step by step, with who acts at each step."""
from alur.workflow.audit import verify_chain
from alur.workflow.models import Case, Document, Task
from alur.workflow.services import resubmit_case
from tests.conftest import RECORDS, pdf

# Steps 1-6 are the same on every path: intake through the Kerja Sama section to the Karo.
REVIEW = [
    ("terima_disposisi", "karo"),
    ("tugaskan_kasubbag", "kabag"),
    ("perintahkan_telaah", "kasubbag"),
    ("analisa_draft", "analis"),
    ("koreksi_kasubbag", "kasubbag"),
    ("koreksi_kabag", "kabag"),
]
SIGNING = [
    ("finalisasi_draft", "karo"),
    ("koordinasi_penandatanganan", "kabag"),
    ("penandatanganan", "kepala_dispar"),
    ("registrasi", "pengelola"),
]


def test_straight_path_runs_the_thirteen_steps_to_registration(walker):
    walker.steps(6)
    walker.step("setuju")  # Karo
    walker.step("setuju")  # TKKSD
    walker.step("setuju")  # Gubernur
    walker.steps(4)

    assert walker.walked == REVIEW + [("periksa_karo", "karo"), ("bahas_tkksd", "tkksd"),
                                      ("keputusan_gubernur", "gubernur")] + SIGNING
    assert walker.case.status == Case.Status.COMPLETED
    assert walker.case.end_key == "teregistrasi"
    assert not Task.objects.filter(case=walker.case, status=Task.Status.OPEN).exists()
    # The forum's date and members, the Governor's signer, the signing and the registration are
    # kept with their tasks, and the Governor's disposisi is a document of the case beside the
    # draft and the steps' products.
    recorded = dict(Task.objects.filter(case=walker.case).exclude(data={}).values_list("step_key", "data"))
    assert recorded == {"bahas_tkksd": RECORDS["bahas_tkksd"], "keputusan_gubernur": {"penandatangan": "gubernur"},
                        "penandatanganan": RECORDS["penandatanganan"], "registrasi": RECORDS["registrasi"]}
    assert set(Document.objects.filter(case=walker.case).values_list("kind", flat=True)) == {
        "draft_pks", "hasil_telaahan", "notulen", "disposisi_gubernur", "naskah_pks", "dokumen_pks"}


def test_karo_return_goes_to_the_opd_through_pengelola(walker):
    walker.steps(6)
    walker.step("tidak_setuju", note="Draf belum memuat hak dan kewajiban para pihak.")
    walker.step()

    assert walker.walked == REVIEW + [("periksa_karo", "karo"), ("kembalikan_ke_opd", "pengelola")]
    assert walker.case.status == Case.Status.RETURNED
    assert walker.case.end_key == "dikembalikan"
    karo_task = Task.objects.get(case=walker.case, step_key="periksa_karo")
    assert (karo_task.outcome, karo_task.note) == ("tidak_setuju", "Draf belum memuat hak dan kewajiban para pihak.")


def test_tkksd_return_passes_through_karo_then_pengelola(walker):
    walker.steps(6)
    walker.step("setuju")
    walker.step("tidak_setuju", note="Forum meminta kajian manfaat ekonomi.")
    walker.steps(2)

    assert walker.walked == REVIEW + [
        ("periksa_karo", "karo"), ("bahas_tkksd", "tkksd"),
        ("teruskan_pengembalian", "karo"), ("kembalikan_ke_opd", "pengelola"),
    ]
    assert walker.case.status == Case.Status.RETURNED


def test_governor_sends_back_to_tkksd_which_then_approves(walker):
    walker.steps(6)
    walker.step("setuju")  # Karo
    walker.step("setuju")  # TKKSD
    walker.step("tidak_setuju", note="Perjelas pembagian keuntungan.")  # Gubernur
    walker.step("setuju")  # TKKSD again, in a second forum
    walker.step("setuju")  # Gubernur
    walker.steps(4)

    assert walker.walked == REVIEW + [
        ("periksa_karo", "karo"), ("bahas_tkksd", "tkksd"), ("keputusan_gubernur", "gubernur"),
        ("bahas_tkksd", "tkksd"), ("keputusan_gubernur", "gubernur"),
    ] + SIGNING
    assert walker.case.status == Case.Status.COMPLETED
    # Each forum keeps its own minutes.
    assert Document.objects.filter(case=walker.case, kind="notulen").count() == 2


def test_returned_draft_resubmitted_by_the_opd_is_a_new_round_of_the_same_case(walker, users):
    walker.steps(6)
    walker.step("tidak_setuju", note="Lengkapi lampiran teknis.")
    walker.step()
    first_round_tasks = list(Task.objects.filter(case=walker.case).values_list("pk", "step_key", "round"))

    resubmit_case(case_id=walker.case.pk, actor=users["kepala_dispar"], attachments=[pdf("draft_pks", "perbaikan")],
                  note="Lampiran teknis sudah dilengkapi.")
    walker.case.refresh_from_db()
    assert (walker.case.status, walker.case.round, walker.case.end_key) == (Case.Status.RUNNING, 2, "")

    walker.walked.clear()
    walker.steps(6)
    walker.step("setuju")
    walker.step("setuju")
    walker.step("setuju")
    walker.steps(4)

    assert walker.walked == REVIEW + [("periksa_karo", "karo"), ("bahas_tkksd", "tkksd"),
                                      ("keputusan_gubernur", "gubernur")] + SIGNING
    assert walker.case.status == Case.Status.COMPLETED
    # The first round's history is kept as it was, and the corrected draft is a new version.
    assert list(Task.objects.filter(case=walker.case, round=1).values_list("pk", "step_key", "round")) == first_round_tasks
    assert Task.objects.filter(case=walker.case, round=2).count() == 13
    assert list(Document.objects.filter(case=walker.case, kind="draft_pks").values_list("version", "round")) == [(1, 1), (2, 2)]
    assert verify_chain().ok
