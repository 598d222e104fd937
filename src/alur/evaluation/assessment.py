"""The monitoring form's rows drawn from the monitoring report: for each step its assessment,
a note giving the figures behind it, and a suggested action. The penilai edits the note and the
action afterwards; the assessment stays what the figures say.
"""
from __future__ import annotations

from dataclasses import dataclass

from alur.workflow.monitoring import DecisionFigures, MonitoringReport, StepFigures
from alur.workflow.selectors import minutes_text

from .models import MonitoringFormRow

Penilaian = MonitoringFormRow.Penilaian

# A step "berjalan dengan baik" when at least this share (in percent) of its completions in the
# period took no longer than its time standard (working time). 80 % leaves room for the odd
# draft that genuinely needs longer, while a step late one time in four is not running as the
# SOP says.
WELL_RUN_PERCENT = 80

# A decision that sends back at least this share of what it decides is worth a look even when it
# decides on time: the drafts reaching it may not be ready.
HIGH_RETURN_PERCENT = 50

NOTHING_TO_DO = "—"


@dataclass(frozen=True)
class RowDraft:
    step_key: str
    number: int
    prosedur: str
    penilaian: str
    catatan: str
    tindakan: str
    figures: dict


def percent(part: int, whole: int) -> int:
    """Whole percent, rounded down: a share shown as 80 % is never one that fell short of 80 %."""
    return part * 100 // whole


def assess(figures: StepFigures, threshold_percent: int = WELL_RUN_PERCENT) -> str:
    if not figures.runs:
        return Penilaian.NOT_RUN
    # Compared in whole numbers so that the rule and the percentage printed beside it agree.
    if figures.within_standard * 100 >= threshold_percent * figures.runs:
        return Penilaian.WELL
    return Penilaian.NOT_WELL


def monitoring_rows(report: MonitoringReport, *, threshold_percent: int = WELL_RUN_PERCENT) -> list[RowDraft]:
    decisions = {d.step.key: d for d in report.decisions}
    waiting = {step.key: count for step, count in report.open_by_step}
    rows = []
    for figures in report.steps:
        step = figures.step
        decision = decisions.get(step.key)
        penilaian = assess(figures, threshold_percent)
        role = report.definition.role(step.actor).name
        rows.append(RowDraft(
            step_key=step.key, number=step.number, prosedur=step.activity, penilaian=penilaian,
            catatan=_note(figures, decision, waiting.get(step.key, 0)),
            tindakan=_action(figures, decision, penilaian, role),
            figures=_figures_json(figures, decision, waiting.get(step.key, 0)),
        ))
    return rows


def _note(figures: StepFigures, decision: DecisionFigures | None, waiting: int) -> str:
    standard = minutes_text(figures.standard_minutes)
    if not figures.runs:
        parts = [f"Tidak ada pelaksanaan pada periode ini (waktu baku {standard})"]
    else:
        parts = [
            f"{figures.runs} kali",
            f"median {minutes_text(figures.median_minutes)}, p90 {minutes_text(figures.p90_minutes)} terhadap waktu baku {standard}",
            f"{percent(figures.within_standard, figures.runs)} % dalam waktu baku ({figures.within_standard} dari {figures.runs})",
        ]
    if decision is not None and decision.decided:
        parts.append(f"dikembalikan (tidak setuju) {percent(decision.returned, decision.decided)} % "
                     f"({decision.returned} dari {decision.decided} keputusan)")
    if waiting:
        parts.append(f"{waiting} perkara sedang menunggu di langkah ini saat formulir dibuat")
    return "; ".join(parts) + "."


def _action(figures: StepFigures, decision: DecisionFigures | None, penilaian: str, role: str) -> str:
    actions = []
    if penilaian == Penilaian.NOT_RUN:
        actions.append("Nilai kembali pada periode berikutnya.")
    elif penilaian == Penilaian.NOT_WELL:
        standard = minutes_text(figures.standard_minutes)
        if figures.median_minutes > figures.standard_minutes:
            actions.append(
                f"Pelaksanaan umumnya melebihi waktu baku (median {minutes_text(figures.median_minutes)} terhadap {standard}): "
                f"tinjau waktu baku langkah ini dan beban kerja {role}; bila waktu baku tidak realistis, usulkan revisi SOP.")
        else:
            actions.append(
                f"Sebagian pelaksanaan terlambat (p90 {minutes_text(figures.p90_minutes)} terhadap waktu baku {standard}): "
                f"telusuri perkara yang terlambat dan pastikan {role} segera mengambil tugas dan menindaklanjuti pengingat.")
    if decision is not None and decision.decided and decision.returned * 100 >= HIGH_RETURN_PERCENT * decision.decided:
        actions.append("Banyak draft dikembalikan pada keputusan ini: telaah alasan pengembalian dan perkuat "
                       "pemeriksaan kelengkapan dan mutu draft pada langkah sebelumnya.")
    return " ".join(actions) or NOTHING_TO_DO


def _figures_json(figures: StepFigures, decision: DecisionFigures | None, waiting: int) -> dict:
    data = {
        "runs": figures.runs,
        "median_minutes": figures.median_minutes,
        "p90_minutes": figures.p90_minutes,
        "standard_minutes": figures.standard_minutes,
        "within_standard": figures.within_standard,
        "waiting": waiting,
    }
    if decision is not None:
        data |= {"decided": decision.decided, "returned": decision.returned}
    # JSON-native numbers only: statistics.median of ints may be an int or a float.
    return {k: (float(v) if isinstance(v, float) else v) for k, v in data.items()}
