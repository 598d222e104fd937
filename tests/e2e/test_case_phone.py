"""The case page at phone width (390 x 844): a case at its registered end says so in a status badge
that wraps inside the phone, and nothing scrolls sideways."""
from __future__ import annotations

from playwright.sync_api import expect

from .conftest import start_agreement, walk


def test_a_registered_case_reads_at_phone_width(phone):
    ui, page = phone, phone.page
    title = "PKS Pengelolaan Sampah Pesisir dengan PT Timah Tbk"
    case = start_agreement(title, opd="dkp", partner="PT Timah Tbk")
    walk(case, steps=13, opd="dkp")

    ui.sign_in("pengelola")
    ui.goto(f"/perkara/{case.pk}/")

    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    badge = page.locator(".badge").filter(has_text="PKS teregistrasi, terdistribusi dan terarsip")
    expect(badge).to_be_visible()
    box = badge.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    # Wrapped onto more than one line, not cut off or pushed out of the phone.
    assert badge.evaluate("b => b.scrollWidth <= b.clientWidth")
    lines = badge.evaluate("""b => {
        const range = document.createRange();
        range.selectNodeContents(b);
        return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
    }""")
    assert lines > 1, lines
    assert ui.no_horizontal_scroll()
