"""The rekapitulasi page: filters, search, counts per status, pages, the downloads carrying the
filters (a long list's XLSX made by the worker, downloaded from its notice by its owner only), who
sees what, and bad filter values said on the page."""
from __future__ import annotations

import datetime
import io
import re
from io import StringIO
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from alur.agreements import exports
from alur.agreements.models import Agreement, Partner, RekapExport
from alur.notifications.models import Notification
from alur.web import rekap_views
from tests.agreements.registerdata import agreement, report
from tests.web.helpers import text

URL = "/rekapitulasi/"


def today():
    return timezone.localdate()


@pytest.fixture
def register(users):
    soon = today() + datetime.timedelta(days=40)
    agreement(title="PKS Promosi Wisata Bahari", number="119/1/PKS/2026", ends_on=today() + datetime.timedelta(days=700))
    agreement(title="PKS Riset Perikanan Tangkap", opd="dkp", number="119/2/PKS/2025", signed_on=datetime.date(2025, 3, 1),
              ends_on=soon, partner_name="Universitas Bangka Belitung", partner_kind=Partner.Kind.PERGURUAN_TINGGI)
    agreement(title="Kesepakatan Bersama Pembangunan Daerah", kind=Agreement.Kind.MOU, number="119/1/MOU/2026",
              ends_on=today() + datetime.timedelta(days=900), partner_name="Kabupaten Belitung", partner_kind=Partner.Kind.LAINNYA)
    agreement(title="PKS Budidaya Rumput Laut", opd="dkp", signed=False)
    return users


def row_titles(response) -> list[str]:
    return [r["agreement"].title for r in response.context["rows"]]


