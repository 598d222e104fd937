"""The deadline sweep: a reminder to the holder before a task is due, a notice when it is late, an
escalation to the role above when it stays late; each once, whoever sweeps and however often.

Times are on Monday 2 February 2026, a working day (07:30-12:00, 13:00-16:00 WIB). Step 2 of the
PKS SOP (the Kabag's, 30 minutes) opened at 09:00 is reminded at 09:22:30 (ALUR_REMIND_AT 0.75),
due at 09:30 and escalated to the Karo at 10:00 (ALUR_ESCALATE_AFTER 2).
"""
from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from alur.notifications.links import path_of
from alur.notifications.models import Notification
from alur.org.models import OrgUnit, Role, RoleAssignment
from alur.workflow.audit import verify_chain
from alur.workflow.models import AuditEvent, Task
from alur.workflow.services import claim_task
from alur.workflow.sweep import ESCALATION, OVERDUE, REMINDER, sweep_open_tasks
from tests.conftest import Walker, backdate
from tests.workflow.test_concurrency import race

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
# The sweep asks who holds a role on the day it runs: here everyone has held theirs since long
# before those Mondays.
SINCE = datetime.date(2020, 1, 1)


def at(hour: int, minute: int = 0, day: int = 2) -> datetime.datetime:
    return datetime.datetime(2026, 2, day, hour, minute, tzinfo=WIB)


def person(username: str, full_name: str, role: str, unit: str, **assignment):
    first, _, last = full_name.partition(" ")
    user = get_user_model().objects.create_user(username=username, first_name=first, last_name=last)
    RoleAssignment.objects.create(user=user, role=Role.objects.get(key=role), org_unit=OrgUnit.objects.get(code=unit),
                                  valid_from=SINCE, **assignment)
    return user


@pytest.fixture(autouse=True)
def _roles_held_since_long(users):
    RoleAssignment.objects.update(valid_from=SINCE)


def received(kind: str, task: Task) -> list[str]:
    """Who holds a notice of that kind about the task, by user name."""
    return sorted(Notification.objects.filter(key=f"task:{task.pk}:{kind}").values_list("recipient__username", flat=True))


@pytest.fixture
def kabag_task(walker) -> Task:
    """Step 2, the Kabag's (30 minutes), opened Monday 09:00 and not claimed."""
    walker.steps(1)
    task = walker.open_task
    assert (task.step_key, task.role_key, task.assignee_id) == ("tugaskan_kasubbag", "kabag", None)
    return backdate(task, at(9))


@pytest.fixture
def plh_kabag(users):
    return person("plh_kabag", "Plh Kabag Kerja Sama", "kabag", "biro-pemerintahan", acting=RoleAssignment.Acting.PLH)


def signing_task(users, opd: str = "dispar") -> Task:
    """Step 12, the signing by the Kepala OPD of the case's own OPD (30 minutes), opened Monday 09:00."""
    walker = Walker(users, opd=opd)
    walker.steps(6)
    walker.step("setuju")
    walker.step("setuju")
    walker.step("setuju")
    walker.steps(2)
    task = walker.open_task
    assert (task.step_key, task.role_key) == ("penandatanganan", "kepala_opd")
    return backdate(task, at(9))


# --- reminders --------------------------------------------------------------------------------

def test_nothing_is_sent_before_the_reminder_time(kabag_task):
    report = sweep_open_tasks(now=at(9, 20))

    assert report.notices == []
    assert not Notification.objects.exists()
    kabag_task.refresh_from_db()
    assert kabag_task.reminded_at is None


def test_a_reminder_goes_to_every_holder_of_an_unclaimed_tasks_role(kabag_task, plh_kabag):
    report = sweep_open_tasks(now=at(9, 25))

    assert received(REMINDER, kabag_task) == ["kabag", "plh_kabag"]
    assert [(n.kind, n.task_id, n.sent) for n in report.notices] == [(REMINDER, kabag_task.pk, True)]


def test_a_claimed_task_reminds_only_the_person_who_claimed_it(users, kabag_task, plh_kabag):
    claim_task(task_id=kabag_task.pk, actor=plh_kabag)

    sweep_open_tasks(now=at(9, 25))

    assert received(REMINDER, kabag_task) == ["plh_kabag"]


