"""Rendering: how long the SOP AP outputs of the PKS SOP take to draw.

The issue's target is the PDF: under a second. Each output is drawn a few times from the parsed
definition (no database: rendering is pure), after one warm-up; the median and the slowest are
printed. Figures only, never assertions.
"""
from __future__ import annotations

import argparse
import statistics
import time

from alur.sop import load_definition_file, shipped_definition_paths
from alur.sop.render.bpmn import render_bpmn
from alur.sop.render.docx import render_docx
from alur.sop.render.flowchart import render_svg
from alur.sop.render.html import render_html, render_pdf
from alur.sop.render.layout import layout_flowchart

RUNS = 5
TARGET_PDF_SECONDS = 1.0


def main(options: argparse.Namespace) -> None:
    print(textwrap_doc())
    [path] = [p for p in shipped_definition_paths() if p.name == "pks-pihak-ketiga.yaml"]
    definition = load_definition_file(path)
    outputs = {
        "SVG flowchart": lambda: render_svg(layout_flowchart(definition)),
        "HTML document": lambda: render_html(definition),
        "PDF document (A4)": lambda: render_pdf(definition),
        "DOCX document": lambda: render_docx(definition),
        "BPMN 2.0": lambda: render_bpmn(definition),
    }
    print(f"\n  {'output':<20} {'median':>9} {'slowest':>9} {'size':>10}")
    for name, render in outputs.items():
        render()  # warm-up: imports, font loading
        times, size = [], 0
        for _ in range(RUNS):
            start = time.perf_counter()
            size = len(render())
            times.append(time.perf_counter() - start)
        verdict = ""
        if name.startswith("PDF"):
            met = statistics.median(times) < TARGET_PDF_SECONDS
            verdict = f"   target < {TARGET_PDF_SECONDS:.0f} s: {'MET' if met else 'NOT MET'}"
        print(f"  {name:<20} {statistics.median(times) * 1000:>7.0f} ms {max(times) * 1000:>7.0f} ms {size:>10,}{verdict}")


def textwrap_doc() -> str:
    return "\n".join("  " + line for line in __doc__.strip().splitlines()[2:])
