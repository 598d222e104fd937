"""Semua perjanjian: every agreement for the Karo, the Kabag and the Pengelola, filtered by status,
OPD, current step, overdue, and searched by title or partner."""
from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from alur.workflow.models import Task
from tests.conftest import backdate

from .helpers import advance, advance_to, open_task, register, text


@pytest.fixture
def agreements(users):
    """Four agreements in different places:
    wisata  - Dinas Pariwisata, PT Pesona Wisata Serumpun, at step 4 (analis)
    selam   - Dinas Pariwisata, Universitas Bangka Belitung, returned to the OPD
    tambak  - DKP, PT Timah Tbk, at step 1, overdue
    nelayan - DKP, CV Samudra Jaya (new partner), registered (finished)
    """
    wisata = register(users, title="PKS Promosi Wisata Bahari", opd="dispar", partner="PT Pesona Wisata Serumpun")
    advance_to(wisata.case, users, "analisa_draft")
    selam = register(users, title="PKS Pelatihan Pemandu Selam", opd="dispar", partner="Universitas Bangka Belitung")
    advance_to(selam.case, users, "periksa_karo")
    advance(selam.case, users, "tidak_setuju")
    advance(selam.case, users)
    tambak = register(users, title="PKS Reklamasi Lahan Bekas Tambang", opd="dkp", partner="PT Timah Tbk")
    backdate(open_task(tambak.case), timezone.now() - datetime.timedelta(days=30))
    nelayan = register(users, title="PKS Pemberdayaan Nelayan", opd="dkp", partner="CV Samudra Jaya")
    advance_to(nelayan.case, users, "registrasi")
    advance(nelayan.case, users)
    return {"wisata": wisata, "selam": selam, "tambak": tambak, "nelayan": nelayan}


def listed(response) -> set[str]:
    """The titles in the table."""
    assert response.status_code == 200
    return set(re.findall(r'<a href="/perkara/\d+/">([^<]+)</a>', text(response)))


ALL = {"PKS Promosi Wisata Bahari", "PKS Pelatihan Pemandu Selam", "PKS Reklamasi Lahan Bekas Tambang",
       "PKS Pemberdayaan Nelayan"}


@pytest.mark.parametrize("username", ["karo", "kabag", "pengelola"])
def test_it_lists_every_agreement_for_karo_kabag_and_pengelola(browser, agreements, username):
    assert listed(browser(username).get("/perjanjian/")) == ALL


@pytest.mark.parametrize("username", ["kasubbag", "analis", "tkksd", "gubernur", "kepala_dispar", "kepala_dkp"])
def test_it_refuses_the_list_to_everyone_else(browser, agreements, username):
    response = browser(username).get("/perjanjian/")

    assert response.status_code == 403
    assert "Daftar semua perjanjian untuk Karo, Kabag Kerja Sama dan Pengelola Informasi Kerja Sama." in text(response)


def test_it_shows_the_menu_entry_only_to_those_who_may_open_it(browser, users):
    assert 'href="/perjanjian/"' in text(browser("kabag").get("/"))
    assert 'href="/perjanjian/"' not in text(browser("analis").get("/"))


def test_it_shows_opd_partner_status_and_current_step_of_each(browser, agreements):
    page = text(browser("karo").get("/perjanjian/"))

    row = re.search(r"<tr[^>]*><td>\d+</td><td><a [^>]*>PKS Promosi Wisata Bahari</a>.*?</tr>", page, re.S).group(0)
    assert "Dinas Pariwisata" in row
    assert "PT Pesona Wisata Serumpun" in row
    assert "Berjalan" in row
    assert ">4</span> Menganalisa dan Melaporkan" in row


