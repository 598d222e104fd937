"""People and roles: who may act on a task (assignments with a unit, validity dates and acting
holders), the Kepala OPD of the case's own OPD, claims, inactive users; who may register a new
draft (start_case) and who may resubmit a returned one (resubmit_case)."""
from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from alur.org.models import OrgUnit, Role, RoleAssignment
from alur.workflow.errors import InvalidInput, MissingDocuments, NotAllowed
from alur.workflow.models import AuditEvent, Case, Document, Task
from alur.workflow.selectors import open_tasks_for
from alur.workflow.services import claim_task, complete_task, release_task, resubmit_case, start_case
from tests.conftest import PKS, RECORDS, pdf
from tests.workflow.test_completion_rules import snapshot, stored_files

ONE_DAY = datetime.timedelta(days=1)


def person(username: str, first_name: str, last_name: str, role: str, unit: str, **assignment):
    user = get_user_model().objects.create_user(username=username, first_name=first_name, last_name=last_name)
    RoleAssignment.objects.create(user=user, role=Role.objects.get(key=role), org_unit=OrgUnit.objects.get(code=unit), **assignment)
    return user


def inbox(user) -> list[int]:
    return list(open_tasks_for(user).values_list("pk", flat=True))


@pytest.fixture
def analysis(walker) -> Task:
    """An open, unclaimed task of the analyst (step 4)."""
    walker.steps(3)
    task = walker.open_task
    assert (task.step_key, task.assignee_id) == ("analisa_draft", None)
    return task


@pytest.fixture
def analis2(users):
    return person("analis2", "Rina", "Analis", "analis", "biro-pemerintahan")


@pytest.fixture
def signing(walker) -> Task:
    """The signing task (step 12, role kepala_opd) of a case proposed by Dinas Pariwisata."""
    walker.steps(6)
    walker.step("setuju")
    walker.step("setuju")
    walker.step("setuju")
    walker.steps(2)
    task = walker.open_task
    assert (task.step_key, task.role_key) == ("penandatanganan", "kepala_opd")
    return task


@pytest.fixture
def returned(walker) -> Case:
    walker.steps(6)
    walker.step("tidak_setuju", note="Lengkapi lampiran teknis.")
    walker.step()
    assert walker.case.status == Case.Status.RETURNED
    return walker.case


# --- assignments: acting holders and validity dates ----------------------------------------------

@pytest.mark.parametrize("acting", [RoleAssignment.Acting.PLT, RoleAssignment.Acting.PLH])
def test_acting_holder_can_complete_the_roles_task(walker, acting):
    plt = person("plt_karo", "Budi", "Santoso", "karo", "biro-pemerintahan", acting=acting)
    task = walker.open_task

    complete_task(task_id=task.pk, actor=plt)

    task.refresh_from_db()
    assert (task.status, task.completed_by) == (Task.Status.DONE, plt)


def test_acting_holder_sees_the_roles_tasks_in_the_inbox(walker):
    plh = person("plh_karo", "Budi", "Santoso", "karo", "biro-pemerintahan", acting=RoleAssignment.Acting.PLH)

    assert inbox(plh) == [walker.open_task.pk]


def test_assignment_not_yet_valid_cannot_act(walker):
    today = timezone.localdate()
    future = person("karo_baru", "Calon", "Karo", "karo", "biro-pemerintahan", valid_from=today + ONE_DAY)
    task = walker.open_task
    before = snapshot()

    with pytest.raises(NotAllowed) as refused:
        complete_task(task_id=task.pk, actor=future)

    assert "Calon Karo tidak memegang peran itu" in refused.value.message
    assert snapshot() == before


def test_assignment_not_yet_valid_shows_no_task_in_the_inbox(walker):
    future = person("karo_baru", "Calon", "Karo", "karo", "biro-pemerintahan", valid_from=timezone.localdate() + ONE_DAY)

    assert inbox(future) == []


def test_expired_assignment_cannot_act(walker):
    today = timezone.localdate()
    former = person("karo_lama", "Mantan", "Karo", "karo", "biro-pemerintahan",
                    valid_from=today - 400 * ONE_DAY, valid_until=today - ONE_DAY)
    task = walker.open_task
    before = snapshot()

    with pytest.raises(NotAllowed) as refused:
        complete_task(task_id=task.pk, actor=former)

    assert "Mantan Karo tidak memegang peran itu" in refused.value.message
    assert snapshot() == before


def test_expired_assignment_shows_no_task_in_the_inbox(walker):
    today = timezone.localdate()
    former = person("karo_lama", "Mantan", "Karo", "karo", "biro-pemerintahan",
                    valid_from=today - 400 * ONE_DAY, valid_until=today - ONE_DAY)

    assert inbox(former) == []


