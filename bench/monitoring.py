"""Monitoring: the SOP monitoring report over a million completed tasks on PostgreSQL.

What is measured: `alur.workflow.monitoring.sop_monitoring`, the report the monitoring page shows
(per step runs, median and p90 working time, share within standard; decisions' return rates; open
cases by step), on a PostgreSQL database holding about 1,000,000 completed tasks of the PKS SOP.
The issue's target: under a second for the whole report, with or without filters.

The data: PKS cases over the last three years from 40 OPDs, each walked along a path of the SOP
as the engine would (its steps, rounds and decisions): 70% the straight path (13 tasks), 10%
returned by the Karo and resubmitted (8 + 13), 5% returned by the TKKSD and resubmitted
(10 + 13), 10% sent back once by the Gubernur to the TKKSD (15), 5% returned and not resubmitted
(8). Each task's working minutes are drawn around its step's time standard (log-normal, a median
of 0.6 to 6 times the standard depending on the step); its calendar time follows as office hours
spread over the week, and the next task opens when it is done. Cases still under way at the
moment of the run keep their current task open. The rows are written by INSERT ... SELECT over
generate_series inside PostgreSQL (no ORM, no audit events or documents: the report reads
neither), then VACUUM ANALYZE, as autovacuum would leave a table this size.

Each scenario is timed several times after a warm-up run; the median and the slowest are
printed against the target. A database `alur_bench_monitoring` (ALUR_BENCH_MONITORING_DATABASE)
is dropped and created on the server of ALUR_BENCH_POSTGRES_URL (default
postgres://postgres@127.0.0.1:5432/test) and dropped afterwards. PostgreSQL only: the report's
SQLite path is for a single office's few thousand tasks. `--cases N` generates N cases instead
of the ~70,500 that give a million completed tasks.
"""
from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import statistics
import textwrap
import time
from pathlib import Path

import engine

TARGET_SECONDS = 1.0
COMPLETED_TASKS = 1_000_000
RUNS = 7
OPDS = 40
YEARS = 3
PKS = "pks-pihak-ketiga"
INDEX = "task_done_by_completion"
DATABASE = os.environ.get("ALUR_BENCH_MONITORING_DATABASE", "alur_bench_monitoring")

# How each step's working time spreads around its standard: (median as a multiple of the
# standard, sigma of the log-normal). Decisions that wait for a forum or the Governor are slow.
PACE = {
    "terima_disposisi": (0.8, 0.6), "tugaskan_kasubbag": (0.7, 0.5), "perintahkan_telaah": (1.0, 0.6),
    "analisa_draft": (1.3, 0.7), "koreksi_kasubbag": (0.9, 0.5), "koreksi_kabag": (1.1, 0.6),
    "periksa_karo": (2.0, 0.8), "bahas_tkksd": (4.0, 0.9), "keputusan_gubernur": (6.0, 1.0),
    "finalisasi_draft": (0.9, 0.5), "koordinasi_penandatanganan": (1.5, 0.7), "penandatanganan": (3.0, 0.8),
    "registrasi": (0.6, 0.5), "teruskan_pengembalian": (1.0, 0.6), "kembalikan_ke_opd": (1.2, 0.6),
}
# Calendar minutes per working minute: a week of 168 hours holds 37.5 working hours.
CALENDAR_PER_WORKING = 168 / 37.5
# Working days an OPD takes to send back a corrected draft after a return.
RESUBMIT_DAYS = 10

# The path of each case, by its number modulo 20: the decisions that go against the straight
# path, in order, and whether the returned draft comes back for a second round.
PATHS = (
    [({}, False)] * 14
    + [({"periksa_karo": "tidak_setuju"}, True)] * 2
    + [({"bahas_tkksd": "tidak_setuju"}, True)]
    + [({"keputusan_gubernur": "tidak_setuju"}, False)] * 2
    + [({"periksa_karo": "tidak_setuju"}, False)]
)


# --- parent ----------------------------------------------------------------------------------------

def main(options: argparse.Namespace) -> None:
    print(textwrap.indent(__doc__.split("\n\n")[1], "  "))
    engine.run_on_fresh_postgres(__file__, DATABASE, options, _print_report)


def _print_report(r: dict) -> None:
    data = r["data"]
    print(f"  server: {r['server']}")
    print(f"  set-up (migrate + demo data) {r['setup_s']:.1f} s; data generated in {data['generate_s']:.1f} s, "
          f"VACUUM ANALYZE {data['vacuum_s']:.1f} s")
    print(f"  {data['cases']:,} cases from {data['opds']} OPDs, {data['done']:,} completed tasks, {data['open']:,} open; "
          f"table {data['task_table']} + indexes {data['task_indexes']}\n"
          f"  (of which {INDEX}, the partial index of done tasks the report reads: {data['monitoring_index']})")
    print(f"\n  {'report':<44} {'tasks in it':>12} {'median':>9} {'slowest':>9}   target < {TARGET_SECONDS:.0f} s")
    for row in r["scenarios"]:
        met = "MET" if row["median_s"] < TARGET_SECONDS else "NOT MET"
        print(f"  {row['name']:<44} {row['tasks']:>12,} {row['median_s'] * 1000:>6.0f} ms {row['max_s'] * 1000:>6.0f} ms   {met}")
    print(f"\n  ({RUNS} runs of each after one warm-up; the report's queries as PostgreSQL planned the first scenario:)")
    for line in r["plan"]:
        print(f"    {line}")


