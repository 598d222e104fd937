"""Renderings of an SOP definition: the flowchart (SVG), the SOP AP document (HTML, PDF, DOCX) and
BPMN 2.0. Drawn from the same definition the engine runs, so paper and practice cannot drift."""
