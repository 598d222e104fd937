"""Where everything of an SOP AP flowchart goes: lanes, rows, shapes and orthogonal arrows, as data.

The flowchart of an SOP AP (Permenpan RB 35/2012) has one column (swimlane) per role, in the
definition's order, and one row per step, in the definition's order (the order of the activity
table, so the document can put this chart beside its Mutu Baku columns row for row). Only the
SOP AP symbols are used: a capsule (terminator) for the start and for each end, a rectangle for an
activity, a diamond for a decision, a pentagon for an off-page connector, and arrows.

Placement:
- Each row holds exactly one step shape, centred in its actor's lane. Every step row has the same
  band for the step shape; rows that also carry a capsule or a connector are taller by that item,
  and `Row.y` / `Row.height` say exactly where each row is, so a table can align with it.
- "Mulai" is a capsule directly above the start step, in the top of the start step's row.
- Each end is one capsule, directly below the step that leads to it (when several steps lead to
  it: the last of them in row order), in the bottom of that step's row, in that step's lane.
- On a page of a paginated chart, a flow to or from a row on another page ends at a pentagon
  below its source step (outgoing) and starts again at a pentagon above its target step (incoming);
  both pentagons carry the same letter and say where the flow goes or comes from.

Routing: every lane keeps a gutter of routing tracks on each side of its shapes and every row keeps
a gutter of tracks above and below its shapes. Arrows are routed one by one (the main path first,
loops last) by a shortest-path search over the grid those tracks make with the shapes' own centre
lines, counting bends as extra length, so a flow to the next row is the usual elbow: out of the
side, across, down into the top. Grid points inside a shape (with a small margin) are closed, so no
arrow passes through a shape; a piece of track used by one arrow is closed to the others, and an
arrow may cross another only straight across, never turn or end on it, so two arrows never share a
segment. A loop back to an earlier row leaves through a free side or the bottom and climbs in a
gutter to a free side of its target. Each side of a shape has a few ports and each port takes one
arrow. Should an arrow find no way, it is routed first on the next try; should that not help,
the gutters get more tracks and the shapes it failed at more ports (they grow taller).
Outcome labels go beside the first piece of their arrow, on the side that crosses fewest lines.
"""
from __future__ import annotations

import heapq
import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from ..model import DECISION_OUTCOMES, OUTCOME_LABELS, SopDefinition

START_KEY = "@mulai"
"""The key of the start capsule (a step key can never begin with '@')."""
START_LABEL = "Mulai"

SHAPE_KINDS = ("terminator", "process", "decision", "connector")

# Geometry, in SVG user units (px at 96 dpi).
LANE_MIN_WIDTH = 126
TRACK = 8  # distance between two parallel routing tracks
GUTTER_PAD = 5  # from a lane or row border to its first track
PORT_OFFSET = 12  # ports beside a side's middle, for a second or third arrow on that side
BOX_W, BOX_H = 64, 36
DIAMOND_W, DIAMOND_H = 68, 48
STEP_BAND = DIAMOND_H
START_W, START_H = 64, 22
CONNECTOR_W, CONNECTOR_H = 26, 26
CONNECTOR_SHOULDER = 0.62  # the pentagon's sides run straight down to this fraction of its height
STACK_GAP = 20  # between a step shape and a capsule or connector stacked with it
SHAPE_MARGIN = 3  # arrows keep this far from shapes they do not start or end at
TERMINATOR_FONT = 8.5
LABEL_FONT = 8  # outcome labels beside the arrows
TERMINATOR_MAX_RADIUS = 21
TERMINATOR_LINE = 10.5
HEADER_FONT = 10
HEADER_LINE = 12
CHAR_WIDTH = 0.56  # average width of a sans-serif character, in em; used for wrapping
BOLD_CHAR_WIDTH = 0.62
BEND_COST = 30
# Extra cost of a port beside a side's middle, and of arriving other than from above: an arrow
# leaves through the middle of a side when it can and, flowing down, enters the next shape's top.
OFFSET_PORT_COST = 30
# A diamond's arrows meet its corners; one on a slanted side is the last resort.
DIAMOND_OFFSET_PORT_COST = 150
ENTRY_COST = {3: 0, 1: 4, 2: 8, 0: 8}  # by the port's outward direction: top, bottom, sides
GUTTER_TRACKS = (2, 3, 4, 6, 8, 12, 16)  # tracks per gutter, tried in turn until every arrow has a route
RIP_UP_TRIES = 12
NEAR, NEAR_COST = 8, 4  # an arrow passing this close to a shape counts as this much longer  # orders of routing tried for one gutter size

Point = tuple[float, float]


