"""The bell and Pemberitahuan: the unread count on every page (refreshed in place by HTMX), the
person's own notices newest first with the unread ones marked, opening one marks it read and
follows its link, "Tandai semua dibaca"; nobody sees anyone else's notices."""
from __future__ import annotations

import datetime
import re
import zoneinfo

from django.test import Client
from django.utils import timezone

from alur.notifications.models import Notification
from alur.notifications.services import mark_read, notify
from alur.workflow.sweep import sweep_open_tasks
from tests.conftest import backdate

from .helpers import open_task, register, text

HTMX = {"HX-Request": "true"}
# A Monday morning in working hours, long enough ago that a step started then is late now.
MONDAY_0900 = datetime.datetime(2026, 2, 2, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Jakarta"))


def tell(user, key: str, title: str = "Pengingat: langkah 2 perkara #1", subject: tuple[str, int] | None = None, *,
         ago_minutes: int = 0) -> Notification:
    (pk,) = notify(recipients=[user], key=key, kind="task.reminded", title=title, body=f"Isi {key}.", subject=subject,
                   now=timezone.now() - datetime.timedelta(minutes=ago_minutes))
    return Notification.objects.get(pk=pk)


def bell(page: str) -> str:
    match = re.search(r'<a id="bell".*?</a>', page, re.S)
    assert match, "no bell on the page"
    return match.group(0)


def badge(page: str) -> str | None:
    match = re.search(r'class="[^"]*unread-count[^"]*"[^>]*>([^<]*)<', bell(page))
    return match.group(1) if match else None


def listed(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'id="notification-(\d+)"', page)]


def item(page: str, notice: Notification) -> str:
    match = re.search(rf'<a id="notification-{notice.pk}".*?</a>', page, re.S)
    assert match, f"notice {notice.pk} is not on the page"
    return match.group(0)


# --- the bell ---------------------------------------------------------------------------------

def test_the_bell_on_every_page_counts_the_unread_notices(users, browser):
    tell(users["karo"], "a")
    tell(users["karo"], "b")
    mark_read(tell(users["karo"], "c"))

    page = text(browser("karo").get("/sop/"))

    assert badge(page) == "2"
    assert 'aria-label="Pemberitahuan: 2 belum dibaca"' in bell(page)


def test_the_bell_has_no_badge_when_everything_is_read(users, browser):
    mark_read(tell(users["karo"], "a"))

    page = text(browser("karo").get("/"))

    assert badge(page) is None
    assert 'href="/notifikasi/"' in bell(page)


def test_the_bell_counts_only_the_persons_own_notices(users, browser):
    tell(users["kabag"], "a")

    assert badge(text(browser("karo").get("/"))) is None


def test_a_large_count_is_shown_as_99_plus(users, browser):
    for n in range(100):
        tell(users["karo"], f"k{n}")

    assert badge(text(browser("karo").get("/"))) == "99+"


def test_the_bell_alone_is_served_for_its_refresh_every_minute(users, browser):
    client = browser("karo")
    first = text(client.get("/"))
    tell(users["karo"], "a")

    response = client.get("/notifikasi/lonceng/", headers=HTMX)

    assert 'hx-trigger="every 60s"' in bell(first)
    assert response.status_code == 200
    assert text(response).strip().startswith('<a id="bell"') and badge(text(response)) == "1"


def test_the_bells_refresh_after_the_session_ended_leaves_the_bell_as_it_is(db):
    response = Client().get("/notifikasi/lonceng/", headers=HTMX)

    assert response.status_code == 204


# --- the list ---------------------------------------------------------------------------------

def test_the_list_shows_the_persons_notices_newest_first(users, browser):
    old = tell(users["kabag"], "old", ago_minutes=60)
    new = tell(users["kabag"], "new")
    middle = tell(users["kabag"], "middle", ago_minutes=30)

    page = text(browser("kabag").get("/notifikasi/"))

    assert listed(page) == [new.pk, middle.pk, old.pk]
    assert "Isi new." in item(page, new)


def test_unread_notices_stand_out_and_read_ones_do_not(users, browser):
    unread = tell(users["kabag"], "a")
    read = mark_read(tell(users["kabag"], "b"))

    page = text(browser("kabag").get("/notifikasi/"))

    assert "unread" in item(page, unread) and "Baru" in item(page, unread)
    assert "unread" not in item(page, read) and "Baru" not in item(page, read)


