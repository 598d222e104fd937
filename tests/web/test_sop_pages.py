"""The SOP document in the web app, and the case drawn on its flowchart."""
import re

from django.test import Client

from tests.conftest import Walker

PKS = "pks-pihak-ketiga"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_sop_list_links_to_each_loaded_sop(users):
    page = signed_in(users["analis"]).get("/sop/").content.decode()

    assert f'href="/sop/{PKS}/"' in page
    assert "SOP Penyusunan Perjanjian Kerja Sama (PKS) dengan Pihak Ketiga" in page


def test_the_sop_page_shows_the_document_and_offers_every_download(users):
    client = signed_in(users["analis"])

    page = client.get(f"/sop/{PKS}/").content.decode()
    document = client.get(f"/sop/{PKS}/unduh.html")

    for output in ("pdf", "docx", "bpmn", "svg", "html"):
        assert f"/sop/{PKS}/unduh.{output}" in page
    assert document["Content-Disposition"].startswith("inline")
    assert '<table class="identity">' in document.content.decode()


def test_each_download_is_the_named_format(users):
    client = signed_in(users["analis"])

    pdf = client.get(f"/sop/{PKS}/unduh.pdf")
    docx = client.get(f"/sop/{PKS}/unduh.docx")
    bpmn = client.get(f"/sop/{PKS}/unduh.bpmn")

    assert pdf.content.startswith(b"%PDF-") and pdf["Content-Type"] == "application/pdf"
    assert docx.content.startswith(b"PK") and 'filename="pks-pihak-ketiga.docx"' in docx["Content-Disposition"]
    assert b"bpmn" in bpmn.content[:400]


def test_an_unknown_sop_or_format_is_a_not_found_page(users):
    client = signed_in(users["analis"])

    assert client.get("/sop/tidak-ada/").status_code == 404
    assert client.get(f"/sop/{PKS}/unduh.exe").status_code == 404


def test_the_case_page_draws_the_case_on_its_flowchart(users):
    walker = Walker(users)
    walker.steps(3)

    page = signed_in(users["karo"]).get(f"/perkara/{walker.case.pk}/").content.decode()
    chart = page[page.index('<div class="flowchart'):]

    assert "<svg" in chart
    assert len(re.findall(r'class="shape process done"', chart)) == 3
    assert 'class="shape process current"' in chart
    assert "/ 5 menit" in chart  # step 1 done: time taken against its standard
