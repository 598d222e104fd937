"""The SOP AP flowchart of a definition, drawn as a standalone SVG.

The layout (lanes, rows, shapes, routed arrows) is computed in `layout`, as data that tests can
check and other renderings (the SOP AP document, the case page) can align with; this module only
draws it. The SVG refers to nothing outside itself: no fonts, no images, no ids (arrowheads are
drawn as polygons, so several charts can sit in one HTML page), and every colour is a presentation
attribute, so renderers without CSS support (PDF engines) draw it the same.
"""
from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from .layout import (
    CHAR_WIDTH,
    HEADER_FONT,
    HEADER_LINE,
    LABEL_FONT,
    SHAPE_KINDS,
    START_KEY,
    START_LABEL,
    TERMINATOR_FONT,
    TERMINATOR_LINE,
    Edge,
    Flowchart,
    Lane,
    RoutingError,
    Row,
    Shape,
    flows_of,
    layout_flowchart,
    paginate,
    terminator_radius,
)

__all__ = [
    "SHAPE_KINDS", "START_KEY", "START_LABEL", "STATES", "Edge", "Flowchart", "Lane", "Row", "RoutingError",
    "Shape", "flows_of", "layout_flowchart", "paginate", "render_svg",
]

STATES = ("done", "current", "todo")
"""How a case page marks a step: finished, open now, not reached (yet)."""

INK = "#1f2933"
GUIDE = "#d5d9de"
HEADER_FILL = "#eef1f4"
# fill, stroke, stroke width, text colour, text weight
_STYLE = {
    None: ("#ffffff", INK, 1.3, INK, "bold"),
    "done": ("#dcf1e0", "#2e7d32", 1.3, "#1b5e20", "bold"),
    "current": ("#e3eefc", "#0b57d0", 3.2, "#0b57d0", "bold"),
    "todo": ("#f3f4f5", "#9aa0a6", 1.1, "#80868b", "normal"),
}
NOTE_FONT = 8
ARROW_LENGTH = 7
ARROW_HALF_WIDTH = 3.5


def render_svg(flowchart: Flowchart, *, state: dict[str, str] | None = None,
               notes: dict[str, str] | None = None) -> str:
    """The flowchart as a standalone SVG document.

    `state` maps step (or end, or START_KEY) keys to "done", "current" or "todo"; each shape's group
    gets that word as a class and its colours. `notes` maps keys to a short text drawn under the
    shape (a case page's "12 menit / 15 menit")."""
    state = state or {}
    notes = notes or {}
    for key, value in state.items():
        if value not in STATES:
            raise ValueError(f"keadaan {value!r} untuk {key!r} tidak dikenal; yang dikenal: {', '.join(STATES)}")
    w, h = _n(flowchart.width), _n(flowchart.height)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
        f'font-family="sans-serif" class="alur-flowchart" data-sop={quoteattr(flowchart.key)} '
        f'data-page="{flowchart.page}" data-pages="{flowchart.pages}">',
        f"<title>{escape(_title(flowchart))}</title>",
        f'<rect class="background" x="0" y="0" width="{w}" height="{h}" fill="#ffffff"/>',
    ]
    out += _grid(flowchart)
    out += [_edge(e) for e in flowchart.edges]
    out += [_shape(s, state.get(s.key), notes.get(s.key, ""), flowchart.width) for s in flowchart.shapes]
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _title(flowchart: Flowchart) -> str:
    page = f" (halaman {flowchart.page} dari {flowchart.pages})" if flowchart.pages > 1 else ""
    return f"Diagram alir: {flowchart.title}{page}"


