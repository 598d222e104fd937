"""Specification of the BPMN 2.0 export: valid against the BPMN 2.0 schema, one lane per role, a
user task per step, a gateway per decision, an end event per end, a diagram a modeller can open,
and a process SpiffWorkflow runs the way the definition reads.

No database here: tests/workflow/test_bpmn_execution.py compares SpiffWorkflow with Alur's engine.
lxml and SpiffWorkflow are test-only dependencies; the export itself uses the standard library.
"""
from __future__ import annotations

import importlib.resources
import re
import subprocess
import sys
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree
from SpiffWorkflow.bpmn.parser import BpmnParser, BpmnValidator
from SpiffWorkflow.bpmn.specs.defaults import EndEvent, UserTask
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from alur.sop import (
    DECISION_OUTCOMES, Duration, SopDefinition, load_definition_file, load_definition_text, shipped_definition_paths,
)
from alur.sop.model import End, Identity, Role, Step
from alur.sop.render.bpmn import (
    DECISION_VARIABLE, NAMESPACES, condition, end_id, gateway_id, lane_id, process_id, render_bpmn, task_id,
)
from tests.sop.test_loader import VALID

NS = {k: v for k, v in NAMESPACES.items() if k != "xsi"}
NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


# --- helpers, also used by tests/workflow/test_bpmn_execution.py ---------------------------------

def pks_definition() -> SopDefinition:
    [path] = [p for p in shipped_definition_paths() if p.name == "pks-pihak-ketiga.yaml"]
    return load_definition_file(path)


def spiff_workflow(definition: SopDefinition, xml: str | None = None) -> BpmnWorkflow:
    """A new SpiffWorkflow instance of the exported process, parsed with SpiffWorkflow's validator on."""
    parser = BpmnParser(validator=BpmnValidator())
    parser.add_bpmn_str((xml or render_bpmn(definition)).encode("utf-8"))
    return BpmnWorkflow(parser.get_spec(process_id(definition)))


@dataclass
class Run:
    """A walk through a definition, by SpiffWorkflow, by Alur's engine, or as the definition reads."""

    steps: list[str]  # step keys, in the order they were opened (made ready)
    end: str | None  # the end reached


def run_in_spiff(definition: SopDefinition, outcomes: list[str], *, xml: str | None = None, limit: int = 200) -> Run:
    """Execute the export: at each point exactly one user task is ready; a decision step's task gets
    `keputusan` = the next of `outcomes` (all of them must be used), then it is run and the engine
    steps (gateways, events) follow."""
    workflow = spiff_workflow(definition, xml)
    workflow.do_engine_steps()
    pending, steps = list(outcomes), []
    while not workflow.is_completed():
        ready = workflow.get_tasks(state=TaskState.READY, manual=True)
        assert len(ready) == 1, f"after {steps}: ready {[t.task_spec.bpmn_id for t in ready]}"
        [task] = ready
        assert isinstance(task.task_spec, UserTask)
        step_key = task.task_spec.bpmn_id.removeprefix("Task_")
        steps.append(step_key)
        if definition.step(step_key).is_decision:
            assert pending, f"SpiffWorkflow asks for a decision at {step_key} that the run did not take"
            task.set_data(**{DECISION_VARIABLE: pending.pop(0)})
        task.run()
        workflow.do_engine_steps()
        assert len(steps) <= limit, f"no end after {limit} tasks: {steps}"
    assert not pending, f"decisions left over: {pending}"
    ends = [t.task_spec.bpmn_id for t in workflow.get_tasks(state=TaskState.COMPLETED, spec_class=EndEvent)]
    assert len(ends) <= 1, ends
    return Run(steps, ends[0].removeprefix("End_") if ends else None)