def test_assignment_ending_today_can_still_act(walker):
    today = timezone.localdate()
    last_day = person("karo_akhir", "Hari", "Terakhir", "karo", "biro-pemerintahan",
                      valid_from=today - 30 * ONE_DAY, valid_until=today)
    task = walker.open_task

    complete_task(task_id=task.pk, actor=last_day)

    task.refresh_from_db()
    assert task.completed_by == last_day


# --- Kepala OPD: the head of the case's own OPD --------------------------------------------------

def test_signing_task_is_bound_to_the_cases_own_opd(signing):
    assert signing.org_unit.code == "dispar"


def test_head_of_the_cases_opd_completes_the_signing_task(signing, users):
    complete_task(task_id=signing.pk, actor=users["kepala_dispar"], attachments=[pdf("dokumen_pks")],
                  record=RECORDS["penandatanganan"])

    signing.refresh_from_db()
    assert (signing.status, signing.completed_by) == (Task.Status.DONE, users["kepala_dispar"])


def test_head_of_another_opd_cannot_complete_the_signing_task(signing, users):
    before = snapshot()

    with pytest.raises(NotAllowed) as refused:
        complete_task(task_id=signing.pk, actor=users["kepala_dkp"], attachments=[pdf("dokumen_pks")])

    assert "peran Kepala OPD pada Dinas Pariwisata" in refused.value.message
    assert "Kepala Dinas Kelautan dan Perikanan tidak memegang peran itu" in refused.value.message
    assert snapshot() == before


def test_signing_task_is_in_the_inbox_of_the_cases_opd_head_only(signing, users):
    assert signing.pk in inbox(users["kepala_dispar"])
    assert signing.pk not in inbox(users["kepala_dkp"])
    assert inbox(users["kepala_dkp"]) == []


def test_acting_head_of_the_cases_opd_completes_the_signing_task(signing):
    plt = person("plt_kadispar", "Plt", "Kepala Dinas Pariwisata", "kepala_opd", "dispar", acting=RoleAssignment.Acting.PLT)

    assert signing.pk in inbox(plt)
    complete_task(task_id=signing.pk, actor=plt, attachments=[pdf("dokumen_pks")], record=RECORDS["penandatanganan"])
    signing.refresh_from_db()
    assert signing.completed_by == plt


def test_signing_task_of_a_dkp_case_goes_to_kepala_dkp(users):
    from tests.conftest import Walker

    walker = Walker(users, opd="dkp", title="PKS Budidaya Rumput Laut")
    walker.steps(6)
    walker.step("setuju")
    walker.step("setuju")
    walker.step("setuju")
    walker.steps(2)
    signing = walker.open_task

    assert inbox(users["kepala_dkp"]) == [signing.pk]
    assert inbox(users["kepala_dispar"]) == []
    with pytest.raises(NotAllowed, match="Kepala OPD pada Dinas Kelautan dan Perikanan"):
        complete_task(task_id=signing.pk, actor=users["kepala_dispar"], attachments=[pdf("dokumen_pks")])
    walker.step()
    assert walker.walked[-1] == ("penandatanganan", "kepala_dkp")


# --- claims --------------------------------------------------------------------------------------

def test_any_holder_of_the_role_may_claim_the_task(analysis, analis2):
    claim_task(task_id=analysis.pk, actor=analis2)

    analysis.refresh_from_db()
    assert analysis.assignee == analis2
    assert analysis.claimed_at is not None
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.actor, event.task_id_ref) == ("task.claimed", analis2, analysis.pk)


def test_someone_without_the_role_cannot_claim(analysis, users):
    before = snapshot()

    with pytest.raises(NotAllowed, match="Kabag Kerja Sama tidak memegang peran itu"):
        claim_task(task_id=analysis.pk, actor=users["kabag"])

    assert snapshot() == before


def test_claimed_task_cannot_be_completed_by_another_holder(analysis, users, analis2):
    claim_task(task_id=analysis.pk, actor=users["analis"])
    before = snapshot()

    with pytest.raises(NotAllowed) as refused:
        complete_task(task_id=analysis.pk, actor=analis2, attachments=[pdf("hasil_telaahan")])

    assert refused.value.message == f"Tugas #{analysis.pk} sedang dipegang oleh Analis Kerja Sama Lintas Sektor."
    assert snapshot() == before


def test_claimed_task_cannot_be_claimed_by_another_holder(analysis, users, analis2):
    claim_task(task_id=analysis.pk, actor=users["analis"])
    before = snapshot()

    with pytest.raises(NotAllowed, match="sedang dipegang oleh Analis Kerja Sama Lintas Sektor"):
        claim_task(task_id=analysis.pk, actor=analis2)

    assert snapshot() == before
    analysis.refresh_from_db()
    assert analysis.assignee == users["analis"]


