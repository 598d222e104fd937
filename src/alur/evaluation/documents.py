"""The monitoring form and the evaluation form as documents: HTML printed to PDF by WeasyPrint
(A4, the SOP's identity on top, as the SOP document itself is printed) and XLSX by XlsxWriter.

Both outputs are drawn from the same `Sheet` (identity lines, columns, rows, closing notes), so
the PDF and the spreadsheet say the same thing. The forms are official documents in Indonesian:
they are always rendered in Indonesian, whatever the reader's page language.
"""
from __future__ import annotations

import functools
import io
import math
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation

from alur.workflow.audit import display_name
from alur.workflow.definitions import definition_of

from . import permenpan
from .models import MonitoringForm, MonitoringFormRow, SopEvaluation

CHECKED, UNCHECKED = "☑", "☐"
YES_MARK = "✓"


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # characters in the spreadsheet; the PDF takes the same proportions
    center: bool = False


@dataclass
class Sheet:
    """One form as data: what both the PDF and the XLSX print."""

    title: str
    instansi: tuple[str, ...]
    identity: list[tuple[str, str]]
    columns: tuple[Column, ...]
    rows: list[tuple[str, ...]]
    closing: list[tuple[str, str]] = field(default_factory=list)  # (label, text) after the table
    note: str = ""
    signer_role: str = ""
    signer_name: str = ""
    signed_on: str = ""
    landscape: bool = True
    filename: str = ""
    # The PDF's own rendering of a cell, where it differs from the text (the tick boxes).
    pdf_cells: dict[tuple[int, int], list[tuple[str, bool]]] = field(default_factory=dict)
    figures: list[tuple[str, ...]] = field(default_factory=list)  # extra sheet of the XLSX: the raw figures
    figure_columns: tuple[Column, ...] = ()


def in_indonesian(build):
    """The official forms are Indonesian: their labels (choices, dates) are built in Indonesian."""

    @functools.wraps(build)
    def run(*args, **kwargs):
        with translation.override("id"):
            return build(*args, **kwargs)

    return run


def day(value) -> str:
    """A date as Indonesian documents write it: 5 Januari 2026."""
    with translation.override("id"):
        return formats.date_format(value, "j F Y")


def period_text(start, end) -> str:
    return f"{day(start)} s.d. {day(end)}"


def _identity(definition) -> tuple[tuple[str, ...], list[tuple[str, str]]]:
    """The SOP's own identity, as its document prints it: the instansi lines, name and number."""
    identity = definition.identity
    rows = [("Nama SOP", definition.name)]
    if identity.nomor:
        rows.append(("Nomor SOP", identity.nomor))
    if identity.instansi:
        rows.append(("Unit kerja", identity.instansi[-1]))
    return tuple(identity.instansi), rows


# --- the monitoring form ----------------------------------------------------------------------

MONITORING_WIDTHS = (6, 44, 24, 46, 40, 11)


@in_indonesian
def monitoring_sheet(form: MonitoringForm) -> Sheet:
    definition = definition_of(form.sop_version)
    instansi, identity = _identity(definition)
    signed_on = timezone.localdate(form.updated_at)
    identity += [
        ("Periode monitoring", period_text(form.period_start, form.period_end)),
        ("Perangkat Daerah", form.org_unit.name if form.org_unit else "Semua Perangkat Daerah"),
        ("Penilai", display_name(form.penilai)),
        ("Tanggal penilaian", day(signed_on)),
    ]
    columns = tuple(Column(title, width, center=i in (0, 5)) for i, (title, width)
                    in enumerate(zip(permenpan.MONITORING_COLUMNS, MONITORING_WIDTHS)))
    rows, boxes, figures = [], {}, []
    for index, row in enumerate(form.rows.all()):
        rows.append((str(row.number), row.prosedur, row.get_penilaian_display(), row.catatan, row.tindakan, ""))
        boxes[(index, 2)] = _boxes(row.penilaian)
        figures.append(_figure_row(row))
    return Sheet(
        title=permenpan.MONITORING_TITLE, instansi=instansi, identity=identity, columns=columns, rows=rows,
        note=(f"Penilaian dari data pelaksanaan di Alur: berjalan dengan baik bila paling sedikit {form.threshold_percent} % "
              "pelaksanaan langkah pada periode ini selesai dalam waktu baku (waktu kerja); median: separuh pelaksanaan "
              "selesai dalam waktu ini; p90: sembilan dari sepuluh. Kolom paraf diisi penilai dengan tangan. "
              f"Format: {permenpan.SOURCE}, Tabel 7 Monitoring Pelaksanaan SOP AP."),
        signer_role="Penilai", signer_name=display_name(form.penilai), signed_on=day(signed_on), landscape=True,
        filename=f"monitoring-{form.sop.key}-{form.period_start:%Y%m%d}-{form.period_end:%Y%m%d}",
        pdf_cells=boxes, figures=figures, figure_columns=FIGURE_COLUMNS,
    )


