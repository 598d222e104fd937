"""Engine: task completions per second through the PKS SOP, on SQLite and on PostgreSQL.

What is measured: `alur.workflow.services.complete_task`, the real service with its database
writes, hash-chained audit event and kelengkapan (required documents) check, called the way the
people of the SOP would call it. Each case is started with `start_case` and every open task is
completed by the demo user who holds the task's role; most cases take the straight path (13
completions), every 10th is returned by the Karo and resubmitted (8 + 13), every 20th is sent back
by the Gubernur to the TKKSD once (15). Steps record what their definition asks (the forum's date
and members; who signs, the Kepala OPD with a surat kuasa in every 5th case), passed as `record=`.
A step's own products (hasil telaahan, notulen, the Governor's disposisi, naskah PKS, dokumen PKS,
and a surat kuasa when chosen) are uploaded with `attach_document` before its completion,
untimed: the timed part is `complete_task` alone, measured with `time.perf_counter` around each
call. Starting cases, uploads and finding the next open task are outside the timed part; they are
in the wall-clock rate.

Each database runs in a child process of its own, because Django's settings are process-wide:
the child gets ALUR_DATABASE_URL and ALUR_VAR_DIR, migrates a fresh database, loads the demo data,
then runs three phases over fresh cases, after a few warm-up cases:

1. rate: no instrumentation; completions/s = completions / summed complete_task time.
2. breakdown: every statement timed through `connection.execute_wrapper` (as Django's backend
   cursor and the driver run it) and COMMIT timed by wrapping the connection's `_commit`; the
   rest of complete_task is Python and the ORM. A bare `SELECT 1` gives the round-trip floor.
3. profile: cProfile enabled around complete_task only, on fewer cases (it slows Python ~2x, so
   read its figures as proportions).

Settings are those of production (ALUR_DEBUG off, so Django keeps no query log); only the demo
users' password hashing is made cheap, as in the tests, because it is set-up, not the engine.
PostgreSQL: a database `alur_bench` (ALUR_BENCH_DATABASE, so that runs side by side do not clash)
is dropped and created on the server of ALUR_BENCH_POSTGRES_URL (default
postgres://postgres@127.0.0.1:5432/test) and dropped afterwards.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DEFAULT_CASES = 120
WARMUP_CASES = 5
TARGET_SQLITE = 2500  # completions/s, from the issue
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test"
BENCH_DATABASE = os.environ.get("ALUR_BENCH_DATABASE", "alur_bench")
PKS = "pks-pihak-ketiga"
TOP = 12


# --- parent: prepare each database, run the child, print its figures ------------------------------

@dataclass
class Database:
    """A database the benchmark runs on. `prepare(var_dir)` yields (url, description) for the child,
    or (None, why) to skip it, and cleans up after the run."""

    key: str
    label: str
    prepare: Callable[[Path], AbstractContextManager[tuple[str | None, str]]]


@contextmanager
def _sqlite(var_dir: Path) -> Iterator[tuple[str | None, str]]:
    path = var_dir / "bench.sqlite3"
    yield f"sqlite:///{path}", f"file {path} (WAL, synchronous=NORMAL, as settings.py configures it)"


@contextmanager
def fresh_postgres(database: str) -> Iterator[tuple[str | None, str]]:
    """A database of its own on the server of ALUR_BENCH_POSTGRES_URL, created for one run and
    dropped afterwards: yields (url, description), or (None, why) when PostgreSQL does not answer."""
    from alur.dbcheck import postgres_answers

    server_url = os.environ.get("ALUR_BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    if not postgres_answers(server_url):
        yield None, f"PostgreSQL does not answer at {server_url} (set ALUR_BENCH_POSTGRES_URL)"
        return
    drop = f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'
    _postgres_admin(server_url, drop, f'CREATE DATABASE "{database}"')
    parts = urlsplit(server_url)
    try:
        yield urlunsplit(parts._replace(path=f"/{database}")), f"database {database} at {parts.hostname}:{parts.port or 5432}, created for this run"
    finally:
        _postgres_admin(server_url, drop)


@contextmanager
def _postgres(var_dir: Path) -> Iterator[tuple[str | None, str]]:
    with fresh_postgres(BENCH_DATABASE) as prepared:
        yield prepared


def run_on_fresh_postgres(module_file: str, database: str, options: argparse.Namespace,
                          print_report: Callable[[dict], None]) -> None:
    """main() of a benchmark that runs on PostgreSQL only: its child process on a fresh database."""
    if options.only == "sqlite":
        print("\n  SKIPPED: this benchmark runs on PostgreSQL only")
        return
    with tempfile.TemporaryDirectory(prefix=f"alur-bench-{Path(module_file).stem}-") as tmp, \
            fresh_postgres(database) as (url, description):
        if url is None:
            print(f"\n  SKIPPED: {description}")
            return
        print(f"\n  {description}", flush=True)
        result = run_child(Path(module_file).resolve(), url=url, var_dir=Path(tmp), cases=options.cases or 0)
    if result is None:
        print("  FAILED: the benchmark process did not finish (see its output above)")
        return
    print_report(result)


def _postgres_admin(server_url: str, *statements: str) -> None:
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(server_url)
    with psycopg.connect(host=config["HOST"] or None, port=config["PORT"] or None, user=config["USER"] or None,
                         password=config["PASSWORD"] or None, dbname=config["NAME"] or "postgres",
                         autocommit=True, connect_timeout=5) as admin:
        for statement in statements:
            admin.execute(statement)


DATABASES = [
    Database("sqlite", "SQLite", _sqlite),
    Database("postgres", "PostgreSQL", _postgres),
]


def main(options: argparse.Namespace) -> None:
    cases = options.cases or DEFAULT_CASES
    print(textwrap.indent(__doc__.split("\n\n")[1], "  "))
    load, cpus = os.getloadavg()[0], os.cpu_count()
    print(f"\n  load average {load:.2f} on {cpus} CPUs at the start"
          + (": other work is running, expect noisy figures" if load > 0.5 * (cpus or 1) else ""))
    results = {}
    for database in DATABASES:
        if options.only and options.only != database.key:
            continue
        print(f"\n--- {database.label} " + "-" * (95 - len(database.label)), flush=True)
        with tempfile.TemporaryDirectory(prefix=f"alur-bench-{database.key}-") as tmp:
            var_dir = Path(tmp)
            with database.prepare(var_dir) as (url, description):
                if url is None:
                    print(f"  SKIPPED: {description}")
                    continue
                print(f"  {description}")
                result = run_child(Path(__file__).resolve(), url=url, var_dir=var_dir, cases=cases)
        if result is None:
            print(f"  FAILED: the benchmark process for {database.label} did not finish (see its output above)")
            continue
        results[database.label] = result
        _print_report(result, target=TARGET_SQLITE if database.key == "sqlite" else None)
    if len(results) > 1:
        print("\n  summary: " + "   ".join(f"{label} {r['rate']['per_second']:,.0f} completions/s"
                                          for label, r in results.items()))


def run_child(script: Path, *, url: str, var_dir: Path, cases: int) -> dict | None:
    """Run a benchmark script's `--child` part on one database, in production settings;
    its figures come back through a JSON file (None if the child failed)."""
    out = var_dir / "result.json"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "alur.settings",
        "ALUR_DATABASE_URL": url,
        "ALUR_VAR_DIR": str(var_dir),
        "ALUR_SECRET_KEY": "alur-bench-not-secret",
        "ALUR_DEBUG": "0",
    }
    command = [sys.executable, str(script), "--child", str(out), "--cases", str(cases)]
    if subprocess.run(command, env=env).returncode != 0 or not out.exists():
        return None
    return json.loads(out.read_text())


def _print_report(r: dict, *, target: int | None) -> None:
    rate, lat, br, prof = r["rate"], r["rate"]["latency_ms"], r["breakdown"], r["profile"]
    print(f"  server: {r['server']}\n  set-up (migrate + demo data) {r['setup_s']:.1f} s, "
          f"{WARMUP_CASES} warm-up cases not counted")
    verdict = ""
    if target:
        met = "MET" if rate["per_second"] >= target else "NOT MET"
        verdict = f"   target ≥ {target:,}/s: {met} ({rate['per_second'] / target:.0%} of target)"
    print(f"\n  {rate['cases']:,} cases, {rate['completions']:,} completions (timed: complete_task only)")
    print(f"    completions/s          {rate['per_second']:>9,.0f}/s{verdict}")
    print(f"    wall-clock rate        {rate['wall_per_second']:>9,.0f}/s   (with start_case, uploads, finding the next task)")
    print(f"    latency per completion   mean {lat['mean']:.3f} ms   p50 {lat['p50']:.3f}   p95 {lat['p95']:.3f}"
          f"   p99 {lat['p99']:.3f}   max {lat['max']:.1f}")

    n = br["completions"]
    per = lambda seconds: seconds / n * 1000  # noqa: E731 - ms per completion
    python_s = br["total_s"] - br["sql_s"] - br["commit_s"]
    kinds = "  ".join(f"{k} {v / n:.1f}" for k, v in br["kinds"].items())
    print(f"\n  where the time goes ({br['cases']} cases, {n:,} completions, every statement timed; "
          f"{n / br['total_s']:,.0f}/s instrumented)")
    print(f"    queries per completion {br['queries'] / n:>6.1f}     {kinds}")
    trips = br["queries"] / n + 1 + br["hidden_begin"]  # the statements, COMMIT, psycopg's BEGIN
    begin = ", psycopg's BEGIN" if br["hidden_begin"] else ""
    print(f"    round trips            {trips:>6.1f}     (statements, COMMIT{begin}); at the {br['round_trip_us']:.0f} us "
          f"of a bare SELECT 1 that is {trips * br['round_trip_us'] / 1000:.3f} ms per completion")
    for label, seconds in (("SQL execution", br["sql_s"]), ("COMMIT", br["commit_s"]), ("Python / ORM (the rest)", python_s)):
        print(f"    {label:<24}{seconds / br['total_s']:>5.0%}    {per(seconds):.3f} ms per completion")
    first = " (PostgreSQL: the first statement's time includes psycopg's BEGIN)" if br["hidden_begin"] else ""
    print(f"\n    per completion   us each   of SQL   statement{first}")
    for shape, count, seconds in br["shapes"]:
        print(f"    {count / n:>14.2f}   {seconds / count * 1e6:>7.0f}   {seconds / br['sql_s']:>6.0%}   {shape}")

    print(f"\n  profile ({prof['cases']} cases, {prof['completions']:,} completions under cProfile; "
          f"complete_task {prof['total_s'] / prof['completions'] * 1000:.3f} ms each when profiled)")
    print("    by cumulative time, alur/ and django/ frames:")
    _print_profile(prof["cumulative"], prof)
    print("    by own time (self), all frames:")
    _print_profile(prof["self"], prof)


def _print_profile(rows: list, prof: dict) -> None:
    print(f"      {'ms/compl':>8}  {'share':>5}  {'calls/compl':>11}  function")
    for name, calls, seconds in rows:
        print(f"      {seconds / prof['completions'] * 1000:>8.3f}  {seconds / prof['total_s']:>5.0%}  "
              f"{calls / prof['completions']:>11.1f}  {name}")


# --- child: one database, set up from the environment -----------------------------------------------

def set_up_database() -> float:
    """In a child process: set Django up, migrate the fresh database and load the demo data
    (with a cheap password hasher: that is set-up, not the engine). Returns the seconds it took."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import override_settings

    from alur.demo import load_demo

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        load_demo()
    return time.perf_counter() - started


