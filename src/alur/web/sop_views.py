"""Dokumen SOP: the loaded SOPs, and the official SOP AP document drawn from the definition the
engine runs, with its downloads (HTML, PDF, DOCX, BPMN, SVG)."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from alur.sop.render.bpmn import render_bpmn
from alur.sop.render.docx import render_docx
from alur.sop.render.flowchart import render_svg
from alur.sop.render.html import render_html, render_pdf
from alur.sop.render.layout import layout_flowchart
from alur.workflow.definitions import definition_of
from alur.workflow.models import Sop
from alur.workflow.services import newest_version

SOP_DOWNLOADS = {
    "html": ("text/html; charset=utf-8", lambda d: render_html(d)),
    "pdf": ("application/pdf", lambda d: render_pdf(d)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", lambda d: render_docx(d)),
    "bpmn": ("application/xml", lambda d: render_bpmn(d)),
    "svg": ("image/svg+xml", lambda d: render_svg(layout_flowchart(d))),
}


@login_required
def sop_list(request):
    return render(request, "web/sop_list.html", {"sops": Sop.objects.prefetch_related("versions")})


@login_required
def sop_document(request, key: str):
    """The SOP AP document drawn from the definition the engine runs, with its downloads."""
    definition = definition_of(newest_version(key))
    return render(request, "web/sop.html", {"definition": definition, "downloads": sorted(SOP_DOWNLOADS)})


@login_required
def sop_download(request, key: str, output: str):
    if output not in SOP_DOWNLOADS:
        raise Http404(_("Format tidak dikenal."))
    definition = definition_of(newest_version(key))
    content_type, render_output = SOP_DOWNLOADS[output]
    response = HttpResponse(render_output(definition), content_type=content_type)
    disposition = "inline" if output == "html" else "attachment"  # the page shows the HTML in a frame
    response["Content-Disposition"] = f'{disposition}; filename="{definition.key}.{output}"'
    return response
