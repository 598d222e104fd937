"""BPMN 2.0 export of an SOP definition, with its diagram, for BPMN modellers and engines.

One pool (participant) holds the process; each role of the SOP is a horizontal lane, in the
definition's order. Each step is a user task in its actor's lane; a decision step's task is
followed by an exclusive gateway whose outgoing flows are conditioned on the process variable
`keputusan` (the outcome: "setuju" or "tidak_setuju") in Python expression syntax, which is what
SpiffWorkflow's default script engine evaluates. Each end of the SOP is a named end event.

The diagram (BPMN DI) places every node in its lane, left to right in step order, each in a
column of its own, so no two shapes overlap and a flow is drawn with right angles: a flow to the
next column goes across, any other flow runs along the margin of the target's lane.

Standard library only (xml.etree): Alur does not depend on a BPMN library at run time. The tests
validate the export against the BPMN 2.0 schema and execute it with SpiffWorkflow.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from alur.sop.model import OUTCOME_LABELS, SopDefinition, Step

NAMESPACES = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}

DECISION_VARIABLE = "keputusan"
"""The process variable a decision step's task sets to its outcome before the gateway."""

# BPMN's default expression language is XPath; the conditions here are Python expressions.
EXPRESSION_LANGUAGE = "https://docs.python.org/3/reference/expressions.html"

NAME_LENGTH = 72  # a task's name fits a modeller's 100 x 80 box in about five lines
# Words a shortened name does not end on.
_DANGLING = {"dan", "atau", "serta", "untuk", "dengan", "dari", "ke", "di", "pada", "kepada", "dalam",
             "melalui", "yang", "oleh", "bagi", "jika"}

# Layout, in diagram units (pixels in a modeller).
ORIGIN_X, ORIGIN_Y = 160, 80
POOL_LABEL = 30  # the band at the pool's left holding its name
LANE_LABEL = 30  # the band at each lane's left holding the role's name
LANE_HEIGHT = 120
GAP = 50  # between two nodes, left to right
CHANNEL = 10  # how far inside a lane's edge a flow runs that does not go to the next column
SIZES = {"task": (100, 80), "gateway": (50, 50), "event": (36, 36)}

_NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


# --- ids: valid NCNames. Keys are lower case, so ids made of a capitalised prefix and a key never
# collide, nor do a diagram element's ids: the element's id and the suffix "_DI". ------------------

def process_id(definition: SopDefinition) -> str:
    """The process's id: the SOP key itself, unless the key is not an NCName (starts with a digit)."""
    return definition.key if _NCNAME.match(definition.key) else f"Process_{definition.key}"


def task_id(step_key: str) -> str:
    return f"Task_{step_key}"


def gateway_id(step_key: str) -> str:
    return f"Gateway_{step_key}"


def end_id(end_key: str) -> str:
    return f"End_{end_key}"


def lane_id(role_key: str) -> str:
    return f"Lane_{role_key}"


# Not "Start": SpiffWorkflow names its own internal start task so.
START_ID = "StartEvent"


def condition(outcome: str) -> str:
    """The condition on a gateway's flow for one outcome, as SpiffWorkflow evaluates it."""
    return f'{DECISION_VARIABLE} == "{outcome}"'


def task_name(step: Step) -> str:
    """'N. activity', shortened: the activity's first clause (up to a comma or semicolon), cut at a
    word under NAME_LENGTH characters when still longer. The full text is the task's documentation."""
    text = " ".join(step.activity.split())
    clause = re.split(r"\s*[,;]\s*", text, maxsplit=1)[0]
    if len(clause) >= 12:  # "Menerima rekomendasi" is a name; "Jika" is not
        text = clause
    if len(text) > NAME_LENGTH:
        cut = text[:NAME_LENGTH + 1]  # one more: if that is a space, the last word is whole
        words = (cut.rsplit(" ", 1)[0] if " " in cut else cut[:NAME_LENGTH]).split()
        while len(words) > 1 and words[-1].lower().strip(",;:/-") in _DANGLING:
            words.pop()
        text = " ".join(words).rstrip(",;:/-") + "…"
    return f"{step.number}. {text[:1].upper()}{text[1:]}"


# --- the graph the process and the diagram are both drawn from -------------------------------------

@dataclass
class _Node:
    id: str
    kind: str  # "start", "task", "gateway", "end"
    lane: int
    name: str = ""
    documentation: str = ""
    x: float = 0
    y: float = 0
    column: int = 0

    @property
    def size(self) -> tuple[int, int]:
        return SIZES["event" if self.kind in ("start", "end") else self.kind]

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        width, height = self.size
        return self.x, self.y, width, height

    @property
    def cx(self) -> float:
        return self.x + self.size[0] / 2

    @property
    def cy(self) -> float:
        return self.y + self.size[1] / 2


