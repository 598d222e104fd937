"""The README's screenshots, taken from the running app in Debian's Chromium: `make screenshots`.

Not collected by the suite (its name does not start with test_); pytest runs it when named on the
command line, with the fixtures of conftest.py. Pictures go to docs/ (ALUR_SCREENSHOTS_DIR to
change it):

  inbox.png         "Tugas saya" of the Karo Pemerintahan, a few tasks, one of them late
  inbox-phone.png   the same at phone width: one card per task
  case.png          a case halfway through, at the Governor's decision: timeline and documents
  task.png          the TKKSD forum step being filled in: checklist, date, members, decision
  monitoring.png    the PKS SOP's monitoring page over the demo's weeks of history
  notifications.png the Karo's notices after the worker's sweep (reminders, late tasks, escalations)
  rekapitulasi.png  the register of agreements of the demo's history, as the Pengelola sees it
  perkara-baru.png  Perkara baru: the SOPs the Pengelola may start a case of
  surat-phone.png   an incoming letter's intake at phone width: its own fields, no OPD
  case-mou.png      an MoU case started from the approved offer, linked to it
"""
from __future__ import annotations

import datetime
import os
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import expect

from alur.demo import load_demo_history, load_demo_related
from alur.workflow.models import Case, Task
from alur.workflow.services import claim_task
from alur.workflow.sweep import sweep_open_tasks
from tests.conftest import backdate

from .conftest import DESKTOP, PHONE, Ui, start_agreement, user, walk

OUT = Path(os.environ.get("ALUR_SCREENSHOTS_DIR", Path(__file__).resolve().parents[2] / "docs"))


def _stage():
    """A few agreements at different steps of the PKS SOP, through the services."""
    halfway = start_agreement("PKS Promosi Wisata Bahari Belitung dengan PT Pesona Wisata Serumpun")
    walk(halfway, steps=8)  # the TKKSD said setuju: now at the Governor (step 9)
    forum = start_agreement("PKS Riset Terumbu Karang dengan Universitas Bangka Belitung", opd="dkp",
                            partner="Universitas Bangka Belitung")
    walk(forum, steps=7)  # the Karo said setuju: now in the TKKSD forum (step 8)

    late = start_agreement("PKS Pengelolaan Sampah Pesisir dengan PT Timah Tbk", opd="dkp", partner="PT Timah Tbk")
    # Registered yesterday and not yet read: the inbox marks it late. Only the timestamps of this
    # one-task case are moved back, so its own history stays consistent.
    yesterday = timezone.now() - datetime.timedelta(days=1, hours=2)
    Case.objects.filter(pk=late.pk).update(started_at=yesterday)
    backdate(Task.objects.get(case=late), yesterday)
    late.documents.update(uploaded_at=yesterday)

    start_agreement("PKS Festival Serumpun Sebalai dengan PT Pesona Wisata Serumpun")  # just registered (step 1)
    checking = start_agreement("PKS Pelatihan Pemandu Wisata dengan Universitas Bangka Belitung",
                               partner="Universitas Bangka Belitung")
    walk(checking, steps=6)  # at the Karo's decision (step 7), taken by the Karo
    claim_task(task_id=Task.objects.get(case=checking, status=Task.Status.OPEN).pk, actor=user("karo"))

    signing = start_agreement("PKS Sertifikasi Homestay dengan PT Pesona Wisata Serumpun")
    walk(signing, steps=9)  # the Governor said setuju: the Karo finalises the draft (step 10)
    return halfway, forum


def _tab(browser, site, files, viewport):
    context = browser.new_context(viewport=viewport, locale="id-ID", timezone_id="Asia/Jakarta")
    context.set_default_timeout(15_000)
    return context, Ui(context.new_page(), site, files)


def test_screenshots(browser, site, files):
    OUT.mkdir(parents=True, exist_ok=True)
    halfway, forum = _stage()

    context, ui = _tab(browser, site, files, {"width": DESKTOP["width"], "height": 560})
    ui.sign_in("karo")
    expect(ui.page.locator("table.inbox tbody tr")).to_have_count(4)
    ui.page.screenshot(path=OUT / "inbox.png", full_page=True)
    context.close()

    context, ui = _tab(browser, site, files, PHONE)
    ui.sign_in("karo")
    ui.page.screenshot(path=OUT / "inbox-phone.png")
    context.close()

    context, ui = _tab(browser, site, files, DESKTOP)
    ui.sign_in("pengelola")
    ui.goto(f"/perkara/{halfway.pk}/")
    expect(ui.timeline_rows()).to_have_count(9)
    ui.page.screenshot(path=OUT / "case.png", full_page=True)
    context.close()

    context, ui = _tab(browser, site, files, DESKTOP)
    ui.sign_in("tkksd")
    ui.open_task(forum.title, 8)
    ui.page.get_by_label("Tanggal rapat forum TKKSD").fill(timezone.localdate().isoformat())
    ui.page.get_by_label("Anggota TKKSD yang hadir").fill(
        "Sekretaris Daerah (ketua), Asisten Pemerintahan dan Kesra, Karo Pemerintahan, Kepala Bappeda")
    ui.decide("setuju")
    ui.page.screenshot(path=OUT / "task.png", full_page=True)
    context.close()

    # Weeks of history for the monitoring page, and the worker's sweep over the late tasks.
    load_demo_history()
    sweep_open_tasks()

    context, ui = _tab(browser, site, files, DESKTOP)
    ui.sign_in("karo")
    ui.goto("/sop/pks-pihak-ketiga/monitoring/")
    ui.page.screenshot(path=OUT / "monitoring.png", full_page=True)
    ui.goto("/notifikasi/")
    ui.page.set_viewport_size({"width": DESKTOP["width"], "height": 620})
    ui.page.screenshot(path=OUT / "notifications.png")
    context.close()

    context, ui = _tab(browser, site, files, {"width": DESKTOP["width"], "height": 760})
    ui.sign_in("pengelola")
    ui.goto("/rekapitulasi/")
    ui.page.screenshot(path=OUT / "rekapitulasi.png")
    ui.page.set_viewport_size({"width": DESKTOP["width"], "height": 620})
    ui.goto("/perkara/baru/")
    ui.page.screenshot(path=OUT / "perkara-baru.png")
    context.close()

    # The related SOPs' demo cases: an approved offer and the MoU that follows it, letters.
    load_demo_related()
    context, ui = _tab(browser, site, files, PHONE)
    ui.sign_in("agendaris")
    ui.goto("/perkara/baru/surat-masuk/")
    ui.page.screenshot(path=OUT / "surat-phone.png", full_page=True)
    context.close()

    context, ui = _tab(browser, site, files, DESKTOP)
    ui.sign_in("karo")
    ui.goto(f"/perkara/{Case.objects.get(sop_version__sop__key='mou-pihak-ketiga').pk}/")
    ui.page.screenshot(path=OUT / "case-mou.png", full_page=True)
    context.close()
