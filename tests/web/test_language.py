"""Per-user language: Indonesian unless the person chose otherwise; the choice is kept with the
account, and the switch never sends anyone off-site."""
from __future__ import annotations

from django.test import Client

from alur.web.models import Preference

from .helpers import text


def test_it_serves_indonesian_by_default(browser):
    page = text(browser("karo").get("/"))

    assert '<html lang="id">' in page
    assert "Tugas saya" in page


def test_it_serves_indonesian_to_a_signed_in_person_whose_browser_asks_for_english(browser):
    # The language is the person's choice in Alur, not their browser's (middleware docstring:
    # "Indonesian unless they switched").
    page = text(browser("karo").get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))

    assert '<html lang="id">' in page


def test_it_stores_the_chosen_language_with_the_account(browser, users):
    response = browser("karo").post("/bahasa/", {"language": "en", "next": "/perjanjian/"})

    assert response.status_code == 302
    assert Preference.objects.get(user=users["karo"]).language == "en"


def test_it_serves_pages_in_the_chosen_language_from_then_on(browser):
    client = browser("karo")
    client.post("/bahasa/", {"language": "en"})

    assert '<html lang="en">' in text(client.get("/"))


def test_a_persons_language_is_theirs_for_their_request_only(browser):
    from django.utils import translation

    client = browser("karo")
    client.post("/bahasa/", {"language": "en"})
    client.get("/")

    # The same thread then serves (or runs) whatever comes next in Alur's own language.
    assert translation.get_language() == "id"


def test_it_keeps_the_choice_in_a_new_session(browser, users):
    browser("karo").post("/bahasa/", {"language": "en"})

    assert '<html lang="en">' in text(browser("karo").get("/"))


def test_it_keeps_each_persons_choice_to_themselves(browser):
    browser("karo").post("/bahasa/", {"language": "en"})

    assert '<html lang="id">' in text(browser("kabag").get("/"))


def test_it_switches_back_to_indonesian(browser, users):
    client = browser("karo")
    client.post("/bahasa/", {"language": "en"})

    client.post("/bahasa/", {"language": "id"})

    assert Preference.objects.get(user=users["karo"]).language == "id"
    assert '<html lang="id">' in text(client.get("/"))


def test_it_returns_to_the_page_the_switch_was_made_on(browser):
    response = browser("karo").post("/bahasa/", {"language": "en", "next": "/perjanjian/?status=running"})

    assert response["Location"] == "/perjanjian/?status=running"


def test_it_does_not_follow_an_off_site_next(browser):
    response = browser("karo").post("/bahasa/", {"language": "en", "next": "https://jahat.example/curi"})

    assert response["Location"] == "/"


def test_it_does_not_follow_a_protocol_relative_next(browser):
    response = browser("karo").post("/bahasa/", {"language": "en", "next": "//jahat.example/curi"})

    assert response["Location"] == "/"


def test_it_ignores_a_language_it_does_not_offer(browser, users):
    browser("karo").post("/bahasa/", {"language": "xx"})

    assert not Preference.objects.filter(user=users["karo"]).exists()
    assert '<html lang="id">' in text(browser("karo").get("/"))


def test_it_offers_the_switch_with_the_current_language_selected(browser):
    page = text(browser("karo").get("/"))

    assert 'action="/bahasa/"' in page
    assert '<option value="id" selected>' in page
    assert '<option value="en">' in page


def test_it_names_each_language_in_that_language_in_the_switch(browser):
    # Someone who cannot read the current language must still find their own in the list:
    # "English", not the Indonesian name for it ("Inggris").
    page = text(browser("karo").get("/"))

    assert '<option value="en">English</option>' in page
    assert '<option value="id" selected>Bahasa Indonesia</option>' in page


def test_it_changes_the_language_only_with_a_post(browser, users):
    response = browser("karo").get("/bahasa/", {"language": "en"})

    assert response.status_code == 405
    assert not Preference.objects.filter(user=users["karo"]).exists()


def test_it_needs_a_signed_in_person_to_store_a_choice(db):
    response = Client().post("/bahasa/", {"language": "en"})

    assert response["Location"].startswith("/masuk/")
    assert not Preference.objects.exists()
