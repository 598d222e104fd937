"""The monitoring page in the browser, on the demo's weeks of history: reached from the SOP
document, filtered in place (HTMX), and readable at phone width without sideways scrolling."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from alur.demo import load_demo_history

URL = "/sop/pks-pihak-ketiga/monitoring/"


def test_the_karo_opens_monitoring_from_the_sop_and_filters_it_in_place(desktop):
    ui, page = desktop, desktop.page
    load_demo_history()
    ui.sign_in("karo")

    ui.goto("/sop/pks-pihak-ketiga/")
    page.get_by_role("link", name=re.compile(r"Monitoring$")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Monitoring")
    expect(page.locator("li.mon-slowest").first).to_be_visible()
    expect(page.locator("#paling-lambat li").first).to_be_visible()
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_label("OPD pengusul").select_option("dkp")
    page.get_by_role("button", name="Tampilkan").click()

    expect(page.locator("#cakupan")).to_contain_text("Dinas Kelautan dan Perikanan")
    expect(page).to_have_url(re.compile(r"opd=dkp"))
    assert page.evaluate("window.stillTheSamePage === true")  # swapped by HTMX, not reloaded
    page.get_by_role("link", name="Tahun ini").click()
    expect(page.get_by_role("link", name="Tahun ini")).to_have_attribute("aria-current", "true")
    expect(page.locator("#cakupan")).to_contain_text("Dinas Kelautan dan Perikanan")


def test_a_bad_date_in_the_address_is_explained_on_the_page(desktop):
    ui, page = desktop, desktop.page
    ui.sign_in("analis")

    ui.goto(URL + "?dari=2026-02-30&sampai=2026-01-01")

    expect(page.get_by_role("alert")).to_contain_text("Tanggal “dari” tidak dapat dibaca")
    expect(page.locator("#cakupan")).to_contain_text("awal pencatatan")


def test_it_reads_at_phone_width(phone):
    ui, page = phone, phone.page
    load_demo_history()
    ui.sign_in("karo")

    ui.goto(URL)

    bars = page.locator(".mon-track")
    expect(bars.first).to_be_visible()
    assert ui.no_horizontal_scroll()
    box = bars.first.bounding_box()
    assert box["width"] > 250 and box["x"] + box["width"] <= 390  # a bar across the phone, inside it
    ui.goto(URL + "?opd=dispar&dari=2026-01-01")
    assert ui.no_horizontal_scroll()
