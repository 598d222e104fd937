"""Alur at phone width (390 x 844): the inbox is one card per task, nothing scrolls sideways, the
menu opens from the toggler, and a step can be done."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import start_agreement


def test_it_works_at_phone_width(phone):
    ui, page = phone, phone.page
    title = "PKS Pengelolaan Sampah Pesisir dengan PT Timah Tbk"
    start_agreement(title, opd="dkp", partner="PT Timah Tbk")

    ui.sign_in("karo")
    row = ui.inbox_row(title)
    expect(row).to_be_visible()
    # A card, not a table row: no header row, and the row is a block with its own border.
    expect(page.locator("table.inbox thead")).to_be_hidden()
    assert row.evaluate("tr => getComputedStyle(tr).display") == "block"
    assert row.bounding_box()["width"] <= 390
    assert ui.no_horizontal_scroll()

    nav = page.locator("#nav")
    expect(nav.get_by_role("link", name="Tugas saya")).to_be_hidden()
    page.locator(".navbar-toggler").click()
    expect(page.locator(".navbar-toggler")).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Tugas saya")).to_be_visible()
    expect(nav.get_by_role("button", name="Keluar")).to_be_visible()
    # Bootstrap ignores the toggler while the menu is still sliding open.
    expect(nav).to_have_class(re.compile(r"\bshow\b"))
    page.locator(".navbar-toggler").click()
    expect(nav.get_by_role("link", name="Tugas saya")).to_be_hidden()

    row.get_by_role("link", name="Kerjakan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert ui.no_horizontal_scroll()
    ui.finish(1)
    assert ui.no_horizontal_scroll()
    ui.goto("/")
    expect(ui.inbox_row(title)).to_have_count(0)
