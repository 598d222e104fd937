"""Fixtures of the web tests: each person of the demo organisation signed in on a browser of
their own."""
from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture(autouse=True)
def _web_settings(settings):
    settings.ALLOWED_HOSTS = ["testserver"]


@pytest.fixture
def browser(users):
    """browser("karo"): a test client signed in as that demo user (or as a user object)."""

    def sign_in(who) -> Client:
        client = Client()
        client.force_login(users[who] if isinstance(who, str) else who)
        return client

    return sign_in
