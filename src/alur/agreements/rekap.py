"""The rekapitulasi: the register of every agreement as one list, filtered, searched, counted by
status, and the same list as the rows of the XLSX and PDF downloads.

The SOP's "Daftar/form rekapitulasi Nota Kesepahaman/Nota Kesepakatan dan PKS" names the list
but not its columns; ours (COLUMNS) are what the register holds that a reader of the list asks
for: both numbers, kind, title, the partner and its kind, the OPD carrying it out, object and
scope, urusan, value, when and where it was signed and by whom (with the surat kuasa's number when
a Kepala OPD signed), its validity, its status, when it was registered and where it is archived,
to whom it was distributed, the MoU it implements or the agreement it amends, its own addenda,
and its last implementation report.

Who sees what is the rule of access.py (agreements_visible_to): people holding a role in a unit
that is not an OPD (the Biro, the TKKSD, the Governor's office) see every agreement; OPD staff see
their own OPD's, as they see only their own cases; people holding no role today see none.

The year filter is the year of signing (tanggal penandatanganan): the register counts its
numbers by year and an agreement belongs to the year it was signed in. Agreements not yet
signed have no year: choosing a year leaves them out.
"""
from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Case, Exists, F, OuterRef, QuerySet, Subquery, TextField, Value, When
from django.db.models.expressions import Func
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alur.org.models import OrgUnit
from alur.org.selectors import roles_held

from .access import agreements_visible_to
from .models import URUSAN, Agreement, Distribution, ImplementationReport, Partner
from .search import search_agreements, search_terms
from .status import DIBATALKAN, STATUS_LABELS, count_by_status, with_status

# "Akan berakhir dalam ..." offers these windows (days); the status akan berakhir is 90.
EXPIRING_WINDOWS = (30, 60, 90, 180)
# Ranking by relevance costs a few microseconds per match; a search that matches more than this
# (a word every agreement has: "perjanjian", "kerja sama") is listed newest first instead, where
# relevance would tell nothing anyway (RekapFilters.ordering_for).
RANK_LIMIT = 10_000

ORDER_NEWEST, ORDER_ENDING, ORDER_TITLE, ORDER_RELEVANCE = "terbaru", "berakhir", "judul", "relevansi"
ORDERS = {
    ORDER_NEWEST: _("Terbaru ditandatangani"),
    ORDER_ENDING: _("Paling dekat berakhir"),
    ORDER_TITLE: _("Judul (A-Z)"),
    ORDER_RELEVANCE: _("Paling cocok dengan pencarian"),
}
_ORDERING = {
    ORDER_NEWEST: [F("signed_on").desc(nulls_last=True), F("id").desc()],
    ORDER_ENDING: [F("ends_on").asc(nulls_last=True), F("id").asc()],
    ORDER_TITLE: [F("title").asc(), F("id").asc()],
    ORDER_RELEVANCE: [F("search_rank").desc(), F("signed_on").desc(nulls_last=True), F("id").desc()],
}


@dataclass(frozen=True)
class RekapFilters:
    """What the list is narrowed to; each empty value means "all"."""

    kind: str = ""  # Agreement.Kind
    status: str = ""  # alur.agreements.status
    org_unit: OrgUnit | None = None
    partner_kind: str = ""  # Partner.Kind
    year: int | None = None  # of signing
    expiring_within: int | None = None  # days: in force and ending within them
    text: str = ""
    order: str = ""  # ORDERS; default: by relevance when searching, else the newest signed first

    @property
    def ordering(self) -> str:
        if self.order in ORDERS and (self.order != ORDER_RELEVANCE or self.searching):
            return self.order
        return ORDER_RELEVANCE if self.searching else ORDER_NEWEST

    @property
    def searching(self) -> bool:
        return bool(search_terms(self.text))

    def ordering_for(self, matches: int) -> str:
        """The ordering for a list of that many agreements: by relevance only up to RANK_LIMIT."""
        order = self.ordering
        return ORDER_NEWEST if order == ORDER_RELEVANCE and matches > RANK_LIMIT else order


def may_see_rekap(user) -> bool:
    """Everyone holding a role today: OPD staff see their own OPD's part."""
    return bool(roles_held(user))