def test_claimed_task_is_in_the_claimers_inbox_only(analysis, users, analis2):
    assert inbox(users["analis"]) == inbox(analis2) == [analysis.pk]

    claim_task(task_id=analysis.pk, actor=users["analis"])

    assert inbox(users["analis"]) == [analysis.pk]
    assert inbox(analis2) == []


def test_claimer_completes_the_claimed_task(analysis, users):
    claim_task(task_id=analysis.pk, actor=users["analis"])

    complete_task(task_id=analysis.pk, actor=users["analis"], attachments=[pdf("hasil_telaahan")])

    analysis.refresh_from_db()
    assert (analysis.status, analysis.completed_by, analysis.assignee) == (Task.Status.DONE, users["analis"], users["analis"])


def test_only_the_claimer_may_release(analysis, users, analis2):
    claim_task(task_id=analysis.pk, actor=users["analis"])
    before = snapshot()

    with pytest.raises(NotAllowed, match="Hanya pemegang tugas yang dapat melepaskannya"):
        release_task(task_id=analysis.pk, actor=analis2)

    assert snapshot() == before


def test_released_task_can_be_claimed_and_completed_by_another_holder(analysis, users, analis2):
    claim_task(task_id=analysis.pk, actor=users["analis"])

    release_task(task_id=analysis.pk, actor=users["analis"])

    analysis.refresh_from_db()
    assert (analysis.assignee, analysis.claimed_at) == (None, None)
    assert inbox(analis2) == [analysis.pk]
    claim_task(task_id=analysis.pk, actor=analis2)
    complete_task(task_id=analysis.pk, actor=analis2, attachments=[pdf("hasil_telaahan")])
    analysis.refresh_from_db()
    assert (analysis.status, analysis.completed_by) == (Task.Status.DONE, analis2)


def test_claim_of_someone_who_no_longer_holds_the_role_lapses(analysis, users, analis2):
    claim_task(task_id=analysis.pk, actor=users["analis"])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    RoleAssignment.objects.filter(user=users["analis"], role_id="analis").update(valid_from=yesterday, valid_until=yesterday)

    claim_task(task_id=analysis.pk, actor=analis2)
    complete_task(task_id=analysis.pk, actor=analis2, attachments=[pdf("hasil_telaahan")])

    analysis.refresh_from_db()
    assert (analysis.status, analysis.completed_by) == (Task.Status.DONE, analis2)


# --- inactive users ------------------------------------------------------------------------------

@pytest.fixture
def inactive_karo(users):
    karo = users["karo"]
    karo.is_active = False
    karo.save(update_fields=["is_active"])
    return karo


def test_inactive_user_cannot_complete_a_task_of_a_role_they_hold(walker, inactive_karo):
    task = walker.open_task
    before = snapshot()

    with pytest.raises(NotAllowed, match="tidak aktif"):
        complete_task(task_id=task.pk, actor=inactive_karo)

    assert snapshot() == before


def test_inactive_user_cannot_claim_a_task_of_a_role_they_hold(walker, inactive_karo):
    task = walker.open_task
    before = snapshot()

    with pytest.raises(NotAllowed):
        claim_task(task_id=task.pk, actor=inactive_karo)

    assert snapshot() == before


def test_inactive_user_has_an_empty_inbox(walker, inactive_karo):
    assert inbox(inactive_karo) == []


def test_inactive_user_cannot_start_a_case(users):
    pengelola = users["pengelola"]
    pengelola.is_active = False
    pengelola.save(update_fields=["is_active"])
    before = snapshot()

    with pytest.raises(NotAllowed, match="tidak aktif"):
        start_case(sop_key=PKS, title="PKS Promosi", org_unit=OrgUnit.objects.get(code="dispar"),
                   actor=pengelola, attachments=[pdf("draft_pks")])

    assert snapshot() == before


# --- intake: registering the incoming disposition (start_case) -----------------------------------

def _start(actor, *, title="PKS Promosi Wisata", unit="dispar", attachments=None) -> Case:
    return start_case(sop_key=PKS, title=title, org_unit=OrgUnit.objects.get(code=unit), actor=actor,
                      attachments=[pdf("draft_pks")] if attachments is None else attachments)


@pytest.mark.parametrize("username", ["pengelola", "karo"])
def test_intake_role_or_step_one_role_may_start_a_case(users, username):
    events_before = AuditEvent.objects.count()

    case = _start(users[username])

    assert (case.status, case.round, case.started_by, case.org_unit.code) == (Case.Status.RUNNING, 1, users[username], "dispar")
    tasks = list(Task.objects.filter(case=case).values_list("step_key", "role_key", "status"))
    assert tasks == [("terima_disposisi", "karo", Task.Status.OPEN)]
    draft = Document.objects.get(case=case)
    assert (draft.kind, draft.version, draft.uploaded_by) == ("draft_pks", 1, users[username])
    # One event for the document, one for the case.
    assert list(AuditEvent.objects.filter(seq__gt=events_before).values_list("action", flat=True)) == [
        "document.attached", "case.started"]