def query_of(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


# --- the list ---------------------------------------------------------------------------------------

def test_the_biro_sees_every_agreement_with_counts_per_status(register, browser):
    response = browser("karo").get(URL)
    assert response.status_code == 200
    assert len(row_titles(response)) == 4
    counts = {link["key"]: link["count"] for link in response.context["status_links"]}
    assert counts == {"": 4, "dalam_proses": 1, "aktif": 2, "akan_berakhir": 1, "berakhir": 0, "dibatalkan": 0}
    assert "Rekapitulasi perjanjian" in text(response)


def test_opd_staff_see_their_own_opds_agreements_only(register, browser):
    response = browser("kepala_dkp").get(URL)
    assert sorted(row_titles(response)) == ["PKS Budidaya Rumput Laut", "PKS Riset Perikanan Tangkap"]
    assert [unit.code for unit in response.context["opds"]] == ["dkp"]
    # another OPD's code is refused by name, and the list stays their own
    response = browser("kepala_dkp").get(URL, {"opd": "dispar"})
    assert "bukan OPD Anda" in text(response)
    assert sorted(row_titles(response)) == ["PKS Budidaya Rumput Laut", "PKS Riset Perikanan Tangkap"]


def test_people_without_a_role_are_refused(register, client):
    client.force_login(get_user_model().objects.create_user("tamu"))
    response = client.get(URL)
    assert response.status_code == 403
    assert client.get("/rekapitulasi/unduh.xlsx").status_code == 403


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_the_navigation_links_the_page_for_role_holders_only(register, browser, client):
    assert 'href="/rekapitulasi/"' in text(browser("kepala_dispar").get("/"))
    client.force_login(get_user_model().objects.create_user("tamu"))
    assert 'href="/rekapitulasi/"' not in text(client.get("/"))


@pytest.mark.parametrize("query, expected", [
    ({"jenis": "mou"}, ["Kesepakatan Bersama Pembangunan Daerah"]),
    ({"status": "akan_berakhir"}, ["PKS Riset Perikanan Tangkap"]),
    ({"status": "dalam_proses"}, ["PKS Budidaya Rumput Laut"]),
    ({"opd": "dkp", "status": "aktif"}, []),
    ({"pihak": "perguruan_tinggi"}, ["PKS Riset Perikanan Tangkap"]),
    ({"tahun": "2025"}, ["PKS Riset Perikanan Tangkap"]),
    ({"berakhir": "60"}, ["PKS Riset Perikanan Tangkap"]),
    ({"berakhir": "30"}, []),
    ({"q": "perik"}, ["PKS Riset Perikanan Tangkap"]),
    ({"q": "119/1/MOU"}, ["Kesepakatan Bersama Pembangunan Daerah"]),
    ({"q": "universitas bangka"}, ["PKS Riset Perikanan Tangkap"]),
    ({"q": "wisata", "jenis": "pks", "opd": "dispar"}, ["PKS Promosi Wisata Bahari"]),
])
def test_filters_and_search(register, browser, query, expected):
    response = browser("karo").get(URL, query)
    assert response.status_code == 200
    assert sorted(row_titles(response)) == expected
    assert not response.context["problems"]


def test_counts_follow_the_filters_but_not_the_status(register, browser):
    response = browser("karo").get(URL, {"opd": "dkp", "status": "aktif"})
    counts = {link["key"]: link["count"] for link in response.context["status_links"]}
    assert counts == {"": 2, "dalam_proses": 1, "aktif": 0, "akan_berakhir": 1, "berakhir": 0, "dibatalkan": 0}
    # each status link keeps the other filters
    link = next(l for l in response.context["status_links"] if l["key"] == "akan_berakhir")
    assert query_of("?" + link["query"]) == {"opd": "dkp", "status": "akan_berakhir"}


def test_rows_link_to_the_agreement_page_and_show_the_last_report(register, browser):
    pks = Agreement.objects.get(title="PKS Promosi Wisata Bahari")
    report(pks, today() - datetime.timedelta(days=20), "Pameran pertama selesai")
    report(pks, today() - datetime.timedelta(days=2), "Pameran kedua selesai")
    html = text(browser("karo").get(URL, {"q": "wisata"}))
    assert "Pameran kedua selesai" in html and "Pameran pertama selesai" not in html
    assert f'href="{reverse("web:agreement", args=[pks.pk])}"' in html


def test_rows_link_to_their_case_when_there_is_no_agreement_page(register, browser, monkeypatch):
    from alur.web import rekap_views
    from tests.web.helpers import register as register_draft

    monkeypatch.setattr(rekap_views, "_detail_url_name", lambda: None)
    draft = register_draft(register, title="PKS Lewat Alur")
    html = text(browser("karo").get(URL, {"q": "lewat alur"}))
    assert f'href="{reverse("web:case", args=[draft.case_id])}"' in html
    assert "PKS Promosi Wisata Bahari" not in html


def test_a_long_list_is_paged_and_the_pages_keep_the_filters(register, browser):
    for n in range(55):
        agreement(title=f"PKS Massal {n:02}", number=f"200/{n}/PKS/2026")
    response = browser("karo").get(URL, {"q": "massal", "urut": "judul"})
    assert len(row_titles(response)) == 50 and response.context["total"] == 55
    assert query_of("?" + response.context["next_query"]) == {"q": "massal", "urut": "judul", "halaman": "2"}
    second = browser("karo").get(URL, {"q": "massal", "urut": "judul", "halaman": "2"})
    assert row_titles(second) == [f"PKS Massal {n}" for n in range(50, 55)]
    assert row_titles(browser("karo").get(URL, {"q": "massal", "halaman": "x"}))  # a bad page number: the first page
    assert row_titles(browser("karo").get(URL, {"q": "massal", "urut": "judul", "halaman": "999"})) == row_titles(second)  # the last


# --- bad values --------------------------------------------------------------------------------------

@pytest.mark.parametrize("query, problem", [
    ({"status": "hilang"}, "Status “hilang” tidak dikenal"),
    ({"jenis": "<script>"}, "Jenis “&lt;script&gt;” tidak dikenal"),
    ({"pihak": "x"}, "Jenis pihak ketiga “x” tidak dikenal"),
    ({"tahun": "dua ribu"}, "Tahun harus berupa angka"),
    ({"tahun": "99999"}, "Tahun di luar jangkauan"),
    ({"berakhir": "7"}, "tidak dikenal"),
    ({"urut": "id; drop"}, "Urutan “id; drop” tidak dikenal"),
    ({"opd": "tidak-ada"}, "OPD dengan kode “tidak-ada” tidak dikenal"),
    ({"q": "x" * 300}, "Teks pencarian terlalu panjang"),
])
def test_a_bad_filter_value_is_said_on_the_page_and_left_out(register, browser, query, problem):
    response = browser("karo").get(URL, query)
    assert response.status_code == 200
    assert problem in text(response)
    assert len(row_titles(response)) == 4  # the bad filter left out


def test_search_text_with_operators_never_fails(register, browser):
    for q in ['"', "'", "a & | ! (", "wisata:*", "NEAR(", "*", "\\", "%_", "😀"]:
        assert browser("karo").get(URL, {"q": q}).status_code == 200


# --- downloads --------------------------------------------------------------------------------------

def test_the_download_links_carry_the_current_filters(register, browser):
    response = browser("karo").get(URL, {"q": "wisata", "jenis": "pks", "status": "aktif", "halaman": "1", "tahun": "bad"})
    html = text(response)
    links = re.findall(r'href="(/rekapitulasi/unduh\.(?:xlsx|pdf)[^"]*)"', html)
    assert len(links) == 2
    for link in links:
        assert query_of(link.replace("&amp;", "&")) == {"q": "wisata", "jenis": "pks", "status": "aktif"}


def test_the_xlsx_download_holds_the_filtered_list(register, browser):
    response = browser("karo").get("/rekapitulasi/unduh.xlsx", {"opd": "dkp"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="rekapitulasi-perjanjian-' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Rekapitulasi"]
    values = [row for row in sheet.iter_rows(values_only=True)]
    judul = [row[4] for row in values if isinstance(row[0], int)]
    assert sorted(judul) == ["PKS Budidaya Rumput Laut", "PKS Riset Perikanan Tangkap"]
    assert any(row[0] and "OPD: Dinas Kelautan dan Perikanan" in str(row[0]) for row in values)


def test_the_xlsx_of_opd_staff_holds_their_own_agreements_only(register, browser):
    response = browser("kepala_dispar").get("/rekapitulasi/unduh.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Rekapitulasi"]
    rows = [row for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int)]
    assert sorted(row[4] for row in rows) == ["Kesepakatan Bersama Pembangunan Daerah", "PKS Promosi Wisata Bahari"]
    assert {row[7] for row in rows} == {"Dinas Pariwisata"}


def test_the_pdf_download_is_a_pdf(register, browser):
    response = browser("karo").get("/rekapitulasi/unduh.pdf", {"status": "aktif", "kertas": "f4"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_a_pdf_too_long_goes_back_to_the_page_with_the_reason(register, browser, monkeypatch):
    monkeypatch.setattr(exports, "PDF_LIMIT", 2)
    client = browser("karo")
    response = client.get("/rekapitulasi/unduh.pdf", {"jenis": "pks"})
    assert response.status_code == 302 and query_of(response["Location"]) == {"jenis": "pks"}
    page = client.get(response["Location"])
    assert "PDF dibuat untuk paling banyak 2" in text(page) and "unduh XLSX" in text(page)


def test_a_long_lists_xlsx_is_made_by_the_worker_and_its_notice_downloads_it(register, browser, monkeypatch):
    monkeypatch.setattr(rekap_views, "XLSX_IN_REQUEST_LIMIT", 1)
    client = browser("karo")
    response = client.get("/rekapitulasi/unduh.xlsx", {"opd": "dkp"})
    assert response.status_code == 302 and query_of(response["Location"]) == {"opd": "dkp"}
    assert "Daftar ini berisi 2 perjanjian: berkas XLSX-nya sedang disiapkan" in text(client.get(response["Location"]))

    worker = StringIO()
    call_command("worker", "--once", stdout=worker)

    assert "Berkas XLSX rekapitulasi: 1 siap." in worker.getvalue()
    notice = Notification.objects.get(recipient=register["karo"], title="Rekapitulasi XLSX siap diunduh")
    opened = client.get(reverse("web:notification", args=[notice.pk]))
    download = client.get(opened["Location"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))["Rekapitulasi"]
    judul = [row[4] for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int)]
    assert sorted(judul) == ["PKS Budidaya Rumput Laut", "PKS Riset Perikanan Tangkap"]


def test_asking_again_while_the_file_is_made_queues_nothing_more(register, browser, monkeypatch):
    monkeypatch.setattr(rekap_views, "XLSX_IN_REQUEST_LIMIT", 1)
    client = browser("karo")
    client.get("/rekapitulasi/unduh.xlsx")
    response = client.get("/rekapitulasi/unduh.xlsx", {"jenis": "pks"})
    assert "Berkas XLSX yang Anda minta sebelumnya masih disiapkan" in text(client.get(response["Location"]))
    assert RekapExport.objects.filter(requested_by=register["karo"]).count() == 1


def test_only_the_person_who_asked_may_download_the_file(register, browser, monkeypatch):
    monkeypatch.setattr(rekap_views, "XLSX_IN_REQUEST_LIMIT", 1)
    browser("karo").get("/rekapitulasi/unduh.xlsx")
    call_command("worker", "--once", stdout=StringIO())
    link = reverse("web:rekapitulasi_export", args=[RekapExport.objects.get(state=RekapExport.State.READY).pk])

    client = browser("tkksd")
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == URL
    assert "Berkas XLSX itu tidak tersedia" in text(client.get(URL))


def test_a_download_with_a_bad_filter_goes_back_to_the_page_that_says_so(register, browser):
    client = browser("karo")
    response = client.get("/rekapitulasi/unduh.xlsx", {"status": "hilang"})
    assert response.status_code == 302
    assert "Status “hilang” tidak dikenal" in text(client.get(response["Location"]))


def test_an_unknown_download_format_is_not_found(register, browser):
    assert browser("karo").get("/rekapitulasi/unduh.docx").status_code == 404


def test_the_page_speaks_english_to_those_who_chose_it(register, browser):
    from alur.web.models import Preference

    Preference.objects.create(user=register["karo"], language="en")
    html = text(browser("karo").get(URL, {"status": "hilang"}))
    assert "Register of agreements" in html and "There is no status “hilang”" in html and "Download XLSX" in html


def test_those_who_keep_the_register_find_entry_and_import_on_the_rekapitulasi(browser):
    page = text(browser("pengelola").get(URL))

    assert 'href="/perjanjian/catat/"' in page
    assert 'href="/perjanjian/impor/"' in page


def test_others_are_not_offered_entry_or_import(browser):
    page = text(browser("analis").get(URL))

    assert 'href="/perjanjian/catat/"' not in page
    assert 'href="/perjanjian/impor/"' not in page