def _n(value: float) -> str:
    """A number as short as SVG allows."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _grid(fc: Flowchart) -> list[str]:
    """Lane header with the role names, lane separators and row guides."""
    out = [f'<g class="lanes" stroke="{GUIDE}" stroke-width="1">',
           f'<rect x="0" y="0" width="{_n(fc.width)}" height="{_n(fc.header_height)}" fill="{HEADER_FILL}"/>']
    for row in fc.rows:
        y = _n(row.y + row.height)
        out.append(f'<line class="row-guide" x1="0" y1="{y}" x2="{_n(fc.width)}" y2="{y}" stroke-dasharray="3 3"/>')
    for lane in fc.lanes[1:]:
        out.append(f'<line class="lane-separator" x1="{_n(lane.x)}" y1="0" x2="{_n(lane.x)}" y2="{_n(fc.height)}"/>')
    out.append(f'<rect x="0.5" y="0.5" width="{_n(fc.width - 1)}" height="{_n(fc.height - 1)}" fill="none" stroke="#9aa0a6"/>')
    out.append(f'<line x1="0" y1="{_n(fc.header_height)}" x2="{_n(fc.width)}" y2="{_n(fc.header_height)}" stroke="#9aa0a6"/>')
    out.append("</g>")
    for lane in fc.lanes:
        lines = lane.name_lines
        first = fc.header_height / 2 - (len(lines) - 1) * HEADER_LINE / 2 + HEADER_FONT * 0.35
        out.append(_text(lines, lane.center_x, first, HEADER_LINE, size=HEADER_FONT, weight="bold",
                         cls="lane-name", extra=f" data-role={quoteattr(lane.key)}"))
    return out


def _text(lines, x: float, y: float, step: float, *, size: float, weight: str = "normal", fill: str = INK,
          anchor: str = "middle", cls: str = "", extra: str = "", halo: bool = False) -> str:
    attrs = f' class="{cls}"' if cls else ""
    attrs += f' x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" text-anchor="{anchor}" fill="{fill}"'
    if weight != "normal":
        attrs += f' font-weight="{weight}"'
    if halo:
        attrs += ' stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"'
    if len(lines) == 1:
        return f"<text{attrs}{extra}>{escape(lines[0])}</text>"
    spans = "".join(
        f'<tspan x="{_n(x)}" dy="{_n(0 if n == 0 else step)}">{escape(line)}</tspan>' for n, line in enumerate(lines)
    )
    return f"<text{attrs}{extra}>{spans}</text>"


def _edge(edge: Edge) -> str:
    points = edge.points
    (x1, y1), (x2, y2) = points[-2], points[-1]
    dx = (x2 > x1) - (x2 < x1)
    dy = (y2 > y1) - (y2 < y1)
    # The line stops at the arrowhead's base, so its square end does not blunt the tip.
    base = (x2 - dx * ARROW_LENGTH, y2 - dy * ARROW_LENGTH)
    line = " ".join(f"{_n(x)},{_n(y)}" for x, y in (*points[:-1], base))
    head = [(x2, y2), (base[0] + dy * ARROW_HALF_WIDTH, base[1] - dx * ARROW_HALF_WIDTH),
            (base[0] - dy * ARROW_HALF_WIDTH, base[1] + dx * ARROW_HALF_WIDTH)]
    attrs = f' data-from={quoteattr(edge.from_key)} data-to={quoteattr(edge.to_key)}'
    if edge.outcome:
        attrs += f' data-outcome={quoteattr(edge.outcome)}'
    if edge.part != "whole":
        attrs += f' data-part="{edge.part}"'
    out = [f'<g class="edge"{attrs}>',
           f'<polyline points="{line}" fill="none" stroke="{INK}" stroke-width="1.2" stroke-linejoin="round"/>',
           f'<polygon points="{" ".join(f"{_n(x)},{_n(y)}" for x, y in head)}" fill="{INK}"/>']
    if edge.label and edge.label_at:
        out.append(_text((edge.label,), edge.label_at[0], edge.label_at[1], 0, size=LABEL_FONT, anchor=edge.label_anchor,
                         cls="outcome", fill="#3c4043", halo=True))
    out.append("</g>")
    return "".join(out)


def _shape(shape: Shape, state: str | None, note: str, chart_width: float) -> str:
    fill, stroke, width, ink, weight = _STYLE[state]
    cls = f"shape {shape.kind}" + (f" {state}" if state else "")
    attrs = f' class="{cls}" data-key={quoteattr(shape.key)}'
    paint = f'fill="{fill}" stroke="{stroke}" stroke-width="{_n(width)}"'
    if shape.kind == "terminator":
        body = (f'<rect x="{_n(shape.x)}" y="{_n(shape.y)}" width="{_n(shape.w)}" height="{_n(shape.h)}" '
                f'rx="{_n(terminator_radius(shape))}" ry="{_n(terminator_radius(shape))}" {paint}/>')
        size, step = TERMINATOR_FONT, TERMINATOR_LINE
    elif shape.kind == "process":
        body = f'<rect x="{_n(shape.x)}" y="{_n(shape.y)}" width="{_n(shape.w)}" height="{_n(shape.h)}" {paint}/>'
        size, step = 12, 14
    else:  # decision, connector
        pts = " ".join(f"{_n(x)},{_n(y)}" for x, y in shape.outline())
        body = f'<polygon points="{pts}" {paint} stroke-linejoin="round"/>'
        size, step = (12, 14) if shape.kind == "decision" else (10, 12)
    lines = shape.lines
    cy = shape.cy - (shape.h * 0.12 if shape.kind == "connector" else 0)
    first = cy - (len(lines) - 1) * step / 2 + size * 0.35
    out = [f"<g{attrs}>", body,
           _text(lines, shape.cx, first, step, size=size, weight=weight if shape.kind != "terminator" else "normal",
                 fill=ink, cls="label")]
    if shape.kind == "connector" and shape.note:
        # Right of the pentagon, or left of it where the chart ends on the right.
        size = 7.5
        right = shape.x + shape.w + 3 + len(shape.note) * size * CHAR_WIDTH <= chart_width - 2
        x, anchor = (shape.x + shape.w + 3, "start") if right else (shape.x - 3, "end")
        out.append(_text((shape.note,), x, shape.cy + size * 0.35, 0, size=size, anchor=anchor,
                         cls="connector-note", fill="#3c4043", halo=True))
    if note:
        out.append(_text((note,), shape.cx, shape.y + shape.h + NOTE_FONT + 2, 0, size=NOTE_FONT, cls="note",
                         fill="#3c4043", halo=True))
    out.append("</g>")
    return "".join(out)