@pytest.mark.parametrize("username", ["analis", "kepala_dispar", "kabag"])
def test_other_roles_may_not_start_a_case(users, username):
    before = snapshot()

    with pytest.raises(NotAllowed) as refused:
        _start(users[username])

    assert "tidak berwenang mendaftarkan perkara" in refused.value.message
    assert "yang berwenang: Pengelola Informasi Kerja Sama, Karo Pemerintahan." in refused.value.message
    assert snapshot() == before


def test_intake_without_draft_pks_is_refused_and_creates_nothing(users):
    before = snapshot()

    with pytest.raises(MissingDocuments) as refused:
        _start(users["pengelola"], attachments=[pdf("disposisi")])

    assert refused.value.missing == ["draft_pks"]
    assert "Draft PKS belum dilampirkan" in refused.value.message
    assert snapshot() == before


def test_refused_intake_leaves_no_file_in_storage(users):
    files_before = stored_files()

    with pytest.raises(MissingDocuments, match="Draft PKS"):
        _start(users["pengelola"], attachments=[pdf("disposisi")])

    # Nothing was registered, so the refused upload must not stay on disk either.
    assert stored_files() == files_before


def test_intake_for_a_unit_that_is_not_an_opd_is_refused(users):
    before = snapshot()

    with pytest.raises(InvalidInput, match="Perangkat Daerah pengusul harus sebuah OPD"):
        _start(users["pengelola"], unit="biro-pemerintahan")

    assert snapshot() == before


@pytest.mark.parametrize("title", ["", "   \n\t "])
def test_intake_with_an_empty_title_is_refused(users, title):
    before = snapshot()

    with pytest.raises(InvalidInput, match="Judul tidak boleh kosong"):
        _start(users["pengelola"], title=title)

    assert snapshot() == before


# --- resubmission of a returned draft (resubmit_case) --------------------------------------------

@pytest.mark.parametrize("username", ["kepala_dispar", "pengelola", "karo"])
def test_returned_case_may_be_resubmitted_by_the_opd_head_or_an_intake_role(returned, users, username):
    resubmit_case(case_id=returned.pk, actor=users[username], attachments=[pdf("draft_pks", "perbaikan")])

    returned.refresh_from_db()
    assert (returned.status, returned.round, returned.end_key, returned.ended_at) == (Case.Status.RUNNING, 2, "", None)
    opened = Task.objects.get(case=returned, status=Task.Status.OPEN)
    assert (opened.step_key, opened.round) == ("terima_disposisi", 2)
    assert list(Document.objects.filter(case=returned, kind="draft_pks").values_list("version", "round", "uploaded_by")) == [
        (1, 1, users["pengelola"].pk), (2, 2, users[username].pk)]
    assert AuditEvent.objects.order_by("-seq").first().action == "case.resubmitted"


@pytest.mark.parametrize("username", ["kepala_dkp", "analis"])
def test_others_may_not_resubmit(returned, users, username):
    before = snapshot()

    with pytest.raises(NotAllowed, match=f"tidak berwenang mengajukan ulang perkara #{returned.pk}"):
        resubmit_case(case_id=returned.pk, actor=users[username], attachments=[pdf("draft_pks", "perbaikan")])

    assert snapshot() == before


def test_resubmission_without_a_new_draft_pks_is_refused(returned, users):
    before = snapshot()

    with pytest.raises(MissingDocuments) as refused:
        resubmit_case(case_id=returned.pk, actor=users["kepala_dispar"], attachments=[pdf("disposisi")])

    assert refused.value.missing == ["draft_pks"]
    assert refused.value.message == "Pengajuan ulang harus disertai versi baru: Draft PKS."
    assert snapshot() == before


def test_running_case_cannot_be_resubmitted(walker, users):
    before = snapshot()

    with pytest.raises(InvalidInput, match=f"Perkara #{walker.case.pk} tidak sedang dikembalikan"):
        resubmit_case(case_id=walker.case.pk, actor=users["kepala_dispar"], attachments=[pdf("draft_pks", "perbaikan")])

    assert snapshot() == before


def test_completed_case_cannot_be_resubmitted(walker, users):
    walker.steps(6)
    walker.step("setuju")
    walker.step("setuju")
    walker.step("setuju")
    walker.steps(4)
    assert walker.case.status == Case.Status.COMPLETED
    before = snapshot()

    with pytest.raises(InvalidInput, match=f"Perkara #{walker.case.pk} tidak sedang dikembalikan"):
        resubmit_case(case_id=walker.case.pk, actor=users["kepala_dispar"], attachments=[pdf("draft_pks", "perbaikan")])

    assert snapshot() == before
