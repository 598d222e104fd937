"""Where a notice leads. A notice stores its subject (Notification.subject_kind, subject_id); only
the web knows its pages, so at start it hands this module the one function that turns a subject
into a path (web/apps.py, from web/links.py). The e-mail (services._message) and the bell's
notices (web/notification_views.py) both ask path_of, so both lead to the same page. Without the
web (no resolver) a notice has no link.
"""
from __future__ import annotations

from collections.abc import Callable

from .models import Notification

# (subject kind, subject id) -> the path of the page that shows it, or "" when none does.
Resolver = Callable[[str, int], str]

_resolver: Resolver | None = None


def resolve_subjects_with(resolver: Resolver) -> None:
    global _resolver
    _resolver = resolver


def path_of(notification: Notification) -> str:
    """The path of the page the notice leads to ("" when it leads nowhere)."""
    if _resolver is None or not notification.subject_kind or notification.subject_id is None:
        return ""
    return _resolver(notification.subject_kind, notification.subject_id)
