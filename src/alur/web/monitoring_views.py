"""The monitoring page of an SOP: how each step performs against its time standard, how often its
decisions send drafts back and where the open cases wait, for a period and an OPD.

The figures are one report (alur.workflow.monitoring); this module parses the filters and turns
the figures into what the page draws: bar lengths, shares and durations as people say them.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alur.agreements.access import sees_every_unit
from alur.org.models import OrgUnit
from alur.org.selectors import opd_by_code
from alur.workflow.monitoring import DecisionFigures, MonitoringReport, StepFigures, sop_monitoring
from alur.workflow.selectors import minutes_text

# Dates people may ask for: wide enough for any record, narrow enough that the day after the
# last one and the first one's midnight in UTC are still dates.
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2999, 12, 31)

# The bars of time taken are drawn against the standard: the axis runs from 0 to at least
# twice the standard and at most four times it (a longer bar is cut and says so).
AXIS_AT_LEAST, AXIS_AT_MOST = 2.0, 4.0


# What is wrong with each date, by its name in the query string.
DATE_PROBLEMS = {
    "dari": {
        "invalid": gettext_lazy("Tanggal “dari” tidak dapat dibaca; tulis sebagai TTTT-BB-HH, misalnya 2026-01-31."),
        "range": gettext_lazy("Tanggal “dari” di luar jangkauan (tahun %(first)s sampai %(last)s)."),
    },
    "sampai": {
        "invalid": gettext_lazy("Tanggal “sampai” tidak dapat dibaca; tulis sebagai TTTT-BB-HH, misalnya 2026-12-31."),
        "range": gettext_lazy("Tanggal “sampai” di luar jangkauan (tahun %(first)s sampai %(last)s)."),
    },
}


def _date_field(name: str) -> forms.DateField:
    return forms.DateField(required=False, input_formats=["%Y-%m-%d"],
                           error_messages={"invalid": DATE_PROBLEMS[name]["invalid"]})


class MonitoringFilter(forms.Form):
    """The page's query string: ?dari=YYYY-MM-DD&sampai=YYYY-MM-DD&opd=<code>, each optional."""

    dari = _date_field("dari")
    sampai = _date_field("sampai")
    opd = forms.CharField(required=False, max_length=100)

    def _within_range(self, name: str) -> datetime.date | None:
        day = self.cleaned_data.get(name)
        if day is not None and not EARLIEST <= day <= LATEST:
            raise forms.ValidationError(DATE_PROBLEMS[name]["range"] % {"first": EARLIEST.year, "last": LATEST.year})
        return day

    def clean_dari(self):
        return self._within_range("dari")

    def clean_sampai(self):
        return self._within_range("sampai")

    def clean_opd(self) -> OrgUnit | None:
        code = self.cleaned_data["opd"].strip()
        if not code:
            return None
        unit = opd_by_code(code)
        if unit is None:
            raise forms.ValidationError(_("OPD dengan kode “%(code)s” tidak dikenal; pilih dari daftar.") % {"code": code})
        return unit

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("dari"), cleaned.get("sampai")
        if start and end and end < start:
            del cleaned["dari"]
            self.add_error("sampai", _("Tanggal “sampai” (%(end)s) sebelum tanggal “dari” (%(start)s); periode diabaikan.")
                           % {"start": start.isoformat(), "end": end.isoformat()})
        return cleaned


@dataclass(frozen=True)
class StepRow:
    figures: StepFigures
    role: str
    mark: str  # for a step the newest version no longer has, the versions that had it
    slowest: bool
    over: bool  # its median is over the standard
    median_width: str  # bar lengths, in % of the chart's width
    p90_width: str
    cut: bool  # the p90 bar goes beyond the chart

    @property
    def step(self):
        return self.figures.step

    @property
    def median_text(self) -> str:
        return minutes_text(self.figures.median_minutes) if self.figures.median_minutes is not None else "—"

    @property
    def p90_text(self) -> str:
        return minutes_text(self.figures.p90_minutes) if self.figures.p90_minutes is not None else "—"

    @property
    def standard_text(self) -> str:
        return minutes_text(self.figures.standard_minutes)

    @property
    def within_percent(self) -> int | None:
        share = self.figures.within_share
        return None if share is None else round(share * 100)


@dataclass(frozen=True)
class DecisionRow:
    figures: DecisionFigures
    role: str
    mark: str

    @property
    def step(self):
        return self.figures.step

    @property
    def rate_percent(self) -> int | None:
        rate = self.figures.return_rate
        return None if rate is None else round(rate * 100)


