"""The rekapitulasi page (/rekapitulasi/) and its downloads (/rekapitulasi/unduh.xlsx, .pdf).

An XLSX of more than XLSX_IN_REQUEST_LIMIT agreements is not made in the request: the worker makes
it, the page says so, and a notice links the person to /rekapitulasi/berkas/<id>/, theirs only.

Filters travel in the query string, so a filtered list can be bookmarked and its download links
carry the same filters: ?q=&jenis=&status=&opd=&pihak=&tahun=&berakhir=&urut=&halaman=. A value
that cannot be used is said on the page and left out of the list; a download asked with one
goes back to the page that says so.
"""
from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alur.agreements.access import opds_visible_to
from alur.agreements.exports import (KEPT_FOR, PDF_LIMIT, PAPERS, XLSX_IN_REQUEST_LIMIT, TooManyForPdf, export_for, render_pdf,
                                     request_xlsx, write_xlsx)
from alur.agreements.models import Agreement, Partner
from alur.agreements.rekap import (EXPIRING_WINDOWS, ORDER_RELEVANCE, ORDERS, RANK_LIMIT, RekapFilters, RekapPages, may_see_rekap,
                                   rekap, short_kind, status_counts, years_signed)
from alur.agreements.lifecycle import PKS_SOP
from alur.agreements.status import STATUS_LABELS
from alur.workflow.definitions import definition_of
from alur.workflow.errors import NotFound
from alur.workflow.services import newest_version

PER_PAGE = 50
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIRST_YEAR, LAST_YEAR = 1945, 2999


class RekapFilterForm(forms.Form):
    """The page's query string. Every field is optional; what is invalid is left out."""

    q = forms.CharField(required=False, max_length=200, strip=True,
                        error_messages={"max_length": gettext_lazy("Teks pencarian terlalu panjang (paling banyak %(limit_value)d karakter).")})
    jenis = forms.ChoiceField(required=False, choices=[("", "")] + list(Agreement.Kind.choices),
                              error_messages={"invalid_choice": gettext_lazy("Jenis “%(value)s” tidak dikenal; pilih dari daftar.")})
    status = forms.ChoiceField(required=False, choices=[("", "")] + list(STATUS_LABELS.items()),
                               error_messages={"invalid_choice": gettext_lazy("Status “%(value)s” tidak dikenal; pilih dari daftar.")})
    opd = forms.CharField(required=False, max_length=100)
    pihak = forms.ChoiceField(required=False, choices=[("", "")] + list(Partner.Kind.choices),
                              error_messages={"invalid_choice": gettext_lazy("Jenis pihak ketiga “%(value)s” tidak dikenal; pilih dari daftar.")})
    tahun = forms.IntegerField(required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR, error_messages={
        "invalid": gettext_lazy("Tahun harus berupa angka, misalnya 2026."),
        "min_value": gettext_lazy("Tahun di luar jangkauan (%(first)s sampai %(last)s).") % {"first": FIRST_YEAR, "last": LAST_YEAR},
        "max_value": gettext_lazy("Tahun di luar jangkauan (%(first)s sampai %(last)s).") % {"first": FIRST_YEAR, "last": LAST_YEAR},
    })
    berakhir = forms.TypedChoiceField(required=False, coerce=int, empty_value=None,
                                      choices=[("", "")] + [(str(days), str(days)) for days in EXPIRING_WINDOWS],
                                      error_messages={"invalid_choice": gettext_lazy("Pilihan “akan berakhir dalam” %(value)s tidak dikenal.")})
    urut = forms.ChoiceField(required=False, choices=[("", "")] + list(ORDERS.items()),
                             error_messages={"invalid_choice": gettext_lazy("Urutan “%(value)s” tidak dikenal.")})

    def __init__(self, data, *, user):
        super().__init__(data)
        self.user = user

    def clean_opd(self):
        code = self.cleaned_data["opd"].strip()
        if not code:
            return None
        unit = opds_visible_to(self.user).filter(code=code).first()
        if unit is None:
            raise forms.ValidationError(_("OPD dengan kode “%(code)s” tidak dikenal atau bukan OPD Anda; pilih dari daftar.") % {"code": code})
        return unit

    def filters(self) -> RekapFilters:
        """The filters from what is valid (call is_valid() first)."""
        data = self.cleaned_data
        return RekapFilters(kind=data.get("jenis") or "", status=data.get("status") or "", org_unit=data.get("opd"),
                            partner_kind=data.get("pihak") or "", year=data.get("tahun"), expiring_within=data.get("berakhir"),
                            text=data.get("q") or "", order=data.get("urut") or "")