def test_nobody_sees_anyone_elses_notices_in_the_list(users, browser):
    mine = tell(users["kabag"], "mine")
    theirs = tell(users["karo"], "theirs", title="Eskalasi untuk Karo")

    page = text(browser("kabag").get("/notifikasi/"))

    assert listed(page) == [mine.pk]
    assert "Eskalasi untuk Karo" not in page and theirs.pk not in listed(page)


def test_an_empty_list_says_there_is_nothing_yet(users, browser):
    page = text(browser("kabag").get("/notifikasi/"))

    assert "Belum ada pemberitahuan." in page
    assert "Tandai semua dibaca" not in page


def test_a_long_list_is_shown_a_page_at_a_time(users, browser):
    notices = [tell(users["kabag"], f"k{n}", ago_minutes=n) for n in range(35)]

    first = text(browser("kabag").get("/notifikasi/"))
    second = text(browser("kabag").get("/notifikasi/?halaman=2"))

    assert listed(first) == [n.pk for n in notices[:30]]
    assert listed(second) == [n.pk for n in notices[30:]]
    assert "Halaman 2 dari 2" in second


def test_the_list_asks_a_signed_out_visitor_to_sign_in(db):
    response = Client().get("/notifikasi/")

    assert response.status_code == 302 and response.url.startswith("/masuk/")


# --- opening and marking read -----------------------------------------------------------------

def test_opening_a_notice_marks_it_read_and_follows_its_link(users, browser):
    notice = tell(users["kabag"], "a", subject=("task", 7))

    response = browser("kabag").get(f"/notifikasi/{notice.pk}/")

    assert (response.status_code, response.url) == (302, "/tugas/7/")
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_opening_someone_elses_notice_is_not_found_and_leaves_it_unread(users, browser):
    theirs = tell(users["karo"], "a", subject=("task", 7))

    response = browser("kabag").get(f"/notifikasi/{theirs.pk}/")

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_notice_about_nothing_a_page_shows_opens_the_list_instead(users, browser):
    notice = tell(users["kabag"], "a", subject=None)

    response = browser("kabag").get(f"/notifikasi/{notice.pk}/")

    assert response.url == "/notifikasi/"


def test_marking_all_read_clears_the_persons_unread_notices_only(users, browser):
    mine = [tell(users["kabag"], "a"), tell(users["kabag"], "b")]
    theirs = tell(users["karo"], "c")

    response = browser("kabag").post("/notifikasi/baca-semua/", follow=True)

    page = text(response)
    assert "2 pemberitahuan ditandai dibaca." in page
    assert badge(page) is None
    assert not Notification.objects.filter(pk__in=[n.pk for n in mine], read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_all_read_is_a_post_only(users, browser):
    tell(users["kabag"], "a")

    response = browser("kabag").get("/notifikasi/baca-semua/")

    assert response.status_code == 405
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_marking_all_read_without_the_forms_csrf_token_is_refused(users):
    tell(users["kabag"], "a")
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["kabag"])

    response = client.post("/notifikasi/baca-semua/")

    assert response.status_code == 403
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_the_list_offers_marking_all_read_as_a_form_with_its_csrf_token(users, browser):
    tell(users["kabag"], "a")

    page = text(browser("kabag").get("/notifikasi/"))

    form = re.search(r'<form method="post" action="/notifikasi/baca-semua/">.*?</form>', page, re.S)
    assert form and 'name="csrfmiddlewaretoken"' in form.group(0) and "Tandai semua dibaca" in form.group(0)


# --- from the sweep to the task ---------------------------------------------------------------

def test_a_late_task_rings_the_holders_bell_and_its_notice_opens_the_task(users, browser):
    agreement = register(users, title="PKS Promosi Wisata Bahari")
    task = backdate(open_task(agreement.case), MONDAY_0900)
    sweep_open_tasks()
    client = browser("karo")

    page = text(client.get("/notifikasi/"))
    (notice,) = Notification.objects.filter(recipient=users["karo"], kind="task.overdue_noticed")

    assert badge(page) == "1"
    assert f"Terlambat: langkah 1 perkara #{agreement.case.pk}" in item(page, notice)
    response = client.get(f"/notifikasi/{notice.pk}/", follow=True)
    assert response.redirect_chain[-1][0] == f"/tugas/{task.pk}/"
    assert "PKS Promosi Wisata Bahari" in text(response)
