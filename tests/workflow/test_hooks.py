"""The engine's extension point (workflow/hooks.py): the domain of what an SOP's cases carry is
called before a completion writes anything and may refuse it, and is called after it inside the
completion's transaction, where what it writes commits or fails with the completion."""
from __future__ import annotations

import pytest
from django.db import connection

from alur.workflow.errors import InvalidInput, NotAllowed
from alur.workflow.models import Case, Document, Task
from alur.workflow.hooks import SUBJECT_HOOKS, hooks_for
from alur.workflow.definitions import definition_of
from tests.conftest import RECORDS
from tests.workflow.test_completion_rules import snapshot, stored_files


class Recorder:
    """Stands in for the agreements' hooks in a test: records each call and runs `do` on it."""

    def __init__(self):
        self.calls = {"check_step": [], "step_completed": []}
        self.do = {}

    def check_step(self, **kwargs):
        self._heard("check_step", kwargs)

    def step_completed(self, **kwargs):
        self._heard("step_completed", kwargs)

    def _heard(self, point, kwargs):
        self.calls[point].append(kwargs)
        if point in self.do:
            self.do[point](**kwargs)


@pytest.fixture
def heard(monkeypatch):
    """heard(point, do=None) -> the list of the calls at that point ('check_step', 'step_completed')."""
    recorder = Recorder()
    monkeypatch.setitem(SUBJECT_HOOKS, "agreement", recorder)

    def listen(point, do=None):
        recorder.calls[point].clear()  # what the test heard before it asked is not its concern
        if do is not None:
            recorder.do[point] = do
        return recorder.calls[point]

    return listen


def test_the_pks_sop_calls_the_hooks_the_agreements_app_registered_for_its_subject(walker):
    from alur.agreements import lifecycle

    assert hooks_for(definition_of(walker.case.sop_version)) is lifecycle


def to_forum(walker):
    walker.steps(6)
    walker.step("setuju")
    return walker.open_task


def test_a_completion_is_told_with_its_sop_step_outcome_checked_record_and_actor(walker, users, heard):
    forum = to_forum(walker)
    calls = heard("check_step")

    walker.step("setuju")

    (call,) = calls
    assert (call["definition"].key, call["case_id"], call["step"].key, call["outcome"]) == (
        "pks-pihak-ketiga", walker.case.pk, "bahas_tkksd", "setuju")
    assert call["record"] == RECORDS["bahas_tkksd"]
    assert call["actor"] == users["tkksd"]


def test_a_completion_is_told_before_anything_is_written(walker, users, heard):
    forum = to_forum(walker)
    seen = {}

    def look(**kwargs):
        seen["task"] = Task.objects.get(pk=forum.pk).status
        seen["documents"] = Document.objects.filter(task=forum).count()

    heard("check_step", do=look)
    walker.step("setuju")

    assert seen == {"task": Task.Status.OPEN, "documents": 0}


@pytest.mark.parametrize("refusal", [InvalidInput, NotAllowed])
def test_a_hook_that_refuses_changes_nothing_and_stores_no_file(walker, users, heard, refusal):
    forum = to_forum(walker)
    before, files = snapshot(), stored_files()

    def refuse(**kwargs):
        raise refusal("Tanggal rapat tidak cocok dengan notulen.")

    heard("check_step", do=refuse)
    with pytest.raises(refusal, match="tidak cocok dengan notulen"):
        walker.step("setuju")

    assert (snapshot(), stored_files()) == (before, files)
    assert Task.objects.get(pk=forum.pk).status == Task.Status.OPEN


def test_a_completion_is_told_after_the_move_with_the_end_it_reached_inside_its_transaction(walker, users, heard):
    walker.steps(6)
    seen = []

    def look(case_id, end_key, **kwargs):
        seen.append((end_key, connection.in_atomic_block,
                     Case.objects.filter(pk=case_id).values_list("status", "end_key").get()))

    calls = heard("step_completed", do=look)
    walker.step("tidak_setuju")  # the Karo returns the draft: not an end yet
    walker.step()  # Pengelola returns it to the OPD: the end `dikembalikan`

    assert [call["step"].key for call in calls] == ["periksa_karo", "kembalikan_ke_opd"]
    assert calls[1]["actor"] == users["pengelola"]
    assert seen == [("", True, (Case.Status.RUNNING, "")),
                    ("dikembalikan", True, (Case.Status.RETURNED, "dikembalikan"))]


def test_a_hook_after_the_move_that_fails_rolls_the_whole_completion_back(walker, users, heard):
    walker.steps(6)
    walker.step("tidak_setuju")
    task = walker.open_task
    before = snapshot()

    def fail(**kwargs):
        raise InvalidInput("Arsip tidak dapat dicatat.")

    heard("step_completed", do=fail)
    with pytest.raises(InvalidInput, match="Arsip tidak dapat dicatat"):
        walker.step()

    assert snapshot() == before
    walker.case.refresh_from_db()
    assert (walker.case.status, Task.objects.get(pk=task.pk).status) == (Case.Status.RUNNING, Task.Status.OPEN)


def test_a_step_with_an_upload_is_told_before_the_upload_is_stored(walker, users, heard):
    walker.steps(3)
    analysis = walker.open_task
    seen = {}
    heard("check_step", do=lambda **kwargs: seen.setdefault("files", stored_files()))
    files = stored_files()

    walker.step()

    assert seen["files"] == files
    assert Document.objects.filter(task=analysis, kind="hasil_telaahan").exists()
