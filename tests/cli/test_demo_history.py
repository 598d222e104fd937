"""`alur demo` leaves a few weeks of past cases, walked through the engine and moved back in time
consistently, so that the monitoring page has figures on `make run`."""
from __future__ import annotations

import datetime

from django.utils import timezone

from alur.demo import HISTORY
from alur.workflow.audit import verify_chain
from alur.workflow.deadlines import deadlines_for
from alur.workflow.definitions import definition_of
from alur.workflow.models import Case, Document, Task
from alur.workflow.monitoring import sop_monitoring
from alur.worktime.selectors import working_calendar

PKS = "pks-pihak-ketiga"


def test_demo_leaves_weeks_of_cases_for_monitoring(alur, db):
    result = alur("demo")

    assert result.exit_code == 0, result
    assert f"Riwayat demo: {len(HISTORY)} perkara" in result.out
    cases = Case.objects.filter(title__in=[c.title for c in HISTORY])
    assert cases.count() == len(HISTORY)
    assert {Case.Status.COMPLETED, Case.Status.RETURNED} <= set(cases.values_list("status", flat=True))
    assert cases.filter(round=2, status=Case.Status.COMPLETED).exists()  # returned, corrected, registered
    report = sop_monitoring(sop_key=PKS)
    assert report.completions > 100
    assert report.slowest
    assert all(d.decided for d in report.decisions) and any(d.returned for d in report.decisions)


def test_demo_history_times_are_those_the_engine_would_have_kept(alur, db):
    alur("demo")
    now, calendar = timezone.now(), working_calendar()
    earliest = now - datetime.timedelta(days=max(c.days_ago for c in HISTORY) + 1)

    for case in Case.objects.select_related("sop_version"):
        definition = definition_of(case.sop_version)
        tasks = list(case.tasks.order_by("id"))
        assert earliest <= case.started_at == tasks[0].created_at <= now
        for before, after in zip(tasks, tasks[1:]):
            if after.round == before.round:
                assert after.created_at == before.completed_at  # the next step opens when one ends
            else:
                assert after.created_at > before.completed_at  # the OPD took a while to resubmit
        for task in tasks:
            assert task.due_at == deadlines_for(definition.step(task.step_key), task.created_at).due_at
            if task.status == Task.Status.DONE:
                assert task.created_at < task.completed_at <= now
                assert task.working_minutes == round(calendar.between(task.created_at, task.completed_at))
        if case.status == Case.Status.RUNNING:
            assert case.ended_at is None and case.tasks.filter(status=Task.Status.OPEN).count() == 1
        else:
            assert case.ended_at == tasks[-1].completed_at
    for document in Document.objects.select_related("task"):
        assert document.uploaded_at <= now
        if document.task:
            assert document.uploaded_at == document.task.completed_at
    assert verify_chain().ok


def test_demo_history_is_added_once(alur, db):
    first = alur("demo", "--json").json()
    tasks = Task.objects.count()

    second = alur("demo", "--json").json()

    assert first["history_cases_added"] == len(HISTORY)
    assert second["history_cases_added"] == 0
    assert Task.objects.count() == tasks
    assert "Riwayat demo" not in alur("demo").out