def _child(out: Path, cases: int) -> None:
    setup_s = set_up_database()
    from django.db import connection

    walker = _Cases()
    walker.run(WARMUP_CASES, _plain_complete)
    rate = _rate_phase(walker, cases)
    breakdown = _breakdown_phase(walker, max(cases // 4, 20))
    profile = _profile_phase(walker, max(cases // 10, 10))
    server = _server_description()
    breakdown["round_trip_us"] = _round_trip_us()
    # psycopg opens a transaction with a BEGIN of its own before the first statement, a round trip
    # the execute wrapper does not see; SQLite's BEGIN IMMEDIATE is a statement Django executes.
    breakdown["hidden_begin"] = connection.vendor == "postgresql"
    out.write_text(json.dumps({"server": server, "setup_s": setup_s, "rate": rate, "breakdown": breakdown, "profile": profile}))


def _server_description() -> str:
    """The server's version and the settings that decide what a COMMIT costs."""
    from django.db import connection

    if connection.vendor == "sqlite":
        queries = {"sqlite": "select sqlite_version()", "journal_mode": "pragma journal_mode", "synchronous": "pragma synchronous"}
    else:
        queries = {"postgresql": "show server_version", "synchronous_commit": "show synchronous_commit",
                   "fsync": "show fsync", "wal_sync_method": "show wal_sync_method"}
    with connection.cursor() as cursor:
        values = {}
        for name, query in queries.items():
            cursor.execute(query)
            values[name] = cursor.fetchone()[0]
    (engine, version), *settings = values.items()
    return f"{engine} {version.split()[0]} (" + ", ".join(f"{k}={v}" for k, v in settings) + ")"


def _round_trip_us(samples: int = 500) -> float:
    """The median time of a bare `SELECT 1` through Django's cursor: the floor under every statement."""
    from django.db import connection

    times = []
    with connection.cursor() as cursor:
        for _ in range(samples):
            started = time.perf_counter()
            cursor.execute("SELECT 1")
            cursor.fetchone()
            times.append(time.perf_counter() - started)
    return sorted(times)[samples // 2] * 1e6


def _plain_complete(**kwargs) -> None:
    from alur.workflow.services import complete_task

    complete_task(**kwargs)


class _Cases:
    """Starts PKS cases and walks each to its end as the demo users holding each step's role.

    `run(n, complete)` hands every completion to `complete(**complete_task kwargs)`, which is
    where a phase times or instruments it; everything else here is untimed."""

    def __init__(self) -> None:
        from django.contrib.auth import get_user_model

        from alur.demo import USERS
        from alur.org.models import OrgUnit
        from alur.workflow.definitions import definition_of
        from alur.workflow.services import newest_version

        users = {u.username: u for u in get_user_model().objects.all()}
        self.definition = definition_of(newest_version(PKS))
        # Demo users hold one role each; the Kepala OPD acts only for cases of his own OPD.
        self.by_role = {role: users[name] for name, _, role, _ in USERS if role != "kepala_opd"}
        self.opds = [(OrgUnit.objects.get(code=code), users[f"kepala_{code}"]) for code in ("dispar", "dkp")]
        self.intake = users["pengelola"]
        self.count = 0

    @staticmethod
    def _pdf(kind: str):
        from alur.workflow.services import Attachment

        return Attachment(kind=kind, name=f"{kind}.pdf", content=f"%PDF-1.4 {kind}".encode(), content_type="application/pdf")

    @staticmethod
    def _record(step, outcome: str | None, number: int) -> tuple[dict[str, str], tuple[str, ...]]:
        """What the step records, as its people fill it in, and the documents the chosen values
        call for. Choice fields take their first value, except in every 5th case the last (for
        the PKS: the Kepala OPD signs, with a surat kuasa)."""
        record, documents = {}, ()
        for field in step.record:
            if not field.applies_to(outcome or ""):
                continue
            if field.type == "choice":
                value = field.choices[-1 if number % 5 == 2 else 0][0]
                documents += dict(field.documents).get(value, ())
            else:
                value = "2026-11-20" if field.type == "date" else "Sekda (ketua), Asisten I, Karo Pemerintahan"
            record[field.key] = value
        return record, documents

    def _sent_back(self, number: int) -> dict[str, list[str]]:
        """The decisions that go against the straight path for case `number`, once each."""
        if number % 10 == 9:
            return {"periksa_karo": ["tidak_setuju"]}  # returned to the OPD, then resubmitted
        if number % 20 == 4:
            return {"keputusan_gubernur": ["tidak_setuju"]}  # back to the TKKSD for a second forum
        return {}

    def run(self, n: int, complete: Callable[..., None]) -> int:
        """Walk n new cases to their end; returns the number of completions."""
        from alur.workflow.models import Case, Task
        from alur.workflow.services import attach_document, resubmit_case, start_case

        completions = 0
        for _ in range(n):
            number, self.count = self.count, self.count + 1
            org_unit, kepala = self.opds[number % len(self.opds)]
            sent_back = self._sent_back(number)
            case = start_case(sop_key=PKS, title=f"PKS bench #{number}", org_unit=org_unit, actor=self.intake,
                              attachments=[self._pdf("draft_pks")])
            while True:
                task = Task.objects.filter(case=case, status=Task.Status.OPEN).only("pk", "step_key", "role_key").first()
                if task is None:
                    case.refresh_from_db(fields=["status"])
                    if case.status != Case.Status.RETURNED:
                        break
                    resubmit_case(case_id=case.pk, actor=self.intake, attachments=[self._pdf("draft_pks")])
                    continue
                step = self.definition.step(task.step_key)
                actor = kepala if task.role_key == "kepala_opd" else self.by_role[task.role_key]
                outcome, note = None, ""
                if step.is_decision:
                    pending = sent_back.get(step.key)
                    outcome = pending.pop(0) if pending else "setuju"
                    note = "Perlu perbaikan (bench)." if outcome == "tidak_setuju" else ""
                record, chosen_documents = self._record(step, outcome, number)
                for kind in (*step.produces, *chosen_documents):
                    attach_document(task_id=task.pk, actor=actor, attachment=self._pdf(kind))
                complete(task_id=task.pk, actor=actor, outcome=outcome, note=note, record=record)
                completions += 1
        return completions


def _rate_phase(cases: _Cases, n: int) -> dict:
    from alur.workflow.services import complete_task

    latencies: list[float] = []

    def complete(**kwargs) -> None:
        started = time.perf_counter()
        complete_task(**kwargs)
        latencies.append(time.perf_counter() - started)

    wall = time.perf_counter()
    completions = cases.run(n, complete)
    wall = time.perf_counter() - wall
    timed = sum(latencies)
    ordered = sorted(latencies)
    pct = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000  # noqa: E731
    return {
        "cases": n, "completions": completions, "timed_s": timed, "wall_s": wall,
        "per_second": completions / timed, "wall_per_second": completions / wall,
        "latency_ms": {"mean": timed / completions * 1000, "p50": pct(0.50), "p95": pct(0.95), "p99": pct(0.99),
                       "max": ordered[-1] * 1000},
    }


_TABLE = re.compile(r'\b(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', re.IGNORECASE)
_JOINS = re.compile(r'\bJOIN\s+"?(\w+)"?', re.IGNORECASE)
_WHERE = re.compile(r'\bWHERE\s+\(?(?:"?\w+"?\.)?"?(\w+)"?', re.IGNORECASE)


_SUBQUERY = re.compile(r"\(\s*SELECT\b", re.IGNORECASE)


def _without_subqueries(sql: str) -> tuple[str, int]:
    """The statement with every parenthesised `(SELECT ...)` cut out, and how many there were."""
    count = 0
    while match := _SUBQUERY.search(sql):
        depth, end = 0, match.start()
        for end in range(match.start(), len(sql)):
            depth += {"(": 1, ")": -1}.get(sql[end], 0)
            if depth == 0:
                break
        sql, count = sql[:match.start()] + sql[end + 1:], count + 1
    return sql, count


def _shape(sql: str) -> str:
    """A statement without its values: verb, table, joined tables, first WHERE column, subqueries,
    FOR UPDATE. Statements of the same shape are added up in the report."""
    verb = sql.split(None, 1)[0].upper()
    outer, subqueries = _without_subqueries(sql)
    table = _TABLE.search(outer)
    if verb not in {"SELECT", "INSERT", "UPDATE", "DELETE"} or table is None:
        return " ".join(sql.split()[:2]).split('"')[0].strip()  # BEGIN IMMEDIATE, SAVEPOINT ...
    shape = f"{verb} {table.group(1)}"
    joins = _JOINS.findall(outer)
    if joins:
        shape += " + " + ", ".join(joins)
    where = _WHERE.search(outer)
    if where and verb != "INSERT":
        shape += f" where {where.group(1)}"
    if subqueries:
        shape += f" (+{subqueries} subquer{'y' if subqueries == 1 else 'ies'})"
    if re.search(r"\bFOR UPDATE\b", sql, re.IGNORECASE):
        shape += " FOR UPDATE"
    return shape


def _breakdown_phase(cases: _Cases, n: int) -> dict:
    from django.db import connections

    from alur.workflow.services import complete_task

    connection = connections["default"]
    totals = {"sql_s": 0.0, "commit_s": 0.0, "total_s": 0.0, "queries": 0}
    by_text: dict[str, list] = {}  # statement text -> [count, seconds]; shaped after the phase
    active = False

    def timed_statement(execute, sql, params, many, context):
        if not active:
            return execute(sql, params, many, context)
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            seconds = time.perf_counter() - started
            totals["sql_s"] += seconds
            totals["queries"] += 1
            entry = by_text.setdefault(sql, [0, 0.0])
            entry[0] += 1
            entry[1] += seconds

    plain_commit = connection._commit

    def timed_commit():
        if not active:
            return plain_commit()
        started = time.perf_counter()
        try:
            return plain_commit()
        finally:
            totals["commit_s"] += time.perf_counter() - started

    def complete(**kwargs) -> None:
        nonlocal active
        active = True
        started = time.perf_counter()
        try:
            complete_task(**kwargs)
        finally:
            totals["total_s"] += time.perf_counter() - started
            active = False

    connection._commit = timed_commit  # an instance attribute: the class's method is untouched
    try:
        with connection.execute_wrapper(timed_statement):
            completions = cases.run(n, complete)
    finally:
        del connection._commit
    shapes: dict[str, list] = {}
    for text, (count, seconds) in by_text.items():
        entry = shapes.setdefault(_shape(text), [0, 0.0])
        entry[0] += count
        entry[1] += seconds
    kinds: dict[str, int] = {}
    for shape, (count, _) in shapes.items():
        kind = shape.split()[0]
        kinds[kind] = kinds.get(kind, 0) + count
    return {
        **totals, "cases": n, "completions": completions, "kinds": kinds,
        "shapes": sorted(([s, c, t] for s, (c, t) in shapes.items()), key=lambda row: -row[2]),
    }


def _frame_name(key: tuple) -> str:
    filename, line, function = key
    if filename == "~":  # a built-in (C) function: its name says it all
        return re.sub(r" at 0x[0-9a-f]+", "", function)
    filename = re.sub(r"^.*?(/site-packages/|/src/|/lib/python3\.\d+/)", "", filename)
    return f"{filename}:{line}({function})"


def _profile_phase(cases: _Cases, n: int) -> dict:
    import cProfile
    import pstats

    from alur.workflow.services import complete_task

    profiler = cProfile.Profile()
    total = 0.0  # complete_task as its callers see it: with the commit of its atomic decorator

    def complete(**kwargs) -> None:
        nonlocal total
        started = time.perf_counter()
        profiler.enable()
        try:
            complete_task(**kwargs)
        finally:
            profiler.disable()
            total += time.perf_counter() - started

    completions = cases.run(n, complete)
    stats = pstats.Stats(profiler).stats  # (file, line, function) -> (prim calls, calls, own s, cumulative s, callers)
    ours = [(k, v) for k, v in stats.items() if "/alur/" in k[0] or "/django/" in k[0]]
    cumulative = sorted(ours, key=lambda kv: -kv[1][3])[:TOP]
    own = sorted(stats.items(), key=lambda kv: -kv[1][2])[:TOP]
    return {
        "cases": n, "completions": completions, "total_s": total,
        "cumulative": [[_frame_name(k), v[1], v[3]] for k, v in cumulative],
        "self": [[_frame_name(k), v[1], v[2]] for k, v in own],
    }


def child_entry(child: Callable[[Path, int], None], module: str) -> None:
    """The `__main__` of a benchmark module: the child process `run_child` starts, or a refusal."""
    if len(sys.argv) >= 3 and sys.argv[1] == "--child":
        parser = argparse.ArgumentParser()
        parser.add_argument("--child", type=Path, required=True)
        parser.add_argument("--cases", type=int, required=True)
        args = parser.parse_args()
        child(args.child, args.cases)
    else:
        sys.exit(f"bench/{module} is run by bench/run.py (`make bench`).")


if __name__ == "__main__":
    child_entry(_child, "engine.py")