def _boxes(penilaian: str) -> list[tuple[str, bool]]:
    """Tabel 7 offers both assessments in every row, one ticked."""
    Penilaian = MonitoringFormRow.Penilaian
    lines = [(f"{CHECKED if penilaian == Penilaian.WELL else UNCHECKED} {permenpan.WELL}", False),
             (f"{CHECKED if penilaian == Penilaian.NOT_WELL else UNCHECKED} {permenpan.NOT_WELL}", False)]
    if penilaian == Penilaian.NOT_RUN:
        lines.append((permenpan.NOT_RUN, True))
    return lines


FIGURE_COLUMNS = (
    Column("No.", 6, center=True), Column("Prosedur", 44), Column("Penilaian", 24), Column("Pelaksanaan", 12),
    Column("Median (menit)", 12), Column("P90 (menit)", 12), Column("Waktu baku (menit)", 12),
    Column("Dalam waktu baku", 12), Column("% dalam waktu baku", 12), Column("Keputusan", 11),
    Column("Dikembalikan", 12), Column("Menunggu saat dibuat", 12),
)


def _figure_row(row: MonitoringFormRow) -> tuple:
    f = row.figures
    runs = f.get("runs", 0)
    share = f["within_standard"] * 100 // runs if runs else None
    return (row.number, row.prosedur, row.get_penilaian_display(), runs, f.get("median_minutes"), f.get("p90_minutes"),
            f.get("standard_minutes"), f.get("within_standard"), share, f.get("decided"), f.get("returned"), f.get("waiting"))


# --- the evaluation form ----------------------------------------------------------------------

EVALUATION_WIDTHS = (6, 52, 8, 8, 50)


@in_indonesian
def evaluation_sheet(evaluation: SopEvaluation) -> Sheet:
    definition = definition_of(evaluation.sop_version)
    instansi, identity = _identity(definition)
    signed_on = timezone.localdate(evaluation.updated_at)
    identity += [
        ("Periode evaluasi", period_text(evaluation.period_start, evaluation.period_end)),
        ("Evaluator", display_name(evaluation.evaluator)),
        ("Tanggal evaluasi", day(signed_on)),
    ]
    columns = tuple(Column(title, width, center=i in (0, 2, 3)) for i, (title, width)
                    in enumerate(zip(permenpan.EVALUATION_COLUMNS, EVALUATION_WIDTHS)))
    rows = [(str(a.number), a.text, YES_MARK if a.answer else "", "" if a.answer else YES_MARK, a.keterangan)
            for a in evaluation.answers.all()]
    return Sheet(
        title=permenpan.EVALUATION_TITLE, instansi=instansi, identity=identity, columns=columns, rows=rows,
        closing=[("Catatan", evaluation.catatan or "—"), ("Rekomendasi", evaluation.rekomendasi or "—")],
        note=f"Format: {permenpan.SOURCE}, Evaluasi Penerapan SOP AP.",
        signer_role="Evaluator", signer_name=display_name(evaluation.evaluator), signed_on=day(signed_on),
        landscape=False,
        filename=f"evaluasi-{evaluation.sop.key}-{evaluation.period_start:%Y%m%d}-{evaluation.period_end:%Y%m%d}",
    )


# --- HTML and PDF -----------------------------------------------------------------------------

@in_indonesian
def render_html(sheet: Sheet) -> str:
    total = sum(c.width for c in sheet.columns)
    columns = [{"title": c.title, "percent": f"{c.width * 100 / total:.2f}", "center": c.center} for c in sheet.columns]
    rows = [[{"text": text, "lines": sheet.pdf_cells.get((r, c)), "center": sheet.columns[c].center}
             for c, text in enumerate(row)] for r, row in enumerate(sheet.rows)]
    return render_to_string("evaluation/print.html", {"sheet": sheet, "columns": columns, "rows": rows})


def render_pdf(sheet: Sheet) -> bytes:
    from weasyprint import HTML  # imported here: only PDF output needs it

    return HTML(string=render_html(sheet)).write_pdf()


# --- XLSX -------------------------------------------------------------------------------------

def render_xlsx(sheet: Sheet) -> bytes:
    import xlsxwriter  # imported here: only XLSX output needs it

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties({"title": f"{sheet.title}: {sheet.identity[0][1]}", "author": sheet.signer_name,
                             "comments": permenpan.SOURCE})
    styles = _styles(workbook)
    _form_worksheet(workbook, sheet, styles)
    if sheet.figures:
        _figures_worksheet(workbook, sheet, styles)
    workbook.close()
    return buffer.getvalue()


def _styles(workbook) -> dict:
    base = {"font_name": "Arial", "font_size": 10, "valign": "top"}
    cell = {**base, "text_wrap": True, "border": 1}
    return {
        "instansi": workbook.add_format({**base, "bold": True, "align": "center"}),
        "title": workbook.add_format({**base, "bold": True, "align": "center", "font_size": 12}),
        "label": workbook.add_format({**base, "bold": True}),
        "value": workbook.add_format({**base, "text_wrap": True}),
        "header": workbook.add_format({**cell, "bold": True, "align": "center", "valign": "vcenter", "bg_color": "#EEF2F7"}),
        "colno": workbook.add_format({**cell, "align": "center", "font_size": 8, "italic": True}),
        "cell": workbook.add_format(cell),
        "center": workbook.add_format({**cell, "align": "center"}),
        "number": workbook.add_format({**cell, "align": "right", "num_format": "0"}),
        "decimal": workbook.add_format({**cell, "align": "right", "num_format": "0.0"}),
        "note": workbook.add_format({**base, "text_wrap": True, "italic": True, "font_size": 8}),
        "signer": workbook.add_format({**base, "align": "center"}),
        "signer_name": workbook.add_format({**base, "align": "center", "bold": True, "underline": True}),
    }


