"""Specification of the SOP AP flowchart: its layout as geometry, its pages, and its SVG.

The geometry is checked as a reader of the chart would check it: every symbol in its role's lane
and its step's row, arrows that run only across and down and never through a symbol, never two
arrows along one line, and every flow of the definition drawn exactly once, on one page or as a
matching pair of off-page connectors. The same checks run on the shipped PKS SOP, on small
definitions made for one case each, and on random valid definitions.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from itertools import combinations

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alur.sop import load_definition_file, load_definition_text, shipped_definition_paths
from alur.sop.model import OUTCOME_LABELS
from alur.sop.render.flowchart import START_KEY, layout_flowchart, paginate, render_svg
from alur.sop.render.layout import BOX_H, BOX_W

SVG = "{http://www.w3.org/2000/svg}"
EPS = 0.01


@pytest.fixture(scope="module")
def pks():
    [path] = [p for p in shipped_definition_paths() if p.name == "pks-pihak-ketiga.yaml"]
    return load_definition_file(path)


@pytest.fixture(scope="module")
def pks_chart(pks):
    return layout_flowchart(pks)


# --- definitions made for the cases ----------------------------------------------------------------


def definition(steps: list[dict], *, roles=("staf", "kepala", "arsiparis"), ends=("selesai", "ditolak"), start=None):
    """A valid definition from short step entries: key, actor and `next` or `decision`."""
    data = {
        "format": "alur-sop/1",
        "key": "contoh",
        "identitas": {"nama": "SOP Contoh"},
        "roles": [{"key": r, "name": f"Peran {r.title()}"} for r in roles],
        "documents": [],
        "steps": [{"number": n, "activity": f"Langkah {n}", "waktu": "5 menit", **s} for n, s in enumerate(steps, 1)],
        "ends": [{"key": e, "name": f"Akhir {e}"} for e in ends],
    }
    if start:
        data["start"] = start
    return load_definition_text(yaml.safe_dump(data, sort_keys=False))


def linear():
    return definition([{"key": "terima", "actor": "staf", "next": "selesai"}], roles=("staf",), ends=("selesai",))


def loop_back():
    """A decision whose tidak setuju returns two rows up, to a step in another lane."""
    return definition([
        {"key": "terima", "actor": "staf", "next": "telaah"},
        {"key": "telaah", "actor": "arsiparis", "next": "putuskan"},
        {"key": "putuskan", "actor": "kepala", "decision": {"setuju": "arsipkan", "tidak_setuju": "telaah"}},
        {"key": "arsipkan", "actor": "arsiparis", "next": "selesai"},
    ], ends=("selesai",))


def self_loop():
    """A decision that, when not agreed, is taken again (it returns to itself)."""
    return definition([
        {"key": "terima", "actor": "staf", "next": "putuskan"},
        {"key": "putuskan", "actor": "kepala", "decision": {"setuju": "selesai", "tidak_setuju": "putuskan"}},
    ], ends=("selesai",))


def two_ends_below_one_decision():
    return definition([
        {"key": "terima", "actor": "staf", "next": "putuskan"},
        {"key": "putuskan", "actor": "kepala", "decision": {"setuju": "selesai", "tidak_setuju": "ditolak"}},
    ])


def many_into_one():
    """Every decision sends its tidak setuju back to the first step, and all roles take part."""
    return definition([
        {"key": "terima", "actor": "staf", "next": "a"},
        {"key": "a", "actor": "kepala", "decision": {"setuju": "b", "tidak_setuju": "terima"}},
        {"key": "b", "actor": "arsiparis", "decision": {"setuju": "c", "tidak_setuju": "terima"}},
        {"key": "c", "actor": "staf", "decision": {"setuju": "d", "tidak_setuju": "terima"}},
        {"key": "d", "actor": "kepala", "decision": {"setuju": "selesai", "tidak_setuju": "ditolak"}},
    ])


def crowded():
    """Eight decisions, each sending tidak setuju back to the first step: more arrows meet it than
    a plain shape has ports for, so it is drawn taller, with more ports on its sides."""
    steps = [{"key": "terima", "actor": "staf", "next": "p1"}]
    for n in range(1, 9):
        following = f"p{n + 1}" if n < 8 else "selesai"
        steps.append({"key": f"p{n}", "actor": ("kepala", "arsiparis")[n % 2],
                      "decision": {"setuju": following, "tidak_setuju": "terima"}})
    return definition(steps, ends=("selesai",))


def start_not_first():
    """The start is the second row; the first row is reached only by a later decision."""
    return definition([
        {"key": "ulang", "actor": "kepala", "next": "terima"},
        {"key": "terima", "actor": "staf", "next": "putuskan"},
        {"key": "putuskan", "actor": "arsiparis", "decision": {"setuju": "selesai", "tidak_setuju": "ulang"}},
    ], ends=("selesai",), start="terima")


CASES = {
    "linear": linear,
    "loop_back": loop_back,
    "self_loop": self_loop,
    "two_ends_below_one_decision": two_ends_below_one_decision,
    "many_into_one": many_into_one,
    "crowded": crowded,
    "start_not_first": start_not_first,
}


@st.composite
def random_definitions(draw):
    """Valid definitions of any shape: a chain of steps (so every step is reached) in random lanes,
    with decisions whose tidak setuju goes forward, back, to itself or to an end."""
    roles = [f"r{i}" for i in range(draw(st.integers(1, 5)))]
    keys = [f"s{i}" for i in range(draw(st.integers(1, 10)))]
    ends = [f"e{i}" for i in range(draw(st.integers(1, 3)))]
    steps = []
    for i, key in enumerate(keys):
        following = keys[i + 1] if i + 1 < len(keys) else draw(st.sampled_from(ends))
        entry = {"key": key, "actor": draw(st.sampled_from(roles))}
        if draw(st.integers(0, 2)) == 0:
            other = draw(st.sampled_from(keys + ends))
            outcomes = [following, other]
            if draw(st.booleans()) and other != following and (other in ends or keys.index(other) > i):
                outcomes.reverse()  # the main path may leave through the jump, skipping rows
            entry["decision"] = {"setuju": outcomes[0], "tidak_setuju": outcomes[1]}
        else:
            entry["next"] = following
        steps.append(entry)
    try:
        return definition(steps, roles=tuple(roles), ends=tuple(ends))
    except Exception:  # a skipped row nobody reaches, say: not a valid definition, not our case
        from hypothesis import assume
        assume(False)


# --- the checks --------------------------------------------------------------------------------------


def definition_flows(d) -> Counter:
    """Every flow of the definition, counted from the model itself."""
    flows = Counter({(START_KEY, d.start, None): 1})
    for step in d.steps:
        if step.is_decision:
            flows.update((step.key, target, outcome) for outcome, target in step.outcomes)
        else:
            flows[(step.key, step.next, None)] += 1
    return flows


def segments(edge):
    return list(zip(edge.points, edge.points[1:]))


def crosses_interior(shape, seg, tol=0.5) -> bool:
    """Whether an axis-parallel segment runs through the inside of a shape's bounding box."""
    (xa, ya), (xb, yb) = seg
    x0, x1, y0, y1 = shape.x + tol, shape.x + shape.w - tol, shape.y + tol, shape.y + shape.h - tol
    if abs(ya - yb) < EPS:
        return y0 < ya < y1 and max(min(xa, xb), x0) < min(max(xa, xb), x1)
    return x0 < xa < x1 and max(min(ya, yb), y0) < min(max(ya, yb), y1)


