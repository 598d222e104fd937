"""The engine's extension points (workflow/signals.py): another app hears of a completion before
anything is written and may refuse it, and hears of a case's end inside the completion's
transaction, where what it writes commits or fails with the completion."""
from __future__ import annotations

import pytest
from django.db import connection

from alur.workflow.errors import InvalidInput, NotAllowed
from alur.workflow.models import Case, Document, Task
from alur.workflow.signals import case_ended, step_completing
from tests.conftest import RECORDS
from tests.workflow.test_completion_rules import snapshot, stored_files


@pytest.fixture
def heard():
    """Connect a receiver for the test: heard(signal, do=None) -> the list of what it was sent."""
    connected = []

    def listen(signal, do=None):
        calls = []

        def receiver(sender, **kwargs):
            calls.append({"sender": sender, **kwargs})
            if do is not None:
                do(**kwargs)

        signal.connect(receiver, weak=False, dispatch_uid=f"test-{id(receiver)}")
        connected.append((signal, receiver))
        return calls

    yield listen
    for signal, receiver in connected:
        signal.disconnect(receiver, dispatch_uid=f"test-{id(receiver)}")


def to_forum(walker):
    walker.steps(6)
    walker.step("setuju")
    return walker.open_task


def test_a_completion_is_told_with_its_sop_step_outcome_checked_record_and_actor(walker, users, heard):
    forum = to_forum(walker)
    calls = heard(step_completing)

    walker.step("setuju")

    (call,) = calls
    assert call["sender"] is Task
    assert (call["sop_key"], call["case_id"], call["task_id"], call["step"].key, call["outcome"]) == (
        "pks-pihak-ketiga", walker.case.pk, forum.pk, "bahas_tkksd", "setuju")
    assert call["record"] == RECORDS["bahas_tkksd"]
    assert call["actor"] == users["tkksd"]


def test_a_completion_is_told_before_anything_is_written(walker, users, heard):
    forum = to_forum(walker)
    seen = {}

    def look(**kwargs):
        seen["task"] = Task.objects.get(pk=forum.pk).status
        seen["documents"] = Document.objects.filter(task=forum).count()

    heard(step_completing, do=look)
    walker.step("setuju")

    assert seen == {"task": Task.Status.OPEN, "documents": 0}


@pytest.mark.parametrize("refusal", [InvalidInput, NotAllowed])
def test_a_receiver_that_refuses_changes_nothing_and_stores_no_file(walker, users, heard, refusal):
    forum = to_forum(walker)
    before, files = snapshot(), stored_files()

    def refuse(**kwargs):
        raise refusal("Tanggal rapat tidak cocok dengan notulen.")

    heard(step_completing, do=refuse)
    with pytest.raises(refusal, match="tidak cocok dengan notulen"):
        walker.step("setuju")

    assert (snapshot(), stored_files()) == (before, files)
    assert Task.objects.get(pk=forum.pk).status == Task.Status.OPEN


def test_an_end_is_told_once_with_its_key_and_status_inside_the_completions_transaction(walker, users, heard):
    walker.steps(6)
    seen = {}

    def look(case_id, **kwargs):
        seen["atomic"] = connection.in_atomic_block
        seen["case"] = Case.objects.filter(pk=case_id).values_list("status", "end_key").get()

    calls = heard(case_ended, do=look)
    walker.step("tidak_setuju")  # the Karo returns the draft: not an end yet
    assert calls == []
    walker.step()  # Pengelola returns it to the OPD: the end `dikembalikan`

    (call,) = calls
    assert call["sender"] is Case
    assert (call["sop_key"], call["case_id"], call["end_key"], call["status"], call["actor"]) == (
        "pks-pihak-ketiga", walker.case.pk, "dikembalikan", Case.Status.RETURNED, users["pengelola"])
    assert seen == {"atomic": True, "case": (Case.Status.RETURNED, "dikembalikan")}


def test_a_receiver_of_the_end_that_fails_rolls_the_whole_completion_back(walker, users, heard):
    walker.steps(6)
    walker.step("tidak_setuju")
    task = walker.open_task
    before = snapshot()

    def fail(**kwargs):
        raise InvalidInput("Arsip tidak dapat dicatat.")

    heard(case_ended, do=fail)
    with pytest.raises(InvalidInput, match="Arsip tidak dapat dicatat"):
        walker.step()

    assert snapshot() == before
    walker.case.refresh_from_db()
    assert (walker.case.status, Task.objects.get(pk=task.pk).status) == (Case.Status.RUNNING, Task.Status.OPEN)


def test_a_step_with_an_upload_is_told_before_the_upload_is_stored(walker, users, heard):
    walker.steps(3)
    analysis = walker.open_task
    seen = {}
    heard(step_completing, do=lambda **kwargs: seen.setdefault("files", stored_files()))
    files = stored_files()

    walker.step()

    assert seen["files"] == files
    assert Document.objects.filter(task=analysis, kind="hasil_telaahan").exists()
