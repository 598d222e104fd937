"""Reads the bell and the notice list need."""
from __future__ import annotations

from .models import Notification


def notifications_of(user):
    """The user's notices, newest first (no one else's: every page reads through this)."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
