"""Two people acting on the same task at the same moment, with real threads and real connections.

Each racer runs in its own thread with its own database connection (Django's connection is per
thread). A barrier releases the racers together. Inside their transactions they meet a second
time, just before each one's first statement that writes or locks a row. By then each has done
all its reading and checking, so both have seen the task open and neither has changed anything
yet. That is the worst moment for the engine, and it is what a double click, or two colleagues
at two desks, produces.

If the engine locks the task before reading it (SELECT ... FOR UPDATE), that lock is the first
locking statement: the racers meet just before it, one gets the lock, the other waits for it.
The scripted interleavings below wait for steps that an engine with earlier locks may rule out;
such a wait gives up after MEET_TIMEOUT seconds and the racers carry on, so the tests hold for
any engine that keeps its promise, however it serialises.

PostgreSQL only. Django's SQLite test database is a shared-cache in-memory database, and there a
second writer fails at BEGIN with "database table is locked" instead of waiting. A real race
needs row locks and a second connection that waits for them.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from alur.org.models import OrgUnit, Role, RoleAssignment
from alur.workflow.audit import verify_chain
from alur.workflow.errors import InvalidInput, NotAllowed, TaskNotOpen
from alur.workflow.models import AuditEvent, AuditHead, Case, Document, Task
from alur.workflow.services import attach_document, claim_task, complete_task, release_task, resubmit_case
from tests.conftest import Walker, pdf

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks under real concurrency; runs in the PostgreSQL pass of make test",
    ),
]

MEET_TIMEOUT = 3  # seconds a racer waits for the other at a meeting point before carrying on


def _writes_or_locks(sql: str) -> bool:
    words = sql.split(None, 1)
    return bool(words) and (words[0].upper() in {"INSERT", "UPDATE", "DELETE"} or "FOR UPDATE" in sql.upper())


def _wait(sync: threading.Barrier | threading.Event) -> None:
    try:
        sync.wait(timeout=MEET_TIMEOUT)
    except threading.BrokenBarrierError:
        pass


def _locks_table(sql: str, table: str) -> bool:
    """Whether the statement writes or locks rows of the table (ORM or hand-written SQL alike)."""
    return _writes_or_locks(sql) and f" {table} " in f" {sql.replace(chr(34), ' ')} "


class Script:
    """Execute wrapper for a scripted interleaving: meet the other racers at `meeting` before the
    first writing or locking statement (so all have done their reads before anyone changes a
    row); wait for `before` ahead of the first statement that writes
    or locks `wait_at`; set `after` once the first one that writes or locks `mark_at` has run.
    A wait gives up after MEET_TIMEOUT, so an engine that serialises earlier still passes."""

    def __init__(self, *, meeting: threading.Barrier | None = None, wait_at: str = "",
                 before: threading.Event | None = None, mark_at: str = "", after: threading.Event | None = None):
        self.meeting, self.wait_at, self.before, self.mark_at, self.after = meeting, wait_at, before, mark_at, after

    def __call__(self, execute, sql, params, many, context):
        if self.meeting is not None and _writes_or_locks(sql):
            _wait(self.meeting)
            self.meeting = None
        if self.before is not None and _locks_table(sql, self.wait_at):
            _wait(self.before)
            self.before = None
        result = execute(sql, params, many, context)
        if self.after is not None and _locks_table(sql, self.mark_at):
            self.after.set()
            self.after = None
        return result


@dataclass
class Result:
    value: object = None
    error: BaseException | None = None


def run_freely(execute, sql, params, many, context):
    return execute(sql, params, many, context)


def race(*actions: Callable[[], object], wrappers: list | None = None, meet: bool = True) -> list[Result]:
    """Run each action in its own thread and connection, released together. The racers also meet
    before their first write, unless told not to or given wrappers of their own. Returns what each got."""
    start = threading.Barrier(len(actions))
    if wrappers is None:
        meeting = threading.Barrier(len(actions))
        wrappers = [Script(meeting=meeting) if meet else run_freely for _ in actions]
    results = [Result() for _ in actions]

    def run(index: int) -> None:
        try:
            start.wait(timeout=10)
            with connection.execute_wrapper(wrappers[index]):
                results[index].value = actions[index]()
        except BaseException as exc:  # handed to the test, which says what it expected
            results[index].error = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a racer still runs after 60 s"
    return results


def one_wins(results: list[Result], refusal: type[Exception]) -> tuple[Result, Result]:
    """The racer that succeeded and the one refused with `refusal`. Any other error is raised as
    it is, so a failure shows the real exception and not just a mismatch."""
    for result in results:
        if result.error is not None and not isinstance(result.error, refusal):
            raise result.error
    winners = [r for r in results if r.error is None]
    losers = [r for r in results if r.error is not None]
    assert (len(winners), len(losers)) == (1, 1), f"expected one success and one refusal, got {results}"
    return winners[0], losers[0]


def second_holder(username: str, full_name: str, role_key: str, unit_code: str):
    """A second person holding the role (e.g. an acting holder), so two may act on one task."""
    first, _, last = full_name.partition(" ")
    user = get_user_model().objects.create(username=username, first_name=first, last_name=last)
    RoleAssignment.objects.create(user=user, role=Role.objects.get(key=role_key),
                                  org_unit=OrgUnit.objects.get(code=unit_code), acting=RoleAssignment.Acting.PLH)
    return user


def assert_one_next_task(case: Case, step_key: str) -> None:
    assert list(Task.objects.filter(case=case, status=Task.Status.OPEN).values_list("step_key", flat=True)) == [step_key]


@pytest.fixture
def two_kabags(users):
    return users["kabag"], second_holder("plh_kabag", "Plh Kabag Kerja Sama", "kabag", "biro-pemerintahan")


@pytest.fixture
def two_analysts(users):
    return users["analis"], second_holder("plh_analis", "Plh Analis Kerja Sama", "analis", "biro-pemerintahan")


@pytest.mark.django_db(transaction=True)
def test_two_people_completing_the_same_task_at_once_only_one_succeeds(users, two_kabags):
    walker = Walker(users)
    walker.steps(1)  # Karo passes the disposition on; step 2 is the Kabag's
    task = walker.open_task
    kabag, plh = two_kabags

    results = race(lambda: complete_task(task_id=task.pk, actor=kabag),
                   lambda: complete_task(task_id=task.pk, actor=plh))

    winner, loser = one_wins(results, TaskNotOpen)
    task.refresh_from_db()
    assert task.status == Task.Status.DONE
    assert task.completed_by_id == winner.value.completed_by_id
    # The loser is told the work is done and by whom, not just that something failed.
    assert f"Tugas #{task.pk} sudah diselesaikan oleh {task.completed_by.get_full_name()}" in loser.error.message
    assert_one_next_task(walker.case, "perintahkan_telaah")
    assert AuditEvent.objects.filter(action="task.completed", task_id_ref=task.pk).count() == 1
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_two_people_claiming_the_same_task_at_once_only_one_gets_it(users, two_kabags):
    walker = Walker(users)
    walker.steps(1)
    task = walker.open_task
    kabag, plh = two_kabags

    results = race(lambda: claim_task(task_id=task.pk, actor=kabag),
                   lambda: claim_task(task_id=task.pk, actor=plh))

    winner, loser = one_wins(results, NotAllowed)
    task.refresh_from_db()
    assert (task.status, task.assignee_id) == (Task.Status.OPEN, winner.value.assignee.pk)
    assert f"sedang dipegang oleh {task.assignee.get_full_name()}" in loser.error.message
    assert AuditEvent.objects.filter(action="task.claimed", task_id_ref=task.pk).count() == 1
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_two_people_completing_a_step_that_yields_a_document_at_once_only_one_succeeds(users, two_analysts):
    # Both bring the step's product. The uploads come before the task's own update, so unless the
    # engine locks the task first, both number their upload version 1 and the loser fails on the
    # unique version instead of being told the task is done.
    walker = Walker(users)
    walker.steps(3)  # up to step 4, the analysis, which yields the hasil telaahan
    task = walker.open_task
    analis, plh = two_analysts

    results = race(
        lambda: complete_task(task_id=task.pk, actor=analis, attachments=[pdf("hasil_telaahan", "analis")]),
        lambda: complete_task(task_id=task.pk, actor=plh, attachments=[pdf("hasil_telaahan", "plh")]),
    )

    _, loser = one_wins(results, TaskNotOpen)
    task.refresh_from_db()
    assert task.completed_by.get_full_name() in loser.error.message
    # Only the winner's analysis is kept: the loser's upload went with its refused transaction.
    assert list(Document.objects.filter(case=walker.case, kind="hasil_telaahan").values_list("uploaded_by", flat=True)) == [
        task.completed_by_id]
    assert_one_next_task(walker.case, "koreksi_kasubbag")
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_two_secretaries_recording_the_same_forum_at_once_keep_only_the_winners_record(users):
    # Each brings the forum's notulen and a different meeting date; the task, its event and its
    # minutes must all be the winner's, never a mix of the two.
    walker = Walker(users)
    walker.steps(6)
    walker.step("setuju")  # Karo: on to the TKKSD forum
    task = walker.open_task
    assert task.step_key == "bahas_tkksd"
    secretary, plh = users["tkksd"], second_holder("plh_tkksd", "Plh Sekretariat TKKSD", "tkksd", "tkksd")
    records = {secretary.pk: {"tanggal_rapat": "2026-11-20", "anggota_hadir": "Sekda (ketua), Asisten I"},
               plh.pk: {"tanggal_rapat": "2026-11-21", "anggota_hadir": "Asisten II (ketua)"}}

    results = race(*[
        lambda who=who: complete_task(task_id=task.pk, actor=who, outcome="setuju", record=records[who.pk],
                                      attachments=[pdf("notulen", who.username)])
        for who in (secretary, plh)
    ])

    winner, _ = one_wins(results, TaskNotOpen)
    task.refresh_from_db()
    assert task.data == records[task.completed_by_id] == winner.value.data
    (event,) = AuditEvent.objects.filter(action="task.completed", task_id_ref=task.pk)
    assert event.data["record"] == task.data
    assert list(Document.objects.filter(case=walker.case, kind="notulen").values_list("uploaded_by", flat=True)) == [
        task.completed_by_id]
    assert_one_next_task(walker.case, "keputusan_gubernur")
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_a_completion_with_an_upload_racing_one_without_still_refuses_cleanly(users, two_analysts):
    walker = Walker(users)
    walker.steps(3)
    task = walker.open_task
    analis, plh = two_analysts
    # The Plh uploaded the analysis earlier and now only presses "selesai"; the analyst completes
    # with an upload of their own. The script forces the interleaving that matters: the uploader
    # has appended to the audit chain (and holds its head) when the other closes the task row.
    # Unless the uploader locked the task first, each now waits for the other's lock: a deadlock,
    # which PostgreSQL breaks by failing one of them with a database error.
    attach_document(task_id=task.pk, actor=plh, attachment=pdf("hasil_telaahan", "plh"))
    uploader_holds_head, other_closed_task = threading.Event(), threading.Event()
    tasks, head = Task._meta.db_table, AuditHead._meta.db_table

    results = race(
        lambda: complete_task(task_id=task.pk, actor=analis, attachments=[pdf("hasil_telaahan", "analis")]),
        lambda: complete_task(task_id=task.pk, actor=plh),
        wrappers=[
            Script(mark_at=head, after=uploader_holds_head, wait_at=tasks, before=other_closed_task),
            Script(wait_at=tasks, before=uploader_holds_head, mark_at=tasks, after=other_closed_task),
        ],
    )

    _, loser = one_wins(results, TaskNotOpen)
    task.refresh_from_db()
    assert task.completed_by.get_full_name() in loser.error.message
    assert_one_next_task(walker.case, "koreksi_kasubbag")
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_two_people_resubmitting_the_same_returned_draft_at_once_start_one_new_round(users):
    walker = Walker(users)
    walker.steps(6)
    walker.step("tidak_setuju", note="Lengkapi lampiran teknis.")  # Karo returns it
    walker.step()  # Pengelola sends it back to the OPD
    case = walker.case

    results = race(
        lambda: resubmit_case(case_id=case.pk, actor=users["kepala_dispar"], attachments=[pdf("draft_pks", "kepala")]),
        lambda: resubmit_case(case_id=case.pk, actor=users["pengelola"], attachments=[pdf("draft_pks", "pengelola")]),
    )

    _, loser = one_wins(results, InvalidInput)
    case.refresh_from_db()
    assert (case.status, case.round) == (Case.Status.RUNNING, 2)
    assert "tidak sedang dikembalikan" in loser.error.message
    assert_one_next_task(case, "terima_disposisi")
    assert Document.objects.filter(case=case, kind="draft_pks").count() == 2  # the first draft and one new version
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_completions_of_different_cases_in_parallel_keep_one_unbroken_audit_chain(users):
    threads, cases_each = 4, 3
    before = AuditEvent.objects.count()

    def walk_cases(worker: int) -> list[int]:
        done = []
        for n in range(cases_each):
            walker = Walker(users, opd=("dispar", "dkp")[worker % 2], title=f"PKS uji paralel {worker}-{n}")
            walker.steps(6)
            walker.step("setuju")  # Karo
            walker.step("setuju")  # TKKSD
            walker.step("setuju")  # Gubernur
            walker.steps(4)
            done.append(walker.case.pk)
        return done

    # No meeting point: the workers run freely, and only the audit chain's head makes them queue.
    results = race(*[lambda w=w: walk_cases(w) for w in range(threads)], meet=False)

    errors = [r.error for r in results if r.error is not None]
    if errors:
        raise errors[0]
    case_ids = [pk for r in results for pk in r.value]
    assert len(case_ids) == threads * cases_each
    assert set(Case.objects.filter(pk__in=case_ids).values_list("status", "end_key")) == {(Case.Status.COMPLETED, "teregistrasi")}
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    # Every event has its own place: no duplicate and no gap, from the first to the last.
    assert seqs == list(range(1, len(seqs) + 1))
    # Per case: intake and its draft, 13 completions, and the 5 documents the steps yield
    # (hasil telaahan, notulen, the Governor's disposisi, naskah PKS, dokumen PKS).
    per_case = 2 + 13 + 5
    assert len(seqs) - before == threads * cases_each * per_case
    report = verify_chain()
    assert report.ok, report.problem


@pytest.mark.django_db(transaction=True)
def test_a_claim_that_reaches_the_task_first_holds_it_against_a_completion_in_flight(users, two_kabags):
    walker = Walker(users)
    walker.steps(1)
    task = walker.open_task
    kabag, plh = two_kabags
    # Both read the task as open and unclaimed; then the Kabag's claim reaches the row first.
    meeting, claimed = threading.Barrier(2), threading.Event()
    tasks = Task._meta.db_table

    claim, completion = race(
        lambda: claim_task(task_id=task.pk, actor=kabag),
        lambda: complete_task(task_id=task.pk, actor=plh),
        wrappers=[Script(meeting=meeting, mark_at=tasks, after=claimed),
                  Script(meeting=meeting, wait_at=tasks, before=claimed)],
    )

    task.refresh_from_db()
    assert claim.error is None, claim.error
    assert isinstance(completion.error, NotAllowed), f"the Plh completed a task the Kabag had claimed: {completion}"
    assert f"sedang dipegang oleh {kabag.get_full_name()}" in completion.error.message
    assert (task.status, task.assignee_id) == (Task.Status.OPEN, kabag.pk)
    assert not AuditEvent.objects.filter(action="task.completed", task_id_ref=task.pk).exists()
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_a_release_racing_the_holders_own_completion_leaves_the_completed_task_as_it_was(users):
    walker = Walker(users)
    walker.steps(1)
    task = walker.open_task
    kabag = users["kabag"]
    claim_task(task_id=task.pk, actor=kabag)
    # The Kabag presses "selesai" in one tab and "lepaskan" in another; both have read the task as
    # open and theirs, then the completion reaches the row first.
    meeting, completed = threading.Barrier(2), threading.Event()
    tasks = Task._meta.db_table

    completion, release = race(
        lambda: complete_task(task_id=task.pk, actor=kabag),
        lambda: release_task(task_id=task.pk, actor=kabag),
        wrappers=[Script(meeting=meeting, mark_at=tasks, after=completed),
                  Script(meeting=meeting, wait_at=tasks, before=completed)],
    )

    task.refresh_from_db()
    assert completion.error is None, completion.error
    assert isinstance(release.error, TaskNotOpen), f"a completed task was released: {release}"
    assert (task.status, task.assignee_id, task.completed_by_id) == (Task.Status.DONE, kabag.pk, kabag.pk)
    assert not AuditEvent.objects.filter(action="task.released", task_id_ref=task.pk).exists()
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_a_double_click_on_claim_records_one_claim(users):
    walker = Walker(users)
    walker.steps(1)
    task = walker.open_task
    kabag = users["kabag"]

    first, second = race(lambda: claim_task(task_id=task.pk, actor=kabag),
                         lambda: claim_task(task_id=task.pk, actor=kabag))

    assert (first.error, second.error) == (None, None)
    task.refresh_from_db()
    assert task.assignee_id == kabag.pk
    # The second click changed nothing, so the trail holds one claim, as for a click on a task
    # the person already holds.
    assert AuditEvent.objects.filter(action="task.claimed", task_id_ref=task.pk).count() == 1
    assert verify_chain().ok