def on_outline(shape, point) -> bool:
    x, y = point
    if shape.kind == "decision":
        return abs(abs(x - shape.cx) / (shape.w / 2) + abs(y - shape.cy) / (shape.h / 2) - 1) < 0.01
    outline = shape.outline()
    for (ax, ay), (bx, by) in zip(outline, outline[1:] + outline[:1]):
        cross = (bx - ax) * (y - ay) - (by - ay) * (x - ax)
        within = min(ax, bx) - EPS <= x <= max(ax, bx) + EPS and min(ay, by) - EPS <= y <= max(ay, by) + EPS
        if abs(cross) < 0.05 * max(1.0, abs(bx - ax) + abs(by - ay)) and within:
            return True
    return False


def check_geometry(chart, d) -> None:
    """Everything a chart (or one page of it) must satisfy."""
    lanes = {lane.key: lane for lane in chart.lanes}
    rows = {row.key: row for row in chart.rows}
    shapes = {s.key: s for s in chart.shapes}
    assert len(shapes) == len(chart.shapes), "every shape has its own key"
    assert [lane.key for lane in chart.lanes] == [r.key for r in d.roles]
    for a, b in zip(chart.lanes, chart.lanes[1:]):
        assert abs(a.x + a.width - b.x) < EPS
    for a, b in zip(chart.rows, chart.rows[1:]):
        assert abs(a.y + a.height - b.y) < EPS
    assert chart.rows[0].y >= chart.header_height - EPS
    assert abs(chart.rows[-1].y + chart.rows[-1].height - chart.height) < EPS

    # Every shape lies in its lane and its row; a step's shape in its actor's lane.
    for s in chart.shapes:
        lane, row = lanes[s.lane], rows[s.row]
        assert lane.x - EPS <= s.x and s.x + s.w <= lane.x + lane.width + EPS, s
        assert row.y - EPS <= s.y and s.y + s.h <= row.y + row.height + EPS, s
        if d.is_step(s.key):
            step = d.step(s.key)
            assert (s.kind, s.lane, s.row, s.number) == ("decision" if step.is_decision else "process", step.actor, step.key, step.number)
            assert abs(s.cy - row.center_y) < EPS
        assert s.kind in ("terminator", "process", "decision", "connector")
    for a, b in combinations(chart.shapes, 2):
        apart = a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y
        assert apart, f"{a.key} overlaps {b.key}"

    for e in chart.edges:
        src, dst = shapes[e.from_shape], shapes[e.to_shape]
        assert len(e.points) >= 2
        # Orthogonal, and from the source's outline to the target's outline.
        for (xa, ya), (xb, yb) in segments(e):
            assert (abs(xa - xb) < EPS) != (abs(ya - yb) < EPS), f"{e.flow}: segment {(xa, ya)}-{(xb, yb)} is not orthogonal"
        assert on_outline(src, e.points[0]), f"{e.flow} starts off {src.key}"
        assert on_outline(dst, e.points[-1]), f"{e.flow} ends off {dst.key}"
        # Never through a shape: not through others at all, not back through its own ends.
        segs = segments(e)
        for s in chart.shapes:
            checked = segs
            if s.key == e.from_shape:
                checked = checked[1:]
            if s.key == e.to_shape:
                checked = checked[:-1]
            for seg in checked:
                assert not crosses_interior(s, seg), f"{e.flow} runs through {s.key}"
        # Decisions label both their outcomes.
        if e.outcome:
            assert e.label == OUTCOME_LABELS[e.outcome]
            if e.part in ("whole", "out"):
                assert e.label_at is not None
        else:
            assert e.label is None

    # No two arrows run along the same line (they may cross).
    for a, b in combinations(chart.edges, 2):
        for sa in segments(a):
            for sb in segments(b):
                assert not collinear_overlap(sa, sb), f"{a.flow} and {b.flow} share a segment"
    # An arrow does not run along itself either.
    for e in chart.edges:
        for sa, sb in combinations(segments(e), 2):
            assert not collinear_overlap(sa, sb), f"{e.flow} runs over itself"


