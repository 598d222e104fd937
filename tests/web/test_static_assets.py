"""Pages load nothing from the internet: every stylesheet, script and font is a local static file
(installed from the package registry at install time), never a CDN."""
from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from .helpers import advance_to, register, text

REMOTE = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)
STATIC = re.compile(r"""(?:src|href)\s*=\s*["'](/static/[^"']+)["']""")


@pytest.fixture
def pages(users, browser):
    """The HTML of every page of the application, as the people who use them see them."""
    agreement = register(users)
    karo = browser("karo")
    analis_task = advance_to(agreement.case, users, "analisa_draft")
    return {
        "masuk": text(Client().get("/masuk/")),
        "tugas saya": text(karo.get("/")),
        "draft baru": text(karo.get("/draft/baru/")),
        "perkara": text(karo.get(f"/perkara/{agreement.case_id}/")),
        "langkah": text(browser("analis").get(f"/tugas/{analis_task.pk}/")),
        "semua perjanjian": text(karo.get("/perjanjian/")),
        "ditolak": text(browser("analis").get("/perjanjian/")),
        "tidak ditemukan": text(karo.get("/perkara/999999/")),
    }


def test_it_references_no_remote_assets(pages):
    for name, page in pages.items():
        assert not REMOTE.findall(page), f"{name}: {REMOTE.findall(page)}"


def test_it_mentions_no_cdn_anywhere_in_the_pages(pages):
    # An inline SVG's namespace (xmlns="http://www.w3.org/2000/svg") is a name, not something loaded.
    for name, page in pages.items():
        page = re.sub(r'xmlns(:\w+)?="[^"]*"', "", page)
        assert not re.search(r"https?://", page), f"{name} mentions an internet address"


def test_it_serves_every_referenced_asset_from_the_local_static_files(pages):
    referenced = {url for page in pages.values() for url in STATIC.findall(page)}

    assert any("bootstrap" in url for url in referenced)
    assert any("htmx" in url for url in referenced)
    missing = [url for url in referenced if not finders.find(url.removeprefix("/static/"))]
    assert missing == []


def test_it_keeps_the_lockout_page_local_too(users, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/masuk/", {"username": "karo", "password": "salah"})

    page = text(client.post("/masuk/", {"username": "karo", "password": "salah"}))

    assert "Akun dikunci sementara" in page
    assert not REMOTE.findall(page)