def _filtered(user, filters: RekapFilters, today: datetime.date, *, with_status_filter: bool) -> QuerySet:
    agreements = with_status(agreements_visible_to(user), today)
    if filters.kind:
        agreements = agreements.filter(kind=filters.kind)
    if filters.org_unit is not None:
        agreements = agreements.filter(org_unit=filters.org_unit)
    if filters.partner_kind:
        agreements = agreements.filter(partner__kind=filters.partner_kind)
    if filters.year:
        agreements = agreements.filter(signed_on__year=filters.year)
    if filters.expiring_within:
        # In force (registered, not cancelled) and ending between today and the window's end.
        agreements = agreements.filter(ends_on__gte=today, ends_on__lte=today + datetime.timedelta(days=filters.expiring_within),
                                       number__isnull=False).exclude(status=DIBATALKAN)
    if with_status_filter and filters.status:
        agreements = agreements.filter(status=filters.status)
    return agreements


def rekap(user, filters: RekapFilters, *, today: datetime.date | None = None, ordering: str | None = None) -> QuerySet:
    """The agreements of the rekapitulasi, filtered, searched and ordered (filters.ordering
    unless told), each annotated with `status`, `search_rank` and its last implementation report
    (`last_report_on`, `last_report_progress`): one query however many rows, which exports
    stream (pages use RekapPages)."""
    today = today or timezone.localdate()
    ordering = ordering or filters.ordering
    agreements = search_agreements(_filtered(user, filters, today, with_status_filter=True), filters.text,
                                   rank=ordering == ORDER_RELEVANCE)
    return with_last_report(agreements).order_by(*_ORDERING[ordering])


class RekapPages(Sequence):
    """The rekapitulasi as a sequence for Django's Paginator, its length the count the page has
    already made (status_counts). A page is two queries: the ids of its rows, ordered, over the
    narrow columns the order and the filters need (PostgreSQL sorts ids and ranks, not whole
    rows), then those rows with their partner, OPD, status and last report."""

    def __init__(self, user, filters: RekapFilters, *, total: int, today: datetime.date | None = None):
        self.total = total
        self.today = today or timezone.localdate()
        self.ordering = filters.ordering_for(total)
        # Who the user is and what the words are is asked here, once; each page is its two queries.
        self._agreements = search_agreements(_filtered(user, filters, self.today, with_status_filter=True), filters.text,
                                             rank=self.ordering == ORDER_RELEVANCE).order_by(*_ORDERING[self.ordering])

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index:index + 1][0]
        ids = list(self._agreements.values_list("pk", flat=True)[index])
        rows = with_last_report(with_status(Agreement.objects.filter(pk__in=ids), self.today)).select_related(
            "partner", "org_unit", "implements", "amends").order_by()  # put in the ids' order below
        by_id = {agreement.pk: agreement for agreement in rows}
        return [by_id[pk] for pk in ids if pk in by_id]


def with_last_report(agreements: QuerySet) -> QuerySet:
    """Each agreement with the date and progress of its latest implementation report (None when
    it has none), as correlated subqueries: still one query."""
    latest = ImplementationReport.objects.filter(agreement=OuterRef("pk")).order_by("-reported_on", "-id")
    return agreements.annotate(last_report_on=Subquery(latest.values("reported_on")[:1]),
                               last_report_progress=Subquery(latest.values("progress")[:1]))


def status_counts(user, filters: RekapFilters, *, today: datetime.date | None = None) -> dict[str, int]:
    """How many agreements of each status the other filters and the search leave: what choosing
    a status would show. Every status is a key (0 when none)."""
    today = today or timezone.localdate()
    agreements = search_agreements(_filtered(user, filters, today, with_status_filter=False), filters.text, rank=False)
    return count_by_status(agreements, today)


def years_signed(user) -> list[int]:
    """The years agreements the user sees were signed in, newest first."""
    return [day.year for day in agreements_visible_to(user).filter(signed_on__isnull=False).dates("signed_on", "year", order="DESC")]


# --- the rows of the downloads ---------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    key: str
    title: str
    width: float  # characters, in the spreadsheet
    kind: str = "text"  # text, number (Rp), date, count


