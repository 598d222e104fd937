"""Tugas saya: the open tasks of every role a person holds, and taking or releasing one in place.
The rows come from the engine's inbox selector, the same `alur task list` prints."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alur.workflow.errors import InvalidInput
from alur.workflow.selectors import inbox_for
from alur.workflow.services import claim_task, release_task

# Beside each task the page shows the agreement its case carries (the engine does not know it).
AGREEMENT = ("case__agreement__partner",)


@login_required
def inbox(request):
    return render(request, "web/inbox.html", {"rows": inbox_for(request.user, related=AGREEMENT)})


@login_required
@require_POST
def claim(request, task_id: int):
    return _claim_or_release(request, task_id, claim_task, _("Tugas diambil."))


@login_required
@require_POST
def release(request, task_id: int):
    return _claim_or_release(request, task_id, release_task, _("Tugas dilepaskan."))


def _claim_or_release(request, task_id, service, done_message):
    in_place = bool(request.headers.get("HX-Request"))
    try:
        service(task_id=task_id, actor=request.user)
    except InvalidInput as exc:  # e.g. finished meanwhile: said in its row
        error = exc.message
    else:
        error = ""
        if not in_place:  # in place, the row itself shows the change
            messages.success(request, done_message)
    if in_place:
        row = next((r for r in inbox_for(request.user, related=AGREEMENT) if r.task.pk == task_id), None)
        return render(request, "web/partials/inbox_row.html", {"row": row, "gone_id": task_id, "row_error": error})
    if error:
        messages.error(request, error)
    return redirect("web:inbox")