def _allowed(user) -> None:
    if not may_see_rekap(user):
        raise PermissionDenied(_("Rekapitulasi perjanjian untuk pemegang peran: Biro, TKKSD, pimpinan daerah, dan OPD "
                                 "(perjanjian OPD-nya sendiri)."))


def _form(request) -> RekapFilterForm:
    form = RekapFilterForm(request.GET, user=request.user)
    form.is_valid()  # what is invalid is said on the page and left out of the list
    return form


def _query(form: RekapFilterForm, **changes) -> str:
    """The query string of the valid filters, with changes (None removes a key)."""
    names = ("q", "jenis", "status", "opd", "pihak", "tahun", "berakhir", "urut")
    values = {name: form.data.get(name, "").strip() for name in names if name not in form.errors}
    values.update(changes)
    return urlencode({k: v for k, v in values.items() if v not in (None, "")})


def filters_text(filters: RekapFilters) -> str:
    """The filters in words, for the head of a download (always Indonesian, as the files are)."""
    with translation.override("id"):
        parts = []
        if filters.kind:
            parts.append(f"Jenis: {Agreement.Kind(filters.kind).label}")
        if filters.status:
            parts.append(f"Status: {STATUS_LABELS[filters.status]}")
        if filters.org_unit is not None:
            parts.append(f"OPD: {filters.org_unit.name}")
        if filters.partner_kind:
            parts.append(f"Pihak ketiga: {Partner.Kind(filters.partner_kind).label}")
        if filters.year:
            parts.append(f"Tahun penandatanganan: {filters.year}")
        if filters.expiring_within:
            parts.append(f"Berakhir dalam {filters.expiring_within} hari")
        if filters.searching:
            parts.append(f"Pencarian: “{filters.text}”")
        return "; ".join(parts) or "Semua perjanjian"


def _instansi() -> tuple[str, ...]:
    """The heading lines of the office, as the PKS SOP's document prints them."""
    try:
        return tuple(definition_of(newest_version(PKS_SOP)).identity.instansi)
    except NotFound:
        return ()


def _detail_url_name() -> str | None:
    """The agreement page's URL name when Alur has one (web:agreement), else None: rows link to
    their case instead."""
    try:
        reverse("web:agreement", args=[1])
    except NoReverseMatch:
        return None
    return "web:agreement"


@login_required
def rekapitulasi(request):
    _allowed(request.user)
    form = _form(request)
    filters = form.filters()
    today = timezone.localdate()
    counts = status_counts(request.user, filters, today=today)
    total = counts[filters.status] if filters.status else sum(counts.values())
    pages = RekapPages(request.user, filters, total=total, today=today)
    page = Paginator(pages, PER_PAGE).get_page(request.GET.get("halaman"))
    detail = _detail_url_name()
    rows = []
    for number, agreement in enumerate(page.object_list, start=page.start_index()):
        case_link = reverse("web:case", args=[agreement.case_id]) if agreement.case_id else None
        # The agreement's own page where Alur has one; else its case, when it has one.
        link = reverse(detail, args=[agreement.pk]) if detail else case_link
        rows.append({"no": number, "agreement": agreement, "link": link, "case_link": case_link if detail else None,
                     "kind": short_kind(agreement), "status_label": STATUS_LABELS.get(agreement.status, agreement.status)})
    status_links = [{"key": "", "label": _("Semua"), "count": sum(counts.values()), "active": not filters.status,
                     "query": _query(form, status=None)}]
    status_links += [{"key": key, "label": label, "count": counts[key], "active": filters.status == key,
                      "query": _query(form, status=key)} for key, label in STATUS_LABELS.items()]
    query = _query(form)
    return render(request, "web/rekapitulasi.html", {
        "form": form, "filters": filters, "rows": rows, "page": page, "total": total, "status_links": status_links,
        "problems": [message for messages_ in form.errors.values() for message in messages_],
        "opds": opds_visible_to(request.user), "years": years_signed(request.user),
        "kinds": Agreement.Kind.choices, "partner_kinds": Partner.Kind.choices, "statuses": list(STATUS_LABELS.items()),
        "windows": EXPIRING_WINDOWS, "orders": [(k, v) for k, v in ORDERS.items() if k != ORDER_RELEVANCE or filters.searching],
        "ordering": pages.ordering, "query": query, "pdf_limit": PDF_LIMIT, "xlsx_limit": XLSX_IN_REQUEST_LIMIT,
        "filtered": bool(form.errors) or any(form.data.get(name, "").strip() for name in
                                             ("jenis", "status", "opd", "pihak", "tahun", "berakhir", "urut")),
        "not_ranked": filters.ordering == ORDER_RELEVANCE and pages.ordering != ORDER_RELEVANCE, "rank_limit": RANK_LIMIT,
        "first_query": _query(form, halaman=1), "last_query": _query(form, halaman=page.paginator.num_pages),
        "previous_query": _query(form, halaman=page.previous_page_number()) if page.has_previous() else "",
        "next_query": _query(form, halaman=page.next_page_number()) if page.has_next() else "",
    })


