"""BPMN: Alur's engine against SpiffWorkflow executing Alur's BPMN export, completions per second.

What is measured, on SQLite for both: (a) Alur's engine as bench/engine.py measures it, its
`complete_task` timed alone over the same case mix (mostly the straight path, every 10th case
returned by the Karo and resubmitted, every 20th sent back by the Gubernur to the TKKSD); (b)
SpiffWorkflow 3.2.0 running the export of the same SOP (`render_bpmn`) over exactly the paths
Alur's cases took, read back from their Task rows: per round one workflow instance, one row in an
SQLite table (WAL, synchronous=NORMAL, as Alur's database). A timed SpiffWorkflow completion is
what an application must do to complete a task and keep it: set `keputusan`, run the user task,
`do_engine_steps`, `BpmnWorkflowSerializer().serialize_json(workflow)` with the default registry,
and `UPDATE workflow SET state = ?` in a transaction of its own (BEGIN IMMEDIATE ... COMMIT).
Starting an instance and finding the ready task are outside the timed part on both sides.
A second SpiffWorkflow figure also loads the workflow from its row before each completion
(`deserialize_json`), as a request handler that keeps no workflow in memory must.

The figures are printed, never asserted; the issue's target is Alur at least 5 times SpiffWorkflow.
Alur's completion does more than SpiffWorkflow's: it checks who acts and the kelengkapan, and
writes a hash-chained audit event. Also printed: the time `render_bpmn` takes for the PKS SOP.
"""
from __future__ import annotations

import argparse
import json
import os
import sqlite3
import tempfile
import textwrap
import time
from pathlib import Path

import engine

TARGET_RATIO = 5  # Alur at least 5 times SpiffWorkflow, from the issue
RENDER_SAMPLES = 200


# --- parent ---------------------------------------------------------------------------------------------

def main(options: argparse.Namespace) -> None:
    cases = options.cases or engine.DEFAULT_CASES
    print(textwrap.indent("\n\n".join(__doc__.split("\n\n")[1:3]), "  "))
    if options.only == "postgres":
        print("\n  SKIPPED: this comparison runs on SQLite only (--only postgres was given)")
        return
    with tempfile.TemporaryDirectory(prefix="alur-bench-bpmn-") as tmp:
        var_dir = Path(tmp)
        with engine._sqlite(var_dir) as (url, description):
            print(f"\n  Alur: {description}\n  SpiffWorkflow: file {var_dir / 'spiff.sqlite3'} (WAL, synchronous=NORMAL)",
                  flush=True)
            result = engine.run_child(Path(__file__).resolve(), url=url, var_dir=var_dir, cases=cases)
    if result is None:
        print("  FAILED: the benchmark process did not finish (see its output above)")
        return
    _print_report(result)


