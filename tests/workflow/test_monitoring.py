"""The monitoring report of an SOP: figures per step, decisions' return rates, open cases by step,
the slowest steps, and its filters, on cases walked through the engine with known working times."""
from __future__ import annotations

import datetime
import random
import statistics
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone

from alur.org.models import OrgUnit
from alur.workflow.models import Task
from alur.workflow.monitoring import sop_monitoring
from alur.workflow.services import load_sop
from alur.worktime.selectors import working_calendar
from tests.conftest import PKS, Walker, backdate
from tests.workflow.test_sop_versions import V1_TEXT, changed

WIB = ZoneInfo("Asia/Jakarta")
MONDAY = datetime.date(2026, 10, 5)
NEXT_MONDAY = MONDAY + datetime.timedelta(days=7)
MONDAY_AFTER = MONDAY + datetime.timedelta(days=14)


def walk(users, *, opd: str, day: datetime.date, steps: list) -> Walker:
    """A case of `opd` started on `day` at 08:00 WIB, each step taking the given working minutes
    (an int, or (outcome, minutes) for a decision) one after the other; the next step stays open."""
    walker = Walker(users, opd=opd)
    clock = datetime.datetime.combine(day, datetime.time(8, 0), tzinfo=WIB)
    calendar = working_calendar()
    for step in steps:
        outcome, minutes = step if isinstance(step, tuple) else (None, step)
        done = walker.step(outcome)
        ended = calendar.add(clock, minutes)
        assert backdate(done, clock, ended).working_minutes == minutes
        clock = ended
    for task in Task.objects.filter(case=walker.case, status=Task.Status.OPEN):
        backdate(task, clock)
    return walker


@pytest.fixture
def history(users):
    """Five cases, minutes chosen so every figure is known (standards: terima_disposisi 5,
    tugaskan_kasubbag 30, perintahkan_telaah 15, analisa_draft 60, koreksi_* 15, periksa_karo 15,
    bahas_tkksd 180, keputusan_gubernur 10, kembalikan_ke_opd 30)."""
    return {
        # Open at finalisasi_draft.
        "c1": walk(users, opd="dispar", day=MONDAY, steps=[
            2, 10, 15, 60, 15, 40, ("setuju", 20), ("setuju", 200), ("setuju", 30)]),
        # Returned by the Karo: ends at the OPD, nothing open.
        "c2": walk(users, opd="dkp", day=MONDAY, steps=[5, 40, 15, 50, 10, 20, ("tidak_setuju", 10), 30]),
        # Open at perintahkan_telaah.
        "c3": walk(users, opd="dispar", day=MONDAY, steps=[5, 50]),
        # Open at tugaskan_kasubbag.
        "c4": walk(users, opd="dkp", day=NEXT_MONDAY, steps=[9]),
        # Open at perintahkan_telaah.
        "c5": walk(users, opd="dispar", day=MONDAY_AFTER, steps=[30, 60]),
    }


def figures(report, step_key: str):
    [step] = [s for s in report.steps if s.step.key == step_key]
    return step


def decision(report, step_key: str):
    [found] = [d for d in report.decisions if d.step.key == step_key]
    return found


def test_each_step_has_its_runs_median_p90_and_share_within_standard(history):
    report = sop_monitoring(sop_key=PKS)

    first = figures(report, "terima_disposisi")  # 2, 5, 5, 9, 30 against 5
    assert (first.runs, first.median_minutes, first.within_standard, first.standard_minutes) == (5, 5, 3, 5)
    assert first.p90_minutes == pytest.approx(9 + (30 - 9) * 0.6)
    assert first.within_share == pytest.approx(0.6)
    second = figures(report, "tugaskan_kasubbag")  # 10, 40, 50, 60 against 30
    assert (second.runs, second.median_minutes, second.within_standard) == (4, 45, 1)
    assert second.p90_minutes == pytest.approx(57)
    assert second.median_ratio == pytest.approx(1.5)
    assert report.completions == 9 + 8 + 2 + 1 + 2  # every done task of the five cases, once


def test_a_step_nobody_has_done_has_no_figures(history):
    registered = figures(sop_monitoring(sop_key=PKS), "registrasi")

    assert (registered.runs, registered.median_minutes, registered.p90_minutes) == (0, None, None)
    assert registered.within_share is None and registered.median_ratio is None


def test_each_decision_has_its_return_rate(history):
    report = sop_monitoring(sop_key=PKS)

    assert [d.step.key for d in report.decisions] == ["periksa_karo", "bahas_tkksd", "keputusan_gubernur"]
    karo = decision(report, "periksa_karo")
    assert (karo.decided, karo.returned, karo.return_rate) == (2, 1, 0.5)
    assert decision(report, "bahas_tkksd").return_rate == 0.0
    assert figures(report, "periksa_karo").median_minutes == 15  # a decision is a step too