def _lines_needed(text: str, width: float) -> int:
    per_line = max(1, int(width * 1.1))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in str(text).split("\n"))


def _height(texts_and_widths) -> float:
    # XlsxWriter cannot measure text, and Excel does not grow a row for wrapped text written by a
    # program: the row is given the height its longest cell needs, by estimate.
    return 13.5 * max((_lines_needed(text, width) for text, width in texts_and_widths), default=1) + 3


def _form_worksheet(workbook, sheet: Sheet, styles: dict) -> None:
    ws = workbook.add_worksheet("Formulir")
    last = len(sheet.columns) - 1
    for index, column in enumerate(sheet.columns):
        ws.set_column(index, index, column.width)
    row = 0
    for line in sheet.instansi:
        ws.merge_range(row, 0, row, last, line, styles["instansi"])
        row += 1
    ws.merge_range(row, 0, row, last, sheet.title.upper(), styles["title"])
    ws.set_row(row, 20)
    row += 2
    value_width = sum(c.width for c in sheet.columns[2:])
    for label, value in sheet.identity:
        ws.merge_range(row, 0, row, 1, label, styles["label"])
        ws.merge_range(row, 2, row, last, value, styles["value"])
        ws.set_row(row, _height([(value, value_width)]))
        row += 1
    row += 1
    header = row
    for index, column in enumerate(sheet.columns):
        ws.write(row, index, column.title, styles["header"])
    ws.set_row(row, _height([(c.title, c.width) for c in sheet.columns]))
    row += 1
    for index in range(len(sheet.columns)):
        ws.write_number(row, index, index + 1, styles["colno"])
    ws.repeat_rows(header, row)
    row += 1
    for values in sheet.rows:
        for index, (text, column) in enumerate(zip(values, sheet.columns)):
            if index == 0 and text.isdigit():
                ws.write_number(row, index, int(text), styles["center"])
            elif not text:
                ws.write_blank(row, index, None, styles["center" if column.center else "cell"])
            else:
                ws.write_string(row, index, text, styles["center" if column.center else "cell"])
        ws.set_row(row, _height(zip(values, (c.width for c in sheet.columns))))
        row += 1
    closing_width = sum(c.width for c in sheet.columns[1:])
    for label, text in sheet.closing:
        ws.write(row, 0, "", styles["cell"])
        ws.merge_range(row, 1, row, last, f"{label}: {text}", styles["cell"])
        ws.set_row(row, _height([(f"{label}: {text}", closing_width)]))
        row += 1
    row += 1
    if sheet.note:
        ws.merge_range(row, 0, row, last, sheet.note, styles["note"])
        ws.set_row(row, _height([(sheet.note, sum(c.width for c in sheet.columns) * 1.2)]))
        row += 2
    signer = max(last - 1, 0)
    ws.merge_range(row, signer, row, last, sheet.signed_on, styles["signer"])
    ws.merge_range(row + 1, signer, row + 1, last, f"{sheet.signer_role},", styles["signer"])
    ws.merge_range(row + 5, signer, row + 5, last, sheet.signer_name, styles["signer_name"])
    _print_setup(ws, sheet, last_row=row + 5, last_col=last)


def _figures_worksheet(workbook, sheet: Sheet, styles: dict) -> None:
    ws = workbook.add_worksheet("Angka")
    columns = sheet.figure_columns
    for index, column in enumerate(columns):
        ws.set_column(index, index, column.width)
        ws.write(0, index, column.title, styles["header"])
    ws.set_row(0, _height([(c.title, c.width) for c in columns]))
    for row, values in enumerate(sheet.figures, start=1):
        for index, value in enumerate(values):
            if value is None:
                ws.write_blank(row, index, None, styles["cell"])
            elif isinstance(value, (int, float)):
                ws.write_number(row, index, value, styles["decimal" if isinstance(value, float) and not value.is_integer() else "number"])
            else:
                ws.write_string(row, index, value, styles["cell"])
        ws.set_row(row, _height([(values[1], columns[1].width), (values[2], columns[2].width)]))
    ws.freeze_panes(1, 2)
    ws.repeat_rows(0)
    _print_setup(ws, sheet, last_row=len(sheet.figures), last_col=len(columns) - 1)


def _print_setup(ws, sheet: Sheet, *, last_row: int, last_col: int) -> None:
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)  # as wide as one page, as many pages down as it needs
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.center_horizontally()
    ws.print_area(0, 0, last_row, last_col)
    ws.set_footer(f"&L{sheet.title}&RHalaman &P dari &N")