@dataclass(frozen=True)
class Lane:
    """A swimlane: one role's column."""

    key: str
    name: str
    x: float
    width: float
    name_lines: tuple[str, ...]  # the role name wrapped as the header draws it

    @property
    def center_x(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Row:
    """One step's row. `center_y` is the middle of the step shape; `y`..`y + height` is the row."""

    key: str
    number: int
    y: float
    height: float
    center_y: float


@dataclass(frozen=True)
class Shape:
    """One symbol. (x, y) is its top-left corner; `lane` and `row` are the lane and row holding it.

    kind: "terminator" (capsule: start or end), "process" (rectangle), "decision" (diamond) or
    "connector" (off-page pentagon). `key` is the step key, the end key, START_KEY, or for a
    connector "@out:<ref>" / "@in:<ref>"; `ref` is the letter both connectors of a pair carry and
    `note` says where the flow goes ("ke 8, hal. 2") or comes from ("dari 7, hal. 1")."""

    kind: str
    key: str
    lane: str
    row: str
    x: float
    y: float
    w: float
    h: float
    label: str
    lines: tuple[str, ...]  # the label wrapped as drawn
    number: int | None = None
    ref: str | None = None
    note: str = ""
    direction: str | None = None  # connector: "out" (the flow leaves the page) or "in"

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    def outline(self) -> list[Point]:
        """The polygon of a diamond or pentagon (for drawing); a rectangle's corners otherwise."""
        x, y, w, h = self.x, self.y, self.w, self.h
        if self.kind == "decision":
            return [(x + w / 2, y), (x + w, y + h / 2), (x + w / 2, y + h), (x, y + h / 2)]
        if self.kind == "connector":
            s = y + h * CONNECTOR_SHOULDER
            return [(x, y), (x + w, y), (x + w, s), (x + w / 2, y + h), (x, s)]
        return [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]


@dataclass(frozen=True)
class Edge:
    """One arrow. It draws the flow `from_key` -> `to_key` (under `outcome` for a decision) of the
    definition: whole (part "whole"), or the piece on this page of a flow continued on another page
    ("out": from the step to an outgoing connector; "in": from an incoming connector to the step).

    `points` is the orthogonal polyline from the boundary of `from_shape` to the boundary of
    `to_shape`, where the arrowhead is. `label` (the outcome's label) is drawn at `label_at` with
    the SVG text anchor `label_anchor`, beside the arrow's first segment."""

    from_key: str
    to_key: str
    outcome: str | None
    label: str | None
    points: tuple[Point, ...]
    from_shape: str
    to_shape: str
    part: str = "whole"
    ref: str | None = None
    label_at: Point | None = None
    label_anchor: str = "start"

    @property
    def flow(self) -> tuple[str, str, str | None]:
        return (self.from_key, self.to_key, self.outcome)


@dataclass(frozen=True)
class Flowchart:
    key: str  # the definition's key
    title: str
    lanes: tuple[Lane, ...]
    rows: tuple[Row, ...]
    shapes: tuple[Shape, ...]
    edges: tuple[Edge, ...]
    width: float
    height: float
    header_height: float  # the lane header (role names) runs from 0 to here; rows follow
    page: int = 1
    pages: int = 1

    def shape(self, key: str) -> Shape:
        return next(s for s in self.shapes if s.key == key)

    def lane(self, key: str) -> Lane:
        return next(lane for lane in self.lanes if lane.key == key)

    def row(self, key: str) -> Row:
        return next(row for row in self.rows if row.key == key)


# --- public API ----------------------------------------------------------------------------------


def flows_of(definition: SopDefinition) -> list[tuple[str, str, str | None]]:
    """Every flow of the definition, in row order: start -> first step, each `next`, each outcome."""
    flows: list[tuple[str, str, str | None]] = [(START_KEY, definition.start, None)]
    for step in definition.steps:
        if step.is_decision:
            outcomes = dict(step.outcomes)
            flows += [(step.key, outcomes[o], o) for o in DECISION_OUTCOMES if o in outcomes]
        else:
            assert step.next is not None
            flows.append((step.key, step.next, None))
    return flows


def layout_flowchart(definition: SopDefinition, *, steps: list[str] | None = None) -> Flowchart:
    """Lay out the flowchart of `definition`: all its steps, or only the rows of `steps` (kept in
    the definition's order). A flow between a drawn row and a row left out ends at a connector."""
    keys = _select(definition, steps)
    chosen = set(keys)
    return _layout(definition, keys, place=lambda key: 1 if key in chosen else None, paged=False)


def paginate(definition: SopDefinition, *, rows_per_page: int) -> list[Flowchart]:
    """The flowchart split into pages of at most `rows_per_page` step rows each. A flow between
    two pages is drawn as an arrow to a connector on one page and from the matching connector on
    the other, so every flow is still drawn exactly once."""
    if rows_per_page < 1:
        raise ValueError("rows_per_page harus paling sedikit 1")
    keys = [s.key for s in definition.steps]
    chunks = [keys[i:i + rows_per_page] for i in range(0, len(keys), rows_per_page)]
    page_of = {key: n for n, chunk in enumerate(chunks, 1) for key in chunk}
    return [
        _layout(definition, chunk, place=page_of.get, paged=True, page=n, pages=len(chunks))
        for n, chunk in enumerate(chunks, 1)
    ]


# --- layout --------------------------------------------------------------------------------------


class RoutingError(RuntimeError):
    """No route left for an arrow, even with the widest gutters."""


class _NoRoute(Exception):
    def __init__(self, arrow: _Arrow):
        super().__init__(f"{arrow.flow[0]} -> {arrow.flow[1]}")
        self.arrow = arrow


def _select(definition: SopDefinition, steps: list[str] | None) -> list[str]:
    if steps is None:
        return [s.key for s in definition.steps]
    unknown = [k for k in steps if not definition.is_step(k)]
    if unknown:
        raise ValueError(f"langkah tidak dikenal: {', '.join(unknown)}")
    chosen = set(steps)
    return [s.key for s in definition.steps if s.key in chosen]


def _anchors(definition: SopDefinition) -> dict[str, str]:
    """The step each end is drawn under: the last step (in row order) that leads to it. An end no
    step leads to is drawn under the last step, so that every end still has its capsule."""
    anchors: dict[str, str] = {}
    for step in definition.steps:
        for target in step.targets:
            if target is not None and not definition.is_step(target):
                anchors[target] = step.key
    for end in definition.ends:
        anchors.setdefault(end.key, definition.steps[-1].key)
    return anchors


def _letters(n: int) -> str:
    text = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        text = chr(ord("A") + rest) + text
    return text


def wrap(text: str, width: int) -> tuple[str, ...]:
    """Greedy word wrap to at most `width` characters a line (a longer word keeps its own line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return tuple(lines) or ("",)


@dataclass
class _Item:
    """A shape before it has a position: what it is and how big."""

    kind: str
    key: str
    w: float
    h: float
    label: str
    lines: tuple[str, ...]
    number: int | None = None
    ref: str | None = None
    note: str = ""
    direction: str | None = None


@dataclass
class _Arrow:
    """An arrow to route: the flow it draws and the shapes it runs between."""

    flow: tuple[str, str, str | None]
    part: str
    src: str
    dst: str
    ref: str | None
    rank: tuple


def _layout(definition: SopDefinition, keys: list[str], *, place, paged: bool, page: int = 1, pages: int = 1) -> Flowchart:
    anchors = _anchors(definition)

    def where(key: str) -> int | None:
        """The page a flow's endpoint is drawn on (None: not on this chart at all)."""
        if key == START_KEY:
            return place(definition.start)
        if definition.is_step(key):
            return place(key)
        return place(anchors[key])

    here = set(keys)
    flows = flows_of(definition)
    crossing = [f for f in flows if where(f[0]) != where(f[1]) and page in (where(f[0]), where(f[1]))]
    if paged:
        # Letters are given over the whole chart, so both pages of a pair print the same one.
        every = [f for f in flows if where(f[0]) != where(f[1])]
        refs = {f: _letters(every.index(f)) for f in crossing}
    else:
        refs = {f: _letters(n) for n, f in enumerate(crossing)}

    def point_to(key: str, other_page: int | None) -> str:
        name = str(definition.step(key).number) if definition.is_step(key) else "akhir"
        return name + (f", hal. {other_page}" if paged and other_page else "")

    # Items stacked in each row above (top) and below (bottom) its step shape.
    top: dict[str, list[_Item]] = {k: [] for k in keys}
    bottom: dict[str, list[_Item]] = {k: [] for k in keys}
    ends_below: dict[str, list[str]] = {k: [] for k in keys}
    for end in definition.ends:
        if anchors[end.key] in here:
            ends_below[anchors[end.key]].append(end.key)
    arrows: list[_Arrow] = []
    main = {s.key for s in definition.straight_path()}
    row_index = {k: i for i, k in enumerate(keys)}

    in_items: dict[str, list[_Item]] = {}
    out_items: dict[str, list[_Item]] = {}
    for flow in crossing:
        src, dst, outcome = flow
        ref = refs[flow]
        if where(src) == page:
            item = _Item("connector", f"@out:{ref}", CONNECTOR_W, CONNECTOR_H, ref, (ref,), ref=ref,
                         note="ke " + point_to(dst, where(dst)), direction="out")
            out_items.setdefault(definition.start if src == START_KEY else src, []).append(item)
        else:
            item = _Item("connector", f"@in:{ref}", CONNECTOR_W, CONNECTOR_H, ref, (ref,), ref=ref,
                         note="dari " + point_to(src, where(src)), direction="in")
            in_items.setdefault(dst, []).append(item)

    for key in keys:
        top[key] += in_items.get(key, [])
        if key == definition.start:
            top[key].append(_Item("terminator", START_KEY, START_W, START_H, START_LABEL, (START_LABEL,)))
        for end_key in sorted(ends_below[key], key=lambda e: _end_order(definition, key, e)):
            # Sized once the lane width is known: an end's capsule is as wide as its lane allows.
            name = definition.end(end_key).name
            bottom[key].append(_Item("terminator", end_key, 0, 0, name, ()))
            bottom[key] += in_items.get(end_key, [])
        bottom[key] += out_items.get(key, [])

    for flow in flows:
        src, dst, outcome = flow
        ws, wd = where(src), where(dst)
        if page not in (ws, wd):
            continue
        src_shape = START_KEY if src == START_KEY else src
        if ws == wd:
            part, a, b = "whole", src_shape, dst
        elif ws == page:
            part, a, b = "out", src_shape, f"@out:{refs[flow]}"
        else:
            part, a, b = "in", f"@in:{refs[flow]}", dst
        row_a = _row_of(a, flow, definition, anchors)
        row_b = _row_of(b, flow, definition, anchors)
        span = abs(row_index[row_b] - row_index[row_a])
        backward = row_index[row_b] < row_index[row_a]
        on_main = src == START_KEY or (src in main and outcome in (None, DECISION_OUTCOMES[0]))
        # Arrows within a row first (to a stacked capsule or connector), then the main path, then
        # the other forward flows, then the loops, and last a decision returning to itself.
        category = 4 if a == b else 0 if span == 0 else 3 if backward else 1 if on_main else 2
        arrows.append(_Arrow(flow, part, a, b, refs.get(flow), (category, span, row_index[row_a], len(arrows))))

    # Arrows are routed greedily; when one finds no way left, it is routed first on the next try
    # (rip-up and reroute). When that does not help either, the gutters get more tracks and the
    # steps at the ends of the arrows that failed get taller, with more ports on their sides
    # (a step many flows return to has more arrows than a plain shape has ports).
    last_error: _NoRoute | None = None
    grow = _growth(definition, arrows)
    for tracks in GUTTER_TRACKS:
        order = sorted(arrows, key=lambda a: a.rank)
        failed: set[str] = set()
        for _ in range(min(len(order), RIP_UP_TRIES)):
            try:
                return _place_and_route(definition, keys, top, bottom, order, tracks, grow, page=page, pages=pages)
            except _NoRoute as exc:
                last_error = exc
                failed.update(k for k in (exc.arrow.src, exc.arrow.dst) if not k.startswith("@"))
                if order[0] is exc.arrow:
                    break
                order.remove(exc.arrow)
                order.insert(0, exc.arrow)
        for key in failed:
            grow[key] = grow.get(key, 0) + 1
    raise RoutingError(f"tidak ada jalur untuk panah {last_error}")


def _growth(definition: SopDefinition, arrows: list[_Arrow]) -> dict[str, int]:
    """How much taller to make the shapes that more arrows meet than their sides have ports for
    (each step of growth adds a port above and below the middle of both sides)."""
    meets: dict[str, int] = {}
    for arrow in arrows:
        for key in (arrow.src, arrow.dst):
            meets[key] = meets.get(key, 0) + 1
    grow = {}
    for key, count in meets.items():
        if key.startswith("@"):
            continue
        spare = 6 if definition.is_step(key) else 3  # the ports a plain step's / end's sides offer
        if count > spare:
            grow[key] = -(-(count - spare) // 4)
    return grow


def _end_order(definition: SopDefinition, step_key: str, end_key: str) -> tuple[int, int]:
    """Ends under one step: in the order of the step's outcomes, then of the definition."""
    step = definition.step(step_key)
    targets = list(step.targets)
    first = targets.index(end_key) if end_key in targets else len(targets)
    return (first, [e.key for e in definition.ends].index(end_key))


def _row_of(shape_key: str, flow: tuple[str, str, str | None], definition: SopDefinition, anchors: dict[str, str]) -> str:
    """The row (step key) holding a shape at one end of the arrow drawing `flow`."""
    if shape_key == START_KEY:
        return definition.start
    if shape_key.startswith("@out:"):
        return definition.start if flow[0] == START_KEY else flow[0]
    if shape_key.startswith("@in:"):
        return flow[1] if definition.is_step(flow[1]) else anchors[flow[1]]
    if definition.is_step(shape_key):
        return shape_key
    return anchors[shape_key]


def _gutter(tracks: int) -> float:
    return GUTTER_PAD + tracks * TRACK + 2


def _lane_width(tracks: int) -> float:
    return max(LANE_MIN_WIDTH, 2 * _gutter(tracks) + DIAMOND_W + 2 * SHAPE_MARGIN + 6)


def _place_and_route(definition, keys, top, bottom, arrows, tracks, grow, *, page, pages) -> Flowchart:
    gutter = _gutter(tracks)
    lane_w = _lane_width(tracks)
    chars = max(6, int((lane_w - 10) / (HEADER_FONT * BOLD_CHAR_WIDTH)))
    lanes = []
    for n, role in enumerate(definition.roles):
        lanes.append(Lane(role.key, role.name, n * lane_w, lane_w, wrap(role.name, chars)))
    lane_of = {lane.key: lane for lane in lanes}
    header = max(len(lane.name_lines) for lane in lanes) * HEADER_LINE + 14
    width = len(lanes) * lane_w

    xs: set[float] = set()
    for lane in lanes:
        cx = lane.center_x
        xs.update(lane.x + GUTTER_PAD + i * TRACK for i in range(tracks))
        xs.update(lane.x + lane.width - GUTTER_PAD - i * TRACK for i in range(tracks))
        xs.update((cx - PORT_OFFSET, cx, cx + PORT_OFFSET))
    ys: set[float] = set()

    rows: list[Row] = []
    shapes: list[Shape] = []
    y = header
    for key in keys:
        step = definition.step(key)
        lane = lane_of[step.actor]
        cx = lane.center_x
        ys.update(y + GUTTER_PAD + i * TRACK for i in range(tracks))
        cursor = y + gutter

        def put(item: _Item, cy: float) -> None:
            shapes.append(Shape(item.kind, item.key, lane.key, key, cx - item.w / 2, cy - item.h / 2, item.w, item.h,
                                item.label, item.lines, item.number, item.ref, item.note, item.direction))
            ys.add(cy)

        for item in top[key]:
            put(item, cursor + item.h / 2)
            cursor += item.h + STACK_GAP
        extra = 2 * PORT_OFFSET * grow.get(key, 0)
        center = cursor + (STEP_BAND + extra) / 2
        kind = "decision" if step.is_decision else "process"
        w, h = (DIAMOND_W, DIAMOND_H) if step.is_decision else (BOX_W, BOX_H)
        put(_Item(kind, key, w, h + extra, str(step.number), (str(step.number),), number=step.number), center)
        ys.update(center + k * PORT_OFFSET for k in range(-1 - grow.get(key, 0), 2 + grow.get(key, 0)))
        cursor += STEP_BAND + extra
        for item in bottom[key]:
            item = _end_capsule(item, lane_w, tracks, grow.get(item.key, 0))
            cursor += STACK_GAP
            put(item, cursor + item.h / 2)
            if grow.get(item.key):
                ys.update(cursor + item.h / 2 + k * PORT_OFFSET for k in range(-grow[item.key], grow[item.key] + 1))
            cursor += item.h
        height = cursor + gutter - y
        ys.update(y + height - GUTTER_PAD - i * TRACK for i in range(tracks))
        rows.append(Row(key, step.number, y, height, center))
        y += height

    router = _Router(sorted(_dedupe(xs)), sorted(_dedupe(ys)), shapes)
    routes = []
    for arrow in arrows:
        points = router.route(arrow.src, arrow.dst)
        if points is None:
            raise _NoRoute(arrow)
        routes.append((arrow, points))
    segments = [seg for _, points in routes for seg in zip(points, points[1:])]
    edges = []
    for arrow, points in routes:
        src, dst, outcome = arrow.flow
        label = OUTCOME_LABELS[outcome] if outcome else None
        label_at, anchor = (None, "start")
        if label and arrow.part in ("whole", "out"):
            label_at, anchor = _label_place(label, points, segments, shapes, width)
        edges.append(Edge(src, dst, outcome, label, points, arrow.src, arrow.dst, arrow.part, arrow.ref, label_at, anchor))
    order = {a.flow: a.rank[-1] for a in arrows}
    edges.sort(key=lambda e: order[e.flow])
    return Flowchart(definition.key, definition.name, tuple(lanes), tuple(rows), tuple(shapes), tuple(edges),
                     width, y, header, page, pages)


def _end_capsule(item: _Item, lane_w: float, tracks: int, grow: int = 0) -> _Item:
    """An end's capsule, sized to its lane: as wide as it can be while the outer half of the lane's
    gutter tracks stay free to pass it, the name wrapped to fit between the rounded ends. An end
    many flows reach is made taller, with straight sides that take more arrows."""
    if item.kind != "terminator" or item.w:
        return item
    free = max(1, tracks // 2)
    w = lane_w - 2 * (GUTTER_PAD + (free - 1) * TRACK + SHAPE_MARGIN + 2)
    lines = wrap(item.label, max(8, int((w - 22) / (TERMINATOR_FONT * CHAR_WIDTH))))
    h = max(START_H, len(lines) * TERMINATOR_LINE + 9)
    if grow:
        h = max(h, 2 * (TERMINATOR_MAX_RADIUS + PORT_OFFSET * grow + 4))
    return _Item(item.kind, item.key, w, h, item.label, lines)


def _dedupe(values: set[float]) -> set[float]:
    return {round(v, 3) for v in values}


def _label_place(label: str, points: tuple[Point, ...], segments, shapes: list[Shape], width: float) -> tuple[Point, str]:
    """Where an outcome's label goes: beside the arrow just after it leaves the decision (after
    its first bend when the first piece is too short), on whichever side crosses the fewest lines
    and shapes; on the right of a line going down, above a line going across, when both are clear."""
    (x0, y0), (x1, y1) = points[0], points[1]
    if abs(x1 - x0) + abs(y1 - y0) < 20 and len(points) > 2:
        (x0, y0), (x1, y1) = points[1], points[2]
    if y0 == y1:
        x, anchor = (x0 + 4, "start") if x1 > x0 else (x0 - 4, "end")
        candidates = [((x, y0 - 3.5), anchor), ((x, y0 + 10), anchor)]
    else:
        y = y0 + 10 if y1 > y0 else y0 - 4
        candidates = [((x0 + 3.5, y), "start"), ((x0 - 3.5, y), "end")]
    text_w = len(label) * LABEL_FONT * CHAR_WIDTH

    def clashes(candidate) -> int:
        (x, y), anchor = candidate
        left = x if anchor == "start" else x - text_w
        box = (left, y - LABEL_FONT * 0.8, left + text_w, y + LABEL_FONT * 0.2)
        hits = sum(_segment_meets_box(seg, box) for seg in segments)
        hits += sum(2 for s in shapes if box[0] < s.x + s.w and s.x < box[2] and box[1] < s.y + s.h and s.y < box[3])
        return hits + (3 if box[0] < 0 or box[2] > width else 0)

    return min(candidates, key=clashes)


def _segment_meets_box(seg, box) -> bool:
    (xa, ya), (xb, yb) = seg
    return min(xa, xb) <= box[2] and box[0] <= max(xa, xb) and min(ya, yb) <= box[3] and box[1] <= max(ya, yb)


# --- routing -------------------------------------------------------------------------------------

_DX = (1, 0, -1, 0)  # directions: 0 right, 1 down, 2 left, 3 up
_DY = (0, 1, 0, -1)


@dataclass(frozen=True)
class _Port:
    shape: str
    x: float
    y: float
    dir: int  # the direction an arrow leaves the shape through this port
    cost: float


def _ports(shape: Shape) -> list[_Port]:
    """Where arrows may meet a shape: the middle of each side (a diamond's corners), and beside
    them, a port offset along each side (more on the sides of a step made taller for them)."""
    cx, cy, hw, hh = shape.cx, shape.cy, shape.w / 2, shape.h / 2
    top, bot, left, right = shape.y, shape.y + shape.h, shape.x, shape.x + shape.w
    o = PORT_OFFSET
    key = shape.key
    ports = [_Port(key, cx, top, 3, 0), _Port(key, cx, bot, 1, 0), _Port(key, left, cy, 2, 0), _Port(key, right, cy, 0, 0)]
    c = OFFSET_PORT_COST
    if shape.kind == "process":
        for d in (-o, o):
            ports += [_Port(key, cx + d, top, 3, c), _Port(key, cx + d, bot, 1, c)]
        k = 1
        while k * o < hh - 4:
            for d in (-k * o, k * o):
                ports += [_Port(key, left, cy + d, 2, c * k), _Port(key, right, cy + d, 0, c * k)]
            k += 1
    elif shape.kind == "decision":
        c = DIAMOND_OFFSET_PORT_COST
        dy = hh * (1 - o / hw)
        for d in (-o, o):
            ports += [_Port(key, cx + d, cy - dy, 3, c), _Port(key, cx + d, cy + dy, 1, c)]
        k = 1
        while k * o < hh - 6:
            dx = hw * (1 - k * o / hh)
            for d in (-k * o, k * o):
                ports += [_Port(key, cx - dx, cy + d, 2, c * k), _Port(key, cx + dx, cy + d, 0, c * k)]
            k += 1
    elif shape.kind == "terminator":
        r = terminator_radius(shape)
        if hw - r > o:
            for d in (-o, o):
                ports += [_Port(key, cx + d, top, 3, c), _Port(key, cx + d, bot, 1, c)]
        k = 1
        while k * o <= hh - r - 2:  # a tall capsule's straight sides
            for d in (-k * o, k * o):
                ports += [_Port(key, left, cy + d, 2, c * k), _Port(key, right, cy + d, 0, c * k)]
            k += 1
    return ports


def terminator_radius(shape: Shape) -> float:
    """The rounding of a capsule: half its height (a true capsule) up to TERMINATOR_MAX_RADIUS."""
    return min(shape.h / 2, TERMINATOR_MAX_RADIUS)


class _Router:
    """Shortest orthogonal routes over the track grid, one arrow after another.

    Nodes are grid points (id < n) and shape ports (id >= n). A search state is a node and the
    direction the route arrived in, so bends can be counted."""

    def __init__(self, xs: list[float], ys: list[float], shapes: list[Shape]):
        self.xs, self.ys = xs, ys
        nx, ny = len(xs), len(ys)
        self.nx, self.n = nx, nx * ny
        self.shapes = {s.key: s for s in shapes}
        blocked = bytearray(self.n)
        for s in shapes:
            m = SHAPE_MARGIN
            i0, i1 = bisect_right(xs, s.x - m), bisect_left(xs, s.x + s.w + m)
            j0, j1 = bisect_right(ys, s.y - m), bisect_left(ys, s.y + s.h + m)
            for j in range(j0, j1):
                for i in range(i0, i1):
                    blocked[j * nx + i] = 1
        self.blocked = blocked
        # Grid points close to a shape: allowed, but an arrow keeps its distance when it can.
        near = bytearray(self.n)
        for s in shapes:
            m = SHAPE_MARGIN + NEAR
            i0, i1 = bisect_right(xs, s.x - m), bisect_left(xs, s.x + s.w + m)
            j0, j1 = bisect_right(ys, s.y - m), bisect_left(ys, s.y + s.h + m)
            for j in range(j0, j1):
                for i in range(i0, i1):
                    near[j * nx + i] = 1
        self.near = near
        self.ports: list[_Port] = [p for s in shapes for p in _ports(s)]
        self.port_ids: dict[str, list[int]] = {}
        for k, p in enumerate(self.ports):
            self.port_ids.setdefault(p.shape, []).append(self.n + k)
        # link[port] = the node a route reaches leaving through the port; entry[(grid, dir)] = the
        # port a route enters moving from that grid node in that direction.
        self.link: dict[int, int] = {}
        self.entry: dict[tuple[int, int], int] = {}
        self._link_ports()
        self.used_ports: set[int] = set()
        self.used_segments: set[tuple[int, int]] = set()
        self.occupied: dict[int, set[str]] = {}

    def xy(self, node: int) -> Point:
        if node >= self.n:
            p = self.ports[node - self.n]
            return (p.x, p.y)
        j, i = divmod(node, self.nx)
        return (self.xs[i], self.ys[j])

    def _link_ports(self) -> None:
        eps = 1e-6
        by_line: dict[tuple[str, float], list[int]] = {}
        for k, p in enumerate(self.ports):
            line = ("x", round(p.x, 3)) if p.dir in (1, 3) else ("y", round(p.y, 3))
            by_line.setdefault(line, []).append(k)
        for k, p in enumerate(self.ports):
            vertical = p.dir in (1, 3)
            line = ("x", round(p.x, 3)) if vertical else ("y", round(p.y, 3))
            along, across = (self.ys, p.x) if vertical else (self.xs, p.y)
            pos = p.y if vertical else p.x
            forward = p.dir in (0, 1)
            if forward:
                idx = bisect_right(along, pos + eps)
                stop = along[idx] if idx < len(along) else math.inf
            else:
                idx = bisect_left(along, pos - eps) - 1
                stop = along[idx] if idx >= 0 else -math.inf
            # A port of another shape facing this one, nearer than the next grid line: the two
            # shapes are stacked with nothing between, and only a direct arrow can join them.
            facing = None
            for q_id in by_line[line]:
                q = self.ports[q_id]
                q_pos = q.y if vertical else q.x
                if q.shape != p.shape and q.dir == (p.dir + 2) % 4 and (
                        (forward and pos < q_pos < stop) or (not forward and stop < q_pos < pos)):
                    if facing is None or abs(q_pos - pos) < abs((self.ports[facing].y if vertical else self.ports[facing].x) - pos):
                        facing = q_id
            if facing is not None:
                self.link[self.n + k] = self.n + facing
                continue
            if math.isinf(stop):
                continue
            lines = self.xs if vertical else self.ys
            at = bisect_left(lines, round(across, 3))
            if at == len(lines) or lines[at] != round(across, 3):
                continue  # a port off every track: not used
            i, j = (at, idx) if vertical else (idx, at)
            node = j * self.nx + i
            if not self.blocked[node]:
                self.link[self.n + k] = node
                self.entry[(node, (p.dir + 2) % 4)] = self.n + k

    def _step(self, node: int, d: int) -> int:
        j, i = divmod(node, self.nx)
        i, j = i + _DX[d], j + _DY[d]
        if not (0 <= i < self.nx and 0 <= j < self.n // self.nx):
            return -1
        m = j * self.nx + i
        return -1 if self.blocked[m] else m

    def _may_leave(self, node: int, came: int, goes: int) -> bool:
        occ = self.occupied.get(node)
        if not occ:
            return True
        if came != goes or "X" in occ:
            return False
        return ("H" if came % 2 == 0 else "V") not in occ

    def route(self, src: str, dst: str) -> tuple[Point, ...] | None:
        starts = [p for p in self.port_ids[src] if p not in self.used_ports and p in self.link]
        goals = {p for p in self.port_ids[dst] if p not in self.used_ports}
        if src == dst:
            # A step returning to itself: leave through one side and come back through another,
            # so the loop is big enough to see.
            best = None
            for p in starts:
                side = self.ports[p - self.n].dir
                found = self._search([p], {q for q in goals if self.ports[q - self.n].dir != side}, dst)
                if found and (best is None or found[0] < best[0]):
                    best = found
        else:
            best = self._search(starts, goals, dst)
        if best is None:
            return None
        path = best[1]
        self._claim(path)
        return _simplify([self.xy(n) for n in path])

    def _entry_cost(self, port_id: int) -> float:
        port = self.ports[port_id - self.n]
        return port.cost + ENTRY_COST[port.dir]

    def _search(self, starts: list[int], goals: set[int], dst: str):
        target = self.shapes[dst]
        tx, ty, thw, thh = target.cx, target.cy, target.w / 2, target.h / 2

        def h(node: int) -> float:
            x, y = self.xy(node)
            return max(0.0, abs(x - tx) - thw) + max(0.0, abs(y - ty) - thh)

        heap: list = []
        best: dict[tuple[int, int], float] = {}
        parent: dict[tuple[int, int], tuple[int, int] | None] = {}
        counter = 0
        for p in starts:
            port = self.ports[p - self.n]
            nxt = self.link[p]
            cost = port.cost + _dist(self.xy(p), self.xy(nxt))
            if nxt >= self.n:  # stacked directly against another shape
                if nxt in goals:
                    cost += self._entry_cost(nxt)
                    state = (nxt, port.dir)
                    if cost < best.get(state, math.inf):
                        best[state], parent[state] = cost, (p, -1)
                        heapq.heappush(heap, (cost, cost, counter, state))
                        counter += 1
                continue
            state = (nxt, port.dir)
            if cost < best.get(state, math.inf):
                best[state], parent[state] = cost, (p, -1)
                heapq.heappush(heap, (cost + h(nxt), cost, counter, state))
                counter += 1
        done: set[tuple[int, int]] = set()
        while heap:
            _, g, _, state = heapq.heappop(heap)
            if state in done:
                continue
            done.add(state)
            node, d = state
            if node >= self.n:
                path = [node]
                s = state
                while True:
                    prev = parent[s]
                    path.append(prev[0])
                    if prev[1] == -1:
                        break
                    s = prev
                path.reverse()
                return g, path
            for nd in (d, (d + 1) % 4, (d + 3) % 4):
                if not self._may_leave(node, d, nd):
                    continue
                extra = 0 if nd == d else BEND_COST
                port = self.entry.get((node, nd))
                if port is not None and port in goals:
                    cost = g + extra + _dist(self.xy(node), self.xy(port)) + self._entry_cost(port)
                    s2 = (port, nd)
                    if cost < best.get(s2, math.inf):
                        best[s2], parent[s2] = cost, state
                        heapq.heappush(heap, (cost, cost, counter, s2))
                        counter += 1
                m = self._step(node, nd)
                if m < 0 or (min(node, m), max(node, m)) in self.used_segments:
                    continue
                cost = g + extra + _dist(self.xy(node), self.xy(m)) + NEAR_COST * self.near[m]
                s2 = (m, nd)
                if cost < best.get(s2, math.inf):
                    best[s2], parent[s2] = cost, state
                    heapq.heappush(heap, (cost + h(m), cost, counter, s2))
                    counter += 1
        return None

    def _claim(self, path: list[int]) -> None:
        self.used_ports.update((path[0], path[-1]))
        pts = [self.xy(n) for n in path]
        for k in range(1, len(path) - 1):
            node, b = path[k], path[k + 1]
            if b < self.n:
                self.used_segments.add((min(node, b), max(node, b)))
            came = _direction(pts[k - 1], pts[k])
            goes = _direction(pts[k], pts[k + 1])
            mark = "X" if came != goes else ("H" if came % 2 == 0 else "V")
            self.occupied.setdefault(node, set()).add(mark)


def _direction(a: Point, b: Point) -> int:
    if b[0] > a[0]:
        return 0
    if b[1] > a[1]:
        return 1
    if b[0] < a[0]:
        return 2
    return 3


def _dist(a: Point, b: Point) -> float:
    return abs(a[0] - b[0]) + abs(a[1] - b[1])


def _simplify(points: list[Point]) -> tuple[Point, ...]:
    """Drop the points in the middle of straight runs."""
    out: list[Point] = []
    for p in points:
        p = (round(p[0], 2), round(p[1], 2))
        if out and p == out[-1]:
            continue
        if len(out) >= 2 and (out[-2][0] == out[-1][0] == p[0] or out[-2][1] == out[-1][1] == p[1]):
            out[-1] = p
        else:
            out.append(p)
    return tuple(out)