def test_a_decision_nobody_took_has_no_return_rate(users):
    walk(users, opd="dispar", day=MONDAY, steps=[5])

    assert decision(sop_monitoring(sop_key=PKS), "periksa_karo").return_rate is None


def test_open_cases_are_counted_at_the_step_they_wait_at(history):
    report = sop_monitoring(sop_key=PKS)
    waiting = {step.key: count for step, count in report.open_by_step}

    assert {k: n for k, n in waiting.items() if n} == {"tugaskan_kasubbag": 1, "perintahkan_telaah": 2, "finalisasi_draft": 1}
    assert list(waiting) == [s.key for s in report.definition.steps]  # every step, in the SOP's order


def test_the_slowest_are_the_three_steps_furthest_over_standard_by_median(history):
    report = sop_monitoring(sop_key=PKS)

    # Over standard: keputusan_gubernur 30/10, koreksi_kabag 30/15, tugaskan_kasubbag 45/30,
    # bahas_tkksd 200/180. At standard exactly (terima_disposisi 5/5) is not slow.
    assert report.slowest == {"keputusan_gubernur", "koreksi_kabag", "tugaskan_kasubbag"}


def test_no_step_is_slowest_when_all_keep_their_standard(users):
    walk(users, opd="dispar", day=MONDAY, steps=[5, 30, 1])

    assert sop_monitoring(sop_key=PKS).slowest == frozenset()


def test_a_period_counts_the_steps_completed_within_it(history):
    from_next_week = sop_monitoring(sop_key=PKS, start=NEXT_MONDAY)
    first_week = sop_monitoring(sop_key=PKS, start=MONDAY, end=MONDAY + datetime.timedelta(days=6))

    assert figures(from_next_week, "terima_disposisi").runs == 2  # c4's 9 and c5's 30
    assert figures(from_next_week, "terima_disposisi").median_minutes == pytest.approx(19.5)
    assert figures(first_week, "terima_disposisi").runs == 3
    assert decision(first_week, "periksa_karo").decided == 2
    assert decision(from_next_week, "periksa_karo").decided == 0
    # Open cases are those open now, whatever the period.
    assert dict((s.key, n) for s, n in first_week.open_by_step)["perintahkan_telaah"] == 2


def test_period_days_are_the_office_s_days_both_included(users):
    walker = walk(users, opd="dispar", day=MONDAY, steps=[5])
    # Completed at 06:00 WIB on Tuesday: still Monday in UTC.
    task = Task.objects.get(case=walker.case, step_key="terima_disposisi")
    Task.objects.filter(pk=task.pk).update(completed_at=datetime.datetime.combine(
        MONDAY + datetime.timedelta(days=1), datetime.time(6, 0), tzinfo=WIB))

    def runs(**period):
        return figures(sop_monitoring(sop_key=PKS, **period), "terima_disposisi").runs

    assert runs(end=MONDAY) == 0
    assert runs(start=MONDAY + datetime.timedelta(days=1), end=MONDAY + datetime.timedelta(days=1)) == 1
    assert runs(start=MONDAY, end=MONDAY + datetime.timedelta(days=1)) == 1


def test_an_opd_sees_its_own_cases_only(history):
    report = sop_monitoring(sop_key=PKS, org_unit=OrgUnit.objects.get(code="dkp"))

    assert figures(report, "terima_disposisi").runs == 2  # c2's 5 and c4's 9
    assert figures(report, "terima_disposisi").median_minutes == 7
    assert decision(report, "periksa_karo").returned == 1
    assert {s.key: n for s, n in report.open_by_step if n} == {"tugaskan_kasubbag": 1}
    assert report.org_unit.code == "dkp"


def test_cancelled_tasks_and_open_tasks_are_not_runs(history):
    c3 = history["c3"].case
    Task.objects.filter(case=c3, status=Task.Status.OPEN).update(status=Task.Status.CANCELLED)

    report = sop_monitoring(sop_key=PKS)

    assert figures(report, "perintahkan_telaah").runs == 2  # c1 and c2 only
    assert dict((s.key, n) for s, n in report.open_by_step)["perintahkan_telaah"] == 1


