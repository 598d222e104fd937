"""The parsed definition of a stored SOP version, read once per process."""
from __future__ import annotations

from functools import lru_cache

from alur.sop import SopDefinition, load_definition_text

from .models import SopVersion


@lru_cache(maxsize=256)
def _parse(sha256: str, source_name: str, text: str) -> SopDefinition:
    return load_definition_text(text, source=source_name)


def definition_of(version: SopVersion) -> SopDefinition:
    # Keyed by the text's hash: a stored version never changes, so the parse never goes stale.
    return _parse(version.sha256, version.source_name, version.source_text)
