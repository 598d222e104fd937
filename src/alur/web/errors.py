"""Refusal pages: a clear page in the user's language, never a server error."""
from django.shortcuts import render
from django.utils.translation import gettext as _

from alur.workflow.errors import NotFound


def forbidden(request, exception=None):
    message = str(exception) if exception and str(exception) else _("Anda tidak berwenang membuka halaman ini.")
    return render(request, "web/refused.html", {"title": _("Tidak diizinkan"), "message": message}, status=403)


def not_found(request, exception=None):
    # Django's own Http404 messages ("No Case matches the given query.") are for developers; a
    # refusal of the services (NotFound) names what is missing in the person's words.
    detail = exception.message if isinstance(exception, NotFound) else ""
    return render(request, "web/refused.html", {"title": _("Tidak ditemukan"), "detail": detail,
                                                "message": _("Halaman atau data yang Anda cari tidak ada.")}, status=404)


def csrf_failure(request, reason=""):
    return render(request, "web/refused.html", {"title": _("Halaman kedaluwarsa"),
                                                "message": _("Halaman ini sudah kedaluwarsa; muat ulang lalu coba lagi.")}, status=403)