def _done_tasks(case, step_key: str, minutes: list[int]) -> None:
    """Done tasks of one step straight in the table, as the engine leaves them."""
    at = datetime.datetime.combine(MONDAY, datetime.time(9, 0), tzinfo=WIB)
    Task.objects.bulk_create(Task(case=case, round=1, step_key=step_key, role_key="analis", status=Task.Status.DONE,
                                  created_at=at, completed_at=at, working_minutes=m) for m in minutes)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_median_and_p90_are_those_of_the_minutes_themselves(users, seed):
    """Against the standard library over the raw values (its "inclusive" quantiles interpolate
    between closest ranks, as PostgreSQL's percentile_cont does), with many repeated values."""
    rng = random.Random(seed)
    minutes = [rng.choice([rng.randint(1, 20), rng.randint(1, 2000)]) for _ in range(rng.randint(1, 400))]
    walker = Walker(users)
    _done_tasks(walker.case, "analisa_draft", minutes)

    analysis = figures(sop_monitoring(sop_key=PKS), "analisa_draft")

    assert analysis.runs == len(minutes)
    assert analysis.median_minutes == statistics.median(minutes)
    expected_p90 = statistics.quantiles(minutes, n=10, method="inclusive")[8] if len(minutes) > 1 else minutes[0]
    assert analysis.p90_minutes == pytest.approx(expected_p90, rel=1e-12)
    assert analysis.within_standard == sum(1 for m in minutes if m <= 60)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="percentile_cont is PostgreSQL's")
def test_the_figures_are_postgresql_s_own_percentile_cont(users):
    """The report folds minutes into counts on every database; on PostgreSQL its percentiles are
    exactly what the server's percentile_cont computes over the rows themselves."""
    rng = random.Random(7)
    walker = Walker(users)
    for step_key in ("analisa_draft", "bahas_tkksd", "registrasi"):
        _done_tasks(walker.case, step_key, [rng.randint(1, 900) for _ in range(rng.randint(1, 300))])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT step_key, count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY working_minutes),"
            f" percentile_cont(0.9) WITHIN GROUP (ORDER BY working_minutes) FROM {Task._meta.db_table}"
            f" WHERE status = 'done' AND working_minutes IS NOT NULL GROUP BY step_key")
        server = {key: rest for key, *rest in cursor.fetchall()}

    report = sop_monitoring(sop_key=PKS)

    assert len(server) == 3
    for key, (runs, median, p90) in server.items():
        step = figures(report, key)
        assert (step.runs, step.median_minutes, step.p90_minutes) == (runs, median, p90)


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the index of done tasks exists on PostgreSQL only (see workflow migration 0005)")
def test_a_period_can_be_read_from_the_index_of_done_tasks(history):
    """The report's query states the partial index's condition, so PostgreSQL may read a period
    from that index. On a table this small the planner prefers other ways, so the check drops
    the other indexes (inside the test's transaction) and rules out table scans."""
    from alur.workflow.monitoring import _done_histogram_sql
    from alur.workflow.models import SopVersion

    versions = list(SopVersion.objects.filter(sop__key=PKS).values_list("pk", flat=True))
    sql, params = _done_histogram_sql(versions, MONDAY, MONDAY_AFTER, None)
    with connection.cursor() as cursor:
        for name, info in connection.introspection.get_constraints(cursor, Task._meta.db_table).items():
            if info["index"] and not info["primary_key"] and name != "task_done_by_completion":
                cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(str(row) for row in cursor.fetchall())

    assert "task_done_by_completion" in plan


# --- an SOP with two versions: each run is judged by the version its case ran on --------------

# Version 2 renames step 3 (perintahkan_telaah becomes tugaskan_analis), removes step 5
# (koreksi_kasubbag), gives step 2 45 minutes instead of 30 and makes the Karo's check a plain step.
V2_EDITS = [
    ("    waktu: 30 menit\n    output: Draft\n    next: perintahkan_telaah\n",
     "    waktu: 45 menit\n    output: Draft\n    next: tugaskan_analis\n"),
    ("  - key: perintahkan_telaah\n", "  - key: tugaskan_analis\n"),
    ("    activity: Memerintahkan analisis kerja sama Lintas Sektor untuk menelaah draft Perjanjian Kerja Sama\n",
     "    activity: Menugaskan analis kerja sama menelaah draft PKS\n"),
    ("    next: koreksi_kasubbag\n", "    next: koreksi_kabag\n"),
    (V1_TEXT[V1_TEXT.index("  - key: koreksi_kasubbag\n"):V1_TEXT.index("  - key: koreksi_kabag\n")], ""),
    ("    decision:\n      setuju: bahas_tkksd\n      tidak_setuju: kembalikan_ke_opd\n", "    next: bahas_tkksd\n"),
]
V2_TEXT = V1_TEXT
for old, new in V2_EDITS:
    V2_TEXT = changed(V2_TEXT, old, new)


def monday(weeks_ago: int) -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday() + 7 * weeks_ago)