def collinear_overlap(sa, sb) -> bool:
    (ax1, ay1), (ax2, ay2) = sa
    (bx1, by1), (bx2, by2) = sb
    if abs(ay1 - ay2) < EPS and abs(by1 - by2) < EPS and abs(ay1 - by1) < EPS:
        return max(min(ax1, ax2), min(bx1, bx2)) < min(max(ax1, ax2), max(bx1, bx2)) - EPS
    if abs(ax1 - ax2) < EPS and abs(bx1 - bx2) < EPS and abs(ax1 - bx1) < EPS:
        return max(min(ay1, ay2), min(by1, by2)) < min(max(ay1, ay2), max(by1, by2)) - EPS
    return False


def check_whole_chart(chart, d) -> None:
    check_geometry(chart, d)
    assert [row.key for row in chart.rows] == [s.key for s in d.steps]
    assert all(e.part == "whole" for e in chart.edges)
    assert Counter(e.flow for e in chart.edges) == definition_flows(d)
    assert not [s for s in chart.shapes if s.kind == "connector"]
    # One capsule for the start and one per end, each where its flows say.
    terminators = [s for s in chart.shapes if s.kind == "terminator"]
    assert sorted(s.key for s in terminators) == sorted([START_KEY] + [e.key for e in d.ends])
    start = chart.shape(START_KEY)
    first = chart.shape(d.start)
    assert (start.label, start.lane, start.row) == ("Mulai", d.start_step.actor, d.start)
    assert start.y + start.h <= first.y
    for end in d.ends:
        capsule = chart.shape(end.key)
        assert capsule.label == end.name
        leading = [s for s in d.steps if end.key in s.targets]
        if leading:
            assert capsule.row == leading[-1].key and capsule.lane == leading[-1].actor
            assert capsule.y >= chart.shape(capsule.row).y + chart.shape(capsule.row).h


