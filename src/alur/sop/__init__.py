"""SOP AP definitions: the model, YAML loading with validation, and (later) rendering.

Pure Python with no Django import, so a definition can be checked and drawn anywhere.
"""
from .loader import DefinitionError, Problem, load_definition_file, load_definition_text, shipped_definition_paths
from .model import DECISION_OUTCOMES, Duration, SopDefinition, Step

__all__ = [
    "DECISION_OUTCOMES",
    "DefinitionError",
    "Duration",
    "Problem",
    "SopDefinition",
    "Step",
    "load_definition_file",
    "load_definition_text",
    "shipped_definition_paths",
]