def test_a_claim_whose_holder_has_left_the_role_reminds_every_current_holder(users, kabag_task, plh_kabag):
    claim_task(task_id=kabag_task.pk, actor=plh_kabag)
    RoleAssignment.objects.filter(user=plh_kabag).update(valid_until=datetime.date(2026, 1, 31))

    sweep_open_tasks(now=at(9, 25))

    assert received(REMINDER, kabag_task) == ["kabag"]


def test_the_reminder_names_the_case_step_activity_and_due_time_and_links_to_the_task(kabag_task):
    sweep_open_tasks(now=at(9, 25))

    notice = Notification.objects.get(key=f"task:{kabag_task.pk}:{REMINDER}")
    case = kabag_task.case
    assert notice.title == f"Pengingat: langkah 2 perkara #{case.pk} jatuh tempo 02-02-2026 09:30 WIB"
    assert notice.body == (f'Tugas #{kabag_task.pk} pada perkara #{case.pk} "{case.title}", langkah 2 (Menugaskan '
                           "Kasubbag KSSLN untuk berkoordinasi dengan OPD terkait), jatuh tempo 02-02-2026 09:30 WIB "
                           "(waktu baku 30 menit); tersisa 5 menit waktu kerja.")
    assert path_of(notice) == f"/tugas/{kabag_task.pk}/"
    assert notice.kind == "task.reminded"


def test_a_reminder_whose_time_passed_while_the_task_became_late_is_marked_but_not_sent(kabag_task):
    report = sweep_open_tasks(now=at(9, 40))

    kabag_task.refresh_from_db()
    assert kabag_task.reminded_at == at(9, 40)
    assert received(REMINDER, kabag_task) == []
    assert received(OVERDUE, kabag_task) == ["kabag"]
    (skipped,) = report.of(REMINDER)
    assert not skipped.sent and "sudah terlambat" in skipped.reason


# --- overdue and escalation -------------------------------------------------------------------

def test_an_overdue_notice_tells_the_holder_how_late_the_task_is_in_working_time(kabag_task):
    sweep_open_tasks(now=at(9, 25))
    sweep_open_tasks(now=at(9, 45))

    notice = Notification.objects.get(key=f"task:{kabag_task.pk}:{OVERDUE}")
    assert notice.recipient.username == "kabag"
    assert notice.title == f"Terlambat: langkah 2 perkara #{kabag_task.case_id}"
    assert "melewati batas waktu 02-02-2026 09:30 WIB; terlambat 15 menit waktu kerja." in notice.body


def test_lateness_is_counted_in_working_time_not_over_the_lunch_break(kabag_task):
    # Due 09:30; noticed at 13:30 after the 12:00-13:00 break: 3 working hours late, not 4.
    sweep_open_tasks(now=at(13, 30))

    notice = Notification.objects.get(key=f"task:{kabag_task.pk}:{OVERDUE}")
    assert "terlambat 3 jam waktu kerja" in notice.body


def test_escalation_goes_to_the_holders_of_the_role_the_tasks_role_reports_to(kabag_task, plh_kabag):
    report = sweep_open_tasks(now=at(10, 5))

    assert received(ESCALATION, kabag_task) == ["karo"]  # kabag reports to karo
    notice = Notification.objects.get(key=f"task:{kabag_task.pk}:{ESCALATION}")
    assert notice.title == f"Eskalasi: langkah 2 perkara #{kabag_task.case_id} terlambat 35 menit"
    assert "untuk peran Kabag Kerja Sama (belum diambil siapa pun), melewati batas waktu 02-02-2026 09:30 WIB" in notice.body
    assert "telah berjalan lebih dari 2 kali waktu bakunya (30 menit)" in notice.body
    assert "sebagai Karo Pemerintahan, atasan peran tersebut" in notice.body
    assert path_of(notice) == f"/perkara/{kabag_task.case_id}/"
    assert [n.recipients for n in report.of(ESCALATION)] == [("karo",)]


