"""The monitoring page of an SOP: each step against its standard with the slowest highlighted,
return rates, open cases by step, the period and OPD filters, what bad filter values say, and
who may see it. The figures are those of the five cases of the report's own tests."""
from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from alur.org.models import OrgUnit, Role, RoleAssignment
from tests.workflow.test_monitoring import NEXT_MONDAY, history, two_versions  # noqa: F401 - cases, as fixtures

from .helpers import text

PKS = "pks-pihak-ketiga"
URL = f"/sop/{PKS}/monitoring/"


def block(page: str, anchor: str) -> str:
    """The list item of the page with this id (a step, a decision, an open step)."""
    match = re.search(rf'<li[^>]*id="{anchor}".*?</li>', page, re.S)
    assert match, f"{anchor} not on the page"
    return match.group(0)


def plain(html: str) -> str:
    """The text of some HTML, whitespace folded: what a reader sees."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_each_step_is_drawn_against_its_standard(history, browser):  # noqa: F811
    response = browser("karo").get(URL)
    page = text(response)

    assert response.status_code == 200
    second = block(page, "langkah-tugaskan_kasubbag")  # 10, 40, 50, 60 against 30
    assert "median 45 menit · p90 57 menit" in plain(second)
    assert "standar 30 menit · 4× dijalankan" in plain(second)
    assert "25% dalam standar" in plain(second)
    # Bars against an axis of 4× the standard (terima_disposisi's p90 is 4.3×): the median 1.5×.
    assert 'class="mon-median" style="width: 37.5%"' in second
    assert 'class="mon-standard" style="left: 25.0%"' in second
    assert "mon-over" in second  # its median is over the standard
    first = block(page, "langkah-terima_disposisi")
    assert "mon-over" not in first and 'class="mon-cut"' in first  # at standard; its p90 runs off the axis


def test_the_slowest_steps_are_highlighted_and_listed(history, browser):  # noqa: F811
    page = text(browser("karo").get(URL))

    for key in ("keputusan_gubernur", "koreksi_kabag", "tugaskan_kasubbag"):
        assert "mon-slowest" in block(page, f"langkah-{key}") and "paling lambat" in block(page, f"langkah-{key}")
    assert "mon-slowest" not in block(page, "langkah-bahas_tkksd")  # over standard, but fourth
    listed = re.search(r'<ul[^>]*id="paling-lambat".*?</ul>', page, re.S).group(0)
    assert re.findall(r'href="#langkah-(\w+)"', listed) == ["keputusan_gubernur", "koreksi_kabag", "tugaskan_kasubbag"]
    assert "(3,0× standar)" in plain(listed)


def test_decisions_show_their_return_rate_and_open_cases_their_step(history, browser):  # noqa: F811
    page = text(browser("kabag").get(URL))

    assert "50% (1 dari 2)" in plain(block(page, "keputusan-periksa_karo"))
    assert "0% (0 dari 1)" in plain(block(page, "keputusan-bahas_tkksd"))
    assert plain(block(page, "terbuka-perintahkan_telaah")).endswith(" 2")
    assert plain(block(page, "terbuka-finalisasi_draft")).endswith(" 1")
    assert 'id="terbuka-registrasi"' not in page  # no case waits there
    assert re.search(r"Perkara berjalan saat ini\s*</div>\s*<div[^>]*>4<", page)


def test_the_period_and_the_opd_narrow_the_figures(history, browser):  # noqa: F811
    page = text(browser("karo").get(URL, {"dari": NEXT_MONDAY.isoformat(), "opd": "dkp"}))

    assert "Periode: 12 Oktober 2026 – sekarang · OPD: Dinas Kelautan dan Perikanan" in plain(page)
    assert "median 9 menit" in plain(block(page, "langkah-terima_disposisi"))  # c4 only
    assert "1× dijalankan" in plain(block(page, "langkah-terima_disposisi"))
    assert "Tidak dijalankan dalam periode ini." in plain(block(page, "langkah-periksa_karo"))
    assert '<option value="dkp" selected>' in page
    assert re.search(rf'name="dari"\s+value="{NEXT_MONDAY.isoformat()}"', page)
    assert "Sebagian filter" not in page


def test_an_end_date_includes_that_whole_day(history, browser):  # noqa: F811
    monday = (NEXT_MONDAY - datetime.timedelta(days=7)).isoformat()

    page = text(browser("karo").get(URL, {"dari": monday, "sampai": monday}))

    assert "3× dijalankan" in plain(block(page, "langkah-terima_disposisi"))  # c1, c2 and c3


def test_a_step_only_an_older_version_has_is_shown_under_its_own_name_after_the_newest_s(two_versions, browser):  # noqa: F811
    page = text(browser("karo").get(URL))

    renamed = plain(block(page, "langkah-perintahkan_telaah"))
    assert "Memerintahkan analisis kerja sama Lintas Sektor" in renamed
    assert "(versi 1; tidak ada di versi terbaru)" in renamed
    assert "Ka. Subbag Kerja Sama Swasta dan LN" in renamed and "2× dijalankan" in renamed
    assert "tidak ada di versi terbaru" not in block(page, "langkah-tugaskan_analis")
    order = [page.index(f'id="langkah-{key}"') for key in ("kembalikan_ke_opd", "perintahkan_telaah", "koreksi_kasubbag")]
    assert order == sorted(order)  # the newest version's last step, then the older ones


def test_a_case_waiting_at_an_older_version_s_step_is_shown_there(two_versions, browser):  # noqa: F811
    page = text(browser("karo").get(URL))

    waiting = plain(block(page, "terbuka-perintahkan_telaah"))
    assert "(versi 1; tidak ada di versi terbaru)" in waiting and waiting.endswith(" 1")
    assert re.search(r"Perkara berjalan saat ini\s*</div>\s*<div[^>]*>3<", page)


@pytest.mark.parametrize(("query", "message"), [
    ({"dari": "2026-02-30"}, "Tanggal “dari” tidak dapat dibaca; tulis sebagai TTTT-BB-HH"),
    ({"sampai": "31-12-2026"}, "Tanggal “sampai” tidak dapat dibaca; tulis sebagai TTTT-BB-HH"),
    ({"dari": "2026-10-10", "sampai": "2026-10-01"}, "Tanggal “sampai” (2026-10-01) sebelum tanggal “dari” (2026-10-10); periode diabaikan."),
    ({"opd": "dinas-tidak-ada"}, "OPD dengan kode “dinas-tidak-ada” tidak dikenal; pilih dari daftar."),
    ({"opd": "tkksd"}, "OPD dengan kode “tkksd” tidak dikenal"),  # a unit, but not an OPD
    ({"dari": "0001-01-01"}, "Tanggal “dari” di luar jangkauan (tahun 1900 sampai 2999)."),
    ({"sampai": "9999-12-31"}, "Tanggal “sampai” di luar jangkauan (tahun 1900 sampai 2999)."),
])
def test_a_bad_filter_value_is_explained_and_left_out(history, browser, query, message):  # noqa: F811
    response = browser("karo").get(URL, query)
    page = plain(text(response))

    assert response.status_code == 200
    assert "Sebagian filter tidak dapat dipakai; angka di bawah dihitung tanpanya." in page
    assert message in page
    assert "Periode: awal pencatatan – sekarang · OPD: semua" in page
    assert "5× dijalankan" in plain(block(text(response), "langkah-terima_disposisi"))  # every case


def test_a_good_filter_still_applies_beside_a_bad_one(history, browser):  # noqa: F811
    page = text(browser("karo").get(URL, {"dari": "kemarin", "opd": "dkp"}))

    assert "Tanggal “dari” tidak dapat dibaca" in plain(page)
    assert "OPD: Dinas Kelautan dan Perikanan" in plain(page)
    assert "2× dijalankan" in plain(block(page, "langkah-terima_disposisi"))
    assert re.search(r'is-invalid" id="dari" name="dari"\s+value="kemarin"', page)  # shown to be put right


@pytest.mark.parametrize("username", ["karo", "kabag", "kasubbag", "analis", "pengelola", "tkksd", "gubernur"])
def test_everyone_outside_the_opds_may_see_it(users, browser, username):
    assert browser(username).get(URL).status_code == 200


@pytest.mark.parametrize("username", ["kepala_dispar", "kepala_dkp"])
def test_opd_staff_get_the_refusal_page(users, browser, username):
    response = browser(username).get(URL)

    assert response.status_code == 403
    assert "Monitoring SOP hanya untuk pemegang peran di luar Perangkat Daerah" in text(response)


def test_someone_whose_role_outside_the_opds_ended_is_refused(users, browser):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    RoleAssignment.objects.filter(user=users["analis"]).update(valid_from=yesterday - datetime.timedelta(days=30),
                                                                valid_until=yesterday)

    assert browser("analis").get(URL).status_code == 403


def test_someone_holding_roles_in_an_opd_and_outside_it_may_see_it(users, browser):
    RoleAssignment.objects.create(user=users["kepala_dkp"], role=Role.objects.get(key="tkksd"),
                                  org_unit=OrgUnit.objects.get(code="tkksd"))

    assert browser("kepala_dkp").get(URL).status_code == 200


def test_a_user_without_roles_is_refused_and_a_visitor_sent_to_sign_in(users, browser):
    nobody = get_user_model().objects.create_user("tamu", password="x")

    assert browser(nobody).get(URL).status_code == 403
    response = Client().get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/masuk/")


def test_an_unknown_sop_is_not_found(users, browser):
    assert browser("karo").get("/sop/tidak-ada/monitoring/").status_code == 404


def test_with_nothing_done_yet_the_page_says_so(users, browser):
    page = plain(text(browser("karo").get(URL)))

    assert "Tidak dijalankan dalam periode ini." in page
    assert "Belum ada keputusan dalam periode ini." in page
    assert "Tidak ada perkara yang sedang berjalan." in page
    assert "Tidak ada langkah yang mediannya melewati standar." in page
    assert "Selesai dalam standar —" in page


def test_period_shortcuts_keep_the_chosen_opd(users, browser):
    today = timezone.localdate()

    page = text(browser("karo").get(URL, {"opd": "dispar"}))

    this_year = f'?dari={today.year}-01-01&amp;sampai={today.isoformat()}&amp;opd=dispar"'
    assert this_year in page
    assert f'?dari={today.year - 1}-01-01&amp;sampai={today.year - 1}-12-31&amp;opd=dispar"' in page
    everything = re.search(r'<a[^>]*href="([^"]*)"[^>]*>Semua waktu</a>', page)
    assert everything.group(1) == f"{URL}?opd=dispar" and 'aria-current="true"' in everything.group(0)


def test_htmx_gets_the_report_alone_and_a_history_restore_the_page(users, browser):
    client = browser("karo")

    swapped = client.get(URL, {"opd": "dkp"}, HTTP_HX_REQUEST="true")
    restored = client.get(URL, {"opd": "dkp"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")

    assert text(swapped).startswith('<div id="monitoring">') and "<html" not in text(swapped)
    assert "OPD: Dinas Kelautan dan Perikanan" in plain(text(swapped))
    assert "<html" in text(restored)
    assert swapped["Vary"] and "HX-Request" in swapped["Vary"]


def test_the_sop_page_links_to_monitoring_for_those_who_may_see_it(users, browser):
    link = f'href="{URL}"'

    assert link in text(browser("karo").get(f"/sop/{PKS}/"))
    assert link not in text(browser("kepala_dispar").get(f"/sop/{PKS}/"))


def test_the_sop_page_links_to_the_monitoring_and_evaluation_forms_for_those_who_may_see_them(users, browser):
    link = f'href="/sop/{PKS}/formulir/"'

    assert link in text(browser("kabag").get(f"/sop/{PKS}/"))
    assert link not in text(browser("kepala_dkp").get(f"/sop/{PKS}/"))


def test_the_list_of_sops_offers_monitoring_and_forms_only_to_those_who_may_see_them(users, browser):
    for username, shown in (("karo", True), ("tkksd", True), ("kepala_dispar", False)):
        page = text(browser(username).get("/sop/"))
        assert (f'href="{URL}"' in page) is shown, username
        assert (f'href="/sop/{PKS}/formulir/"' in page) is shown, username


def test_the_monitoring_page_links_to_the_forms(users, browser):
    assert f'href="/sop/{PKS}/formulir/"' in text(browser("karo").get(URL))
