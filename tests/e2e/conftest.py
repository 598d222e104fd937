"""Browser tests: Debian's Chromium (/usr/bin/chromium, installed by `make`) driven by Playwright's
sync API against pytest-django's live server, with the demo organisation loaded.

A person here does only what a person can do in the browser: sign in on the login page, find the
task in "Tugas saya", fill in the step and press its button. Cases that a test needs to start
somewhere in the middle are walked there through the engine's services (the same calls the pages
make), never by writing rows by hand.
"""
from __future__ import annotations

import datetime
import os
import re
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop running in this thread; Django's ORM refuses to run
# next to one unless told that the caller knows it is synchronous code.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from django.contrib.auth import get_user_model  # noqa: E402
from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

from alur.agreements.models import Partner  # noqa: E402
from alur.agreements.lifecycle import register_draft  # noqa: E402
from alur.demo import demo_password, load_demo  # noqa: E402
from alur.org.models import OrgUnit  # noqa: E402
from alur.workflow.models import Task  # noqa: E402
from alur.workflow.services import complete_task  # noqa: E402
from tests.conftest import PRODUCTS, pdf, record_for  # noqa: E402

CHROMIUM = os.environ.get("ALUR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# Small but real files: the upload check reads the bytes, not the name.
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: `make chromium` installs Debian's chromium (never `playwright install`).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, settings):
    """The live server's address, with the SOPs and the demo organisation loaded."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo()
    return live_server.url


@pytest.fixture
def files(tmp_path):
    """make(name) writes a small valid PDF under tmp_path and returns its path."""
    folder = tmp_path / "berkas"
    folder.mkdir()

    def make(name: str) -> Path:
        path = folder / name
        path.write_bytes(MINIMAL_PDF.replace(b"%%EOF", f"% {name}\n%%EOF".encode()))
        return path

    return make


class Ui:
    """One browser tab and what a person does in it."""

    def __init__(self, page: Page, base_url: str, files):
        self.page = page
        self.base_url = base_url
        self.files = files

    def goto(self, path: str = "/") -> None:
        self.page.goto(self.base_url + path)

    # --- signing in and out ---

    def sign_in(self, username: str) -> None:
        self.goto("/masuk/")
        self.page.get_by_label("Nama pengguna").fill(username)
        self.page.get_by_label("Kata sandi").fill(demo_password())
        self.page.get_by_role("button", name="Masuk").click()
        expect(self.page.get_by_role("heading", name="Tugas saya")).to_be_visible()

    def sign_out(self) -> None:
        # Below Bootstrap's md breakpoint the menu is folded behind the toggler. Decided by the
        # viewport, not by whether the toggler looks visible: before the stylesheet has applied,
        # it briefly is at any width.
        if self.page.viewport_size["width"] < 768:
            self.page.locator(".navbar-toggler").click()
        self.page.get_by_role("button", name="Keluar").click()
        expect(self.page.get_by_role("heading", name="Masuk ke Alur")).to_be_visible()

    def as_user(self, username: str) -> None:
        """Sign out whoever is signed in, then sign in as username."""
        if self.page.get_by_role("button", name="Keluar").count():
            self.sign_out()
        self.sign_in(username)

    # --- the inbox ---

    def inbox_row(self, title: str):
        return self.page.locator("table.inbox tbody tr").filter(has=self.page.get_by_role("link", name=title, exact=True))

    def open_task(self, title: str, step: int) -> None:
        """From "Tugas saya", press "Kerjakan" on the case's task and land on step `step`."""
        self.goto("/")
        row = self.inbox_row(title)
        expect(row).to_have_count(1)
        row.get_by_role("link", name="Kerjakan").click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text(title)
        expect(self.page.get_by_role("heading", name=re.compile(rf"^Langkah {step} · "))).to_be_visible()

    # --- completing a step ---

    def upload(self, kind: str) -> None:
        """Upload a document in place with the checklist's "Unggah" button (HTMX)."""
        name = f"{kind}.pdf"
        self.page.locator(f"#file_{kind}").set_input_files(self.files(name))
        item = self.page.locator("#checklist li").filter(has=self.page.locator(f"#file_{kind}"))
        item.get_by_role("button", name="Unggah").click()
        expect(self.page.locator("#checklist li").filter(has=self.page.locator(f"#file_{kind}"))).to_contain_text(name)

    def decide(self, outcome: str, note: str = "") -> None:
        self.page.locator(f"input[name=decision][value={outcome}]").check()
        if note:
            self.page.get_by_label("Catatan").fill(note)

    def finish(self, step: int) -> None:
        """Press "Selesaikan langkah" and land on the case page with the step done."""
        button = self.page.get_by_role("button", name="Selesaikan langkah")
        expect(button).to_be_enabled()
        button.click()
        expect(self.page.get_by_role("alert").filter(has_text=f"Langkah {step} selesai.")).to_be_visible()

    # --- the case page ---

    def timeline_rows(self):
        return self.page.locator("section").filter(has=self.page.get_by_role("heading", name=re.compile("^Linimasa"))).locator("tbody tr")

    def no_horizontal_scroll(self) -> bool:
        return self.page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def _ui(browser, site, files, viewport, request, tmp_path):
    context = browser.new_context(viewport=viewport, locale="id-ID", timezone_id="Asia/Jakarta")
    context.set_default_timeout(15_000)
    page = context.new_page()
    ui = Ui(page, site, files)
    yield ui
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        target = tmp_path / "failure.png"
        try:
            page.screenshot(path=target, full_page=True)
            print(f"screenshot of the failing page: {target} ({page.url})")
        except Exception as exc:  # the page may be gone; the test's own error matters more
            print(f"no screenshot: {exc}")
    context.close()


@pytest.fixture
def desktop(browser, site, files, request, tmp_path):
    yield from _ui(browser, site, files, DESKTOP, request, tmp_path)


@pytest.fixture
def phone(browser, site, files, request, tmp_path):
    yield from _ui(browser, site, files, PHONE, request, tmp_path)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# --- cases walked through the services, for tests that start in the middle ------------------

def user(username: str):
    return get_user_model().objects.get(username=username)


def start_agreement(title: str, *, opd: str = "dispar", partner: str = "PT Pesona Wisata Serumpun"):
    """A draft PKS registered by the pengelola, as the Draft baru form does; returns its case."""
    agreement = register_draft(
        actor=user("pengelola"), title=title, org_unit=OrgUnit.objects.get(code=opd),
        partner=Partner.objects.get(name=partner), object="Promosi bersama destinasi wisata",
        scope="Promosi, pelatihan pemandu, dan pertukaran data kunjungan", duration_months=24,
        disposition_number="000/123/SETDA", disposition_date=datetime.date.today() - datetime.timedelta(days=3),
        disposition_from="sekda", draft=pdf("draft_pks"))
    return agreement.case


def walk(case, *, steps: int, opd: str = "dispar") -> None:
    """Complete the case's next `steps` open tasks the straight way (setuju at each decision)."""
    for _ in range(steps):
        task = Task.objects.get(case=case, status=Task.Status.OPEN)
        # The demo users are named after their roles; the Kepala OPD is the proposing OPD's head.
        actor = user(f"kepala_{opd}" if task.role_key == "kepala_opd" else task.role_key)
        outcome = "setuju" if task.step_key in {"periksa_karo", "bahas_tkksd", "keputusan_gubernur"} else None
        complete_task(task_id=task.pk, actor=actor, outcome=outcome, record=record_for(task.step_key, outcome),
                      attachments=[pdf(kind) for kind in PRODUCTS.get(task.step_key, [])])
