"""Bahasa: a signed-in person chooses the language of their pages (Indonesian or English)."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .models import Preference


@login_required
@require_POST
def set_language(request):
    language = request.POST.get("language", "")
    if language in dict(Preference._meta.get_field("language").choices):
        Preference.objects.update_or_create(user=request.user, defaults={"language": language})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = reverse("web:inbox")
    return redirect(target)
