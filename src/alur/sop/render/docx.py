"""The SOP AP document as DOCX, for offices that edit in Word: the identity table and the activity
table, with the actor's swimlane cell marked by the step's symbol (rectangle for an activity,
diamond for a decision)."""
from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from alur.sop.model import SopDefinition

from .document import NUMBERING_NOTE, PAGE_SIZES_MM, Footnotes, activity_rows, identity_rows

ACTIVITY_SYMBOL, DECISION_SYMBOL = "▭", "◇"
SHADE = "DCE8F5"


def render_docx(definition: SopDefinition, *, page: str = "A4") -> bytes:
    if page not in PAGE_SIZES_MM:
        raise ValueError(f"ukuran halaman '{page}' tidak dikenal; pilih {' atau '.join(PAGE_SIZES_MM)}")
    document = Document()
    _landscape(document, *PAGE_SIZES_MM[page])
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Arial", Pt(8)

    for line in definition.identity.instansi:
        _paragraph(document, line, bold=True, center=True)
    _identity_table(document, definition)

    document.add_paragraph()
    _paragraph(document, definition.identity.nama, bold=True, center=True)
    footnotes = Footnotes()
    rows = activity_rows(definition, footnotes)
    _activity_table(document, definition, rows)

    if definition.identity.catatan:
        _paragraph(document, f"Catatan: {definition.identity.catatan}")
    _paragraph(document, NUMBERING_NOTE.format(last=definition.steps[-1].number), italic=True)
    if footnotes.texts:
        _paragraph(document, "Catatan pembacaan (nilai yang disimpulkan atau ditambahkan, tidak tertulis di SOP sumber):", bold=True)
        for number, text in enumerate(footnotes.texts, 1):
            _paragraph(document, f"{number}) {text}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _landscape(document, width_mm: int, height_mm: int) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(width_mm), Mm(height_mm)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(12))


def _paragraph(document, text: str, *, bold: bool = False, italic: bool = False, center: bool = False):
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def _identity_table(document, definition: SopDefinition) -> None:
    rows = identity_rows(definition)
    table = document.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for row, identity in zip(table.rows, rows):
        row.cells[0].text = identity.label
        row.cells[0].paragraphs[0].runs[0].bold = True
        row.cells[1].text = "\n".join(identity.lines)


def _activity_table(document, definition: SopDefinition, rows) -> None:
    roles = definition.roles
    columns = 2 + len(roles) + 4  # No, Aktivitas, roles..., Kelengkapan, Waktu, Output, Keterangan
    table = document.add_table(rows=2 + len(rows), cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head, sub = table.rows[0].cells, table.rows[1].cells
    first_role, mutu = 2, 2 + len(roles)
    for index, text in ((0, "No"), (1, "Aktivitas"), (columns - 1, "Keterangan")):
        merged = head[index].merge(sub[index])
        merged.text = text
    lanes = head[first_role].merge(head[mutu - 1])
    lanes.text = "Pelaksana"
    baku = head[mutu].merge(head[mutu + 2])
    baku.text = "Mutu Baku"
    for offset, role in enumerate(roles):
        sub[first_role + offset].text = role.name
    for offset, text in enumerate(("Kelengkapan", "Waktu", "Output")):
        sub[mutu + offset].text = text
    for row in table.rows[:2]:
        for cell in row.cells:
            for run in cell.paragraphs[0].runs:
                run.bold = True

    role_index = {role.key: first_role + i for i, role in enumerate(roles)}
    for row, activity in zip(table.rows[2:], rows):
        cells = row.cells
        number = activity.number + "".join(f" {n})" for n in activity.notes)
        cells[0].text = number
        cells[1].text = activity.activity
        lane = cells[role_index[activity.actor]]
        lane.text = DECISION_SYMBOL if activity.step.is_decision else ACTIVITY_SYMBOL
        lane.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _shade(lane)
        cells[mutu].text = activity.kelengkapan
        cells[mutu + 1].text = activity.waktu
        cells[mutu + 2].text = activity.output
        cells[columns - 1].text = activity.keterangan


def _shade(cell) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), SHADE)
    properties.append(shading)
