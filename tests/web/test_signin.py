"""Signing in: Django's own authentication at /masuk/, an account locked for a while after
repeated failures (django-axes), and the admin in Indonesian."""
from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from alur.demo import DEFAULT_PASSWORD

from .helpers import text

LOCKED = "Akun dikunci sementara"


def sign_in(client: Client, username: str, password: str):
    return client.post("/masuk/", {"username": username, "password": password})


def signed_in_user_id(client: Client):
    return client.session.get("_auth_user_id")


def fail(client: Client, username: str, times: int):
    for _ in range(times):
        sign_in(client, username, "bukan-sandinya")


def test_it_shows_the_sign_in_page_in_indonesian(db):
    response = Client().get("/masuk/")

    assert response.status_code == 200
    page = text(response)
    assert '<html lang="id">' in page
    assert "Masuk ke Alur" in page
    assert "Nama pengguna" in page and "Kata sandi" in page


def test_it_sends_a_visitor_who_is_not_signed_in_to_the_sign_in_page(db):
    response = Client().get("/")

    assert response.status_code == 302
    assert response["Location"] == "/masuk/?next=/"


def test_it_signs_in_with_the_right_password_and_opens_tugas_saya(users):
    client = Client()

    response = sign_in(client, "karo", DEFAULT_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_user_id(client) == str(users["karo"].pk)
    assert "Tugas saya" in text(client.get("/"))


def test_it_follows_a_local_next_after_signing_in(users):
    client = Client()

    response = client.post("/masuk/", {"username": "karo", "password": DEFAULT_PASSWORD, "next": "/perjanjian/"})

    assert response["Location"] == "/perjanjian/"


def test_it_does_not_follow_an_off_site_next_after_signing_in(users):
    client = Client()

    response = client.post("/masuk/", {"username": "karo", "password": DEFAULT_PASSWORD, "next": "https://jahat.example/"})

    assert response["Location"] == "/"


def test_it_refuses_a_wrong_password_with_a_message_on_the_form(users):
    client = Client()

    response = sign_in(client, "karo", "bukan-sandinya")

    assert response.status_code == 200
    assert signed_in_user_id(client) is None
    assert "sandi yang benar" in text(response)


def test_it_words_the_wrong_password_message_without_repeating_itself(users):
    # Django's Indonesian catalogue puts the username field's name into a sentence that already
    # says "nama pengguna", so the page would read "nama pengguna nama pengguna".
    response = sign_in(Client(), "karo", "bukan-sandinya")

    assert "nama pengguna nama pengguna" not in text(response).lower()


def test_it_locks_out_after_five_failures_by_default(settings):
    assert settings.AXES_FAILURE_LIMIT == 5


def test_it_locks_the_account_at_the_failure_that_reaches_the_limit(users, settings):
    client = Client()
    fail(client, "karo", settings.AXES_FAILURE_LIMIT - 1)

    response = sign_in(client, "karo", "bukan-sandinya")

    assert LOCKED in text(response)
    assert response.status_code in (403, 429)


def test_it_shows_the_lock_page_in_indonesian(users, settings):
    client = Client()
    fail(client, "karo", settings.AXES_FAILURE_LIMIT)

    response = sign_in(client, "karo", "bukan-sandinya")

    page = text(response)
    assert LOCKED in page
    assert '<html lang="id">' in page
    assert "Coba lagi beberapa saat lagi" in page


def test_it_still_shows_the_form_one_failure_before_the_limit(users, settings):
    client = Client()
    fail(client, "karo", settings.AXES_FAILURE_LIMIT - 2)

    response = sign_in(client, "karo", "bukan-sandinya")

    assert response.status_code == 200
    assert LOCKED not in text(response)


def test_it_refuses_the_right_password_while_the_account_is_locked(users, settings):
    client = Client()
    fail(client, "karo", settings.AXES_FAILURE_LIMIT)

    response = sign_in(client, "karo", DEFAULT_PASSWORD)

    assert LOCKED in text(response)
    assert signed_in_user_id(client) is None


def test_it_locks_the_account_not_the_browser(users, settings):
    fail(Client(REMOTE_ADDR="10.0.0.1"), "karo", settings.AXES_FAILURE_LIMIT)
    elsewhere = Client(REMOTE_ADDR="10.0.0.2")

    response = sign_in(elsewhere, "karo", DEFAULT_PASSWORD)

    assert LOCKED in text(response)
    assert signed_in_user_id(elsewhere) is None


def test_it_lets_other_accounts_sign_in_while_one_is_locked(users, settings):
    client = Client()
    fail(client, "karo", settings.AXES_FAILURE_LIMIT)

    response = sign_in(client, "kabag", DEFAULT_PASSWORD)

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(users["kabag"].pk)


def test_it_lifts_the_lock_after_the_cool_off_time(users, settings):
    client = Client()
    fail(client, "karo", settings.AXES_FAILURE_LIMIT)
    long_ago = timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=long_ago)

    response = sign_in(client, "karo", DEFAULT_PASSWORD)

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(users["karo"].pk)


def test_it_counts_failures_from_zero_again_after_a_successful_sign_in(users, settings):
    client = Client()
    fail(client, "karo", settings.AXES_FAILURE_LIMIT - 1)
    sign_in(client, "karo", DEFAULT_PASSWORD)
    client.post("/keluar/")
    fail(client, "karo", settings.AXES_FAILURE_LIMIT - 1)

    response = sign_in(client, "karo", DEFAULT_PASSWORD)

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(users["karo"].pk)


def test_it_locks_the_admin_sign_in_too(users, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "karo", "password": "bukan-sandinya"})

    response = sign_in(client, "karo", DEFAULT_PASSWORD)

    assert LOCKED in text(response)
    assert signed_in_user_id(client) is None


def test_it_signs_out_with_a_post_and_returns_to_the_sign_in_page(browser):
    client = browser("karo")

    response = client.post("/keluar/")

    assert response["Location"] == "/masuk/"
    assert signed_in_user_id(client) is None


@pytest.fixture
def admin_client_id(db):
    admin = get_user_model().objects.create_superuser("admin", "admin@babelprov.go.id", "sandi-admin-panjang")
    client = Client()
    client.force_login(admin)
    return client


def test_it_shows_the_admin_in_indonesian(admin_client_id):
    response = admin_client_id.get("/admin/")

    page = text(response)
    assert response.status_code == 200
    assert '<html lang="id"' in page
    assert "Administrasi situs" in page
    assert "Alur — administrasi" in page


def test_it_shows_the_admin_sign_in_page_in_indonesian(db):
    page = text(Client().get("/admin/login/"))

    assert '<html lang="id"' in page
    assert "Nama pengguna" in page and "Sandi" in page