def test_the_escalation_names_who_holds_the_late_task(users, kabag_task):
    claim_task(task_id=kabag_task.pk, actor=users["kabag"])

    sweep_open_tasks(now=at(10, 5))

    notice = Notification.objects.get(key=f"task:{kabag_task.pk}:{ESCALATION}")
    assert "(dipegang oleh Kabag Kerja Sama)" in notice.body


def test_every_notice_due_at_once_is_sent_when_the_worker_was_away(kabag_task):
    report = sweep_open_tasks(now=at(14))

    assert (received(OVERDUE, kabag_task), received(ESCALATION, kabag_task)) == (["kabag"], ["karo"])
    assert [(n.kind, n.sent) for n in report.notices] == [(REMINDER, False), (OVERDUE, True), (ESCALATION, True)]


def test_a_role_without_a_superior_is_marked_escalated_with_no_one_told(users):
    walker = Walker(users)
    walker.steps(6)
    walker.step("setuju")
    walker.step("setuju")
    task = backdate(walker.open_task, at(9))  # the Governor's decision, 10 minutes
    assert task.role_key == "gubernur"

    report = sweep_open_tasks(now=at(10))

    task.refresh_from_db()
    assert task.escalated_at == at(10)
    assert received(ESCALATION, task) == []
    (escalation,) = report.of(ESCALATION)
    assert (escalation.sent, escalation.reason) == (False, "peran Gubernur tidak mempunyai atasan dalam SOP")
    assert escalation.line().endswith("tidak dikirim: peran Gubernur tidak mempunyai atasan dalam SOP.")
    event = AuditEvent.objects.get(action="task.escalated", task_id_ref=task.pk)
    assert (event.data["to_role"], event.data["recipients"]) == (None, [])


def test_a_role_no_one_holds_is_marked_and_reported_as_sent_to_no_one(kabag_task):
    RoleAssignment.objects.filter(role_id="kabag").delete()

    report = sweep_open_tasks(now=at(9, 45))

    (overdue,) = report.of(OVERDUE)
    assert (overdue.sent, overdue.reason) == (False, "tidak ada yang memegang peran Kabag Kerja Sama")
    kabag_task.refresh_from_db()
    assert kabag_task.overdue_noticed_at == at(9, 45)


# --- the Kepala OPD of the case's own OPD ----------------------------------------------------

def test_a_kepala_opd_task_is_noticed_to_the_head_of_the_cases_own_opd_only(users):
    task = signing_task(users, opd="dispar")

    sweep_open_tasks(now=at(9, 50))

    assert received(OVERDUE, task) == ["kepala_dispar"]
    notice = Notification.objects.get(key=f"task:{task.pk}:{OVERDUE}")
    assert path_of(notice) == f"/tugas/{task.pk}/"


def test_a_kepala_opd_task_escalates_to_the_governor(users):
    task = signing_task(users, opd="dkp")

    sweep_open_tasks(now=at(10, 30))

    assert received(OVERDUE, task) == ["kepala_dkp"]
    assert received(ESCALATION, task) == ["gubernur"]
    notice = Notification.objects.get(key=f"task:{task.pk}:{ESCALATION}")
    assert "untuk peran Kepala OPD di Dinas Kelautan dan Perikanan" in notice.body


# --- exactly once -----------------------------------------------------------------------------

def test_each_notice_is_sent_once_however_often_the_sweep_runs(kabag_task, plh_kabag):
    for moment in (at(9, 25), at(9, 25), at(9, 45), at(9, 45), at(10, 5), at(11), at(15)):
        sweep_open_tasks(now=moment)

    keys = list(Notification.objects.values_list("key", "recipient__username").order_by("key", "recipient__username"))
    assert keys == [(f"task:{kabag_task.pk}:{ESCALATION}", "karo"),
                    (f"task:{kabag_task.pk}:{OVERDUE}", "kabag"), (f"task:{kabag_task.pk}:{OVERDUE}", "plh_kabag"),
                    (f"task:{kabag_task.pk}:{REMINDER}", "kabag"), (f"task:{kabag_task.pk}:{REMINDER}", "plh_kabag")]
    actions = list(AuditEvent.objects.filter(task_id_ref=kabag_task.pk, action__startswith="task.")
                   .exclude(action="task.completed").values_list("action", flat=True))
    assert actions == ["task.reminded", "task.overdue_noticed", "task.escalated"]