def test_it_filters_by_status(browser, agreements):
    client = browser("karo")

    assert listed(client.get("/perjanjian/", {"status": "returned"})) == {"PKS Pelatihan Pemandu Selam"}
    assert listed(client.get("/perjanjian/", {"status": "completed"})) == {"PKS Pemberdayaan Nelayan"}
    assert listed(client.get("/perjanjian/", {"status": "running"})) == {"PKS Promosi Wisata Bahari",
                                                                          "PKS Reklamasi Lahan Bekas Tambang"}


def test_it_filters_by_opd(browser, agreements):
    assert listed(browser("karo").get("/perjanjian/", {"opd": "dkp"})) == {"PKS Reklamasi Lahan Bekas Tambang",
                                                                           "PKS Pemberdayaan Nelayan"}


def test_it_filters_by_current_step(browser, agreements):
    assert listed(browser("karo").get("/perjanjian/", {"step": "analisa_draft"})) == {"PKS Promosi Wisata Bahari"}


def test_it_does_not_count_a_step_passed_earlier_as_current(browser, agreements):
    # Every case went through step 1; only the one still waiting there is listed.
    assert listed(browser("karo").get("/perjanjian/", {"step": "terima_disposisi"})) == {"PKS Reklamasi Lahan Bekas Tambang"}


def test_it_filters_the_overdue_ones(browser, agreements):
    response = browser("karo").get("/perjanjian/", {"terlambat": "1"})

    assert listed(response) == {"PKS Reklamasi Lahan Bekas Tambang"}
    assert "terlambat" in text(response)


def test_it_searches_titles(browser, agreements):
    assert listed(browser("karo").get("/perjanjian/", {"q": "selam"})) == {"PKS Pelatihan Pemandu Selam"}


def test_it_searches_partners(browser, agreements):
    assert listed(browser("karo").get("/perjanjian/", {"q": "timah"})) == {"PKS Reklamasi Lahan Bekas Tambang"}


def test_it_combines_filters(browser, agreements):
    response = browser("karo").get("/perjanjian/", {"opd": "dispar", "status": "running", "q": "wisata"})

    assert listed(response) == {"PKS Promosi Wisata Bahari"}


def test_it_keeps_the_chosen_filters_in_the_form(browser, agreements):
    page = text(browser("karo").get("/perjanjian/", {"opd": "dkp", "status": "returned", "q": "tambang", "terlambat": "1"}))

    assert '<option value="dkp" selected>' in page
    assert '<option value="returned" selected>' in page
    assert 'value="tambang"' in page
    assert 'name="terlambat" value="1" checked' in page


def test_it_says_so_when_nothing_matches(browser, agreements):
    response = browser("karo").get("/perjanjian/", {"q": "tidak ada yang seperti ini"})

    assert listed(response) == set()
    assert "Tidak ada perjanjian yang cocok." in text(response)


@pytest.mark.parametrize("params", [{"status": "entah"}, {"opd": "tidak-ada"}, {"step": "langkah_99"}, {"terlambat": "ya"}])
def test_it_treats_unknown_filter_values_as_matching_nothing_or_everything_never_as_an_error(browser, agreements, params):
    response = browser("karo").get("/perjanjian/", params)

    assert response.status_code == 200


def test_the_step_filter_offers_the_steps_of_the_sop_chosen(browser, agreements):
    pks_page = text(browser("karo").get("/perjanjian/"))
    letters_page = text(browser("karo").get("/perjanjian/", {"sop": "surat-masuk"}))
    all_page = text(browser("karo").get("/perjanjian/", {"sop": ""}))

    assert '<option value="bahas_tkksd"' in pks_page and '<option value="agendakan"' not in pks_page
    assert '<option value="agendakan"' in letters_page and '<option value="bahas_tkksd"' not in letters_page
    assert 'name="step" disabled' in all_page


def test_a_chosen_sop_lists_its_cases_only(browser, agreements):
    assert listed(browser("karo").get("/perjanjian/", {"sop": "surat-masuk"})) == set()
    assert listed(browser("karo").get("/perjanjian/", {"sop": "pks-pihak-ketiga"})) == ALL
