"""People to notify: one with an e-mail address, one without."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model


@pytest.fixture
def person(db):
    def make(username: str, email: str = "", full_name: str = ""):
        first, _, last = full_name.partition(" ")
        return get_user_model().objects.create_user(username=username, email=email, first_name=first, last_name=last)

    return make


@pytest.fixture
def sari(person):
    return person("sari", "sari@babelprov.go.id", "Sari Wulandari")


@pytest.fixture
def budi(person):
    return person("budi", "", "Budi Santoso")