def _print_report(r: dict) -> None:
    alur, spiff, reload = r["alur"], r["spiff"], r["spiff_reload"]
    print(f"  server: {r['server']}\n  set-up (migrate + demo data) {r['setup_s']:.1f} s, "
          f"{engine.WARMUP_CASES} warm-up cases not counted on either side")
    print(f"\n  {alur['cases']:,} cases, {spiff['rounds']:,} rounds (workflow instances), "
          f"{alur['completions']:,} completions on each side")
    rows = [
        ("Alur complete_task", alur["per_second"], alur["latency_ms"]["mean"], alur["latency_ms"]["p95"]),
        ("SpiffWorkflow: complete + save", spiff["per_second"], spiff["latency_ms"]["mean"], spiff["latency_ms"]["p95"]),
        ("SpiffWorkflow: load + complete + save", reload["per_second"], reload["latency_ms"]["mean"], reload["latency_ms"]["p95"]),
    ]
    for label, rate, mean, p95 in rows:
        print(f"    {label:<40} {rate:>9,.0f} completions/s   mean {mean:.3f} ms   p95 {p95:.3f} ms")
    ratio = alur["per_second"] / spiff["per_second"]
    met = "MET" if ratio >= TARGET_RATIO else "NOT MET"
    print(f"\n    ratio Alur / SpiffWorkflow (complete + save) {ratio:>6.1f}×   target Alur ≥ {TARGET_RATIO}× SpiffWorkflow: {met}")
    print(f"    ratio Alur / SpiffWorkflow (load + complete + save) {alur['per_second'] / reload['per_second']:.1f}×")

    parts = spiff["parts_s"]
    per = lambda seconds: seconds / spiff["completions"] * 1000  # noqa: E731 - ms per completion
    print(f"\n  where SpiffWorkflow's time goes, ms per completion: run the task + engine steps {per(parts['run']):.3f}"
          f"   serialize_json {per(parts['serialize']):.3f}   UPDATE + COMMIT {per(parts['write']):.3f}")
    print(f"    serialized workflow: mean {spiff['state_bytes']['mean'] / 1024:.1f} KiB, "
          f"largest {spiff['state_bytes']['max'] / 1024:.1f} KiB (one row per instance, rewritten per completion)")
    same = "yes" if spiff["mismatches"] == 0 else f"NO, {spiff['mismatches']} rounds differ"
    print(f"    SpiffWorkflow visited the same steps to the same end as Alur in every round: {same}")
    print(f"\n  render_bpmn (PKS SOP, {r['render']['bytes'] / 1024:.1f} KiB of XML): "
          f"{r['render']['median_ms']:.3f} ms (median of {RENDER_SAMPLES}); "
          f"SpiffWorkflow parsing it into a spec: {r['render']['spiff_parse_ms']:.1f} ms")


# --- child: Alur's engine, then SpiffWorkflow over the same paths ------------------------------------

def _child(out: Path, cases: int) -> None:
    setup_s = engine.set_up_database()
    from alur.workflow.models import Case

    walker = engine._Cases()
    walker.run(engine.WARMUP_CASES, engine._plain_complete)
    warmup = _paths(Case.objects.values_list("pk", flat=True))
    before = max(warmup)
    alur = engine._rate_phase(walker, cases)
    paths = _paths(Case.objects.filter(pk__gt=before).values_list("pk", flat=True))

    definition = walker.definition
    store = Path(os.environ["ALUR_VAR_DIR"]) / "spiff.sqlite3"
    spiff_run = _Spiff(definition, store)
    spiff_run.run(warmup.values())  # warm-up, not counted
    spiff = spiff_run.run(paths.values())
    reload = spiff_run.run(paths.values(), reload=True)
    out.write_text(json.dumps({
        "server": engine._server_description(), "setup_s": setup_s, "alur": alur, "spiff": spiff,
        "spiff_reload": reload, "render": _render_timing(definition),
    }))


def _paths(case_ids) -> dict[int, list[dict]]:
    """Per case, per round: the steps Alur's engine opened (by Task id) with the decision taken at
    each, and the end the engine recorded for that round."""
    from alur.workflow.models import AuditEvent, Task

    ids = list(case_ids)
    paths: dict[int, dict[int, dict]] = {}
    for case_id, round_, step_key, outcome in (Task.objects.filter(case_id__in=ids).order_by("id")
                                               .values_list("case_id", "round", "step_key", "outcome")):
        paths.setdefault(case_id, {}).setdefault(round_, {"steps": [], "end": None})["steps"].append((step_key, outcome))
    for case_id, data in (AuditEvent.objects.filter(case_id__in=ids, action="task.completed").order_by("seq")
                          .values_list("case_id", "data")):
        if "ended" in data:
            rounds = paths[case_id]
            next(r for _, r in sorted(rounds.items()) if r["end"] is None)["end"] = data["ended"]["end"]
    return {case_id: [r for _, r in sorted(rounds.items())] for case_id, rounds in paths.items()}