def walk_definition(definition: SopDefinition, outcomes: list[str]) -> tuple[Run, list[str]]:
    """What the definition says: from the start, `next`, or the next outcome at a decision
    (setuju once `outcomes` run out), to an end. Returns the walk and the outcomes it took."""
    pending, taken, steps, key = list(outcomes), [], [], definition.start
    while definition.is_step(key):
        step = definition.step(key)
        steps.append(key)
        if step.is_decision:
            taken.append(pending.pop(0) if pending else DECISION_OUTCOMES[0])
            key = step.target(taken[-1])
        else:
            key = step.next
    return Run(steps, key), taken


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    # The file, not its text: BPMN20.xsd imports BPMNDI.xsd, DC.xsd and DI.xsd beside it.
    resource = importlib.resources.files("SpiffWorkflow.bpmn.parser") / "schema" / "BPMN20.xsd"
    with importlib.resources.as_file(resource) as path:
        return etree.XMLSchema(etree.parse(str(path)))


@pytest.fixture(scope="module")
def pks() -> SopDefinition:
    return pks_definition()


@pytest.fixture(scope="module")
def doc(pks) -> etree._Element:
    return etree.fromstring(render_bpmn(pks).encode("utf-8"))


def one(doc, xpath: str):
    [found] = doc.xpath(xpath, namespaces=NS)
    return found


def bounds(doc, element_id: str) -> tuple[float, float, float, float]:
    shape = one(doc, f"//bpmndi:BPMNShape[@bpmnElement='{element_id}']")
    b = shape.find("dc:Bounds", NS)
    return tuple(float(b.get(k)) for k in ("x", "y", "width", "height"))


def node_id(definition: SopDefinition, key: str) -> str:
    """The id of the node a step or end key is exported as."""
    return task_id(key) if definition.is_step(key) else end_id(key)


def flow_pairs(doc) -> list[tuple[str, str]]:
    return [(f.get("sourceRef"), f.get("targetRef")) for f in doc.xpath("//bpmn:sequenceFlow", namespaces=NS)]


def node_ids(doc) -> list[str]:
    kinds = ("startEvent", "userTask", "exclusiveGateway", "endEvent")
    return [e.get("id") for e in doc.xpath("//bpmn:process/*", namespaces=NS) if etree.QName(e).localname in kinds]


def assert_valid(schema, xml: str) -> None:
    document = etree.fromstring(xml.encode("utf-8"))
    assert schema.validate(document), "\n".join(str(e) for e in schema.error_log)


# --- the PKS SOP ------------------------------------------------------------------------------------

def test_the_export_validates_against_the_bpmn_20_schema(schema, pks):
    assert_valid(schema, render_bpmn(pks))


def test_spiffworkflow_parses_the_export_with_its_validator(pks):
    workflow = spiff_workflow(pks)

    names = {spec.bpmn_id for spec in workflow.spec.task_specs.values() if isinstance(spec, UserTask)}
    assert names == {task_id(s.key) for s in pks.steps}


def test_the_export_is_the_same_every_time(pks):
    assert render_bpmn(pks) == render_bpmn(pks)


def test_the_process_is_executable_in_a_pool_named_after_the_sop(doc, pks):
    process = one(doc, "/bpmn:definitions/bpmn:process")
    participant = one(doc, "/bpmn:definitions/bpmn:collaboration/bpmn:participant")

    assert (process.get("id"), process.get("isExecutable")) == ("pks-pihak-ketiga", "true")
    assert participant.get("processRef") == process.get("id")
    assert participant.get("name") == process.get("name") == pks.name


def test_one_lane_per_role_in_the_definitions_order(doc, pks):
    lanes = doc.xpath("//bpmn:laneSet/bpmn:lane", namespaces=NS)

    assert [(lane.get("id"), lane.get("name")) for lane in lanes] == [(lane_id(r.key), r.name) for r in pks.roles]


def test_every_node_is_in_exactly_one_lane_that_of_its_steps_actor(doc, pks):
    lane_of = {}
    for lane in doc.xpath("//bpmn:lane", namespaces=NS):
        for ref in lane.findall("bpmn:flowNodeRef", NS):
            assert ref.text not in lane_of, f"{ref.text} is in two lanes"
            lane_of[ref.text] = lane.get("id")

    assert set(lane_of) == set(node_ids(doc))
    for step in pks.steps:
        assert lane_of[task_id(step.key)] == lane_id(step.actor), step.key
        if step.is_decision:
            assert lane_of[gateway_id(step.key)] == lane_id(step.actor), step.key
    assert lane_of["StartEvent"] == lane_id("karo")
    # Each end sits in the lane of the step leading to it: both are Pengelola Informasi's.
    assert lane_of[end_id("teregistrasi")] == lane_of[end_id("dikembalikan")] == lane_id("pengelola")