@dataclass
class _Flow:
    id: str
    source: _Node
    target: _Node
    name: str = ""
    condition: str = ""


class _Graph:
    """Nodes in x order (start, each step and its gateway, each end after the last step leading
    to it) and the flows between them."""

    def __init__(self, definition: SopDefinition) -> None:
        self.definition = definition
        self.lanes = {role.key: index for index, role in enumerate(definition.roles)}
        steps = sorted(definition.steps, key=lambda s: s.number)
        last_before = {}  # end key -> the last step (in order) leading to it
        for step in steps:
            for target in step.targets:
                if not definition.is_step(target):
                    last_before[target] = step.key
        # An end no step reaches (a definition being drafted) sits with the start's actor.
        start_lane = self.lanes[definition.start_step.actor]

        self.nodes: list[_Node] = [_Node(START_ID, "start", start_lane, name="Mulai")]
        ends = {end.key: _Node(end_id(end.key), "end", start_lane, name=end.name) for end in definition.ends}
        for step in steps:
            lane = self.lanes[step.actor]
            self.nodes.append(_Node(task_id(step.key), "task", lane, name=task_name(step),
                                    documentation=" ".join(step.activity.split())))
            if step.is_decision:
                self.nodes.append(_Node(gateway_id(step.key), "gateway", lane, name="Setuju?"))
            for end_key, before in last_before.items():
                if before == step.key:
                    ends[end_key].lane = lane
                    self.nodes.append(ends[end_key])
        self.nodes += [node for key, node in ends.items() if key not in last_before]
        self.by_id: dict[str, _Node] = {node.id: node for node in self.nodes}

        self.flows: list[_Flow] = []
        self._flow(START_ID, task_id(definition.start))
        for step in steps:
            if step.is_decision:
                self._flow(task_id(step.key), gateway_id(step.key))
                for outcome, target in step.outcomes:
                    self._flow(gateway_id(step.key), self._node_of(target),
                               name=OUTCOME_LABELS.get(outcome, outcome), condition=condition(outcome))
            else:
                self._flow(task_id(step.key), self._node_of(step.next))
        self._layout()

    def _node_of(self, key: str) -> str:
        return task_id(key) if self.definition.is_step(key) else end_id(key)

    def _flow(self, source: str, target: str, **kwargs) -> None:
        self.flows.append(_Flow(f"Flow_{len(self.flows) + 1}", self.by_id[source], self.by_id[target], **kwargs))

    def incoming(self, node: _Node) -> list[_Flow]:
        return [f for f in self.flows if f.target is node]

    def outgoing(self, node: _Node) -> list[_Flow]:
        return [f for f in self.flows if f.source is node]

    # --- diagram -----------------------------------------------------------------------------

    def _layout(self) -> None:
        cursor = ORIGIN_X + POOL_LABEL + LANE_LABEL
        for column, node in enumerate(self.nodes):
            width, height = node.size
            cursor += GAP
            node.x, node.column = cursor, column
            node.y = self.lane_top(node.lane) + (LANE_HEIGHT - height) / 2
            cursor += width
        self.width = cursor + GAP - ORIGIN_X
        self.height = max(len(self.lanes), 1) * LANE_HEIGHT

    @staticmethod
    def lane_top(index: int) -> float:
        return ORIGIN_Y + index * LANE_HEIGHT

    def waypoints(self, flow: _Flow) -> list[tuple[float, float]]:
        """Right angles only. To the next column: out of the source's right side, across, into the
        target's left side. Any other flow leaves the source from its bottom (top, if the target's
        lane is above) and runs in the target's lane, CHANNEL inside its edge (below or above every
        shape there), to enter the target from that side. Every node has a column of its own, so
        the vertical parts cross no other shape."""
        s, t = flow.source, flow.target
        right = s.x + s.size[0]
        if t.column == s.column + 1:
            if s.cy == t.cy:
                return [(right, s.cy), (t.x, t.cy)]
            middle = (right + t.x) / 2
            return [(right, s.cy), (middle, s.cy), (middle, t.cy), (t.x, t.cy)]
        if t.lane < s.lane:  # the target's lane is above: run along its bottom edge
            channel = self.lane_top(t.lane) + LANE_HEIGHT - CHANNEL
            return [(s.cx, s.y), (s.cx, channel), (t.cx, channel), (t.cx, t.y + t.size[1])]
        if t.lane > s.lane:  # below: along its top edge
            channel = self.lane_top(t.lane) + CHANNEL
            return [(s.cx, s.y + s.size[1]), (s.cx, channel), (t.cx, channel), (t.cx, t.y)]
        channel = self.lane_top(t.lane) + LANE_HEIGHT - CHANNEL  # same lane: below the shapes
        return [(s.cx, s.y + s.size[1]), (s.cx, channel), (t.cx, channel), (t.cx, t.y + t.size[1])]


