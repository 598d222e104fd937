"""Uploads: PDF, DOCX and images only, judged by content, and no larger than the configured size.
Every refusal names the file and what is wrong with it."""
from __future__ import annotations

import io
import zipfile

import pytest

from alur.workflow.errors import InvalidInput
from alur.workflow.uploads import ACCEPTED_TEXT, ALLOWED, MB, check_upload

ACCEPTED = "Yang diterima: PDF, DOCX, atau gambar (PNG, JPEG, GIF, WEBP)."

# A complete one-page PDF, as small as a valid one gets.
MINIMAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n"
    b"%%EOF\n"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
OLE_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Perjanjian Kerja Sama</w:t></w:r></w:p></w:body></w:document>"
)


def zip_of(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, text in members.items():
            archive.writestr(member, text)
    return buffer.getvalue()


def docx() -> bytes:
    return zip_of({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": DOCUMENT})


def refusal(name: str, content: bytes, **kwargs) -> str:
    with pytest.raises(InvalidInput) as refused:
        check_upload(name=name, content=content, **kwargs)
    return refused.value.message


# --- accepted kinds ----------------------------------------------------------------------------

def test_it_accepts_a_pdf():
    assert check_upload(name="draft-pks.pdf", content=MINIMAL_PDF) == "application/pdf"


def test_it_accepts_a_word_document():
    assert check_upload(name="draft-pks.docx", content=docx()) == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("scan.png", PNG, "image/png"),
        ("scan.jpg", JPEG, "image/jpeg"),
        ("scan.gif", GIF, "image/gif"),
        ("scan.webp", WEBP, "image/webp"),
    ],
)
def test_it_accepts_images_by_their_signature(name, content, content_type):
    assert check_upload(name=name, content=content) == content_type


def test_it_reports_the_type_the_content_shows_not_the_one_the_name_claims():
    # A PNG named .pdf is still a PNG: it is accepted, and recorded as what it really is.
    assert check_upload(name="foto.pdf", content=PNG) == "image/png"


def test_it_refuses_a_forbidden_kind_even_under_an_accepted_name():
    message = refusal("laporan.pdf", b"Hanya teks biasa.\n")
    assert message.startswith("Berkas laporan.pdf tampaknya teks")


def test_allowed_lists_every_kind_it_detects():
    assert [kind.label for kind in ALLOWED] == ["PDF", "DOCX", "PNG", "JPEG", "GIF", "WEBP"]
    assert ACCEPTED_TEXT == "PDF, DOCX, atau gambar (PNG, JPEG, GIF, WEBP)"


# --- ZIPs that are not Word documents ----------------------------------------------------------

def test_it_refuses_an_excel_workbook():
    workbook = zip_of({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
    assert refusal("anggaran.xlsx", workbook) == (
        f"Berkas anggaran.xlsx tampaknya buku kerja Excel (.xlsx), bukan jenis yang diterima. {ACCEPTED}"
    )


def test_it_refuses_a_plain_zip():
    assert refusal("lampiran.zip", zip_of({"a.txt": "isi"})) == (
        f"Berkas lampiran.zip tampaknya berkas ZIP biasa, bukan jenis yang diterima. {ACCEPTED}"
    )


def test_it_refuses_a_docx_whose_name_is_right_but_whose_parts_are_missing():
    only_types = zip_of({"[Content_Types].xml": CONTENT_TYPES})
    assert "tampaknya berkas ZIP biasa" in refusal("draft.docx", only_types)


def test_it_refuses_a_word_document_with_macros():
    docm = zip_of({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": DOCUMENT, "word/vbaProject.bin": "x"})
    assert "tampaknya dokumen Word bermakro (.docm)" in refusal("draft.docx", docm)


def test_it_refuses_a_corrupt_zip_as_damaged():
    truncated = docx()[:60]
    assert refusal("draft.docx", truncated) == (
        "Berkas draft.docx rusak: bentuknya ZIP/DOCX tetapi isinya tidak dapat dibaca. "
        f"Simpan ulang lalu unggah lagi. {ACCEPTED}"
    )


def test_it_refuses_a_zip_locked_with_a_password():
    locked = bytearray(docx())
    # Set the "encrypted" bit in every header, as a password-protected ZIP has it.
    for header, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = locked.find(header)
        while at != -1:
            locked[at + flag_offset] |= 0x1
            at = locked.find(header, at + 4)
    assert "tampaknya berkas ZIP yang dikunci kata sandi" in refusal("draft.docx", bytes(locked))


# --- other refused kinds -----------------------------------------------------------------------

def test_it_refuses_an_old_word_document_by_name():
    message = refusal("draft-lama.doc", OLE_DOC)
    assert message.startswith("Berkas draft-lama.doc tampaknya dokumen Word lama (.doc)")
    assert message.endswith(ACCEPTED)


def test_it_refuses_plain_text():
    assert refusal("catatan.txt", "Catatan rapat TKKSD: setuju.\n".encode()) == (
        f"Berkas catatan.txt tampaknya teks, bukan jenis yang diterima. {ACCEPTED}"
    )


def test_it_refuses_a_phone_photo_in_heic_and_says_what_to_send():
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"
    assert "tampaknya gambar HEIC (foto ponsel)" in refusal("IMG_0001.HEIC", heic)
    assert "simpan sebagai JPEG atau PNG" in refusal("IMG_0001.HEIC", heic)


def test_it_refuses_unrecognisable_bytes():
    assert refusal("data.bin", bytes([0x00, 0x9F, 0x92, 0x96, 0xFF, 0x00])) == (
        f"Berkas data.bin jenisnya tidak dikenali. {ACCEPTED}"
    )


def test_it_refuses_an_empty_file():
    assert refusal("laporan.pdf", b"") == "Berkas laporan.pdf kosong."


def test_it_names_a_file_that_has_no_name():
    assert refusal("", b"") == "Berkas (tanpa nama) kosong."


# --- size ----------------------------------------------------------------------------------------

def test_it_refuses_a_file_larger_than_the_configured_limit(settings):
    settings.ALUR_MAX_UPLOAD_MB = 1
    too_big = MINIMAL_PDF + b"\x00" * (int(1.5 * MB) - len(MINIMAL_PDF))
    assert refusal("laporan.pdf", too_big) == "Berkas laporan.pdf berukuran 1,5 MB; batasnya 1 MB."


def test_it_defaults_to_a_20_mb_limit(settings):
    del settings.ALUR_MAX_UPLOAD_MB
    size = int(31.2 * MB)
    assert refusal("laporan.pdf", MINIMAL_PDF.ljust(size, b"\x00")) == (
        "Berkas laporan.pdf berukuran 31,2 MB; batasnya 20 MB."
    )
    assert check_upload(name="laporan.pdf", content=MINIMAL_PDF.ljust(20 * MB, b"\x00")) == "application/pdf"


def test_an_explicit_limit_overrides_the_setting(settings):
    settings.ALUR_MAX_UPLOAD_MB = 100
    assert refusal("foto.png", PNG.ljust(3000, b"\x00"), max_bytes=2048) == (
        "Berkas foto.png berukuran 3 KB; batasnya 2 KB."
    )


def test_a_file_exactly_at_the_limit_is_accepted(settings):
    settings.ALUR_MAX_UPLOAD_MB = 1
    assert check_upload(name="laporan.pdf", content=MINIMAL_PDF.ljust(MB, b"\x00")) == "application/pdf"


def test_a_file_one_byte_over_the_limit_never_reads_as_equal_to_it(settings):
    settings.ALUR_MAX_UPLOAD_MB = 1
    assert refusal("laporan.pdf", MINIMAL_PDF.ljust(MB + 1, b"\x00")) == (
        "Berkas laporan.pdf berukuran 1,1 MB; batasnya 1 MB."
    )


def test_size_is_checked_before_content():
    # A large file is refused for its size without being opened, whatever it contains.
    assert refusal("arsip.zip", b"PK\x03\x04" + b"\x00" * 100, max_bytes=50) == (
        "Berkas arsip.zip berukuran 104 byte; batasnya 50 byte."
    )

