"""The SOP AP document as HTML and PDF: identity table, then the activity table with the flowchart."""
import re

import pytest

from alur.sop import load_definition_file, shipped_definition_paths
from alur.sop.render.html import render_html, render_pdf


@pytest.fixture(scope="module")
def pks():
    [path] = [p for p in shipped_definition_paths() if p.name == "pks-pihak-ketiga.yaml"]
    return load_definition_file(path)


@pytest.fixture(scope="module")
def html(pks):
    return render_html(pks)


def test_the_page_opens_with_the_identity_table(html):
    identity = html[html.index('<table class="identity">'):html.index("</table>")]

    assert "<th>Nomor SOP</th><td>/ SOP/I/2020</td>" in identity
    assert "<th>Tanggal Efektif</th><td></td>" in identity  # empty in the source, kept empty
    assert "3. Permendagri No: 22 tahun 2020" in identity


def test_every_step_stands_in_the_activity_table_with_its_mutu_baku(pks, html):
    for step in pks.steps:
        assert step.activity.replace("/", "/") in html.replace("&#x27;", "'"), step.key
    assert html.count('class="c num"') == len(pks.steps)
    assert "Draft PKS, Hasil telaahan" in html and "3 jam" in html


def test_the_flowchart_is_drawn_inline_and_nothing_is_loaded_from_elsewhere(html):
    assert html.count("<svg") >= 1
    assert not re.search(r'(src|href)="https?://', html)


def test_a_long_sop_is_split_over_pages_with_off_page_connectors(html):
    pages = re.findall(r"Halaman (\d+) dari (\d+)", html)

    assert len(pages) >= 2 and pages[-1][0] == pages[-1][1]
    assert 'class="connector' in html or "connector" in html


def test_inferred_and_added_values_are_footnoted(html):
    assert "Catatan pembacaan" in html
    assert "waktunya ditetapkan pemilik SOP" in html
    assert "<sup>1)</sup>" in html


def test_the_printed_document_is_landscape_with_a_page_per_sheet(pks):
    from weasyprint import HTML

    html = render_html(pks, page="F4")
    pages = HTML(string=html).render().pages
    sheets = len(set(re.findall(r"Halaman (\d+) dari", html)))

    # The identity part, then each sheet of the flowchart on a page of its own (the notes may follow).
    assert len(pages) >= 1 + sheets
    assert all(page.width > page.height for page in pages)
    assert round(pages[0].width / 96 * 25.4) == 330  # F4 landscape, in CSS pixels


def test_the_pdf_is_a_pdf(pks):
    pdf = render_pdf(pks)

    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")


def test_an_unknown_page_size_is_refused_by_name(pks):
    with pytest.raises(ValueError, match="ukuran halaman 'Letter' tidak dikenal"):
        render_html(pks, page="Letter")
