"""A look inside a PDF without a PDF library: its streams inflated, its page boxes and its title.
(Text itself is drawn with font glyph numbers, so the forms' text is checked in the HTML the PDF
is printed from.)"""
from __future__ import annotations

import re
import zlib


def inflated(pdf: bytes) -> bytes:
    """The file with every Flate stream appended decompressed (object streams hold the dictionaries)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            parts.append(zlib.decompressobj().decompress(pdf[match.end():]))
        except zlib.error:
            pass
    return b"\n".join(parts)


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """(width, height) in points of each page."""
    return [(float(w), float(h)) for w, h in re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", inflated(pdf))]


def titles(pdf: bytes) -> list[str]:
    """Every /Title: the document's own and its bookmarks' (one per heading)."""
    found = []
    for hex_text, literal in re.findall(rb"/Title (?:<feff([0-9a-f]+)>|\(((?:\\.|[^\\)])*)\))", inflated(pdf)):
        if hex_text:
            found.append(bytes.fromhex(hex_text.decode()).decode("utf-16-be"))
        else:
            found.append(re.sub(rb"\\(.)", rb"\1", literal).decode("latin-1"))
    return found
