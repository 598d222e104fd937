"""The SOP AP document's tables, and the DOCX drawn from them."""
import io

import pytest
from docx import Document

from alur.sop import load_definition_file, shipped_definition_paths
from alur.sop.render.document import Footnotes, activity_rows, identity_rows
from alur.sop.render.docx import ACTIVITY_SYMBOL, DECISION_SYMBOL, render_docx


@pytest.fixture(scope="module")
def pks():
    [path] = [p for p in shipped_definition_paths() if p.name == "pks-pihak-ketiga.yaml"]
    return load_definition_file(path)


def test_identity_rows_follow_the_sop_ap_form_and_leave_empty_fields_empty(pks):
    rows = {row.label: row.lines for row in identity_rows(pks)}

    assert list(rows)[:6] == ["Nomor SOP", "Tanggal Pembuatan", "Tanggal Revisi", "Tanggal Efektif", "Disahkan oleh", "Nama SOP"]
    assert rows["Nomor SOP"] == ("/ SOP/I/2020",)
    assert rows["Tanggal Efektif"] == () and rows["Disahkan oleh"] == ()
    assert rows["Dasar Hukum"][0] == "1. Undang-undang No 23 tahun 2014 tentang Pemerintahan Daerah"
    assert len(rows["Keterkaitan"]) == 4


def test_activity_rows_keep_the_source_number_where_it_differs(pks):
    rows = activity_rows(pks, Footnotes())

    assert [r.number for r in rows[:8]] == ["1", "2", "3", "4", "5", "6 (7)", "7 (8)", "8 (7)"]
    assert rows[13].number == "14"  # added: no source number


def test_inferred_and_added_values_carry_a_footnote(pks):
    footnotes = Footnotes()
    rows = activity_rows(pks, footnotes)

    assert all(row.notes for row in rows)
    added = [row for row in rows if row.step.marks.added]
    assert [row.step.key for row in added] == ["teruskan_pengembalian", "kembalikan_ke_opd"]
    assert "ditetapkan pemilik SOP" in footnotes.texts[added[0].notes[0] - 1]
    assert "pelaksana" in footnotes.texts[rows[0].notes[0] - 1]


def test_a_decision_row_says_where_each_outcome_leads(pks):
    rows = {row.step.key: row for row in activity_rows(pks, Footnotes())}

    assert rows["periksa_karo"].keterangan == "Setuju: ke langkah 8; Tidak setuju: ke langkah 15"
    assert rows["registrasi"].kelengkapan == "Dokumen PKS"
    assert rows["koreksi_kabag"].kelengkapan == ""  # empty in the source, kept empty


def test_the_docx_holds_the_identity_and_activity_tables(pks):
    document = Document(io.BytesIO(render_docx(pks)))
    identity, activity = document.tables

    assert identity.rows[0].cells[1].text == "/ SOP/I/2020"
    assert identity.rows[3].cells[1].text == ""  # Tanggal Efektif stays empty
    assert len(activity.rows) == 2 + len(pks.steps)
    role_names = [cell.text for cell in activity.rows[1].cells[2:2 + len(pks.roles)]]
    assert role_names == [role.name for role in pks.roles]


def test_the_docx_marks_each_step_in_its_actors_lane_with_its_symbol(pks):
    activity = Document(io.BytesIO(render_docx(pks))).tables[1]
    lanes = {role.key: 2 + i for i, role in enumerate(pks.roles)}

    for row, step in zip(activity.rows[2:], pks.steps):
        marked = [i for i in lanes.values() if row.cells[i].text]
        assert marked == [lanes[step.actor]], step.key
        assert row.cells[lanes[step.actor]].text == (DECISION_SYMBOL if step.is_decision else ACTIVITY_SYMBOL)


def test_the_docx_lists_the_reading_notes_and_the_catatan(pks):
    text = "\n".join(p.text for p in Document(io.BytesIO(render_docx(pks))).paragraphs)

    assert "Catatan pembacaan" in text
    assert "Catatan: Aktivitas SOP dapat diproses apabila draft dan kelengkapan PKS sudah benar" in text


def test_the_docx_page_is_landscape_a4_or_f4(pks):
    a4 = Document(io.BytesIO(render_docx(pks, page="A4"))).sections[0]
    f4 = Document(io.BytesIO(render_docx(pks, page="F4"))).sections[0]

    # Word keeps sizes in twentieths of a point, so compare whole millimetres.
    assert (round(a4.page_width.mm), round(a4.page_height.mm)) == (297, 210)
    assert (round(f4.page_width.mm), round(f4.page_height.mm)) == (330, 215)


def test_an_unknown_page_size_is_refused_by_name(pks):
    with pytest.raises(ValueError, match="ukuran halaman 'A3' tidak dikenal"):
        render_docx(pks, page="A3")