def test_a_user_task_per_step_named_by_its_number_documented_by_the_full_activity(doc, pks):
    tasks = doc.xpath("//bpmn:process/bpmn:userTask", namespaces=NS)

    assert [t.get("id") for t in tasks] == [task_id(s.key) for s in sorted(pks.steps, key=lambda s: s.number)]
    for task, step in zip(tasks, sorted(pks.steps, key=lambda s: s.number)):
        assert task.get("name").startswith(f"{step.number}. ")
        assert len(task.get("name")) <= 80
        assert task.findtext("bpmn:documentation", namespaces=NS) == " ".join(step.activity.split())
        assert task.find("bpmn:extensionElements", NS) is None
    names = {t.get("id"): t.get("name") for t in tasks}
    assert names[task_id("periksa_karo")] == "7. Memeriksa hasil analisa draft"
    assert names[task_id("bahas_tkksd")] == "8. Membahas Draft PKS dalam forum TKKSD"
    assert names[task_id("keputusan_gubernur")] == "9. Menerima rekomendasi"
    assert names[task_id("registrasi")] == "13. Meregister, mendistribusikan, dan mengarsipkan PKS"
    assert names[task_id("terima_disposisi")] == "1. Menerima disposisi draft Perjanjian Kerja Sama dan Soft File dari OPD…"


def test_an_exclusive_gateway_per_decision_with_a_conditioned_flow_per_outcome(doc, pks):
    decisions = [s for s in pks.steps if s.is_decision]
    gateways = doc.xpath("//bpmn:exclusiveGateway", namespaces=NS)

    assert {g.get("id") for g in gateways} == {gateway_id(s.key) for s in decisions}
    for step in decisions:
        assert (task_id(step.key), gateway_id(step.key)) in flow_pairs(doc)
        flows = doc.xpath(f"//bpmn:sequenceFlow[@sourceRef='{gateway_id(step.key)}']", namespaces=NS)
        seen = {(f.get("name"), f.findtext("bpmn:conditionExpression", namespaces=NS), f.get("targetRef")) for f in flows}
        assert seen == {
            ("Setuju", 'keputusan == "setuju"', node_id(pks, step.target("setuju"))),
            ("Tidak setuju", 'keputusan == "tidak_setuju"', node_id(pks, step.target("tidak_setuju"))),
        }
        for f in flows:
            expression = f.find("bpmn:conditionExpression", NS)
            assert expression.get(f"{{{NAMESPACES['xsi']}}}type") == "bpmn:tFormalExpression"


def test_an_end_event_per_end_named_as_the_sop_names_it(doc, pks):
    ends = doc.xpath("//bpmn:endEvent", namespaces=NS)

    assert [(e.get("id"), e.get("name")) for e in ends] == [(end_id(e.key), e.name) for e in pks.ends]


def test_the_sequence_flows_are_exactly_the_definitions_routes(doc, pks):
    expected = [("StartEvent", task_id(pks.start))]
    for step in pks.steps:
        if step.is_decision:
            expected.append((task_id(step.key), gateway_id(step.key)))
            expected += [(gateway_id(step.key), node_id(pks, target)) for _, target in step.outcomes]
        else:
            expected.append((task_id(step.key), node_id(pks, step.next)))

    assert sorted(flow_pairs(doc)) == sorted(expected)


def test_every_node_lists_its_incoming_and_outgoing_flows(doc):
    flows = {f.get("id"): (f.get("sourceRef"), f.get("targetRef")) for f in doc.xpath("//bpmn:sequenceFlow", namespaces=NS)}
    for node in doc.xpath("//bpmn:process/*[bpmn:incoming or bpmn:outgoing]", namespaces=NS):
        assert {t.text for t in node.findall("bpmn:outgoing", NS)} == {f for f, (s, _) in flows.items() if s == node.get("id")}
        assert {t.text for t in node.findall("bpmn:incoming", NS)} == {f for f, (_, t) in flows.items() if t == node.get("id")}