# The rekapitulasi's columns: the spreadsheet keeps each value in a cell of its own (dates and
# money as numbers, to sort and sum); the PDF joins some of them to fit a landscape page. The
# signer carries the surat kuasa's number ("Kepala OPD (surat kuasa 800/12/2026)"): it is what
# lets a Kepala OPD sign. Distribution and addenda are one-to-many, each joined into one cell
# ("Biro Hukum (06-01-2026); Inspektorat (09-01-2026)"; "119/5/ADD/2026; 119/9/ADD/2027").
COLUMNS = (
    Column("no", "No", 6, "count"),
    Column("number", "Nomor", 24),
    Column("partner_number", "Nomor pihak ketiga", 22),
    Column("kind", "Jenis", 12),
    Column("title", "Judul", 44),
    Column("partner", "Pihak ketiga", 30),
    Column("partner_kind", "Jenis pihak ketiga", 18),
    Column("org_unit", "OPD pelaksana", 28),
    Column("object", "Objek", 30),
    Column("scope", "Ruang lingkup", 40),
    Column("urusan", "Urusan", 22),
    Column("value", "Nilai (Rp)", 18, "number"),
    Column("signed_on", "Tanggal tanda tangan", 13, "date"),
    Column("signed_place", "Tempat tanda tangan", 18),
    Column("signer", "Penandatangan (surat kuasa)", 30),
    Column("starts_on", "Mulai berlaku", 13, "date"),
    Column("ends_on", "Berakhir", 13, "date"),
    Column("status", "Status", 14),
    Column("registered_on", "Tanggal registrasi", 13, "date"),
    Column("archive_place", "Tempat arsip", 24),
    Column("distribution", "Distribusi (penerima, tanggal)", 44),
    Column("parent", "MoU induk / addendum atas", 26),
    Column("addenda", "Diubah dengan addendum", 26),
    Column("last_report_on", "Laporan terakhir: tanggal", 13, "date"),
    Column("last_report_progress", "Laporan terakhir: kemajuan", 44),
)

_FIELDS = ("number", "partner_number", "kind", "title", "partner__name", "partner__kind", "org_unit__name", "object",
           "scope", "urusan", "value", "signed_on", "signed_place", "signer", "power_of_attorney", "starts_on", "ends_on",
           "status", "registered_on", "archive_place", "distribution", "implements__number", "amends__number", "addenda_numbers",
           "last_report_on", "last_report_progress")
SEPARATOR = "; "  # between the recipients of the distribution, between the addenda


def export_rows(agreements: QuerySet, *, chunk_size: int = 2000):
    """The rekapitulasi's rows, one tuple per agreement in COLUMNS' order (labels in the active
    language, dates and values as they are, None for what is empty), streamed from the
    database in chunks (a server-side cursor on PostgreSQL): the list may hold every agreement
    of the province. Its distribution and its addenda come joined in the same query
    (with_distribution_and_addenda), not a query per row."""
    kinds = {value: _short_kind(value) for value in Agreement.Kind.values}
    partner_kinds = {value: str(label) for value, label in Partner.Kind.choices}
    urusan = {value: str(label) for value, label in URUSAN}
    signers = {value: str(label) for value, label in Agreement.Signer.choices}
    # With the surat kuasa's number the signer is named short: "Kepala OPD (surat kuasa 800/12/2026)".
    signers_short = {Agreement.Signer.GUBERNUR: str(Agreement.Signer.GUBERNUR.label), Agreement.Signer.KEPALA_OPD: str(_("Kepala OPD"))}
    with_attorney = str(_("%(signer)s (surat kuasa %(number)s)"))
    statuses = {value: str(label) for value, label in STATUS_LABELS.items()}
    implements, amends = str(_("Melaksanakan MoU")), str(_("Addendum atas"))
    rows = with_distribution_and_addenda(agreements).values_list(*_FIELDS).iterator(chunk_size=chunk_size)
    for no, (number, partner_number, kind, title, partner, partner_kind, org_unit, object_, scope, urusan_, value,
             signed_on, signed_place, signer, power_of_attorney, starts_on, ends_on, status, registered_on, archive_place,
             distribution, implements_number, amends_number, addenda, last_report_on, last_report_progress) in enumerate(rows, start=1):
        if amends_number:
            parent = f"{amends} {amends_number}"
        elif implements_number:
            parent = f"{implements} {implements_number}"
        else:
            parent = None
        if power_of_attorney:
            signer = with_attorney % {"signer": signers_short.get(signer, signer) or "—", "number": power_of_attorney}
        elif signer:
            signer = signers.get(signer)
        yield (no, number, partner_number or None, kinds.get(kind, kind), title, partner, partner_kinds.get(partner_kind, partner_kind),
               org_unit, object_ or None, scope or None, urusan.get(urusan_) if urusan_ else None, value, signed_on,
               signed_place or None, signer or None, starts_on, ends_on, statuses.get(status, status), registered_on,
               archive_place or None, distribution or None, parent, addenda or None, last_report_on, last_report_progress)


