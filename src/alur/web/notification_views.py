"""The bell and the notice list: a person's own notices only, newest first; opening one marks it
read and leads to the page of what it is about (the same link its e-mail gives: links.py). Each
view reads through the notifications app's selectors and calls one of its services."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from alur.notifications.links import path_of
from alur.notifications.selectors import notifications_of, unread_count
from alur.notifications.services import mark_all_read, mark_read

PER_PAGE = 30


@login_required
def notifications(request):
    page = Paginator(notifications_of(request.user), PER_PAGE).get_page(request.GET.get("halaman"))
    return render(request, "web/notifications.html", {"page": page, "unread": unread_count(request.user)})


@login_required
def open_notification(request, notification_id: int):
    # Someone else's notice is as unknown as one that does not exist: 404, nothing said about it.
    notification = get_object_or_404(notifications_of(request.user), pk=notification_id)
    mark_read(notification)
    path = path_of(notification)  # web/links.py's page for its subject
    return redirect(path or "web:notifications")


@login_required
@require_POST
def read_all(request):
    count = mark_all_read(user=request.user)
    if count:
        messages.success(request, ngettext("%(count)d pemberitahuan ditandai dibaca.",
                                           "%(count)d pemberitahuan ditandai dibaca.", count) % {"count": count})
    return redirect("web:notifications")


def bell(request):
    """The bell alone, for HTMX to refresh its count. Signed out (the session ended): 204, so the
    page keeps its bell instead of receiving the sign-in page in its place."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    return render(request, "web/partials/bell.html")
