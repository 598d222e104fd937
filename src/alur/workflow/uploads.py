"""Which uploaded files Alur accepts: PDF, DOCX and images, up to a configurable size.

A file is judged by its bytes, never by its name: a name is whatever the sender typed, and a
renamed .exe or .xlsx must not slip through as "laporan.pdf". The type returned is the one the
content shows, so the stored document records what it really is. Only the standard library is
used: a few magic numbers and zipfile are enough, and no image or Office parser has to run on
untrusted input.
"""
from __future__ import annotations

import codecs
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings

from .errors import InvalidInput

MB = 1024 * 1024
DEFAULT_MAX_UPLOAD_MB = 20

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Kind:
    """An accepted kind of file: its content type, the name people know it by, its extensions."""

    content_type: str
    label: str
    extensions: tuple[str, ...]


ALLOWED: tuple[Kind, ...] = (
    Kind(PDF, "PDF", (".pdf",)),
    Kind(DOCX, "DOCX", (".docx",)),
    Kind("image/png", "PNG", (".png",)),
    Kind("image/jpeg", "JPEG", (".jpg", ".jpeg")),
    Kind("image/gif", "GIF", (".gif",)),
    Kind("image/webp", "WEBP", (".webp",)),
)

# Said after every refusal of a kind, so the sender knows what to send instead.
ACCEPTED_TEXT = "PDF, DOCX, atau gambar (PNG, JPEG, GIF, WEBP)"

# Leading bytes of the accepted kinds other than DOCX, which needs a look inside the ZIP.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    # The PDF spec tolerates junk before the header; real writers never emit it, so we don't.
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)

# Leading bytes of kinds people often send by mistake, to name them in the refusal.
_KNOWN_REFUSED: tuple[tuple[bytes, str], ...] = (
    # An OLE container: Word/Excel 97-2003, and also any Office file locked with a password.
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "dokumen Word lama (.doc) atau dokumen Office lama/terkunci kata sandi"),
    (b"Rar!\x1a\x07", "arsip RAR"),
    (b"7z\xbc\xaf\x27\x1c", "arsip 7-Zip"),
    (b"II*\x00", "gambar TIFF"),
    (b"MM\x00*", "gambar TIFF"),
)

# OOXML and OpenDocument files are ZIPs too; one member tells which they are.
_ZIP_LOOKALIKES: tuple[tuple[str, str], ...] = (
    ("xl/workbook.xml", "buku kerja Excel (.xlsx)"),
    ("ppt/presentation.xml", "presentasi PowerPoint (.pptx)"),
    ("content.xml", "dokumen OpenDocument (.odt/.ods)"),
)


def check_upload(*, name: str, content: bytes, max_bytes: int | None = None) -> str:
    """Return the content type the bytes show, or raise InvalidInput naming the file and the
    problem. max_bytes defaults to settings.ALUR_MAX_UPLOAD_MB megabytes (20 when unset)."""
    label = name or "(tanpa nama)"
    if not content:
        raise InvalidInput(f"Berkas {label} kosong.")
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    # Size first: a too-large file is refused without being opened at all.
    if len(content) > limit:
        raise InvalidInput(
            f"Berkas {label} berukuran {_size(len(content), round_up=True)}; batasnya {_size(limit, round_up=False)}."
        )
    for magic, content_type in _SIGNATURES:
        if content.startswith(magic):
            return content_type
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    # PK\x03\x04 starts a ZIP with members; PK\x05\x06 an empty one (which cannot be a DOCX).
    if content[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return _check_docx(label, content)
    raise InvalidInput(f"Berkas {label} {_looks_like(content)}. Yang diterima: {ACCEPTED_TEXT}.")


def max_upload_bytes() -> int:
    return int(getattr(settings, "ALUR_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB) * MB)


def _check_docx(label: str, content: bytes) -> str:
    """A ZIP is accepted only as a real Word document. Only the central directory is read: no
    member is decompressed, so a ZIP bomb costs nothing."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    # zipfile raises more than BadZipFile on damaged input (found by fuzzing truncated DOCX).
    except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError, OSError):
        raise InvalidInput(
            f"Berkas {label} rusak: bentuknya ZIP/DOCX tetapi isinya tidak dapat dibaca. "
            f"Simpan ulang lalu unggah lagi. Yang diterima: {ACCEPTED_TEXT}."
        ) from None
    names = {member.filename for member in members}
    if any(member.flag_bits & 0x1 for member in members):
        looks = "berkas ZIP yang dikunci kata sandi"
    elif "[Content_Types].xml" in names and "word/document.xml" in names:
        # A .docm carries macros, which a DOCX cannot; nobody needs them in an agreement file.
        if "word/vbaProject.bin" not in names:
            return DOCX
        looks = "dokumen Word bermakro (.docm)"
    else:
        looks = next((what for member, what in _ZIP_LOOKALIKES if member in names), "berkas ZIP biasa")
    raise InvalidInput(f"Berkas {label} tampaknya {looks}, bukan jenis yang diterima. Yang diterima: {ACCEPTED_TEXT}.")


def _looks_like(content: bytes) -> str:
    """The end of a refusal sentence saying what the file seems to be, when we can tell."""
    for magic, what in _KNOWN_REFUSED:
        if content.startswith(magic):
            return f"tampaknya {what}, bukan jenis yang diterima"
    if content[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc"):
        return "tampaknya gambar HEIC (foto ponsel), bukan jenis yang diterima; simpan sebagai JPEG atau PNG"
    if _is_text(content[:4096]):
        return "tampaknya teks, bukan jenis yang diterima"
    return "jenisnya tidak dikenali"


def _is_text(sample: bytes) -> bool:
    # Incremental decoding, because the sample may cut a multi-byte character in half.
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return b"\x00" not in sample


def _size(n: int, *, round_up: bool) -> str:
    """A size as people read it, Indonesian style ("31,2 MB"). The file's size rounds up and the
    limit rounds down, so a file just over the limit never reads as equal to it."""
    if n < 1024:
        return f"{n} byte"
    unit, name = (MB, "MB") if n >= MB else (1024, "KB")
    tenths = -(-n * 10 // unit) if round_up else n * 10 // unit
    whole, tenth = divmod(tenths, 10)
    return f"{whole} {name}" if tenth == 0 else f"{whole},{tenth} {name}"
