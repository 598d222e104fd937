"""The bell in a real browser: at phone width (390 x 844) it stays in sight beside the folded menu,
its page fits the screen, a notice opens its task, and "Tandai semua dibaca" clears the badge; at
full width it ends the navigation bar."""
from __future__ import annotations

import datetime
import re
import zoneinfo

from playwright.sync_api import expect

from alur.workflow.models import Task
from alur.workflow.sweep import sweep_open_tasks
from tests.conftest import backdate

from .conftest import start_agreement

MONDAY_0900 = datetime.datetime(2026, 2, 2, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Jakarta"))
TITLE = "PKS Pengelolaan Sampah Pesisir dengan PT Timah Tbk, termasuk pelatihan dan pendampingan masyarakat pesisir"


def late_case() -> Task:
    """A draft whose first step (the Karo's) opened long ago, swept: the Karo has a late notice."""
    case = start_agreement(TITLE, opd="dkp", partner="PT Timah Tbk")
    task = backdate(Task.objects.get(case=case, status=Task.Status.OPEN), MONDAY_0900)
    sweep_open_tasks()
    return task


def test_the_bell_at_phone_width(phone):
    ui, page = phone, phone.page
    task = late_case()

    ui.sign_in("karo")
    bell = page.locator("#bell")
    # In sight without opening the menu, inside the screen, with its count.
    expect(bell).to_be_visible()
    expect(page.locator("#nav")).to_be_hidden()
    expect(bell.locator(".unread-count")).to_have_text("1")
    box = bell.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert ui.no_horizontal_scroll()

    bell.click()
    expect(page.get_by_role("heading", name="Pemberitahuan")).to_be_visible()
    notice = page.locator(".notifications a.unread")
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text("Terlambat: langkah 1 perkara")
    assert notice.bounding_box()["width"] <= 390
    assert ui.no_horizontal_scroll()

    notice.click()
    expect(page).to_have_url(re.compile(rf"/tugas/{task.pk}/$"))
    expect(bell.locator(".unread-count")).to_have_count(0)


def test_marking_all_read_clears_the_badge(phone):
    late_case()
    ui, page = phone, phone.page

    ui.sign_in("karo")
    page.locator("#bell").click()
    page.get_by_role("button", name="Tandai semua dibaca").click()

    expect(page.get_by_role("alert").filter(has_text="1 pemberitahuan ditandai dibaca.")).to_be_visible()
    expect(page.locator("#bell .unread-count")).to_have_count(0)
    expect(page.locator(".notifications a.unread")).to_have_count(0)


def test_the_bell_ends_the_navigation_bar_at_full_width(desktop):
    late_case()
    ui, page = desktop, desktop.page

    ui.sign_in("karo")
    bell, sign_out = page.locator("#bell"), page.get_by_role("button", name="Keluar")
    expect(bell.locator(".unread-count")).to_have_text("1")
    assert bell.bounding_box()["x"] > sign_out.bounding_box()["x"]