@login_required
def rekapitulasi_download(request, output: str):
    _allowed(request.user)
    if output not in ("xlsx", "pdf"):
        raise Http404(_("Format unduhan tidak dikenal."))
    form = _form(request)
    page_url = reverse("web:rekapitulasi") + (f"?{request.GET.urlencode()}" if request.GET else "")
    if form.errors:
        return HttpResponseRedirect(page_url)  # the page says what is wrong
    filters = form.filters()
    counts = status_counts(request.user, filters)
    total = counts[filters.status] if filters.status else sum(counts.values())
    ordering = filters.ordering_for(total)  # as the page orders it: by relevance up to RANK_LIMIT matches
    if output == "xlsx" and total > XLSX_IN_REQUEST_LIMIT:
        _export, queued = request_xlsx(user=request.user, filters=filters, ordering=ordering, filters_text=filters_text(filters),
                                       instansi=_instansi())
        if queued:
            messages.info(request, _("Daftar ini berisi %(count)s perjanjian: berkas XLSX-nya sedang disiapkan. Anda akan "
                                     "mendapat pemberitahuan (lonceng) berisi tautan unduhannya begitu berkas siap, "
                                     "biasanya dalam beberapa menit.") % {"count": formats.number_format(total, force_grouping=True)})
        else:
            messages.info(request, _("Berkas XLSX yang Anda minta sebelumnya masih disiapkan; Anda akan mendapat pemberitahuan "
                                     "begitu siap. Minta unduhan lain setelah itu."))
        return HttpResponseRedirect(page_url)
    agreements = rekap(request.user, filters, ordering=ordering)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if output == "xlsx":
        file, _count = write_xlsx(agreements, filters_text=filters_text(filters), instansi=_instansi())
        return FileResponse(file, as_attachment=True, filename=f"rekapitulasi-perjanjian-{stamp}.xlsx", content_type=XLSX_TYPE)
    paper = request.GET.get("kertas", "a4").lower()
    try:
        data = render_pdf(agreements, filters_text=filters_text(filters), instansi=_instansi(),
                          paper=paper if paper in PAPERS else "a4")
    except TooManyForPdf as refused:
        messages.warning(request, refused.message)
        return HttpResponseRedirect(page_url)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="rekapitulasi-perjanjian-{stamp}.pdf"'
    return response


@login_required
def rekapitulasi_export(request, export_id: int):
    """The XLSX the worker made: for the person who asked for it, while it is kept."""
    _allowed(request.user)
    export = export_for(request.user, export_id)
    if export is None:  # another person's is as unknown as one removed
        messages.warning(request, _("Berkas XLSX itu tidak tersedia: berkas disimpan %(days)s hari setelah dibuat, dan hanya "
                                    "untuk yang memintanya. Unduh lagi dari halaman ini.") % {"days": KEPT_FOR.days})
        return HttpResponseRedirect(reverse("web:rekapitulasi"))
    stamp = timezone.localtime(export.finished_at).strftime("%Y%m%d-%H%M")
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=f"rekapitulasi-perjanjian-{stamp}.xlsx",
                        content_type=XLSX_TYPE)
