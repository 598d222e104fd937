"""The monitoring form's rows from a known period: assessment, figures in the note, suggested actions."""
from __future__ import annotations

import dataclasses

import pytest

from alur.evaluation.assessment import NOTHING_TO_DO, WELL_RUN_PERCENT, assess, monitoring_rows, percent
from alur.evaluation.models import MonitoringFormRow
from alur.workflow.definitions import definition_of
from alur.workflow.monitoring import StepFigures, sop_monitoring
from alur.workflow.services import newest_version
from tests.conftest import PKS

Penilaian = MonitoringFormRow.Penilaian


@pytest.fixture
def rows(dataset):
    report = sop_monitoring(sop_key=PKS, start=dataset.start, end=dataset.end)
    return {row.number: row for row in monitoring_rows(report)}


def test_it_has_one_row_per_step_in_order_with_the_activity_as_written(rows):
    definition = definition_of(newest_version(PKS))
    assert list(rows) == [step.number for step in definition.steps]
    for step in definition.steps:
        assert rows[step.number].prosedur == step.activity
        assert rows[step.number].step_key == step.key


def test_it_assesses_a_step_at_the_threshold_as_running_well(rows):
    # Step 1: 2, 3, 4, 5 and 9 minutes against 5: four of five within the standard, exactly 80 %.
    row = rows[1]
    assert row.penilaian == Penilaian.WELL
    assert row.catatan == "5 kali; median 4 menit, p90 7 menit terhadap waktu baku 5 menit; 80 % dalam waktu baku (4 dari 5)."
    assert row.tindakan == NOTHING_TO_DO
    assert row.figures == {"runs": 5, "median_minutes": 4.0, "p90_minutes": 7.4, "standard_minutes": 5,
                           "within_standard": 4, "waiting": 0}


def test_it_leaves_out_what_was_done_outside_the_period_or_in_another_opd(dataset, dkp):
    everything = {r.number: r for r in monitoring_rows(sop_monitoring(sop_key=PKS))}
    assert everything[1].figures["runs"] == 6  # with the case two weeks earlier
    only_dkp = {r.number: r for r in monitoring_rows(sop_monitoring(sop_key=PKS, start=dataset.start, end=dataset.end, org_unit=dkp))}
    assert only_dkp[1].figures["runs"] == 1
    assert only_dkp[1].penilaian == Penilaian.NOT_WELL  # 9 minutes against 5
    assert only_dkp[1].catatan.startswith("1 kali; median 9 menit, p90 9 menit terhadap waktu baku 5 menit; 0 % dalam waktu baku (0 dari 1)")
    assert only_dkp[2].figures["waiting"] == 1
    assert only_dkp[3].penilaian == Penilaian.NOT_RUN


def test_a_step_usually_over_its_standard_is_told_to_review_the_standard_or_the_workload(rows):
    # Step 2: 40, 45 and 20 minutes against 30.
    row = rows[2]
    assert row.penilaian == Penilaian.NOT_WELL
    assert row.catatan == ("3 kali; median 40 menit, p90 44 menit terhadap waktu baku 30 menit; 33 % dalam waktu baku (1 dari 3); "
                           "3 perkara sedang menunggu di langkah ini saat formulir dibuat.")
    assert row.tindakan.startswith("Pelaksanaan umumnya melebihi waktu baku (median 40 menit terhadap 30 menit): tinjau waktu baku")
    role = definition_of(newest_version(PKS)).role(definition_of(newest_version(PKS)).step(row.step_key).actor).name
    assert f"beban kerja {role}" in row.tindakan


def test_a_step_late_only_in_its_tail_is_told_to_chase_the_late_ones(rows):
    # Step 3: 10, 12 and 30 minutes against 15: the median is within, two of three (66 %) are.
    row = rows[3]
    assert row.penilaian == Penilaian.NOT_WELL
    assert "66 % dalam waktu baku (2 dari 3)" in row.catatan
    assert row.tindakan.startswith("Sebagian pelaksanaan terlambat (p90 26 menit terhadap waktu baku 15 menit)")


def test_a_decision_shows_its_return_rate_and_a_high_one_asks_for_a_look(rows):
    row = rows[7]  # the Karo's decision: both on time, one of two sent back
    assert row.penilaian == Penilaian.WELL
    assert "dikembalikan (tidak setuju) 50 % (1 dari 2 keputusan)" in row.catatan
    assert row.tindakan.startswith("Banyak draft dikembalikan")
    assert row.figures["decided"] == 2 and row.figures["returned"] == 1


def test_a_step_that_did_not_run_cannot_be_assessed(rows):
    row = rows[8]
    assert row.penilaian == Penilaian.NOT_RUN
    assert row.catatan == ("Tidak ada pelaksanaan pada periode ini (waktu baku 3 jam); "
                           "1 perkara sedang menunggu di langkah ini saat formulir dibuat.")
    assert row.tindakan == "Nilai kembali pada periode berikutnya."


@pytest.mark.parametrize(("runs", "within", "expected"), [
    (0, 0, Penilaian.NOT_RUN),
    (5, 4, Penilaian.WELL),
    (100, 80, Penilaian.WELL),
    (100, 79, Penilaian.NOT_WELL),
    (3, 2, Penilaian.NOT_WELL),
    (1, 1, Penilaian.WELL),
])
def test_the_threshold_is_applied_on_whole_counts(db, runs, within, expected):
    step = definition_of(newest_version(PKS)).steps[0]
    figures = StepFigures(step=step, runs=runs, median_minutes=1 if runs else None, p90_minutes=1 if runs else None,
                          standard_minutes=5, within_standard=within)
    assert WELL_RUN_PERCENT == 80
    assert assess(figures) == expected


def test_a_percentage_shown_never_rounds_up_past_the_threshold():
    assert percent(799, 1000) == 79
    assert percent(2, 3) == 66
    assert percent(4, 5) == 80


def test_a_stricter_threshold_changes_the_assessment(dataset):
    report = sop_monitoring(sop_key=PKS, start=dataset.start, end=dataset.end)
    strict = {r.number: r for r in monitoring_rows(report, threshold_percent=100)}
    assert strict[1].penilaian == Penilaian.NOT_WELL
    assert strict[7].penilaian == Penilaian.WELL
    assert dataclasses.asdict(strict[8]) == dataclasses.asdict({r.number: r for r in monitoring_rows(report)}[8])
