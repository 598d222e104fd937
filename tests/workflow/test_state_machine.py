"""Random decisions through the PKS SOP, several cases at once, with the engine's real services.

A Hypothesis state machine registers drafts, completes open tasks as the right people (each
decision setuju or tidak setuju, with what the step records: the forum's date and members, and
on the Governor's setuju who signs, the Governor or the Kepala OPD with a surat kuasa), resubmits
returned drafts, claims tasks, and now and then tries something the engine must refuse: a person
who does not hold the step's role, a step that yields a document completed without it, tidak
setuju without a reason, an outcome on a step that is not a decision, a required record field
left out, the Kepala OPD chosen to sign without the surat kuasa, a task that is already done, a
resubmission by the wrong person or without the new draft. A refusal must raise the right
WorkflowError and change nothing: the same tasks in the same state (what they recorded
included), the same documents, the same number of audit events.

After every step, for every case the machine started:
- a running case has exactly as many open tasks as the SOP allows (one, because no move of the
  definition opens more than one step), and it is the step the definition leads to; a returned or
  registered case has none;
- a case reaches registration (completed, end teregistrasi) only when its final round holds a
  setuju of each decision on the straight path (periksa_karo, bahas_tkksd, keputusan_gubernur),
  the last bahas_tkksd and keputusan_gubernur of the round included; the signing steps are never
  opened in a round that lacks these approvals;
- every task of a round is the target of the task completed before it in that round, under that
  task's outcome, starting from the SOP's first step (the engine follows the definition);
- every completed task holds exactly the record fields its step asks for under its outcome, and a
  choice that calls for documents (the Kepala OPD signing) has them, uploaded in that task;
- every completion, start and resubmission has its audit event, and the audit chain verifies.

Hypothesis runs many examples inside the one test, and the test database is not reset between
them. Each example therefore runs in a savepoint that is rolled back at its end, so examples do
not see each other's cases; and the invariants only look at the machine's own cases anyway. At
the end the test checks that the runs reached registration, returns, resubmissions and the
common refusals, so a machine that never got anywhere cannot pass.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle, RuleBasedStateMachine, consumes, invariant, multiple, precondition, rule, run_state_machine_as_test,
)

from alur.org.models import OrgUnit
from alur.sop import DECISION_OUTCOMES
from alur.workflow.audit import display_name, verify_chain
from alur.workflow.definitions import definition_of
from alur.workflow.errors import InvalidInput, MissingDocuments, NotAllowed, TaskNotOpen
from alur.workflow.models import AuditEvent, Case, Document, Task
from alur.workflow.services import claim_task, complete_task, newest_version, resubmit_case, start_case
from tests.conftest import ACTORS, PKS, pdf

OPDS = ("dispar", "dkp")
MAX_CASES = 4  # in flight per example
# Weighted towards setuju so that cases get through all three decisions often enough.
OUTCOMES = st.sampled_from(["setuju", "setuju", "tidak_setuju"])
# Which value a choice field takes (the index into its choices): who signs the PKS.
CHOICES = st.integers(0, 7)
SAMPLE_VALUES = {"date": "2026-11-20", "text": "Sekda (ketua), Asisten I, Karo Pemerintahan",
                 "lines": "Dinas Pariwisata\nPT Maju Jaya"}


def record_of(step, outcome: str | None, choice: int = 0) -> tuple[dict[str, str], list[str]]:
    """What the step records under the outcome, filled in as its people would, and the documents
    the chosen values call for (a surat kuasa when the Kepala OPD signs). Worked out from the
    definition alone, so the machine follows whatever record fields the SOP declares."""
    record, documents = {}, []
    for field in step.record:
        if not field.applies_to(outcome or ""):
            continue
        if field.type == "choice":
            value = field.choices[choice % len(field.choices)][0]
            documents += dict(field.documents).get(value, ())
        else:
            value = SAMPLE_VALUES[field.type]
        record[field.key] = value
    return record, documents


@dataclass
class Expected:
    """What the machine expects of one case, worked out from the definition alone."""

    at: str  # the step whose task is open, or the end the case reached
    round: int = 1
    moves: list[tuple[int, str, str]] = field(default_factory=list)  # (round, step, outcome) completed
    records: list[dict[str, str]] = field(default_factory=list)  # what each of those moves recorded


def snapshot(case_id: int) -> dict:
    """Everything a refused action must leave as it was."""
    return {
        "case": Case.objects.filter(pk=case_id).values_list("status", "round", "end_key", "ended_at").get(),
        "tasks": list(Task.objects.filter(case_id=case_id).order_by("pk").values_list(
            "pk", "status", "assignee_id", "claimed_at", "completed_at", "completed_by_id", "outcome", "note", "data")),
        "documents": list(Document.objects.filter(case_id=case_id).order_by("pk").values_list("pk", "kind", "version")),
        "events": AuditEvent.objects.count(),
    }


def test_random_decisions_through_the_pks_sop_keep_its_invariants(users):
    definition = definition_of(newest_version(PKS))

    # How many tasks one move opens: a decision takes one outcome; a plain step opens all its
    # targets. The PKS SOP is sequential, so a running case has exactly this many open (one).
    opened_per_move = {1 if step.is_decision else len(step.targets) for step in definition.steps}
    assert opened_per_move == {1}
    open_while_running = 1

    straight = definition.straight_path()
    approvals = tuple(step.key for step in straight if step.is_decision)
    assert approvals == ("periksa_karo", "bahas_tkksd", "keputusan_gubernur")
    registration = straight[-1].target()
    assert registration == "teregistrasi" and not definition.end(registration).resubmittable
    returned = next(end.key for end in definition.ends if end.resubmittable)
    after_approvals = {step.key for step in straight[straight.index(definition.step(approvals[-1])) + 1:]}
    # A choice that calls for documents of its own: the Governor's setuju signed by the Kepala OPD.
    (signer,) = [f for f in definition.step("keputusan_gubernur").record if f.documents]
    assert (signer.key, signer.when, dict(signer.documents)) == ("penandatangan", "setuju", {"kepala_opd": ("surat_kuasa",)})
    usernames = sorted(users)
    seen = Counter()  # what the runs covered, over all examples

    def right_actor(task: Task):
        if definition.role(task.role_key).scope == "opd":
            return users[f"kepala_{OrgUnit.objects.get(pk=task.org_unit_id).code}"]
        return users[ACTORS[task.role_key]]

    def pick(candidates: list[str], index: int):
        return users[candidates[index % len(candidates)]]

    class PksCases(RuleBasedStateMachine):
        in_flight = Bundle("in_flight")  # running or returned cases

        def __init__(self):
            super().__init__()
            self._example = transaction.atomic()
            self._example.__enter__()
            self.expected: dict[int, Expected] = {}
            self.registered: list[int] = []

        def teardown(self):
            transaction.set_rollback(True)
            self._example.__exit__(None, None, None)

        # --- what people do ---------------------------------------------------------------------

        @precondition(lambda self: len(self.expected) < MAX_CASES)
        @rule(target=in_flight, opd=st.sampled_from(OPDS))
        def register_a_draft(self, opd):
            case = start_case(sop_key=PKS, title=f"PKS uji acak {opd}", org_unit=OrgUnit.objects.get(code=opd),
                              actor=users["pengelola"], attachments=[pdf("draft_pks")])
            self.expected[case.pk] = Expected(at=definition.start)
            return case.pk

        @rule(target=in_flight, case_id=consumes(in_flight), outcome=OUTCOMES, choice=CHOICES,
              resubmitter=st.sampled_from(["kepala_opd", "pengelola"]), claim_first=st.booleans())
        def act_on_the_case(self, case_id, outcome, choice, resubmitter, claim_first):
            """Complete the open task as its actor (having claimed it, or not), or resubmit a returned draft."""
            self._move(case_id, outcome, resubmitter, claim_first, choice=choice)
            return multiple() if case_id in self.registered else multiple(case_id)

        @rule(target=in_flight, case_id=consumes(in_flight), outcomes=st.lists(OUTCOMES, min_size=1, max_size=3),
              choice=CHOICES)
        def work_through_to_the_next_decisions(self, case_id, outcomes, choice):
            """Plain steps have no choice in them: run through them up to a few decisions."""
            for outcome in outcomes:
                while case_id not in self.registered:
                    completed = self._move(case_id, outcome, "kepala_opd", choice=choice)
                    if completed and definition.step(completed).is_decision:
                        break
            return multiple() if case_id in self.registered else multiple(case_id)

        def _move(self, case_id: int, outcome: str, resubmitter: str, claim_first: bool = False, *, choice: int = 0) -> str:
            """One move of the case; returns the step it completed ('' for a resubmission)."""
            case = Case.objects.select_related("org_unit").get(pk=case_id)
            expected = self.expected[case_id]
            if case.status == Case.Status.RETURNED:
                actor = users[f"kepala_{case.org_unit.code}" if resubmitter == "kepala_opd" else resubmitter]
                resubmit_case(case_id=case_id, actor=actor, attachments=[pdf("draft_pks", f"putaran {case.round + 1}")])
                expected.round += 1
                expected.at = definition.start
                seen["resubmitted"] += 1
                return ""
            task = Task.objects.get(case_id=case_id, status=Task.Status.OPEN)
            step = definition.step(task.step_key)
            actor = right_actor(task)
            if claim_first:
                assert claim_task(task_id=task.pk, actor=actor).assignee.pk == actor.pk
                seen["claimed"] += 1
            outcome = outcome if step.is_decision else ""
            note = "Perlu perbaikan." if outcome == "tidak_setuju" else ""
            record, chosen_documents = record_of(step, outcome, choice)
            complete_task(task_id=task.pk, actor=actor, outcome=outcome or None, note=note, record=record,
                          attachments=[pdf(kind, f"{case_id}-{task.pk}") for kind in (*step.produces, *chosen_documents)])
            expected.moves.append((expected.round, step.key, outcome))
            expected.records.append(record)
            expected.at = step.target(outcome or None)
            seen[f"{step.key}:{outcome}" if outcome else "plain"] += 1
            if signer.key in record:
                seen[f"signed_by:{record[signer.key]}"] += 1
            if expected.at == registration:
                self.registered.append(case_id)
                seen["registered"] += 1
            elif not definition.is_step(expected.at):
                seen["returned"] += 1
            return step.key

        # --- what the engine must refuse ----------------------------------------------------------

        @rule(case_id=in_flight, kind=st.integers(0, 13), who=st.integers(0, 50))
        def try_something_refused(self, case_id, kind, who):
            case = Case.objects.select_related("org_unit").get(pk=case_id)
            before = snapshot(case_id)
            if case.status == Case.Status.RETURNED:
                how = self._refused_resubmission(case, kind, who)
            else:
                how = self._refused_completion(case, kind, who)
            assert snapshot(case_id) == before, f"the refused {how} changed case #{case_id}"
            seen[f"refused:{how}"] += 1

        @precondition(lambda self: self.registered)
        @rule(data=st.data())
        def try_to_act_on_a_registered_case(self, data):
            case_id = data.draw(st.sampled_from(self.registered))
            before = snapshot(case_id)
            last = Task.objects.filter(case_id=case_id).order_by("-pk").first()
            with pytest.raises(TaskNotOpen):
                complete_task(task_id=last.pk, actor=last.completed_by)
            with pytest.raises(InvalidInput):
                resubmit_case(case_id=case_id, actor=users["pengelola"], attachments=[pdf("draft_pks")])
            assert snapshot(case_id) == before
            seen["refused:act_on_registered"] += 1

        @precondition(lambda self: any(e.at == returned for e in self.expected.values()))
        @rule(data=st.data(), kind=st.integers(0, 1), who=st.integers(0, 50))
        def try_a_wrong_resubmission(self, data, kind, who):
            case_id = data.draw(st.sampled_from([pk for pk, e in self.expected.items() if e.at == returned]))
            before = snapshot(case_id)
            how = self._refused_resubmission(Case.objects.select_related("org_unit").get(pk=case_id), kind, who)
            assert snapshot(case_id) == before, f"the refused {how} changed case #{case_id}"
            seen[f"refused:{how}"] += 1

        def _refused_completion(self, case: Case, kind: int, who: int) -> str:
            """Try one of the refusals that apply to the open task; return which."""
            task = Task.objects.get(case_id=case.pk, status=Task.Status.OPEN)
            step = definition.step(task.step_key)
            actor = right_actor(task)
            outcome = "setuju" if step.is_decision else None
            products = [pdf(k) for k in step.produces]
            # Everything else right, so that each attempt is refused for the one reason it is about.
            record, _ = record_of(step, outcome)
            required = [f for f in step.record if f.required and f.applies_to(outcome or "")]
            with_documents = [(f, value, docs) for f in step.record if f.applies_to(outcome or "") for value, docs in f.documents]
            done = Task.objects.filter(case_id=case.pk, status=Task.Status.DONE).order_by("-pk").first()
            applicable = ["missing_product"] if step.produces else []
            applicable += ["no_reason" if step.is_decision else "outcome_on_plain_step"]
            applicable += ["missing_record"] if required else []
            applicable += ["missing_chosen_document"] if with_documents else []
            applicable += ["stale"] if done is not None else []
            applicable += ["wrong_user"]
            how = applicable[kind % len(applicable)]
            if how == "wrong_user":
                # Anyone else, including the other OPD's head on the OPD's own step.
                intruder = pick([u for u in usernames if u != actor.username], who)
                with pytest.raises(NotAllowed):
                    complete_task(task_id=task.pk, actor=intruder, outcome=outcome, record=record, attachments=products)
            elif how == "no_reason":
                with pytest.raises(InvalidInput):
                    complete_task(task_id=task.pk, actor=actor, outcome="tidak_setuju", note="  ",
                                  record=record_of(step, "tidak_setuju")[0], attachments=products)
            elif how == "outcome_on_plain_step":
                with pytest.raises(InvalidInput):
                    complete_task(task_id=task.pk, actor=actor, outcome="setuju", record=record, attachments=products)
            elif how == "missing_product":
                with pytest.raises(MissingDocuments):
                    complete_task(task_id=task.pk, actor=actor, outcome=outcome, record=record)
            elif how == "missing_record":
                left_out = required[who % len(required)]
                with pytest.raises(InvalidInput) as refused:
                    complete_task(task_id=task.pk, actor=actor, outcome=outcome, attachments=products,
                                  record={k: v for k, v in record.items() if k != left_out.key})
                assert left_out.label in refused.value.message
            elif how == "missing_chosen_document":
                chosen, value, docs = with_documents[who % len(with_documents)]
                with pytest.raises(MissingDocuments) as refused:
                    complete_task(task_id=task.pk, actor=actor, outcome=outcome, attachments=products,
                                  record={**record, chosen.key: value})
                assert refused.value.missing == list(docs)
            else:  # stale: the task before this one, again, by the person who completed it
                with pytest.raises(TaskNotOpen) as refused:
                    complete_task(task_id=done.pk, actor=done.completed_by, outcome=done.outcome or None, note=done.note,
                                  record=done.data)
                assert display_name(done.completed_by) in refused.value.message
            return how

        def _refused_resubmission(self, case: Case, kind: int, who: int) -> str:
            if kind % 2:
                may = {f"kepala_{case.org_unit.code}", "pengelola", ACTORS[definition.start_step.actor]}
                intruder = pick([u for u in usernames if u not in may], who)
                with pytest.raises(NotAllowed):
                    resubmit_case(case_id=case.pk, actor=intruder, attachments=[pdf("draft_pks")])
                return "resubmit_by_wrong_user"
            with pytest.raises(MissingDocuments):
                resubmit_case(case_id=case.pk, actor=users[f"kepala_{case.org_unit.code}"], attachments=[pdf("disposisi")])
            return "resubmit_without_draft"

        # --- what must always hold ----------------------------------------------------------------

        def _cases(self) -> dict:
            return {c.pk: c for c in Case.objects.filter(pk__in=self.expected).only("status", "round", "end_key")}

        def _tasks(self) -> dict[int, list]:
            tasks: dict[int, list] = {case_id: [] for case_id in self.expected}
            for task in Task.objects.filter(case_id__in=self.expected).order_by("pk").values_list(
                    "pk", "case_id", "round", "step_key", "role_key", "status", "outcome", "note", "data", named=True):
                tasks[task.case_id].append(task)
            return tasks

        @invariant()
        def open_tasks_are_the_ones_the_sop_allows(self):
            cases, tasks = self._cases(), self._tasks()
            for case_id, expected in self.expected.items():
                case = cases[case_id]
                open_tasks = [t for t in tasks[case_id] if t.status == Task.Status.OPEN]
                if case.status == Case.Status.RUNNING:
                    assert len(open_tasks) == open_while_running, f"case #{case_id} has open {open_tasks}"
                    task = open_tasks[0]
                    assert (task.step_key, task.round, task.role_key) == (expected.at, case.round, definition.step(expected.at).actor)
                    assert case.round == expected.round
                else:
                    assert open_tasks == [], f"case #{case_id} is {case.status} with open {open_tasks}"
                    assert case.end_key == expected.at
                    assert case.status == (Case.Status.RETURNED if definition.end(expected.at).resubmittable else Case.Status.COMPLETED)

        @invariant()
        def registration_needs_all_three_approvals_in_the_final_round(self):
            cases, tasks = self._cases(), self._tasks()
            for case_id in self.expected:
                case = cases[case_id]
                final_round = [t for t in tasks[case_id] if t.round == case.round]
                if case.status == Case.Status.COMPLETED:
                    assert case.end_key == registration
                    assert (final_round[-1].step_key, final_round[-1].status) == (straight[-1].key, Task.Status.DONE)
                if case.status == Case.Status.COMPLETED or any(t.step_key in after_approvals for t in final_round):
                    for approval in approvals:
                        decided = [t.outcome for t in final_round if t.step_key == approval]
                        assert "setuju" in decided, f"case #{case_id} passed {approval} without a setuju"
                        assert decided[-1] == "setuju", f"case #{case_id}: the last {approval} of the round was {decided[-1]}"

        @invariant()
        def every_task_follows_from_the_one_before_it(self):
            for case_id, tasks in self._tasks().items():
                expected = self.expected[case_id]
                rounds = sorted({t.round for t in tasks})
                assert rounds == list(range(1, expected.round + 1))
                for number in rounds:
                    in_round = [t for t in tasks if t.round == number]
                    assert in_round[0].step_key == definition.start
                    for before, after in zip(in_round, in_round[1:]):
                        assert before.status == Task.Status.DONE
                        assert after.step_key == definition.step(before.step_key).target(before.outcome or None), (
                            f"case #{case_id}: {before.step_key} ({before.outcome or '-'}) was followed by {after.step_key}")
                for task in tasks:
                    if task.status == Task.Status.DONE:
                        assert task.outcome in (DECISION_OUTCOMES if definition.step(task.step_key).is_decision else ("",))
                        assert task.outcome != "tidak_setuju" or task.note.strip()
                # And the engine did exactly the moves the machine asked for, in that order.
                assert [(t.round, t.step_key, t.outcome) for t in tasks if t.status == Task.Status.DONE] == expected.moves

        @invariant()
        def every_task_holds_what_its_step_records(self):
            made_in = set(Document.objects.filter(case_id__in=self.expected).values_list("kind", "task_id"))
            for case_id, tasks in self._tasks().items():
                done = [t for t in tasks if t.status == Task.Status.DONE]
                assert [t.data for t in done] == self.expected[case_id].records
                for task in tasks:
                    if task.status != Task.Status.DONE:
                        assert task.data == {}
                        continue
                    step = definition.step(task.step_key)
                    asked = {f.key for f in step.record if f.applies_to(task.outcome)}
                    assert set(task.data) == asked, f"task #{task.pk} ({task.step_key}, {task.outcome or '-'}) recorded {task.data}"
                    for f in step.record:
                        for kind in dict(f.documents).get(task.data.get(f.key), ()):
                            assert (kind, task.pk) in made_in, f"task #{task.pk} chose {task.data[f.key]} without its {kind}"

        @invariant()
        def every_move_is_in_the_audit_chain(self):
            actions = Counter(AuditEvent.objects.filter(case_id__in=self.expected).values_list("case_id", "action"))
            for case_id, expected in self.expected.items():
                assert actions[(case_id, "case.started")] == 1
                assert actions[(case_id, "case.resubmitted")] == expected.round - 1
                assert actions[(case_id, "task.completed")] == len(expected.moves)
            report = verify_chain()
            assert report.ok, report.problem

    run_state_machine_as_test(PksCases, settings=settings(
        max_examples=25, stateful_step_count=40, deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    ))

    # The runs must have been where the invariants have something to say, or they proved little.
    # (Only what every run reaches many times is required; the rarer refusals vary from run to run.)
    for reached in ("registered", "returned", "resubmitted", "claimed", "bahas_tkksd:tidak_setuju",
                    "keputusan_gubernur:tidak_setuju", "signed_by:gubernur", "signed_by:kepala_opd",
                    "refused:wrong_user", "refused:stale", "refused:act_on_registered"):
        assert seen[reached], f"no run reached {reached!r}: {dict(seen)}"