def check_pages(pages, d, rows_per_page) -> None:
    for n, page in enumerate(pages, 1):
        check_geometry(page, d)
        assert (page.page, page.pages) == (n, len(pages))
        assert 1 <= len(page.rows) <= rows_per_page
    assert [row.key for page in pages for row in page.rows] == [s.key for s in d.steps]
    # Connectors come in pairs: one where the flow leaves its page, one where it arrives.
    outs = {s.ref: (n, s) for n, p in enumerate(pages, 1) for s in p.shapes if s.kind == "connector" and s.direction == "out"}
    ins = {s.ref: (n, s) for n, p in enumerate(pages, 1) for s in p.shapes if s.kind == "connector" and s.direction == "in"}
    connectors = [s for p in pages for s in p.shapes if s.kind == "connector"]
    assert len(connectors) == len(outs) + len(ins), "every connector letter is used once per direction"
    assert outs.keys() == ins.keys()
    for ref, (n_out, out) in outs.items():
        n_in, inc = ins[ref]
        assert n_out != n_in
        assert out.label == inc.label == ref
        assert f"hal. {n_in}" in out.note and f"hal. {n_out}" in inc.note
    # Every flow drawn exactly once: whole on one page, or out on one page and in on another.
    drawn = Counter()
    halves: dict[str, list] = {}
    for n, page in enumerate(pages, 1):
        for e in page.edges:
            if e.part == "whole":
                drawn[e.flow] += 1
            else:
                halves.setdefault(e.ref, []).append((e.part, e.flow, n))
    for ref, parts in halves.items():
        assert sorted(p[0] for p in parts) == ["in", "out"], ref
        assert parts[0][1] == parts[1][1] and parts[0][2] != parts[1][2]
        drawn[parts[0][1]] += 1
    assert halves.keys() == outs.keys()
    assert drawn == definition_flows(d)
    # Every end capsule and the start are drawn once over all pages.
    terminators = Counter(s.key for p in pages for s in p.shapes if s.kind == "terminator")
    assert terminators == Counter([START_KEY] + [e.key for e in d.ends])


# --- the shipped PKS SOP ---------------------------------------------------------------------------


def test_it_draws_one_lane_per_role_in_the_order_of_the_definition(pks_chart, pks):
    assert [(lane.key, lane.name) for lane in pks_chart.lanes] == [(r.key, r.name) for r in pks.roles]
    assert len(pks_chart.lanes) == 8


def test_it_draws_one_row_per_step_in_the_order_of_the_activity_table(pks_chart, pks):
    assert [(row.key, row.number) for row in pks_chart.rows] == [(s.key, s.number) for s in pks.steps]
    assert [row.number for row in pks_chart.rows] == list(range(1, 16))


def test_rows_without_capsules_have_one_height_for_the_document_to_align_with(pks_chart):
    plain = {row.height for row in pks_chart.rows if all(s.kind in ("process", "decision") for s in pks_chart.shapes if s.row == row.key)}
    assert len(plain) == 1


def test_the_pks_chart_keeps_every_rule_of_the_geometry(pks_chart, pks):
    check_whole_chart(pks_chart, pks)


