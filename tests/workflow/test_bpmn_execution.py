"""SpiffWorkflow 3.2.0 executing the BPMN export visits exactly the steps Alur's engine visits, in
the same order, and reaches the same end, on every path of the PKS SOP.

Alur's side is the real engine (the conftest Walker completing tasks as the demo users); what it
did is read back from its Task rows (ordered by id) and the audit events that record each end.
SpiffWorkflow's side gets the same decisions, in the same order. A returned draft that is
resubmitted is a new round of the same case in Alur and a new workflow instance in BPMN, so the
comparison is per round.
"""
from __future__ import annotations

import pytest

from alur.sop.render.bpmn import render_bpmn
from alur.workflow.definitions import definition_of
from alur.workflow.models import AuditEvent, Case, Task
from alur.workflow.services import resubmit_case
from tests.conftest import pdf
from tests.sop.test_bpmn import Run, run_in_spiff

# The decisions taken in each round, in order (Karo, TKKSD, Gubernur, ... as the path meets them),
# and how many steps each round takes.
PATHS = {
    "straight": ([["setuju", "setuju", "setuju"]], [13]),
    "karo returns": ([["tidak_setuju"]], [8]),
    "tkksd returns through karo then pengelola": ([["setuju", "tidak_setuju"]], [10]),
    "gubernur sends back to tkksd which then approves": ([["setuju", "setuju", "tidak_setuju", "setuju", "setuju"]], [15]),
    "returned draft resubmitted": ([["tidak_setuju"], ["setuju", "setuju", "setuju"]], [8, 13]),
    "returned by tkksd, resubmitted, sent back by the gubernur": (
        [["setuju", "tidak_setuju"], ["setuju", "setuju", "tidak_setuju", "setuju", "setuju"]], [10, 15]),
}


def run_in_alur(walker, users, rounds: list[list[str]]) -> list[tuple[Run, list[str]]]:
    """Walk the case through each round with the given decisions, resubmitting after a return.
    Returns, per round, what the engine recorded: the steps it opened (by Task id) and the end it
    reached, with the decisions its tasks hold."""
    for number, decisions in enumerate(rounds, start=1):
        if number > 1:
            assert walker.case.status == Case.Status.RETURNED
            resubmit_case(case_id=walker.case.pk, actor=users["kepala_dispar"], attachments=[pdf("draft_pks", "perbaikan")])
            walker.case.refresh_from_db()
        pending = list(decisions)
        definition = definition_of(walker.case.sop_version)
        while walker.case.status == Case.Status.RUNNING:
            step = definition.step(walker.open_task.step_key)
            walker.step(pending.pop(0) if step.is_decision else None)
        assert pending == [], f"round {number} ended with decisions left: {pending}"

    tasks = list(Task.objects.filter(case=walker.case).order_by("id").values_list("round", "step_key", "outcome"))
    ends = [event.data["ended"]["end"] for event in
            AuditEvent.objects.filter(case=walker.case, action="task.completed").order_by("seq") if "ended" in event.data]
    assert len(ends) == len(rounds)
    return [
        (Run([key for r, key, _ in tasks if r == number], end), [outcome for r, _, outcome in tasks if r == number and outcome])
        for number, end in enumerate(ends, start=1)
    ]


@pytest.mark.parametrize(("rounds", "lengths"), PATHS.values(), ids=PATHS.keys())
def test_spiffworkflow_visits_the_steps_alurs_engine_does_round_by_round(walker, users, rounds, lengths):
    alur = run_in_alur(walker, users, rounds)
    definition = definition_of(walker.case.sop_version)  # the version the case ran on
    xml = render_bpmn(definition)

    # Each round is a new workflow instance, given the decisions the engine's tasks recorded.
    spiff = [run_in_spiff(definition, decisions, xml=xml) for _, decisions in alur]

    assert spiff == [run for run, _ in alur]
    assert [decisions for _, decisions in alur] == rounds
    assert [len(run.steps) for run, _ in alur] == lengths
    assert [run.end for run, _ in alur] == ["dikembalikan"] * (len(rounds) - 1) + [walker.case.end_key]
