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


_by_version: dict[tuple[int, str], SopDefinition] = {}


def definition_for(version_id: int, sha256: str) -> SopDefinition:
    """The definition of a version known only by id and hash (the hot path reads no source text)."""
    key = (version_id, sha256)
    definition = _by_version.get(key)
    if definition is None:
        definition = _by_version[key] = definition_of(SopVersion.objects.get(pk=version_id))
    return definition