def test_it_uses_the_sop_ap_symbols(pks_chart, pks):
    kinds = {s.key: s.kind for s in pks_chart.shapes}
    assert {k for k, v in kinds.items() if v == "decision"} == {"periksa_karo", "bahas_tkksd", "keputusan_gubernur"}
    assert {k for k, v in kinds.items() if v == "terminator"} == {START_KEY, "teregistrasi", "dikembalikan"}
    assert sum(v == "process" for v in kinds.values()) == 12
    assert all(pks_chart.shape(s.key).label == str(s.number) for s in pks.steps)


def test_the_start_capsule_is_above_step_1_and_the_ends_below_the_steps_leading_to_them(pks_chart):
    start, first = pks_chart.shape(START_KEY), pks_chart.shape("terima_disposisi")
    assert (start.lane, start.row, start.cx) == ("karo", "terima_disposisi", first.cx)
    for end, step in (("teregistrasi", "registrasi"), ("dikembalikan", "kembalikan_ke_opd")):
        capsule = pks_chart.shape(end)
        assert (capsule.lane, capsule.row) == ("pengelola", step)
        [edge] = [e for e in pks_chart.edges if e.to_key == end]
        assert len(edge.points) == 2, "the last step points straight down at its end"


def test_consecutive_steps_are_joined_by_a_simple_elbow(pks_chart, pks):
    for step in pks.straight_path():
        [edge] = [e for e in pks_chart.edges if e.from_key == step.key and e.outcome in (None, "setuju")]
        assert len(edge.points) <= 4, f"{edge.flow}: {edge.points}"


def test_the_governors_refusal_loops_back_up_to_the_forum(pks_chart):
    [loop] = [e for e in pks_chart.edges if e.flow == ("keputusan_gubernur", "bahas_tkksd", "tidak_setuju")]
    assert loop.label == "Tidak setuju"
    assert loop.points[-1][1] < loop.points[0][1], "it arrives above where it left"
    forum = pks_chart.shape("bahas_tkksd")
    assert loop.points[-1] != (forum.cx, forum.y), "not through the top, where the flow from step 7 arrives"


def test_the_long_jump_from_step_7_reaches_step_15_around_the_rows_between(pks_chart):
    [jump] = [e for e in pks_chart.edges if e.flow == ("periksa_karo", "kembalikan_ke_opd", "tidak_setuju")]
    assert jump.to_shape == "kembalikan_ke_opd"
    assert len(jump.points) <= 5


def test_decision_branches_are_labelled_setuju_and_tidak_setuju(pks_chart):
    for key in ("periksa_karo", "bahas_tkksd", "keputusan_gubernur"):
        labels = sorted(e.label for e in pks_chart.edges if e.from_key == key)
        assert labels == ["Setuju", "Tidak setuju"]


def test_layout_is_deterministic(pks):
    assert layout_flowchart(pks) == layout_flowchart(pks)


def test_a_subset_of_rows_draws_only_those_with_connectors_to_the_rest(pks):
    chart = layout_flowchart(pks, steps=["keputusan_gubernur", "bahas_tkksd"])
    assert [row.key for row in chart.rows] == ["bahas_tkksd", "keputusan_gubernur"]
    check_geometry(chart, pks)
    whole = {e.flow for e in chart.edges if e.part == "whole"}
    assert whole == {("bahas_tkksd", "keputusan_gubernur", "setuju"), ("keputusan_gubernur", "bahas_tkksd", "tidak_setuju")}
    assert {e.flow for e in chart.edges if e.part == "in"} == {("periksa_karo", "bahas_tkksd", "setuju")}
    assert {e.flow for e in chart.edges if e.part == "out"} == {
        ("bahas_tkksd", "teruskan_pengembalian", "tidak_setuju"), ("keputusan_gubernur", "finalisasi_draft", "setuju")}


def test_unknown_steps_are_refused(pks):
    with pytest.raises(ValueError, match="tidak_ada"):
        layout_flowchart(pks, steps=["tidak_ada"])