def check_ids(doc) -> None:
    ids = [e.get("id") for e in doc.iter() if e.get("id") is not None]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert all(NCNAME.match(i) for i in ids), [i for i in ids if not NCNAME.match(i)]


def test_ids_are_unique_ncnames(doc):
    check_ids(doc)


# --- the diagram -------------------------------------------------------------------------------------

def test_a_shape_for_the_pool_every_lane_and_every_node_and_an_edge_for_every_flow(doc):
    shaped = [s.get("bpmnElement") for s in doc.xpath("//bpmndi:BPMNShape", namespaces=NS)]
    edged = [e.get("bpmnElement") for e in doc.xpath("//bpmndi:BPMNEdge", namespaces=NS)]
    lanes = [lane.get("id") for lane in doc.xpath("//bpmn:lane", namespaces=NS)]
    participant = one(doc, "//bpmn:participant").get("id")

    assert sorted(shaped) == sorted([participant, *lanes, *node_ids(doc)])
    assert sorted(edged) == sorted(f.get("id") for f in doc.xpath("//bpmn:sequenceFlow", namespaces=NS))
    assert one(doc, "//bpmndi:BPMNPlane").get("bpmnElement") == one(doc, "//bpmn:collaboration").get("id")


def check_lanes(doc, definition: SopDefinition) -> None:
    """Horizontal lanes, one per role in order, stacked top to bottom, filling the pool."""
    px, py, pw, ph = bounds(doc, one(doc, "//bpmn:participant").get("id"))
    top = py
    for role in definition.roles:
        x, y, w, h = bounds(doc, lane_id(role.key))
        assert y == top, role.key
        assert px < x and x + w == px + pw
        top = y + h
    assert top == py + ph
    horizontal = doc.xpath("//bpmndi:BPMNShape[@isHorizontal='true']/@bpmnElement", namespaces=NS)
    assert len(horizontal) == len(definition.roles) + 1


def check_nodes_inside_lanes(doc) -> None:
    for lane in doc.xpath("//bpmn:lane", namespaces=NS):
        lx, ly, lw, lh = bounds(doc, lane.get("id"))
        for ref in lane.findall("bpmn:flowNodeRef", NS):
            x, y, w, h = bounds(doc, ref.text)
            assert lx < x and x + w < lx + lw and ly < y and y + h < ly + lh, ref.text


def check_left_to_right(doc, definition: SopDefinition) -> None:
    """Steps left to right in their order, each gateway right of its task, no two nodes side by side."""
    steps = sorted(definition.steps, key=lambda s: s.number)
    xs = [bounds(doc, task_id(s.key))[0] for s in steps]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    for step in steps:
        if step.is_decision:
            assert bounds(doc, gateway_id(step.key))[0] > bounds(doc, task_id(step.key))[0]
    assert bounds(doc, "StartEvent")[0] < xs[0]
    spans = sorted((x, x + w) for x, _, w, _ in (bounds(doc, n) for n in node_ids(doc)))
    assert all(right < next_left for (_, right), (next_left, _) in zip(spans, spans[1:]))


def check_edges(doc) -> None:
    """Each edge leaves its source's border and ends on its target's, at right angles, crossing
    no other shape."""
    boxes = {n: bounds(doc, n) for n in node_ids(doc)}

    def on_border(point, box):
        (px, py), (x, y, w, h) = point, box
        inside = x <= px <= x + w and y <= py <= y + h
        return inside and (px in (x, x + w) or py in (y, y + h))

    def crosses(a, b, box):
        (x, y, w, h) = box
        (x1, y1), (x2, y2) = sorted([a, b])
        return x1 < x + w and x2 > x and min(y1, y2) < y + h and max(y1, y2) > y

    for flow in doc.xpath("//bpmn:sequenceFlow", namespaces=NS):
        edge = one(doc, f"//bpmndi:BPMNEdge[@bpmnElement='{flow.get('id')}']")
        points = [(float(p.get("x")), float(p.get("y"))) for p in edge.findall("di:waypoint", NS)]
        assert len(points) >= 2
        assert on_border(points[0], boxes[flow.get("sourceRef")]), flow.get("id")
        assert on_border(points[-1], boxes[flow.get("targetRef")]), flow.get("id")
        for a, b in zip(points, points[1:]):
            assert a[0] == b[0] or a[1] == b[1], f"{flow.get('id')}: {a} -> {b} is not orthogonal"
            for node, box in boxes.items():
                if node not in (flow.get("sourceRef"), flow.get("targetRef")):
                    assert not crosses(a, b, box), f"{flow.get('id')} crosses {node}"


