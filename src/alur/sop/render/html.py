"""The SOP AP document as one HTML page (and, through WeasyPrint, as PDF): the identity table,
then the activity table whose swimlane columns are the flowchart, with the Mutu Baku and
Keterangan beside it, split over landscape pages with off-page connectors.

The text columns are placed at the flowchart's own row positions (absolutely, scaled with the
flowchart to fit the page), so each step's text stands level with its symbol in a browser and
in print alike.
"""
from __future__ import annotations

from html import escape

from alur.sop.model import SopDefinition

from .document import NUMBERING_NOTE, PAGE_SIZES_MM, Footnotes, activity_rows, identity_rows
from .flowchart import render_svg
from .layout import Flowchart, paginate

PX_PER_MM = 96 / 25.4
MARGIN_MM = 10
FONT_PX = 13.0  # in the sheet's own coordinates, before the sheet is scaled to the page
LINE = 1.25
CHAR_WIDTH = 0.62  # average character width of DejaVu Sans in em (wide), for fitting text into a cell

# Text columns: (key, title, width in sheet px); the flowchart sits between the two groups.
LEFT = (("no", "No", 46), ("activity", "Aktivitas", 400))
RIGHT = (("kelengkapan", "Kelengkapan", 120), ("waktu", "Waktu", 64), ("output", "Output", 84), ("keterangan", "Keterangan", 160))


def render_html(definition: SopDefinition, *, page: str = "A4") -> str:
    """A standalone HTML document (styles inline, flowchart as inline SVG, nothing external)."""
    if page not in PAGE_SIZES_MM:
        raise ValueError(f"ukuran halaman '{page}' tidak dikenal; pilih {' atau '.join(PAGE_SIZES_MM)}")
    footnotes = Footnotes()
    rows = {row.step.key: row for row in activity_rows(definition, footnotes)}
    sheets = _sheets(definition, page)
    parts = [_head(definition, page), _identity(definition)]
    for sheet, scale in sheets:
        parts.append(_sheet(sheet, rows, scale))
    parts.append(_closing(definition, footnotes))
    parts.append("</body></html>")
    return "\n".join(parts)


def render_pdf(definition: SopDefinition, *, page: str = "A4") -> bytes:
    from weasyprint import HTML  # imported here: only PDF output needs it

    return HTML(string=render_html(definition, page=page)).write_pdf()


def _sheets(definition: SopDefinition, page: str) -> list[tuple[Flowchart, float]]:
    """The flowchart split into as few pages as fit, each with the scale that fits it to the page."""
    width_mm, height_mm = PAGE_SIZES_MM[page]
    usable_w = (width_mm - 2 * MARGIN_MM) * PX_PER_MM
    usable_h = (height_mm - 2 * MARGIN_MM) * PX_PER_MM - 28  # room for the page's title line
    text_w = sum(w for *_, w in LEFT + RIGHT)
    for rows_per_page in range(len(definition.steps) + len(definition.ends) + 1, 0, -1):
        pages = paginate(definition, rows_per_page=rows_per_page)
        scale = min(usable_w / (text_w + max(p.width for p in pages)), 1.0)
        if all(p.height * scale <= usable_h for p in pages):
            return [(p, scale) for p in pages]
    return [(p, scale) for p in paginate(definition, rows_per_page=1)]


def _fit(text: str, width: float, height: float) -> float:
    """The largest font size (up to FONT_PX) at which the text fits the cell, by estimate."""
    size = FONT_PX
    while size > 7:
        per_line = max(1, int((width - 8) / (size * CHAR_WIDTH)))
        lines = sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))
        if lines * size * LINE <= height - 6:
            break
        size -= 0.5
    return size


def _cell(x: float, y: float, w: float, h: float, text: str, *, scale: float, css: str = "", html: str | None = None) -> str:
    """A text cell at sheet coordinates, written out already scaled: print engines lay out
    absolutely placed text before applying a CSS transform, so the scale is applied here."""
    size = _fit(text, w, h)
    body = html if html is not None else escape(text)
    return (f'<div class="c {css}" style="left:{x * scale:.2f}px;top:{y * scale:.2f}px;width:{w * scale:.2f}px;'
            f'height:{h * scale:.2f}px;font-size:{size * scale:.2f}px">{body}</div>')


