"""Shared fixtures: the demo organisation, stored files in a temporary folder, and a walker that
takes a case through steps as the people of the SOP would."""
from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test.utils import override_settings
from django.utils import translation

from alur.agreements.validity import add_years
from alur.demo import load_demo
from alur.org.models import OrgUnit
from alur.workflow.models import Case, Task
from alur.workflow.services import Attachment, complete_task, start_case
from alur.worktime.selectors import forget_calendar

PKS = "pks-pihak-ketiga"
TEST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The demo users' passwords need no protection in tests; the real hasher costs seconds.
    settings.PASSWORD_HASHERS = TEST_PASSWORD_HASHERS
    # The working calendar is cached per process; a test's rolled-back days off must not leak.
    forget_calendar()
    # Each test starts in Alur's language, whatever language a page requested before it left
    # active (Django's LocaleMiddleware activates the browser's and does not restore it).
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The demo organisation, loaded once into the test database. Every test runs in a transaction
    rolled back at its end, so each starts from it; a transactional test empties the tables after
    itself, and `demo` loads it again for the next test that asks."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=TEST_PASSWORD_HASHERS):
        load_demo()


@pytest.fixture
def demo(db):
    if not get_user_model().objects.filter(username="pengelola").exists():
        load_demo()


@pytest.fixture
def without_demo(db):
    """For a test of what loading the demo does: the organisation the session loaded, taken away
    inside the test's own transaction (it comes back with the rollback)."""
    from alur.agreements.models import Partner
    from alur.org.models import RoleAssignment

    RoleAssignment.objects.all().delete()
    get_user_model().objects.all().delete()
    Partner.objects.all().delete()
    OrgUnit.objects.all().delete()


@pytest.fixture
def users(demo):
    return {u.username: u for u in get_user_model().objects.all()}


def pdf(kind: str, text: str = "isi") -> Attachment:
    return Attachment(kind=kind, name=f"{kind}.pdf", content=f"%PDF-1.4 {kind} {text}".encode(), content_type="application/pdf")


# The documents each step of the PKS SOP yields while its task is open.
PRODUCTS = {
    "analisa_draft": ["hasil_telaahan"],
    "bahas_tkksd": ["notulen"],
    "keputusan_gubernur": ["disposisi_gubernur"],
    "finalisasi_draft": ["naskah_pks"],
    "penandatanganan": ["dokumen_pks"],
}

# The agreement's period: in force from yesterday for two years, whatever day the suite runs on
# (a fixed end date would turn the agreement "akan berakhir" 90 days before it).
PERIOD_STARTS = datetime.date.today() - datetime.timedelta(days=1)
PERIOD_ENDS = add_years(PERIOD_STARTS, 2) - datetime.timedelta(days=1)

# What each step records besides its decision, as the people would fill it in.
RECORDS = {
    "bahas_tkksd": {"tanggal_rapat": "2026-11-20", "anggota_hadir": "Sekda (ketua), Asisten I, Karo Pemerintahan"},
    "penandatanganan": {"tanggal_tanda_tangan": "2026-11-24", "tempat_tanda_tangan": "Pangkalpinang",
                        "nomor_pihak_ketiga": "045/PKS/PMJ/XI/2026", "tanggal_mulai": PERIOD_STARTS.isoformat(),
                        "tanggal_berakhir": PERIOD_ENDS.isoformat()},
    "registrasi": {"distribusi": "Dinas Pariwisata\nPT Maju Jaya", "tempat_arsip": "Lemari arsip Bagian Kerja Sama, rak 2"},
}
RECORDS_IF_APPROVED = {
    "keputusan_gubernur": {"penandatangan": "gubernur"},
}


def record_for(step_key: str, outcome: str | None) -> dict[str, str]:
    extra = RECORDS_IF_APPROVED.get(step_key, {}) if outcome == "setuju" else {}
    return {**RECORDS.get(step_key, {}), **extra}

# Who acts for each role in the demo organisation (kepala_opd: the proposing OPD's head).
ACTORS = {
    "gubernur": "gubernur", "tkksd": "tkksd", "karo": "karo", "kabag": "kabag", "kasubbag": "kasubbag",
    "analis": "analis", "pengelola": "pengelola",
}


class Walker:
    """Drives one case: completes its open task as the right demo user, recording each step."""

    def __init__(self, users: dict, opd: str = "dispar", title: str = "PKS Promosi Wisata dengan PT Maju Jaya",
                 case: Case | None = None):
        self.users = users
        self.opd = case.org_unit.code if case is not None else opd
        # A case started elsewhere (an agreement's intake, say) is walked from where it stands.
        self.case = case or start_case(sop_key=PKS, title=title, org_unit=OrgUnit.objects.get(code=opd),
                                       actor=users["pengelola"], attachments=[pdf("draft_pks")])
        self.walked: list[tuple[str, str]] = []  # (step key, username) in order

    @property
    def open_task(self) -> Task:
        return Task.objects.get(case=self.case, status=Task.Status.OPEN)

    def actor_for(self, task: Task):
        name = f"kepala_{self.opd}" if task.role_key == "kepala_opd" else ACTORS[task.role_key]
        return self.users[name]

    def step(self, outcome: str | None = None, note: str = "") -> Task:
        task = self.open_task
        actor = self.actor_for(task)
        attachments = [pdf(kind) for kind in PRODUCTS.get(task.step_key, [])]
        if outcome == "tidak_setuju" and not note:
            note = "Perlu perbaikan pasal jangka waktu."
        done = complete_task(task_id=task.pk, actor=actor, outcome=outcome, note=note,
                             record=record_for(task.step_key, outcome), attachments=attachments)
        self.walked.append((task.step_key, actor.username))
        self.case.refresh_from_db()
        return done

    def steps(self, count: int) -> None:
        for _ in range(count):
            self.step()


@pytest.fixture
def walker(users):
    return Walker(users)


def refresh(case: Case) -> Case:
    case.refresh_from_db()
    return case


def backdate(task: Task, started, ended=None) -> Task:
    """Move a task in time as if it had opened at `started` (and been done at `ended`): its
    working-time deadlines and the working time it took follow, as the engine would have set them."""
    from alur.workflow.deadlines import deadlines_for
    from alur.workflow.definitions import definition_of
    from alur.worktime.selectors import working_calendar

    task = Task.objects.select_related("case__sop_version").get(pk=task.pk)
    deadlines = deadlines_for(definition_of(task.case.sop_version).step(task.step_key), started)
    changes = {"created_at": started, "due_at": deadlines.due_at, "remind_at": deadlines.remind_at,
               "escalate_at": deadlines.escalate_at}
    if ended is not None:
        changes |= {"completed_at": ended, "working_minutes": round(working_calendar().between(started, ended))}
    Task.objects.filter(pk=task.pk).update(**changes)
    task.refresh_from_db()
    return task