# --- XML ---------------------------------------------------------------------------------------------
# Tags and attributes are written with their prefixes, declared once on the root: ElementTree's
# own namespace handling would need its process-wide prefix registry.

def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, {k.replace("__", ":"): _text(v) for k, v in attributes.items() if v is not None})
    if text is not None:
        element.text = text
    return element


def _text(value) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.1f}"
    return str(value)


def render_bpmn(definition: SopDefinition) -> str:
    """The definition as a BPMN 2.0 XML document (with its XML declaration; hand lxml its UTF-8
    bytes, since lxml refuses a str that declares an encoding)."""
    graph = _Graph(definition)
    key = definition.key
    root = ET.Element("bpmn:definitions", {
        **{f"xmlns:{prefix}": uri for prefix, uri in NAMESPACES.items()},
        "id": f"Definitions_{key}",
        "targetNamespace": f"urn:alur:sop:{key}",
        "expressionLanguage": EXPRESSION_LANGUAGE,
        "exporter": "Alur",
    })
    collaboration = _sub(root, "bpmn:collaboration", id=f"Collaboration_{key}")
    participant = _sub(collaboration, "bpmn:participant", id=f"Participant_{key}", name=definition.name,
                       processRef=process_id(definition))
    process = _sub(root, "bpmn:process", id=process_id(definition), name=definition.name, isExecutable="true")

    lane_set = _sub(process, "bpmn:laneSet", id=f"LaneSet_{key}")
    lanes = []
    for index, role in enumerate(definition.roles):
        lane = _sub(lane_set, "bpmn:lane", id=lane_id(role.key), name=role.name)
        for node in graph.nodes:
            if node.lane == index:
                _sub(lane, "bpmn:flowNodeRef", node.id)
        lanes.append(lane)

    tags = {"start": "bpmn:startEvent", "task": "bpmn:userTask", "gateway": "bpmn:exclusiveGateway", "end": "bpmn:endEvent"}
    for node in graph.nodes:
        element = _sub(process, tags[node.kind], id=node.id, name=node.name or None)
        if node.documentation:
            _sub(element, "bpmn:documentation", node.documentation)
        for flow in graph.incoming(node):
            _sub(element, "bpmn:incoming", flow.id)
        for flow in graph.outgoing(node):
            _sub(element, "bpmn:outgoing", flow.id)
    for flow in graph.flows:
        element = _sub(process, "bpmn:sequenceFlow", id=flow.id, name=flow.name or None,
                       sourceRef=flow.source.id, targetRef=flow.target.id)
        if flow.condition:
            _sub(element, "bpmn:conditionExpression", flow.condition, xsi__type="bpmn:tFormalExpression")

    diagram = _sub(root, "bpmndi:BPMNDiagram", id=f"Diagram_{key}", name=definition.name)
    plane = _sub(diagram, "bpmndi:BPMNPlane", id=f"Plane_{key}", bpmnElement=collaboration.get("id"))

    def shape(element_id: str, x: float, y: float, width: float, height: float, **attributes) -> None:
        node = _sub(plane, "bpmndi:BPMNShape", id=f"{element_id}_DI", bpmnElement=element_id, **attributes)
        _sub(node, "dc:Bounds", x=x, y=y, width=width, height=height)

    shape(participant.get("id"), ORIGIN_X, ORIGIN_Y, graph.width, graph.height, isHorizontal="true")
    lane_width = graph.width - POOL_LABEL
    for index, lane in enumerate(lanes):
        shape(lane.get("id"), ORIGIN_X + POOL_LABEL, graph.lane_top(index), lane_width, LANE_HEIGHT, isHorizontal="true")
    for node in graph.nodes:
        shape(node.id, *node.bounds, isMarkerVisible="true" if node.kind == "gateway" else None)
    for flow in graph.flows:
        edge = _sub(plane, "bpmndi:BPMNEdge", id=f"{flow.id}_DI", bpmnElement=flow.id)
        for x, y in graph.waypoints(flow):
            _sub(edge, "di:waypoint", x=x, y=y)

    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