def check_diagram(doc, definition: SopDefinition) -> None:
    check_lanes(doc, definition)
    check_nodes_inside_lanes(doc)
    check_left_to_right(doc, definition)
    check_edges(doc)


def test_lanes_are_horizontal_stacked_in_order_and_fill_the_pool(doc, pks):
    check_lanes(doc, pks)


def test_every_node_lies_inside_its_lanes_bounds(doc):
    check_nodes_inside_lanes(doc)


def test_nodes_go_left_to_right_in_step_order_without_overlapping(doc, pks):
    check_left_to_right(doc, pks)


def test_edges_are_orthogonal_from_their_source_to_their_target_crossing_no_other_shape(doc):
    check_edges(doc)


# --- run time: the standard library only --------------------------------------------------------------

def test_the_export_needs_neither_lxml_nor_spiffworkflow():
    script = (
        "import sys; sys.modules['lxml'] = None; sys.modules['SpiffWorkflow'] = None\n"
        "from alur.sop import load_definition_file, shipped_definition_paths\n"
        "from alur.sop.render.bpmn import render_bpmn\n"
        "print(render_bpmn(load_definition_file(shipped_definition_paths()[0]))[:5])\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)

    assert (result.returncode, result.stdout.strip()) == (0, "<?xml"), result.stderr


# --- SpiffWorkflow runs what the definition says ----------------------------------------------------

PKS_PATHS = {
    "straight": ["setuju", "setuju", "setuju"],
    "karo returns": ["tidak_setuju"],
    "tkksd returns": ["setuju", "tidak_setuju"],
    "gubernur sends back": ["setuju", "setuju", "tidak_setuju", "setuju", "setuju"],
    "gubernur sends back twice": ["setuju", "setuju", "tidak_setuju", "setuju", "tidak_setuju", "setuju", "setuju"],
    "tkksd returns after a send-back": ["setuju", "setuju", "tidak_setuju", "tidak_setuju"],
}


@pytest.mark.parametrize("outcomes", PKS_PATHS.values(), ids=PKS_PATHS.keys())
def test_spiffworkflow_takes_the_definitions_path_through_the_pks_sop(pks, outcomes):
    expected, taken = walk_definition(pks, outcomes)

    assert taken == outcomes
    assert run_in_spiff(pks, outcomes) == expected


def test_a_missing_decision_stops_spiffworkflow_at_the_gateway(pks):
    workflow = spiff_workflow(pks)
    workflow.do_engine_steps()
    for _ in range(7):  # to the Karo's decision, which is given no keputusan
        [task] = workflow.get_tasks(state=TaskState.READY, manual=True)
        task.run()
        if task.task_spec.bpmn_id == task_id("periksa_karo"):
            break
        workflow.do_engine_steps()

    with pytest.raises(Exception, match=DECISION_VARIABLE):
        workflow.do_engine_steps()


# --- other definitions: small ones written out, and generated ones -----------------------------------

def small(key: str, roles: list[str], steps: list[tuple], ends: list[str]) -> SopDefinition:
    """A definition from (key, actor, next-or-{outcome: target}) triples; numbers follow the list."""
    made = []
    for number, (step_key, actor, route) in enumerate(steps, start=1):
        routing = {"outcomes": tuple(route.items())} if isinstance(route, dict) else {"next": route}
        made.append(Step(key=step_key, number=number, actor=actor, activity=f"Langkah {step_key}, dikerjakan oleh {actor}",
                         waktu=Duration(5, "menit"), **routing))
    return SopDefinition(
        key=key, identity=Identity(nama=f"SOP {key}"), roles=tuple(Role(key=r, name=r.upper()) for r in roles),
        documents=(), steps=tuple(made), ends=tuple(End(key=e, name=f"Akhir {e}") for e in ends), start=made[0].key,
    )


SMALL = {
    "loader example": load_definition_text(VALID, source="contoh.yaml"),
    "one step": small("satu", ["staf"], [("catat", "staf", "selesai")], ["selesai"]),
    # Keys that are no NCNames by themselves or look like a diagram element's id, a role with no
    # step, an end no step reaches.
    "awkward keys": small("2024-surat", ["1-staf", "kosong", "kepala-bagian"], [
        ("1-terima", "1-staf", "1-terima_di"),
        ("1-terima_di", "1-staf", "2-periksa"),
        ("2-periksa", "kepala-bagian", {"setuju": "3-arsip", "tidak_setuju": "1-terima"}),
        ("3-arsip", "1-staf", "9-selesai"),
    ], ["9-selesai", "tak-tercapai"]),
    # A decision sending back to itself, and one whose two outcomes lead to the same end.
    "loops": small("ulang", ["a", "b"], [
        ("nilai", "a", {"setuju": "tetapkan", "tidak_setuju": "nilai"}),
        ("tetapkan", "b", {"setuju": "akhir", "tidak_setuju": "akhir"}),
    ], ["akhir"]),
}


@pytest.mark.parametrize("definition", SMALL.values(), ids=SMALL.keys())
def test_small_definitions_export_valid_bpmn_that_spiffworkflow_runs(schema, definition):
    xml = render_bpmn(definition)
    assert_valid(schema, xml)
    document = etree.fromstring(xml.encode("utf-8"))
    check_ids(document)
    check_diagram(document, definition)
    assert len(document.xpath("//bpmn:lane", namespaces=NS)) == len(definition.roles)
    for outcomes in ([], ["tidak_setuju", "setuju", "tidak_setuju"]):
        expected, taken = walk_definition(definition, outcomes)
        assert run_in_spiff(definition, taken, xml=xml) == expected


ROLE_KEYS = ["staf", "2-kepala", "arsip_x", "z9"]
END_KEYS = ["selesai", "0-ditolak", "batal"]


@st.composite
def definitions(draw) -> SopDefinition:
    """Up to six steps; `next` and setuju go forward (so the straight path ends), tidak_setuju
    anywhere, back to itself included. Every step is reachable from the start, as the loader asks."""
    roles = ROLE_KEYS[:draw(st.integers(1, len(ROLE_KEYS)))]
    count = draw(st.integers(1, 6))
    keys = [f"l{i}" if i % 2 else f"{i}-langkah" for i in range(count)]
    ends = END_KEYS[:draw(st.integers(1, len(END_KEYS)))]
    steps = []
    for i, key in enumerate(keys):
        forward = st.sampled_from(keys[i + 1:] + ends)
        if draw(st.booleans()):
            route = {"setuju": draw(forward), "tidak_setuju": draw(st.sampled_from(keys + ends))}
        else:
            route = draw(forward)
        steps.append((key, draw(st.sampled_from(roles)), route))
    definition = small("acak", roles, steps, ends)
    reached, todo = set(), [definition.start]
    while todo:
        key = todo.pop()
        if key in reached or not definition.is_step(key):
            continue
        reached.add(key)
        todo += definition.step(key).targets
    assume(reached == set(keys))
    return definition


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(definition=definitions(), outcomes=st.lists(st.sampled_from(DECISION_OUTCOMES), max_size=8))
def test_generated_definitions_export_valid_bpmn_that_spiffworkflow_runs_as_they_read(schema, definition, outcomes):
    xml = render_bpmn(definition)
    assert_valid(schema, xml)
    document = etree.fromstring(xml.encode("utf-8"))
    check_ids(document)
    check_diagram(document, definition)

    expected, taken = walk_definition(definition, outcomes)

    assert run_in_spiff(definition, taken, xml=xml) == expected


def test_the_condition_is_python_on_the_decision_variable():
    assert condition("tidak_setuju") == 'keputusan == "tidak_setuju"'
    assert eval(condition("setuju"), {}, {DECISION_VARIABLE: "setuju"}) is True  # noqa: S307 - our own constant