def test_a_second_sweep_at_the_same_moment_finds_nothing_left_to_send(kabag_task):
    first = sweep_open_tasks(now=at(14))
    second = sweep_open_tasks(now=at(14))

    assert len(first.notices) == 3
    assert second.notices == []


def test_each_notice_writes_its_audit_event_and_the_chain_stays_intact(kabag_task):
    sweep_open_tasks(now=at(9, 25))

    event = AuditEvent.objects.get(action="task.reminded", task_id_ref=kabag_task.pk)
    assert (event.actor_id, event.actor_name, event.case_id) == (None, "sistem", kabag_task.case_id)
    assert (event.data["recipients"], event.data["step"], event.data["number"]) == (["kabag"], "tugaskan_kasubbag", 2)
    assert verify_chain().ok


def test_nothing_is_sent_for_a_task_already_done(walker, kabag_task):
    walker.step()  # the Kabag completes step 2; step 3 opens now, due long after these times

    report = sweep_open_tasks(now=at(15))

    assert report.notices == []
    assert not Notification.objects.filter(key__startswith=f"task:{kabag_task.pk}:").exists()


def test_a_task_completed_after_the_sweep_read_it_is_not_noticed(walker, kabag_task):
    # The claim re-checks that the task is open: finishing it between the sweep's read and its
    # claim leaves nothing to send.
    from alur.workflow import sweep

    task = Task.objects.select_related("case__sop_version").get(pk=kabag_task.pk)
    walker.step()

    assert sweep._send(task, OVERDUE, at(9, 45)) is None
    assert not Notification.objects.exists()


# --- two workers at once (PostgreSQL: real row locks, real connections) -----------------------

def postgres_only(test):
    """As in test_concurrency.py: Django's SQLite test database lets a second writer fail at BEGIN
    instead of waiting for the first, so a real race needs PostgreSQL."""
    test = pytest.mark.postgres_only(test)
    return pytest.mark.skipif(connection.vendor != "postgresql",
                              reason="needs PostgreSQL row locks under real concurrency; runs in the PostgreSQL pass of make test")(test)


@pytest.mark.django_db(transaction=True)
@postgres_only
def test_two_sweeps_at_the_same_moment_send_each_notice_once(users):
    tasks = []
    for n, opd in enumerate(("dispar", "dkp", "dispar")):
        walker = Walker(users, opd=opd, title=f"PKS uji pekerja {n}")
        walker.steps(1)
        tasks.append(backdate(walker.open_task, at(9)))
    Walker(users, title="PKS yang belum terlambat")  # opened now: nothing due

    first, second = race(lambda: sweep_open_tasks(now=at(10, 5)), lambda: sweep_open_tasks(now=at(10, 5)))

    for result in (first, second):
        if result.error is not None:
            raise result.error
    done = sorted((n.task_id, n.kind) for n in first.value.notices + second.value.notices)
    assert done == sorted((t.pk, kind) for t in tasks for kind in (REMINDER, OVERDUE, ESCALATION))
    for task in tasks:
        assert (received(REMINDER, task), received(OVERDUE, task), received(ESCALATION, task)) == ([], ["kabag"], ["karo"])
    assert AuditEvent.objects.filter(action__in=["task.overdue_noticed", "task.escalated"]).count() == 6
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
@postgres_only
def test_many_sweeps_at_once_over_the_same_task_notify_each_person_once(kabag_task, plh_kabag):
    results = race(*[lambda: sweep_open_tasks(now=at(9, 25)) for _ in range(4)])

    errors = [r.error for r in results if r.error is not None]
    if errors:
        raise errors[0]
    assert sum(len(r.value.notices) for r in results) == 1
    assert received(REMINDER, kabag_task) == ["kabag", "plh_kabag"]
    assert AuditEvent.objects.filter(action="task.reminded").count() == 1