def with_distribution_and_addenda(agreements: QuerySet) -> QuerySet:
    """Each agreement with `distribution`, its Distribution rows as "recipient (dd-mm-yyyy)" in
    the order they were sent, and `addenda_numbers`, the agreements amending it (their number,
    or their title while they have none) in the order they were signed: each joined by
    SEPARATOR into one text ("" when there is none), by a correlated subquery per row, so the
    list is still one query that streams. Every addendum is named, as the parent column names
    the parent, whether or not the reader may open it."""
    sent = (Distribution.objects.filter(agreement=OuterRef("pk")).order_by("sent_on", "id")
            .values(joined=Concat("recipient", Value(" ("), _DayMonthYear("sent_on"), Value(")"), output_field=TextField())))
    amending = Agreement.objects.filter(amends=OuterRef("pk"))
    addenda = (amending.order_by(F("signed_on").asc(nulls_last=True), "number", "id")
               .values(joined=Coalesce("number", "title", output_field=TextField())))
    # Few agreements are ever amended: the addenda's sorted subquery runs only for those that are,
    # which PostgreSQL tells from one hash of every amends_id (EXISTS becomes a hashed lookup when
    # that is cheaper, a probe of the amends_id index per row when not). For 100,000 agreements
    # it saves a tenth of a second. The distribution has no such check: being distributed is the
    # rule for a registered agreement, so the check would cost about what it saves.
    return agreements.annotate(distribution=_Joined(sent), addenda_numbers=Case(
        When(Exists(amending), then=_Joined(addenda)), default=Value(""), output_field=TextField()))


class _DayMonthYear(Func):
    """A date as text, dd-mm-yyyy, as the downloads write dates."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            return f"TO_CHAR({sql}, 'DD-MM-YYYY')", params
        if connection.vendor == "sqlite":
            return f"STRFTIME(%s, {sql})", ("%d-%m-%Y", *params)
        raise ImproperlyConfigured(f"Rekapitulasi hanya tersedia di SQLite dan PostgreSQL, bukan {connection.vendor}.")


class _Joined(Subquery):
    """The texts a queryset selects (one column named `joined`, in its order) joined by
    SEPARATOR into one: a scalar subquery, "" when it selects none. PostgreSQL keeps the order
    of ARRAY(SELECT ... ORDER BY ...). SQLite's GROUP_CONCAT takes no ORDER BY before 3.44; it
    reads the rows in the order of the sorted subquery in its FROM, which SQLite never
    flattens into an aggregate query (rule 16 of its query flattener, there for GROUP_CONCAT's
    sake). Django's StringAgg would do it on PostgreSQL only."""

    def __init__(self, queryset):
        super().__init__(queryset, output_field=TextField())

    def as_sql(self, compiler, connection, template=None, **extra_context):
        sql, params = super().as_sql(compiler, connection)  # "(SELECT ... ORDER BY ...)"
        if connection.vendor == "postgresql":
            return f"ARRAY_TO_STRING(ARRAY{sql}, %s)", (*params, SEPARATOR)
        if connection.vendor == "sqlite":
            return f'COALESCE((SELECT GROUP_CONCAT("joined", %s) FROM {sql}), %s)', (SEPARATOR, *params, "")
        raise ImproperlyConfigured(f"Rekapitulasi hanya tersedia di SQLite dan PostgreSQL, bukan {connection.vendor}.")


def _short_kind(kind: str) -> str:
    return {Agreement.Kind.PKS: "PKS", Agreement.Kind.MOU: "MoU", Agreement.Kind.ADDENDUM: str(_("Addendum"))}.get(kind, kind)


def short_kind(agreement: Agreement) -> str:
    """PKS, MoU or Addendum: the kind as the list shows it."""
    return _short_kind(agreement.kind)

