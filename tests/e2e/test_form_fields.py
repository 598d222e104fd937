"""Every field of the forms people fill in is drawn as a Bootstrap control, not as the browser's
bare default (see docs/task.png before the fix)."""
from __future__ import annotations

import pytest

from .conftest import start_agreement, walk

# Fields of the page's own forms (not the navbar's language switch) that have no Bootstrap class.
UNSTYLED = """
[...document.querySelectorAll("main form input:not([type=hidden]), main form select, main form textarea")]
  .filter(e => !["form-control", "form-select", "form-check-input"].some(c => e.classList.contains(c)))
  .map(e => e.name + (e.type === "radio" ? "=" + e.value : ""))
"""


def test_it_draws_every_field_as_a_bootstrap_control(desktop):
    ui, page = desktop, desktop.page
    title = "PKS Riset Terumbu Karang dengan Universitas Bangka Belitung"
    walk(start_agreement(title, opd="dkp", partner="Universitas Bangka Belitung"), steps=7)

    ui.sign_in("pengelola")
    ui.goto("/draft/baru/")
    intake = page.evaluate(UNSTYLED)

    ui.as_user("tkksd")
    ui.open_task(title, 8)
    forum = page.evaluate(UNSTYLED)

    assert (intake, forum) == ([], [])