class _Spiff:
    """SpiffWorkflow executing the export, persisting each workflow instance in an SQLite row."""

    def __init__(self, definition, store: Path) -> None:
        from SpiffWorkflow.bpmn.parser import BpmnParser
        from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer

        from alur.sop.render.bpmn import process_id, render_bpmn

        parser = BpmnParser()
        parser.add_bpmn_str(render_bpmn(definition).encode("utf-8"))
        self.spec = parser.get_spec(process_id(definition))
        self.serializer = BpmnWorkflowSerializer()
        self.db = sqlite3.connect(store, isolation_level=None)  # transactions are explicit below
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS workflow (id INTEGER PRIMARY KEY, state TEXT NOT NULL)")

    def _save(self, row: int | None, state: str) -> int:
        self.db.execute("BEGIN IMMEDIATE")
        if row is None:
            row = self.db.execute("INSERT INTO workflow (state) VALUES (?)", (state,)).lastrowid
        else:
            self.db.execute("UPDATE workflow SET state = ? WHERE id = ?", (state, row))
        self.db.execute("COMMIT")
        return row

    def run(self, cases, *, reload: bool = False) -> dict:
        from SpiffWorkflow.bpmn.specs.defaults import EndEvent
        from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
        from SpiffWorkflow.util.task import TaskState

        from alur.sop.render.bpmn import DECISION_VARIABLE, end_id, task_id

        latencies: list[float] = []
        parts = {"run": 0.0, "serialize": 0.0, "write": 0.0}
        sizes: list[int] = []
        rounds = mismatches = 0
        for case in cases:
            for path in case:
                rounds += 1
                # A new instance per round, stored before its first completion (untimed, as Alur's start_case).
                workflow = BpmnWorkflow(self.spec)
                workflow.do_engine_steps()
                row = self._save(None, self.serializer.serialize_json(workflow))
                same = True
                for step_key, outcome in path["steps"]:
                    ready = workflow.get_tasks(state=TaskState.READY, manual=True)
                    if len(ready) != 1 or ready[0].task_spec.bpmn_id != task_id(step_key):
                        same = False
                        break
                    task_uuid = ready[0].id
                    started = time.perf_counter()
                    if reload:
                        [(state,)] = self.db.execute("SELECT state FROM workflow WHERE id = ?", (row,)).fetchall()
                        workflow = self.serializer.deserialize_json(state)
                    task = workflow.get_task_from_id(task_uuid)
                    if outcome:
                        task.set_data(**{DECISION_VARIABLE: outcome})
                    task.run()
                    workflow.do_engine_steps()
                    ran = time.perf_counter()
                    state = self.serializer.serialize_json(workflow)
                    serialized = time.perf_counter()
                    self._save(row, state)
                    done = time.perf_counter()
                    latencies.append(done - started)
                    parts["run"] += ran - started
                    parts["serialize"] += serialized - ran
                    parts["write"] += done - serialized
                    sizes.append(len(state))
                ends = [t.task_spec.bpmn_id for t in workflow.get_tasks(state=TaskState.COMPLETED, spec_class=EndEvent)]
                if not (same and workflow.is_completed() and ends == [end_id(path["end"])]):
                    mismatches += 1
        ordered = sorted(latencies)
        pct = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000  # noqa: E731
        timed = sum(latencies)
        return {
            "rounds": rounds, "completions": len(latencies), "timed_s": timed, "per_second": len(latencies) / timed,
            "latency_ms": {"mean": timed / len(latencies) * 1000, "p50": pct(0.5), "p95": pct(0.95), "max": ordered[-1] * 1000},
            "parts_s": parts, "state_bytes": {"mean": sum(sizes) / len(sizes), "max": max(sizes)}, "mismatches": mismatches,
        }


def _render_timing(definition) -> dict:
    from SpiffWorkflow.bpmn.parser import BpmnParser

    from alur.sop.render.bpmn import process_id, render_bpmn

    times = []
    for _ in range(RENDER_SAMPLES):
        started = time.perf_counter()
        xml = render_bpmn(definition)
        times.append(time.perf_counter() - started)
    started = time.perf_counter()
    parser = BpmnParser()
    parser.add_bpmn_str(xml.encode("utf-8"))
    parser.get_spec(process_id(definition))
    parse_s = time.perf_counter() - started
    return {"median_ms": sorted(times)[RENDER_SAMPLES // 2] * 1000, "bytes": len(xml.encode("utf-8")),
            "spiff_parse_ms": parse_s * 1000}


if __name__ == "__main__":
    engine.child_entry(_child, "bpmn.py")