@pytest.fixture
def two_versions(users):
    """Three cases on version 1 two weeks ago, then version 2 loaded and one case on it last week
    (standards: tugaskan_kasubbag 30 in v1 and 45 in v2, perintahkan_telaah and koreksi_kasubbag
    15 in v1 only, tugaskan_analis 15 in v2)."""
    cases = {
        # Returned by the Karo (a decision in v1): ends at the OPD, nothing open.
        "returned": walk(users, opd="dkp", day=monday(2), steps=[5, 40, 10, 60, 20, 15, ("tidak_setuju", 10), 30]),
        # Open at analisa_draft.
        "analysing": walk(users, opd="dispar", day=monday(2), steps=[5, 20, 12]),
        # Open at perintahkan_telaah, the step v2 renames.
        "waiting": walk(users, opd="dispar", day=monday(2), steps=[5, 20]),
    }
    version, created = load_sop(text=V2_TEXT, source_name="pks-pihak-ketiga.yaml")
    assert created and version.version == 2
    # Open at koreksi_kabag, which follows analisa_draft in v2.
    cases["on_v2"] = walk(users, opd="dispar", day=monday(1), steps=[5, 40, 14, 60])
    return cases


def retired(report, step_key: str):
    [step] = [s for s in report.retired_steps if s.step.key == step_key]
    return step


def test_a_step_renamed_in_a_later_version_keeps_its_runs_under_its_old_name(two_versions):
    report = sop_monitoring(sop_key=PKS)

    old = retired(report, "perintahkan_telaah")  # 10 and 12 on v1
    assert (old.runs, old.median_minutes, old.older_versions) == (2, 11, (1,))
    assert old.step.activity.startswith("Memerintahkan analisis kerja sama")
    assert figures(report, "tugaskan_analis").runs == 1  # 14 on v2
    assert report.completions == 8 + 3 + 2 + 4  # every done task of the four cases, once


def test_a_step_removed_in_a_later_version_keeps_its_runs(two_versions):
    removed = retired(sop_monitoring(sop_key=PKS), "koreksi_kasubbag")

    assert (removed.runs, removed.median_minutes, removed.standard_minutes) == (1, 20, 15)
    assert (removed.within_standard, removed.older_versions) == (0, (1,))


def test_each_run_is_judged_by_the_standard_of_the_version_its_case_ran_on(two_versions):
    step_2 = figures(sop_monitoring(sop_key=PKS), "tugaskan_kasubbag")

    # 40, 20, 20 against v1's 30 minutes and 40 against v2's 45: within, save the first.
    assert (step_2.runs, step_2.within_standard) == (4, 3)
    assert step_2.standard_minutes == 45  # the row shows the newest standard


def test_a_decision_of_an_older_version_keeps_its_return_rate(two_versions):
    report = sop_monitoring(sop_key=PKS)

    assert not figures(report, "periksa_karo").step.is_decision  # a plain step in v2
    karo = decision(report, "periksa_karo")
    assert (karo.decided, karo.returned) == (1, 1)


def test_the_newest_version_s_steps_come_first_in_its_order_then_the_older_ones(two_versions):
    report = sop_monitoring(sop_key=PKS)

    assert [s.step.key for s in report.steps] == [s.key for s in report.definition.steps]
    assert "tugaskan_analis" in [s.step.key for s in report.steps]
    assert [s.step.key for s in report.retired_steps] == ["perintahkan_telaah", "koreksi_kasubbag"]
    assert [s.key for s, _ in report.open_by_step] == [s.step.key for s in (*report.steps, *report.retired_steps)]


def test_a_running_case_on_an_older_version_is_counted_at_the_step_it_waits_at(two_versions):
    waiting = {step.key: n for step, n in sop_monitoring(sop_key=PKS).open_by_step if n}

    assert waiting == {"perintahkan_telaah": 1, "analisa_draft": 1, "koreksi_kabag": 1}


def test_an_older_step_counts_its_runs_in_the_period_only(two_versions):
    before_v2 = sop_monitoring(sop_key=PKS, end=monday(1) - datetime.timedelta(days=1))
    since_v2 = sop_monitoring(sop_key=PKS, start=monday(1))

    assert retired(before_v2, "perintahkan_telaah").runs == 2
    assert figures(before_v2, "tugaskan_analis").runs == 0
    assert retired(since_v2, "perintahkan_telaah").runs == 0  # listed: a case waits there
    assert "koreksi_kasubbag" not in [s.step.key for s in since_v2.retired_steps]  # not run, nobody waits


def test_the_report_reads_every_version_in_the_same_few_queries(two_versions, django_assert_max_num_queries):
    sop_monitoring(sop_key=PKS)  # the working calendar, read once per process

    with django_assert_max_num_queries(4):  # the versions, the newest among them, done and open tasks
        sop_monitoring(sop_key=PKS)
