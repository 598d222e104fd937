"""`alur sop render KEY --format svg|html|pdf|docx|bpmn -o FILE`."""
import zipfile

import pytest

PKS = "pks-pihak-ketiga"
SIGNATURES = {
    "svg": b"<svg",
    "html": b"<!doctype html>",
    "pdf": b"%PDF-",
    "docx": b"PK\x03\x04",
    "bpmn": b"<?xml",
}


@pytest.mark.parametrize("output_format", sorted(SIGNATURES))
def test_render_writes_the_sop_in_each_format(alur, db, tmp_path, output_format):
    target = tmp_path / f"pks.{output_format}"

    result = alur("sop", "render", PKS, "--format", output_format, "-o", target)

    assert result.exit_code == 0, result
    assert SIGNATURES[output_format] in target.read_bytes()[:200]
    assert f"dicetak sebagai {output_format.upper()}" in result.out


def test_render_docx_is_a_word_document(alur, db, tmp_path):
    target = tmp_path / "pks.docx"

    alur("sop", "render", PKS, "--format", "docx", "--page", "F4", "-o", target)

    assert "word/document.xml" in zipfile.ZipFile(target).namelist()


def test_render_of_an_unknown_sop_exits_1_naming_it(alur, db, tmp_path):
    result = alur("sop", "render", "tidak-ada", "--format", "pdf", "-o", tmp_path / "x.pdf")

    assert result.exit_code == 1
    assert "SOP 'tidak-ada' belum dimuat" in result.err
    assert not (tmp_path / "x.pdf").exists()


def test_render_to_a_folder_that_does_not_exist_exits_1_naming_the_file(alur, db, tmp_path):
    target = tmp_path / "tidak" / "ada" / "x.svg"

    result = alur("sop", "render", PKS, "--format", "svg", "-o", target)

    assert result.exit_code == 1
    assert f"{target}: berkas tidak dapat ditulis" in result.err