# --- child -----------------------------------------------------------------------------------------

def _child(out: Path, cases: int) -> None:
    setup_s = engine.set_up_database()
    data = _generate(cases)
    scenarios = _time_scenarios()
    out.write_text(json.dumps({"server": engine._server_description(), "setup_s": setup_s, "data": data,
                               "scenarios": scenarios, "plan": _plan()}))


def _paths(definition) -> list[list[tuple[int, str, str | None]]]:
    """Each entry of PATHS walked through the definition as the engine would: (round, step key,
    outcome) per task."""
    walked = []
    for against, resubmitted in PATHS:
        pending, tasks, round_ = dict(against), [], 1
        key = definition.start
        while True:
            step = definition.step(key)
            outcome = (pending.pop(key, "setuju")) if step.is_decision else None
            tasks.append((round_, key, outcome))
            key = step.target(outcome)
            if definition.is_step(key):
                continue
            if definition.end(key).resubmittable and resubmitted and round_ == 1:
                round_, key = 2, definition.start
                continue
            break
        walked.append(tasks)
    return walked


def _generate(cases: int) -> dict:
    """Fill the database with cases and their tasks; returns what was made and how long it took."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from alur.org.models import OrgUnit
    from alur.workflow.deadlines import standard_minutes
    from alur.workflow.definitions import definition_of
    from alur.workflow.models import Case, Task
    from alur.workflow.services import newest_version

    version = newest_version(PKS)
    definition = definition_of(version)
    paths = _paths(definition)
    if not cases:
        per_case = statistics.mean(len(p) for p in paths)
        cases = math.ceil(COMPLETED_TASKS / per_case * 1.005)  # a few hundred are still under way
    for number in range(1, OPDS + 1 - OrgUnit.objects.filter(kind=OrgUnit.Kind.OPD).count()):
        OrgUnit.objects.get_or_create(code=f"opd-{number:02}", defaults={"name": f"Dinas Contoh {number}", "kind": OrgUnit.Kind.OPD})
    opds = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.OPD).values_list("pk", flat=True))
    users = {u.username: u.pk for u in get_user_model().objects.all()}
    scoped = {r.key for r in definition.roles if r.scope == "opd"}

    started = time.perf_counter()
    path_rows = []
    for kind, path in enumerate(paths):
        for position, (round_, key, outcome) in enumerate(path):
            step = definition.step(key)
            pace, sigma = PACE.get(key, (1.0, 0.6))
            gap = RESUBMIT_DAYS * 24 * 60 if position and round_ > path[position - 1][0] else 0
            path_rows.append((kind, position, round_, key, step.actor, outcome or "", standard_minutes(step) * pace, sigma,
                              gap, step.actor in scoped, users.get("kepala_dispar" if step.actor in scoped else step.actor)))
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_path (kind int, pos int, round int, step_key text, role_key text, outcome text,"
                       " median float, sigma float, gap int, scoped bool, actor_id bigint)")
        cursor.executemany("INSERT INTO bench_path VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", path_rows)
        cursor.execute(
            "CREATE TEMP TABLE bench_case AS SELECT g AS id, mod(g, %s) AS kind,"
            " (%s::bigint[])[1 + floor(random() * %s)::int] AS org_unit_id,"
            " %s::timestamptz - random() * make_interval(days => %s) AS started_at"
            " FROM generate_series(1, %s) g",
            [len(paths), opds, len(opds), now, 365 * YEARS, cases])
        cursor.execute(
            f"INSERT INTO {Case._meta.db_table} (id, sop_version_id, title, org_unit_id, status, end_key, round,"
            " started_by_id, started_at)"
            " SELECT id, %s, 'PKS bench #' || id, org_unit_id, 'running', '', 1, %s, started_at FROM bench_case",
            [version.pk, users["pengelola"]])
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{Case._meta.db_table}', 'id'), %s)", [cases])
        # Working minutes from a log-normal around the step's pace (Box-Muller: PostgreSQL 15 has
        # no random_normal), calendar time from them; each task opens when the one before it ends.
        cursor.execute(
            f"""
            WITH drawn AS MATERIALIZED (
                SELECT c.id AS case_id, c.org_unit_id AS case_unit, c.started_at, p.*,
                       greatest(1, round(p.median * exp(p.sigma * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))))::int AS minutes
                FROM bench_case c JOIN bench_path p ON p.kind = c.kind
            ), timed AS (
                SELECT *, started_at + interval '1 minute' * sum(gap + minutes * {CALENDAR_PER_WORKING})
                          OVER (PARTITION BY case_id ORDER BY pos) AS ended_at
                FROM drawn
            ), placed AS (
                SELECT *, ended_at - interval '1 minute' * minutes * {CALENDAR_PER_WORKING} AS opened_at,
                       ended_at <= %(now)s AS done
                FROM timed
            )
            INSERT INTO {Task._meta.db_table} (case_id, round, step_key, role_key, org_unit_id, status, assignee_id,
                created_at, completed_at, completed_by_id, outcome, note, data, working_minutes)
            SELECT case_id, round, step_key, role_key, CASE WHEN scoped THEN case_unit END,
                   CASE WHEN done THEN 'done' ELSE 'open' END, CASE WHEN done THEN actor_id END,
                   opened_at, CASE WHEN done THEN ended_at END, CASE WHEN done THEN actor_id END,
                   CASE WHEN done THEN outcome ELSE '' END, '', '{{}}'::jsonb, CASE WHEN done THEN minutes END
            FROM placed
            WHERE opened_at <= %(now)s
            ORDER BY case_id, pos
            """,
            {"now": now})
        # Each case's state follows from its last task: still open, a return, or registered.
        cursor.execute(
            f"""
            UPDATE {Case._meta.db_table} c SET
                status = CASE WHEN last.status = 'open' THEN 'running'
                              WHEN last.step_key = 'kembalikan_ke_opd' THEN 'returned' ELSE 'completed' END,
                end_key = CASE WHEN last.status = 'open' THEN ''
                               WHEN last.step_key = 'kembalikan_ke_opd' THEN 'dikembalikan' ELSE 'teregistrasi' END,
                ended_at = CASE WHEN last.status = 'open' THEN NULL ELSE last.completed_at END,
                round = last.round
            FROM (SELECT DISTINCT ON (case_id) case_id, status, step_key, round, completed_at
                  FROM {Task._meta.db_table} ORDER BY case_id, id DESC) last
            WHERE last.case_id = c.id
            """)
        generate_s = time.perf_counter() - started
        started = time.perf_counter()
        cursor.execute(f"VACUUM ANALYZE {Task._meta.db_table}")
        cursor.execute(f"VACUUM ANALYZE {Case._meta.db_table}")
        vacuum_s = time.perf_counter() - started
        cursor.execute(f"SELECT count(*) FILTER (WHERE status = 'done'), count(*) FILTER (WHERE status = 'open'),"
                       f" pg_size_pretty(pg_table_size('{Task._meta.db_table}')),"
                       f" pg_size_pretty(pg_indexes_size('{Task._meta.db_table}')),"
                       f" pg_size_pretty(pg_relation_size('{INDEX}')) FROM {Task._meta.db_table}")
        done, open_, table_size, index_size, monitoring_index_size = cursor.fetchone()
    return {"cases": cases, "opds": len(opds), "done": done, "open": open_, "task_table": table_size,
            "task_indexes": index_size, "monitoring_index": monitoring_index_size, "generate_s": generate_s,
            "vacuum_s": vacuum_s}


def _scenarios() -> list[tuple[str, dict]]:
    from django.db.models import Count
    from django.utils import timezone

    from alur.org.models import OrgUnit

    today = timezone.localdate()
    # The OPD with the most cases, as a monitoring officer would look at a busy one.
    busiest = OrgUnit.objects.filter(kind=OrgUnit.Kind.OPD).annotate(n=Count("cases")).order_by("-n").first()
    year_ago = today - datetime.timedelta(days=365)
    quarter = today - datetime.timedelta(days=91)
    return [
        ("whole report, no filter (all three years)", {}),
        ("last 12 months", {"start": year_ago, "end": today}),
        ("last 3 months", {"start": quarter, "end": today}),
        ("one OPD, all time", {"org_unit": busiest}),
        ("one OPD, last 12 months", {"org_unit": busiest, "start": year_ago, "end": today}),
        ("from a date on (no end)", {"start": today.replace(month=1, day=1)}),
    ]


def _time_scenarios() -> list[dict]:
    from alur.workflow.monitoring import sop_monitoring

    results = []
    for name, filters in _scenarios():
        report = sop_monitoring(sop_key=PKS, **filters)  # warm-up: caches, the definition's parse
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            sop_monitoring(sop_key=PKS, **filters)
            times.append(time.perf_counter() - started)
        results.append({"name": name, "tasks": report.completions, "median_s": statistics.median(times), "max_s": max(times)})
    return results


def _plan() -> list[str]:
    """EXPLAIN ANALYZE of the statements over tasks that the whole report runs (the first scenario)."""
    from django.db import connection

    from alur.workflow.models import Task
    from alur.workflow.monitoring import sop_monitoring

    statements = []

    def capture(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        sop_monitoring(sop_key=PKS)
    lines = []
    with connection.cursor() as cursor:
        for sql, params in statements:
            if not sql.lstrip().upper().startswith("SELECT") or Task._meta.db_table not in sql:
                continue  # the SOP's version lookups: index scans of a few rows
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + sql, params)
            plan = [row[0] for row in cursor.fetchall()]
            lines.append(" ".join(sql.split())[:90] + " ...")
            lines += ["  " + line for line in plan if line.strip()]
    return lines


if __name__ == "__main__":
    engine.child_entry(_child, "monitoring.py")
