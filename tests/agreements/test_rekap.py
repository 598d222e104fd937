"""The rekapitulasi: who sees which agreements, each filter, the status counts, the last report of
each agreement in the same query, the order, and the rows of the downloads."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alur.agreements import rekap as rekap_module
from alur.agreements.models import Agreement, Distribution, Partner
from alur.agreements.access import agreements_visible_to, opds_visible_to
from alur.agreements.rekap import COLUMNS, RekapFilters, RekapPages, export_rows, rekap, status_counts, years_signed
from alur.org.models import OrgUnit
from tests.agreements.registerdata import TODAY, agreement, report

D = datetime.date


def titles(user, today=TODAY, **filters) -> list[str]:
    return [a.title for a in rekap(user, RekapFilters(**filters), today=today)]


@pytest.fixture
def register(users):
    """Agreements of both OPDs in every status, signed in 2025 and 2026."""
    agreement(title="A aktif dispar", number="119/1/PKS/2026", ends_on=D(2028, 1, 4))
    agreement(title="B akan berakhir dkp", opd="dkp", number="119/2/PKS/2025", signed_on=D(2025, 2, 1),
              starts_on=D(2025, 2, 1), ends_on=TODAY + datetime.timedelta(days=45), partner_name="Universitas Bangka Belitung",
              partner_kind=Partner.Kind.PERGURUAN_TINGGI)
    agreement(title="C berakhir dispar", number="119/3/PKS/2025", signed_on=D(2025, 1, 2), starts_on=D(2025, 1, 2),
              ends_on=D(2026, 1, 1))
    agreement(title="D dalam proses dkp", opd="dkp", signed=False)
    agreement(title="E dibatalkan dispar", number="119/4/PKS/2026", cancelled_at=timezone.now())
    agreement(title="F MoU dispar", kind=Agreement.Kind.MOU, number="119/1/MOU/2026", ends_on=TODAY + datetime.timedelta(days=150))
    return users


# --- who sees what ------------------------------------------------------------------------------------

def test_people_outside_the_opds_see_every_agreement(register):
    for who in ("karo", "pengelola", "tkksd", "gubernur"):
        assert len(titles(register[who])) == 6


def test_opd_staff_see_their_own_opds_agreements_only(register):
    assert sorted(titles(register["kepala_dkp"])) == ["B akan berakhir dkp", "D dalam proses dkp"]
    assert [unit.code for unit in opds_visible_to(register["kepala_dkp"])] == ["dkp"]
    # asking for another OPD's list gives nothing, not that OPD's agreements
    assert titles(register["kepala_dkp"], org_unit=OrgUnit.objects.get(code="dispar")) == []


def test_people_without_a_role_see_nothing(register):
    outsider = get_user_model().objects.create_user("tamu")
    assert titles(outsider) == [] and list(opds_visible_to(outsider)) == []
    assert not agreements_visible_to(None).exists()


# --- filters ----------------------------------------------------------------------------------------

def test_filter_by_kind(register):
    assert titles(register["karo"], kind=Agreement.Kind.MOU) == ["F MoU dispar"]


@pytest.mark.parametrize("status, expected", [
    ("aktif", ["A aktif dispar", "F MoU dispar"]),
    ("akan_berakhir", ["B akan berakhir dkp"]),
    ("berakhir", ["C berakhir dispar"]),
    ("dalam_proses", ["D dalam proses dkp"]),
    ("dibatalkan", ["E dibatalkan dispar"]),
])
def test_filter_by_status(register, status, expected):
    assert sorted(titles(register["karo"], status=status)) == expected


def test_filter_by_opd_and_partner_kind(register):
    assert sorted(titles(register["karo"], org_unit=OrgUnit.objects.get(code="dkp"))) == ["B akan berakhir dkp", "D dalam proses dkp"]
    assert titles(register["karo"], partner_kind=Partner.Kind.PERGURUAN_TINGGI) == ["B akan berakhir dkp"]


def test_the_year_is_the_year_of_signing_and_unsigned_agreements_have_none(register):
    assert sorted(titles(register["karo"], year=2025)) == ["B akan berakhir dkp", "C berakhir dispar"]
    assert "D dalam proses dkp" not in titles(register["karo"], year=2026)
    assert years_signed(register["karo"]) == [2026, 2025]
    assert years_signed(register["kepala_dkp"]) == [2025]


def test_expiring_within_a_window_leaves_out_the_ended_the_cancelled_and_those_in_process(register):
    agreement(title="G dibatalkan, akan berakhir", number="119/5/PKS/2026", ends_on=TODAY + datetime.timedelta(days=10),
              cancelled_at=timezone.now())
    agreement(title="H tanpa nomor, akan berakhir", ends_on=TODAY + datetime.timedelta(days=10))
    assert titles(register["karo"], expiring_within=60) == ["B akan berakhir dkp"]
    assert sorted(titles(register["karo"], expiring_within=180)) == ["B akan berakhir dkp", "F MoU dispar"]
    assert titles(register["karo"], expiring_within=30) == []


def test_filters_and_search_combine(register):
    assert titles(register["karo"], text="dispar", status="aktif", kind=Agreement.Kind.PKS) == ["A aktif dispar"]
    assert titles(register["karo"], text="universitas", org_unit=OrgUnit.objects.get(code="dispar")) == []


# --- counts, order, last report ---------------------------------------------------------------------

def test_counts_per_status_follow_every_filter_but_the_status(register):
    karo = register["karo"]
    counts = status_counts(karo, RekapFilters(status="aktif"), today=TODAY)
    assert counts == {"dalam_proses": 1, "aktif": 2, "akan_berakhir": 1, "berakhir": 1, "dibatalkan": 1}
    assert status_counts(karo, RekapFilters(org_unit=OrgUnit.objects.get(code="dkp")), today=TODAY) == {
        "dalam_proses": 1, "aktif": 0, "akan_berakhir": 1, "berakhir": 0, "dibatalkan": 0}
    assert sum(status_counts(karo, RekapFilters(text="mou"), today=TODAY).values()) == 1
    assert sum(status_counts(register["kepala_dkp"], RekapFilters(), today=TODAY).values()) == 2


def test_newest_signed_first_by_default_and_by_relevance_when_searching(register):
    order = titles(register["karo"])
    assert order[-1] == "D dalam proses dkp"  # not signed: last
    assert order.index("A aktif dispar") < order.index("C berakhir dispar")
    assert titles(register["karo"], order="berakhir")[0] == "C berakhir dispar"
    assert titles(register["karo"], order="judul")[:2] == ["A aktif dispar", "B akan berakhir dkp"]
    agreement(title="Kerja sama promosi", scope="Wisata", number="119/9/PKS/2026")
    assert titles(register["karo"], text="kerja sama promosi")[0] == "Kerja sama promosi"  # the title beats the object
    # relevance without a search means nothing: the default order
    assert titles(register["karo"], order="relevansi") == titles(register["karo"])


def test_each_row_carries_its_last_report_in_the_one_query(register):
    a = Agreement.objects.get(title="A aktif dispar")
    report(a, D(2026, 3, 1), "Triwulan I berjalan")
    report(a, D(2026, 9, 1), "Triwulan III: promosi selesai")
    report(a, D(2026, 6, 1), "Triwulan II")
    agreements = rekap(register["karo"], RekapFilters(), today=TODAY)  # (who the user is: asked here)
    with CaptureQueriesContext(connection) as queries:
        rows = {r.title: r for r in agreements}
    assert len(queries) == 1
    assert (rows["A aktif dispar"].last_report_on, rows["A aktif dispar"].last_report_progress) == (
        D(2026, 9, 1), "Triwulan III: promosi selesai")
    assert rows["C berakhir dispar"].last_report_on is None
    assert rows["A aktif dispar"].status == "aktif"


def test_the_download_rows_hold_the_rekapitulasi_columns(register):
    mou = Agreement.objects.get(title="F MoU dispar")
    pks = agreement(title="PKS turunan MoU", number="119/7/PKS/2026", implements=mou, value=Decimal("150000000.00"),
                    urusan="pariwisata", partner_number="PT/12/2026", signer=Agreement.Signer.KEPALA_OPD,
                    power_of_attorney="800/12/2026", archive_place="Lemari arsip Biro Pemerintahan, rak 3")
    addendum = agreement(title="Addendum I", kind=Agreement.Kind.ADDENDUM, number="119/1/ADD/2026", amends=pks)
    report(pks, D(2026, 10, 1), "Promosi berjalan")
    Distribution.objects.create(agreement=pks, recipient="Inspektorat", sent_on=D(2026, 1, 9))
    Distribution.objects.create(agreement=pks, recipient="Biro Hukum", sent_on=D(2026, 1, 7))

    rows = {row[4]: dict(zip([c.key for c in COLUMNS], row))
            for row in export_rows(rekap(register["karo"], RekapFilters(), today=TODAY), chunk_size=2)}

    assert len(rows) == 8
    row = rows["PKS turunan MoU"]
    assert row | {"no": None} == {
        "no": None, "number": "119/7/PKS/2026", "partner_number": "PT/12/2026", "kind": "PKS", "title": "PKS turunan MoU",
        "partner": "PT Pesona Wisata Serumpun", "partner_kind": "Badan usaha", "org_unit": "Dinas Pariwisata",
        "object": "Kerja sama promosi", "scope": "Promosi bersama", "urusan": "Pariwisata", "value": Decimal("150000000.00"),
        "signed_on": D(2026, 1, 5), "signed_place": "Pangkalpinang", "signer": "Kepala OPD (surat kuasa 800/12/2026)",
        "starts_on": D(2026, 1, 5), "ends_on": D(2028, 1, 4), "status": "Aktif", "registered_on": D(2026, 1, 6),
        "archive_place": "Lemari arsip Biro Pemerintahan, rak 3", "distribution": "Biro Hukum (07-01-2026); Inspektorat (09-01-2026)",
        "parent": "Melaksanakan MoU 119/1/MOU/2026", "addenda": "119/1/ADD/2026",
        "last_report_on": D(2026, 10, 1), "last_report_progress": "Promosi berjalan"}
    assert rows[addendum.title]["parent"] == "Addendum atas 119/7/PKS/2026"
    assert rows[addendum.title]["kind"] == "Addendum"
    assert (rows[addendum.title]["addenda"], rows[addendum.title]["distribution"]) == (None, None)
    assert rows["A aktif dispar"]["signer"] == "Gubernur"
    assert (rows["D dalam proses dkp"]["signer"], rows["D dalam proses dkp"]["registered_on"]) == (None, None)
    assert sorted(r["no"] for r in rows.values()) == list(range(1, 9))


def test_the_distribution_and_the_addenda_come_in_the_one_query_in_their_order(register):
    pks = Agreement.objects.get(title="A aktif dispar")
    agreement(title="Addendum II", kind=Agreement.Kind.ADDENDUM, number="119/9/ADD/2026", amends=pks, signed_on=D(2026, 8, 1))
    agreement(title="Addendum I", kind=Agreement.Kind.ADDENDUM, number="119/8/ADD/2026", amends=pks, signed_on=D(2026, 3, 1))
    agreement(title="Addendum III (dalam proses)", kind=Agreement.Kind.ADDENDUM, amends=pks, signed=False)
    for recipient, sent_on in (("DPRD Provinsi", D(2026, 2, 1)), ("BPKAD", D(2026, 1, 20)), ("Bappeda", D(2026, 1, 20))):
        Distribution.objects.create(agreement=pks, recipient=recipient, sent_on=sent_on)
    other = Agreement.objects.get(title="C berakhir dispar")
    Distribution.objects.create(agreement=other, recipient="Biro Hukum & Organisasi", sent_on=D(2025, 1, 3))
    agreements = rekap(register["karo"], RekapFilters(), today=TODAY)

    with CaptureQueriesContext(connection) as queries:
        rows = {row[4]: dict(zip([c.key for c in COLUMNS], row)) for row in export_rows(agreements)}

    assert len(queries) == 1
    a = rows["A aktif dispar"]
    # signed first, in the order signed; the one without a number yet by its title
    assert a["addenda"] == "119/8/ADD/2026; 119/9/ADD/2026; Addendum III (dalam proses)"
    assert a["distribution"] == "BPKAD (20-01-2026); Bappeda (20-01-2026); DPRD Provinsi (01-02-2026)"  # by date, then as recorded
    assert rows["C berakhir dispar"]["distribution"] == "Biro Hukum & Organisasi (03-01-2025)"
    assert rows["B akan berakhir dkp"]["distribution"] is None and rows["B akan berakhir dkp"]["addenda"] is None


def test_a_surat_kuasa_number_goes_with_the_signer_in_the_readers_language(register):
    from django.utils import translation

    agreement(title="PKS kuasa", number="119/5/PKS/2026", signer=Agreement.Signer.KEPALA_OPD, power_of_attorney="800/12/2026")
    agreement(title="PKS kuasa tanpa nomor", number="119/6/PKS/2026", signer=Agreement.Signer.KEPALA_OPD)
    with translation.override("id"):
        rows = {row[4]: row[14] for row in export_rows(rekap(register["karo"], RekapFilters(), today=TODAY))}
    assert rows["PKS kuasa"] == "Kepala OPD (surat kuasa 800/12/2026)"
    assert rows["PKS kuasa tanpa nomor"] == "Kepala OPD dengan surat kuasa"
    assert COLUMNS[14].key == "signer"


# --- pages ------------------------------------------------------------------------------------------

def test_a_page_is_two_queries_in_the_order_of_the_whole_list(register):
    karo = register["karo"]
    for n in range(12):
        report(agreement(title=f"PKS halaman {n:02}", number=f"400/{n}/PKS/2026"), D(2026, 2, 1), f"Laporan {n}")
    filters = RekapFilters(order="judul")
    everything = [a.title for a in rekap(karo, filters, today=TODAY)]
    pages = RekapPages(karo, filters, total=len(everything), today=TODAY)
    with CaptureQueriesContext(connection) as queries:
        second = pages[5:10]
    assert len(queries) == 2
    assert [a.title for a in second] == everything[5:10]
    assert [(a.title, a.status, a.last_report_progress) for a in second[1:3]] == [
        ("PKS halaman 00", "aktif", "Laporan 0"), ("PKS halaman 01", "aktif", "Laporan 1")]
    assert len(pages) == len(everything) and pages[0].title == everything[0]


def test_a_search_matching_more_than_the_rank_limit_is_listed_newest_first(register, monkeypatch):
    monkeypatch.setattr(rekap_module, "RANK_LIMIT", 2)
    filters = RekapFilters(text="dispar")  # four agreements have it in their titles
    assert filters.ordering == "relevansi"
    assert filters.ordering_for(4) == "terbaru" and filters.ordering_for(2) == "relevansi"
    pages = RekapPages(register["karo"], filters, total=4, today=TODAY)
    assert pages.ordering == "terbaru"
    assert [a.title for a in pages[0:4]] == titles(register["karo"], text="dispar", order="terbaru")