@pytest.mark.parametrize("rows_per_page", [1, 2, 4, 5, 7, 15, 40])
def test_pks_pages_split_the_rows_and_pair_their_connectors(pks, rows_per_page):
    pages = paginate(pks, rows_per_page=rows_per_page)
    assert len(pages) == -(-15 // rows_per_page)
    check_pages(pages, pks, rows_per_page)


def test_a_flow_to_the_next_page_ends_at_a_pentagon_naming_the_step_and_page(pks):
    first, second, third = paginate(pks, rows_per_page=6)
    [out] = [e for e in first.edges if e.flow == ("koreksi_kabag", "periksa_karo", None)]
    connector = first.shape(out.to_shape)
    assert (connector.kind, connector.direction, connector.note) == ("connector", "out", "ke 7, hal. 2")
    assert connector.lane == "kabag" and connector.y > first.shape("koreksi_kabag").y
    [arrival] = [e for e in second.edges if e.flow == out.flow]
    incoming = second.shape(arrival.from_shape)
    assert (incoming.direction, incoming.ref, incoming.note) == ("in", connector.ref, "dari 6, hal. 1")
    assert incoming.lane == "karo" and incoming.y < second.shape("periksa_karo").y
    assert len(third.rows) == 3


def test_one_page_is_the_whole_chart(pks, pks_chart):
    [page] = paginate(pks, rows_per_page=15)
    assert page == pks_chart


def test_rows_per_page_must_be_positive(pks):
    with pytest.raises(ValueError):
        paginate(pks, rows_per_page=0)


# --- small definitions, one case each -------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(CASES))
def test_small_definitions_keep_every_rule_of_the_geometry(case):
    d = CASES[case]()
    check_whole_chart(layout_flowchart(d), d)
    for rows_per_page in (1, 2):
        check_pages(paginate(d, rows_per_page=rows_per_page), d, rows_per_page)


def test_a_linear_definition_is_a_straight_column():
    d = linear()
    chart = layout_flowchart(d)
    assert [s.key for s in chart.shapes] == [START_KEY, "terima", "selesai"]
    assert all(len(e.points) == 2 and e.points[0][0] == e.points[1][0] for e in chart.edges)


def test_a_loop_back_arrives_from_below_or_beside_and_points_up():
    d = loop_back()
    chart = layout_flowchart(d)
    [loop] = [e for e in chart.edges if e.outcome == "tidak_setuju"]
    assert loop.to_key == "telaah" and loop.points[-1][1] < loop.points[0][1]


def test_a_decision_returning_to_itself_leaves_and_reenters_it():
    d = self_loop()
    chart = layout_flowchart(d)
    [loop] = [e for e in chart.edges if e.outcome == "tidak_setuju"]
    assert loop.from_shape == loop.to_shape == "putuskan"
    assert loop.points[0] != loop.points[-1] and len(loop.points) >= 4

    def heading(a, b):
        return ((b[0] > a[0]) - (b[0] < a[0]), (b[1] > a[1]) - (b[1] < a[1]))

    leaves, arrives = heading(*loop.points[:2]), heading(*loop.points[-2:])
    assert leaves != (-arrives[0], -arrives[1]), "not out of one side and straight back into it"


def test_two_ends_under_one_decision_are_stacked_in_its_lane():
    d = two_ends_below_one_decision()
    chart = layout_flowchart(d)
    first, second = chart.shape("selesai"), chart.shape("ditolak")
    assert first.lane == second.lane == "kepala" and first.row == second.row == "putuskan"
    assert first.y < second.y


def test_a_step_many_flows_return_to_grows_taller_for_their_arrows():
    chart = layout_flowchart(crowded())
    first = chart.shape("terima")
    assert first.kind == "process" and (first.w, first.h) != (BOX_W, BOX_H) and first.w == BOX_W
    assert len([e for e in chart.edges if e.to_shape == "terima"]) == 9


def test_outcome_labels_sit_beside_the_start_of_their_arrow(pks_chart):
    for e in pks_chart.edges:
        if e.label:
            (x, y), near = e.label_at, e.points[:3]
            assert min(abs(x - px) + abs(y - py) for px, py in near) <= 16, (e.flow, e.label_at, near)


def test_an_end_no_step_reaches_still_gets_its_capsule():
    d = definition([{"key": "terima", "actor": "staf", "next": "selesai"}], ends=("selesai", "ditolak"))
    chart = layout_flowchart(d)
    assert chart.shape("ditolak").row == "terima"
    assert not [e for e in chart.edges if e.to_key == "ditolak"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(d=random_definitions(), rows_per_page=st.integers(1, 6))
def test_any_valid_definition_keeps_every_rule_of_the_geometry(d, rows_per_page):
    check_whole_chart(layout_flowchart(d), d)
    check_pages(paginate(d, rows_per_page=rows_per_page), d, rows_per_page)


# --- SVG ----------------------------------------------------------------------------------------------


def texts(root) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_the_svg_is_standalone_xml_with_every_step_number_and_role_name(pks, pks_chart):
    svg = render_svg(pks_chart)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    found = texts(root)
    for step in pks.steps:
        assert str(step.number) in found
    names = {t.get("data-role"): " ".join(s.text for s in t.iter(f"{SVG}tspan")) or t.text
             for t in root.iter(f"{SVG}text") if t.get("data-role")}
    assert names == {r.key: r.name for r in pks.roles}
    assert "Mulai" in found and "Setuju" in found and "Tidak setuju" in found
    for ref in ("href", "url(", "@import", "<image", "<script", "<foreignObject"):
        assert ref not in svg
    assert " id=" not in svg, "no ids, so several charts can share one HTML page"
    assert 'font-family="sans-serif"' in svg


def test_the_svg_draws_every_edge_with_an_arrowhead_and_every_shape(pks_chart):
    root = ET.fromstring(render_svg(pks_chart))
    edges = [g for g in root.iter(f"{SVG}g") if g.get("class") == "edge"]
    assert len(edges) == len(pks_chart.edges)
    assert all(g.find(f"{SVG}polyline") is not None and g.find(f"{SVG}polygon") is not None for g in edges)
    shapes = [g for g in root.iter(f"{SVG}g") if (g.get("class") or "").startswith("shape")]
    assert sorted(g.get("data-key") for g in shapes) == sorted(s.key for s in pks_chart.shapes)
    assert len([g for g in shapes if "decision" in g.get("class")]) == 3


def test_the_svg_marks_the_state_of_a_case_and_its_notes(pks_chart):
    state = {"terima_disposisi": "done", "tugaskan_kasubbag": "done", "perintahkan_telaah": "current", "analisa_draft": "todo"}
    notes = {"terima_disposisi": "4 menit / 5 menit", "perintahkan_telaah": "12 menit / 15 menit"}
    root = ET.fromstring(render_svg(pks_chart, state=state, notes=notes))
    classes = {g.get("data-key"): g.get("class").split() for g in root.iter(f"{SVG}g") if g.get("data-key")}
    for key, value in state.items():
        assert value in classes[key]
    assert not {"done", "current", "todo"} & set(classes["registrasi"])
    found = texts(root)
    assert "12 menit / 15 menit" in found and "4 menit / 5 menit" in found
    current = next(g for g in root.iter(f"{SVG}g") if g.get("data-key") == "perintahkan_telaah")
    done = next(g for g in root.iter(f"{SVG}g") if g.get("data-key") == "terima_disposisi")
    assert float(current[0].get("stroke-width")) > float(done[0].get("stroke-width"))
    assert current[0].get("fill") != done[0].get("fill")


def test_an_unknown_state_is_refused(pks_chart):
    with pytest.raises(ValueError, match="selesai"):
        render_svg(pks_chart, state={"registrasi": "selesai"})


def test_text_is_escaped(pks_chart):
    d = definition([{"key": "terima", "actor": "staf", "next": "selesai"}], roles=("staf",), ends=("selesai",))
    chart = layout_flowchart(d)
    svg = render_svg(chart, notes={"terima": "<5 menit & lebih>"})
    assert "<5 menit & lebih>" in texts(ET.fromstring(svg))


def test_every_page_renders_with_its_connectors(pks):
    for page in paginate(pks, rows_per_page=5):
        root = ET.fromstring(render_svg(page))
        refs = {s.ref for s in page.shapes if s.kind == "connector"}
        assert refs <= set(texts(root))
        assert root.get("data-page") == str(page.page)