@dataclass(frozen=True)
class OpenRow:
    step: object  # alur.sop.model.Step
    role: str
    mark: str
    count: int
    width: str


def _width(value: float, axis: float) -> str:
    """A bar's length in % of the chart, as CSS reads it (never localised)."""
    return f"{max(0.0, min(value / axis, 1.0)) * 100:.1f}"


def _mark(older_versions: tuple[int, ...]) -> str:
    if not older_versions:
        return ""
    return _("versi %(versions)s; tidak ada di versi terbaru") % {"versions": ", ".join(map(str, older_versions))}


def _view_of(report: MonitoringReport) -> dict:
    figures = [*report.steps, *report.retired_steps]  # the newest version's steps, then older ones
    marks = {s.step.key: _mark(s.older_versions) for s in figures}
    ratios = [s.p90_minutes / s.standard_minutes for s in figures if s.p90_minutes is not None and s.standard_minutes]
    axis = min(max([AXIS_AT_LEAST, *ratios]), AXIS_AT_MOST)
    steps = []
    for s in figures:
        median = (s.median_minutes or 0) / s.standard_minutes if s.standard_minutes else 0
        p90 = (s.p90_minutes or 0) / s.standard_minutes if s.standard_minutes else 0
        steps.append(StepRow(figures=s, role=report.roles[s.step.actor], mark=marks[s.step.key],
                             slowest=s.step.key in report.slowest, over=bool(s.median_ratio and s.median_ratio > 1),
                             median_width=_width(median, axis), p90_width=_width(p90, axis), cut=p90 > axis))
    most_open = max([n for _, n in report.open_by_step] or [0])
    waiting = [OpenRow(step=step, role=report.roles[step.actor], mark=marks[step.key], count=n, width=_width(n, most_open))
               for step, n in report.open_by_step if n]
    runs = report.completions
    within = sum(s.within_standard for s in figures)
    return {
        "steps": steps,
        "axis": axis,
        "standard_at": _width(1, axis),
        "decisions": [DecisionRow(figures=d, role=report.roles[d.step.actor], mark=marks[d.step.key])
                      for d in report.decisions],
        "waiting": waiting,
        "open_total": sum(n for _, n in report.open_by_step),
        "within_percent": round(within / runs * 100) if runs else None,
        "slowest": sorted((row for row in steps if row.slowest), key=lambda row: -(row.figures.median_ratio or 0)),
    }


def _presets(today: datetime.date, opd: OrgUnit | None, start, end) -> list[dict]:
    """Periods one click away, keeping the chosen OPD."""
    quarter_start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    periods = [
        (_("30 hari terakhir"), today - datetime.timedelta(days=29), today),
        (_("Triwulan ini"), quarter_start, today),
        (_("Tahun ini"), datetime.date(today.year, 1, 1), today),
        (_("Tahun lalu"), datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31)),
        (_("Semua waktu"), None, None),
    ]
    presets = []
    for label, first, last in periods:
        query = {k: v for k, v in (("dari", first and first.isoformat()), ("sampai", last and last.isoformat()),
                                   ("opd", opd and opd.code)) if v}
        presets.append({"label": label, "query": urlencode(query), "active": (first, last) == (start, end)})
    return presets


@login_required
def sop_monitoring_page(request, key: str):
    if not sees_every_unit(request.user):
        raise PermissionDenied(_("Monitoring SOP hanya untuk pemegang peran di luar Perangkat Daerah "
                                 "(Biro, TKKSD, pimpinan daerah)."))
    form = MonitoringFilter(request.GET)
    form.is_valid()  # what is invalid is said on the page and left out of the report
    filters = form.cleaned_data
    start, end, org_unit = filters.get("dari"), filters.get("sampai"), filters.get("opd")
    report = sop_monitoring(sop_key=key, start=start, end=end, org_unit=org_unit)
    context = {
        "report": report, "definition": report.definition, "form": form,
        "problems": [message for messages in form.errors.values() for message in messages],
        "opds": OrgUnit.objects.filter(kind=OrgUnit.Kind.OPD).order_by("name"),
        "presets": _presets(timezone.localdate(), org_unit, start, end),
        **_view_of(report),
    }
    # HTMX swaps the report in place when the filters change; a history restore wants the page.
    partial = request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")
    template = "web/partials/monitoring_report.html" if partial else "web/monitoring.html"
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response