def _sheet(chart: Flowchart, rows: dict, scale: float) -> str:
    text_left = sum(w for *_, w in LEFT)
    width = text_left + chart.width + sum(w for *_, w in RIGHT)
    cells = []
    x = 0.0
    for key, title, w in LEFT:
        cells.append(_cell(x, 0, w, chart.header_height, title, scale=scale, css="h"))
        x += w
    x = text_left + chart.width
    for key, title, w in RIGHT:
        cells.append(_cell(x, 0, w, chart.header_height, title, scale=scale, css="h"))
        x += w
    for row in chart.rows:
        activity = rows.get(row.key)
        values = _values(activity)
        x = 0.0
        for key, _, w in LEFT:
            css = "num" if key == "no" else ""
            cells.append(_cell(x, row.y, w, row.height, values.get(key, ""), scale=scale, css=css, html=values.get(key + "_html")))
            x += w
        x = text_left + chart.width
        for key, _, w in RIGHT:
            cells.append(_cell(x, row.y, w, row.height, values.get(key, ""), scale=scale))
            x += w
    svg = render_svg(chart)
    title = f"Halaman {chart.page} dari {chart.pages}" if chart.pages > 1 else ""
    return (
        f'<section class="page"><div class="pagetitle">{escape(chart.title)} <span>{title}</span></div>'
        f'<div class="sheet" style="width:{width * scale:.2f}px;height:{chart.height * scale:.2f}px">'
        + "".join(cells)
        + f'<div class="chart" style="left:{text_left * scale:.2f}px;width:{chart.width * scale:.2f}px;'
        f'height:{chart.height * scale:.2f}px">{svg}</div>'
        "</div></section>"
    )


def _values(activity) -> dict[str, str]:
    if activity is None:
        return {}
    notes = "".join(f"<sup>{n})</sup>" for n in activity.notes)
    return {
        "no": activity.number, "no_html": escape(activity.number) + notes, "activity": activity.activity,
        "kelengkapan": activity.kelengkapan, "waktu": activity.waktu, "output": activity.output,
        "keterangan": activity.keterangan,
    }


def _head(definition: SopDefinition, page: str) -> str:
    width_mm, height_mm = PAGE_SIZES_MM[page]
    return f"""<!doctype html><html lang="id"><head><meta charset="utf-8">
<title>{escape(definition.name)}</title>
<style>
@page {{ size: {width_mm}mm {height_mm}mm; margin: {MARGIN_MM}mm; }}
body {{ font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; color: #111; margin: 0; }}
h1 {{ font-size: 12pt; text-align: center; margin: 0 0 2mm; }}
.instansi {{ text-align: center; font-weight: bold; margin: 0; }}
table.identity {{ border-collapse: collapse; width: 100%; margin-top: 3mm; font-size: 9pt; }}
table.identity th, table.identity td {{ border: 1px solid #333; padding: 3px 6px; vertical-align: top; text-align: left; }}
table.identity th {{ width: 28%; background: #eef2f7; }}
section.page {{ page-break-before: always; }}
.pagetitle {{ font-weight: bold; font-size: 10pt; margin-bottom: 2mm; }}
.pagetitle span {{ float: right; font-weight: normal; }}
.sheet {{ position: relative; }}
.c {{ position: absolute; box-sizing: border-box; border: 1px solid #333; padding: 3px 4px; overflow: hidden;
      line-height: {LINE}; }}
.c.h {{ background: #eef2f7; font-weight: bold; text-align: center; display: flex; align-items: center; justify-content: center; }}
.c.num {{ text-align: center; }}
.chart {{ position: absolute; top: 0; box-sizing: border-box; border-top: 1px solid #333; border-bottom: 1px solid #333; }}
.chart svg {{ display: block; width: 100%; height: 100%; }}
.notes {{ font-size: 8.5pt; margin-top: 3mm; }}
.notes ol {{ margin: 1mm 0 0 5mm; padding: 0; }}
</style></head><body>"""


def _identity(definition: SopDefinition) -> str:
    lines = "".join(f'<p class="instansi">{escape(line)}</p>' for line in definition.identity.instansi)
    rows = "".join(
        f"<tr><th>{escape(row.label)}</th><td>{'<br>'.join(escape(line) for line in row.lines)}</td></tr>"
        for row in identity_rows(definition)
    )
    return f'{lines}<table class="identity">{rows}</table>'


def _closing(definition: SopDefinition, footnotes: Footnotes) -> str:
    parts = ['<div class="notes">']
    if definition.identity.catatan:
        parts.append(f"<p><strong>Catatan:</strong> {escape(definition.identity.catatan)}</p>")
    parts.append(f"<p><em>{escape(NUMBERING_NOTE.format(last=definition.steps[-1].number))}</em></p>")
    if footnotes.texts:
        parts.append("<p><strong>Catatan pembacaan</strong> (nilai yang disimpulkan atau ditambahkan, tidak tertulis di SOP sumber):</p><ol>")
        parts += [f"<li>{escape(text)}</li>" for text in footnotes.texts]
        parts.append("</ol>")
    parts.append("</div>")
    return "".join(parts)
