"""Register: rekapitulasi search and the XLSX of 100,000 agreements on PostgreSQL.

What is measured, on a PostgreSQL database holding 100,000 agreements: (1) a search as the
rekapitulasi page runs it (alur.agreements.rekap: the counts per status and the first page of
50 rows, ranked, with their partners, OPDs and last reports), for several texts people type: a
common word, a partner, a register number as it is being typed, a half-typed last word, a rare
word, a search with filters; target < 100 ms each. (2) the XLSX of all 100,000 agreements
(alur.agreements.exports.write_xlsx over the rekapitulasi's query, streamed from a server-side
cursor), target < 5 s; longer than XLSX_IN_REQUEST_LIMIT agreements the worker makes it and the
person is notified, so (3) the longest XLSX made while the person waits, the first
XLSX_IN_REQUEST_LIMIT agreements, target < 5 s.

The data: 40 OPDs, 3,000 partners (companies, universities, regencies, cooperatives, foundations),
100,000 agreements over seven years (80% PKS, 15% MoU, 5% addenda; 3% still in process without
a number, 1% cancelled; a third of the PKS implementing an MoU), titles, objects and scopes
composed from the words of real agreements, about 150,000 implementation reports on 60% of them.
Written by one INSERT ... SELECT over generate_series inside PostgreSQL, the search trigger
filling each row's search column as it does for a registration or an import, and no row updated
afterwards (an UPDATE of every row would leave the table twice its size until a VACUUM FULL,
which is not the state of a register written agreement by agreement); the GIN index is built
after the load, as a bulk load does, then VACUUM ANALYZE. A database `alur_bench_register` (ALUR_BENCH_REGISTER_DATABASE) is dropped and created
on the server of ALUR_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test) and
dropped afterwards. PostgreSQL only: the targets are PostgreSQL's. `--cases N` generates N
agreements instead of 100,000.
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import tempfile
import textwrap
import time
from pathlib import Path

import engine

AGREEMENTS = 100_000
PARTNERS = 3_000
OPDS = 40
YEARS = 7
SEARCH_TARGET_MS = 100
XLSX_TARGET_S = 5.0
RUNS = 7
XLSX_RUNS = 3
DATABASE = os.environ.get("ALUR_BENCH_REGISTER_DATABASE", "alur_bench_register")

# Words of real agreements' titles and scopes (Bangka Belitung's register), drawn at random.
TOPICS = ["Pengembangan Pariwisata Bahari", "Promosi Wisata Daerah", "Pengelolaan Sampah Pesisir", "Riset Perikanan Tangkap",
          "Rehabilitasi Terumbu Karang", "Budidaya Rumput Laut", "Pemasaran Produk Perikanan", "Pelatihan Pemandu Wisata",
          "Sertifikasi Homestay", "Pengembangan Desa Wisata", "Beasiswa Mahasiswa Daerah", "Penyediaan Air Bersih",
          "Reklamasi Lahan Bekas Tambang", "Penanganan Stunting", "Pelayanan Kesehatan Rujukan", "Pendidikan Vokasi",
          "Pemberdayaan Usaha Mikro", "Penyaluran Kredit Usaha Rakyat", "Pengembangan Energi Surya", "Konservasi Mangrove",
          "Penguatan Koperasi Nelayan", "Digitalisasi Layanan Publik", "Pengamanan Jaringan Persandian", "Peningkatan Kapasitas ASN",
          "Pembangunan Jalan Poros Desa", "Pengembangan Kawasan Industri", "Penanaman Modal Perkebunan Lada",
          "Pengelolaan Arsip Statis", "Pelestarian Cagar Budaya", "Festival Serumpun Sebalai"]
PLACES = ["Kabupaten Bangka", "Kabupaten Belitung", "Kabupaten Bangka Barat", "Kabupaten Bangka Tengah",
          "Kabupaten Bangka Selatan", "Kabupaten Belitung Timur", "Kota Pangkalpinang", "Provinsi Kepulauan Bangka Belitung"]
SCOPES = ["pertukaran data dan informasi", "pelatihan dan pendampingan", "penelitian dan pengembangan", "promosi bersama",
          "penyediaan sarana dan prasarana", "pembiayaan kegiatan", "pengawasan dan evaluasi", "magang dan praktik kerja",
          "penyuluhan masyarakat", "pemanfaatan aset daerah", "sosialisasi dan publikasi", "pengembangan sumber daya manusia"]
PARTNER_KINDS = [("PT", "badan_usaha"), ("CV", "badan_usaha"), ("PT", "bumn_bumd"), ("Universitas", "perguruan_tinggi"),
                 ("Politeknik", "perguruan_tinggi"), ("Koperasi", "ormas"), ("Yayasan", "ormas"), ("Pemerintah Kabupaten", "lainnya")]
PARTNER_WORDS = ["Timah", "Bahari", "Serumpun", "Sebalai", "Maju", "Jaya", "Nusantara", "Lada", "Putih", "Pesona", "Laut",
                 "Belitung", "Bangka", "Sejahtera", "Mandiri", "Karya", "Samudra", "Pelangi", "Mentok", "Toboali", "Sungailiat",
                 "Koba", "Tanjung", "Pandan", "Manggar", "Kelapa", "Kampit", "Muntok", "Air", "Gegas"]
URUSAN = ["pariwisata", "kelautan_perikanan", "pendidikan", "kesehatan", "lingkungan_hidup", "koperasi_ukm", "esdm",
          "penanaman_modal", "kominfo", "pekerjaan_umum", "kebudayaan", "kearsipan", "pertanian", "persandian"]
PROGRESS = ["Kegiatan berjalan sesuai rencana", "Pelatihan tahap pertama selesai", "Penyusunan rencana kerja bersama",
            "Kendala anggaran, kegiatan ditunda", "Sosialisasi kepada masyarakat telah dilaksanakan", "Monitoring lapangan"]


# --- parent ------------------------------------------------------------------------------------------

def main(options: argparse.Namespace) -> None:
    print(textwrap.indent(__doc__.split("\n\n")[1], "  "))
    engine.run_on_fresh_postgres(__file__, DATABASE, options, _print_report)


def _print_report(r: dict) -> None:
    data = r["data"]
    print(f"  server: {r['server']}")
    print(f"  set-up (migrate + demo data) {r['setup_s']:.1f} s; data generated in {data['generate_s']:.1f} s "
          f"(search index built in {data['index_s']:.1f} s), VACUUM ANALYZE {data['vacuum_s']:.1f} s")
    print(f"  {data['agreements']:,} agreements of {data['opds']} OPDs with {data['partners']:,} partners, "
          f"{data['reports']:,} implementation reports; table {data['table']}, search index {data['index']}")
    print(f"\n  search as the rekapitulasi page runs it (counts per status + first {r['per_page']} rows, ranked by relevance up to "
          f"{r['rank_limit']:,} matches, newest first above)")
    print(f"  {'text typed':<44} {'found':>8} {'median':>9} {'slowest':>9}   target < {SEARCH_TARGET_MS} ms")
    for row in r["searches"]:
        met = "MET" if row["median_ms"] < SEARCH_TARGET_MS else "NOT MET"
        print(f"  {row['name']:<44} {row['found']:>8,} {row['median_ms']:>6.0f} ms {row['max_ms']:>6.0f} ms   {met}")
    x = r["xlsx"]
    met = "MET" if x["median_s"] < XLSX_TARGET_S else "NOT MET"
    print(f"\n  XLSX of all {x['rows']:,} agreements ({x['size_mb']:.1f} MB): median {x['median_s']:.2f} s, "
          f"slowest {x['max_s']:.2f} s   target < {XLSX_TARGET_S:.0f} s: {met}")
    print(f"    of which reading the rows from PostgreSQL (the same query, streamed, no file): {x['read_s']:.2f} s")
    x = r["xlsx_in_request"]
    met = "MET" if x["median_s"] < XLSX_TARGET_S else "NOT MET"
    print(f"  XLSX of {x['rows']:,} agreements, the most made in the request (more are made by the worker): "
          f"median {x['median_s']:.2f} s, slowest {x['max_s']:.2f} s   target < {XLSX_TARGET_S:.0f} s: {met}")
    print(f"\n  ({RUNS} runs of each search and {XLSX_RUNS} of the XLSX, after a warm-up; the plans of a search's page, “universitas bangka”:)")
    for line in r["plan"]:
        print(f"    {line}")


# --- child -------------------------------------------------------------------------------------------

def _child(out: Path, cases: int) -> None:
    setup_s = engine.set_up_database()
    from alur.agreements.exports import XLSX_IN_REQUEST_LIMIT
    from alur.agreements.rekap import RANK_LIMIT
    from alur.web.rekap_views import PER_PAGE

    data = _generate(cases or AGREEMENTS)
    searches = _time_searches()
    xlsx = _time_xlsx()
    xlsx_in_request = _time_xlsx(limit=XLSX_IN_REQUEST_LIMIT)
    out.write_text(json.dumps({"server": engine._server_description(), "setup_s": setup_s, "data": data, "searches": searches,
                               "xlsx": xlsx, "xlsx_in_request": xlsx_in_request, "plan": _plan(), "per_page": PER_PAGE,
                               "rank_limit": RANK_LIMIT}))


def _constant_columns(model, given: set[str]) -> tuple[list[str], list]:
    """Every other column of the model with its field's default (the ORM's, as the database
    value): what an INSERT by hand must still give, whatever fields later migrations add."""
    from django.db import connection

    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.column in given or field.primary_key:
            continue
        default = field.get_default()
        columns.append(field.column)
        values.append(field.get_db_prep_save(default, connection) if default is not None else None)
    return columns, values


def _generate(count: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from alur.agreements.models import Agreement, ImplementationReport, Partner
    from alur.org.models import OrgUnit

    migration = importlib.import_module("alur.agreements.migrations.0005_agreement_search")
    for number in range(1, OPDS + 1 - OrgUnit.objects.filter(kind=OrgUnit.Kind.OPD).count()):
        OrgUnit.objects.get_or_create(code=f"opd-{number:02}", defaults={"name": f"Dinas Contoh {number}", "kind": OrgUnit.Kind.OPD})
    opds = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.OPD).values_list("pk", flat=True))
    user = get_user_model().objects.get(username="pengelola").pk
    today = timezone.localdate()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # Partners: a prefix of their kind and two words, numbered to stay unique.
        p_columns, p_values = _constant_columns(Partner, {"name", "kind"})
        cursor.execute(
            f"""INSERT INTO {Partner._meta.db_table} (name, kind{''.join(', ' + c for c in p_columns)})
                SELECT (%(prefixes)s::text[])[1 + mod(g, %(nkinds)s)] || ' ' || (%(words)s::text[])[1 + mod(g * 7, %(nwords)s)]
                       || ' ' || (%(words)s::text[])[1 + mod(g * 13 / 5, %(nwords)s)] || ' ' || g,
                       (%(kinds)s::text[])[1 + mod(g, %(nkinds)s)]{''.join(f', %(p{i})s' for i in range(len(p_values)))}
                  FROM generate_series(1, %(n)s) g ON CONFLICT (name) DO NOTHING""",
            {"prefixes": [p for p, _ in PARTNER_KINDS], "kinds": [k for _, k in PARTNER_KINDS], "nkinds": len(PARTNER_KINDS),
             "words": PARTNER_WORDS, "nwords": len(PARTNER_WORDS), "n": PARTNERS,
             **{f"p{i}": v for i, v in enumerate(p_values)}})
        cursor.execute(f"SELECT array_agg(id) FROM {Partner._meta.db_table}")
        partners = cursor.fetchone()[0]

        cursor.execute("DROP INDEX IF EXISTS agreements_search_document")
        given = {"id", "kind", "title", "org_unit_id", "partner_id", "object", "scope", "duration_months", "registered_by_id",
                 "registered_at", "source", "number", "partner_number", "urusan", "value", "signed_on", "signed_place", "signer",
                 "starts_on", "ends_on", "registered_on", "archive_place", "cancelled_at", "implements_id", "amends_id"}
        a_columns, a_values = _constant_columns(Agreement, given)
        # g mod 20: 0 addendum, 1-3 MoU, else PKS; 3% in process (no number, not signed), 1% cancelled.
        cursor.execute(
            f"""
            WITH base AS (
                SELECT g,
                       CASE WHEN mod(g, 20) = 0 THEN 'addendum' WHEN mod(g, 20) <= 3 THEN 'mou' ELSE 'pks' END AS kind,
                       %(today)s::date - (random() * 365 * %(years)s)::int AS signed,
                       mod(g, 100) < 3 AS in_process,
                       (%(topics)s::text[])[1 + floor(random() * %(ntopics)s)::int] AS topic,
                       (%(places)s::text[])[1 + floor(random() * %(nplaces)s)::int] AS place,
                       (%(scopes)s::text[])[1 + floor(random() * %(nscopes)s)::int] AS scope1,
                       (%(scopes)s::text[])[1 + floor(random() * %(nscopes)s)::int] AS scope2,
                       1 + floor(random() * 5)::int AS years
                  FROM generate_series(1, %(n)s) g
            )
            INSERT INTO agreements_agreement (id, kind, title, org_unit_id, partner_id, object, scope, duration_months,
                registered_by_id, registered_at, source, number, partner_number, urusan, value, signed_on, signed_place, signer,
                starts_on, ends_on, registered_on, archive_place, cancelled_at, implements_id, amends_id{''.join(', ' + c for c in a_columns)})
            SELECT g, kind,
                   CASE kind WHEN 'mou' THEN 'Kesepakatan Bersama tentang ' WHEN 'addendum' THEN 'Addendum Perjanjian Kerja Sama tentang '
                             ELSE 'Perjanjian Kerja Sama tentang ' END || topic || ' di ' || place,
                   (%(opds)s::bigint[])[1 + floor(random() * %(nopds)s)::int],
                   (%(partners)s::bigint[])[1 + floor(random() * %(npartners)s)::int],
                   topic, initcap(scope1) || ', ' || scope2 || ', serta kegiatan lain yang disepakati', years * 12,
                   %(user)s, signed::timestamptz, 'import',
                   CASE WHEN in_process THEN NULL
                        ELSE '119/' || g || '/' || upper(kind) || '/B.PEM/' || extract(year FROM signed) END,
                   CASE WHEN mod(g, 5) < 3 THEN 'PK/' || mod(g * 7, 9973) || '/' || extract(year FROM signed) ELSE '' END,
                   (%(urusan)s::text[])[1 + mod(g, %(nurusan)s)],
                   CASE WHEN mod(g, 2) = 0 THEN round((random() * 5000)::numeric) * 1000000 END,
                   CASE WHEN NOT in_process THEN signed END,
                   CASE WHEN NOT in_process THEN 'Pangkalpinang' ELSE '' END,
                   CASE WHEN in_process THEN '' WHEN kind = 'mou' THEN 'gubernur' WHEN mod(g, 3) = 0 THEN 'kepala_opd' ELSE 'gubernur' END,
                   CASE WHEN NOT in_process THEN signed END,
                   CASE WHEN NOT in_process THEN (signed + make_interval(years => years))::date - 1 END,
                   CASE WHEN NOT in_process THEN signed + 1 END,
                   CASE WHEN NOT in_process THEN 'Lemari arsip ' || (mod(g, 40) + 1) ELSE '' END,
                   CASE WHEN mod(g, 100) = 50 THEN signed::timestamptz + interval '30 days' END,
                   -- A third of the PKS implement an MoU (the first of their twenty, always an MoU);
                   -- each addendum amends the agreement before it.
                   CASE WHEN kind = 'pks' AND mod(g, 3) = 0 THEN g - mod(g, 20) + 1 END,
                   CASE WHEN kind = 'addendum' AND g > 1 THEN g - 1 END
                   {''.join(f', %(a{i})s' for i in range(len(a_values)))}
              FROM base
            """,
            {"today": today, "years": YEARS, "topics": TOPICS, "ntopics": len(TOPICS), "places": PLACES, "nplaces": len(PLACES),
             "scopes": SCOPES, "nscopes": len(SCOPES), "n": count, "opds": opds, "nopds": len(opds), "partners": partners,
             "npartners": len(partners), "user": user, "urusan": URUSAN, "nurusan": len(URUSAN),
             **{f"a{i}": v for i, v in enumerate(a_values)}})
        cursor.execute("SELECT setval(pg_get_serial_sequence('agreements_agreement', 'id'), %s)", [count])
        # Reports: 60% of the signed agreements have 1 to 4.
        r_columns, r_values = _constant_columns(ImplementationReport, {"agreement_id", "reported_on", "reporter_id", "progress",
                                                                       "obstacles", "follow_up", "created_at"})
        cursor.execute(
            f"""INSERT INTO {ImplementationReport._meta.db_table} (agreement_id, reported_on, reporter_id, progress, obstacles,
                    follow_up, created_at{''.join(', ' + c for c in r_columns)})
                SELECT a.id, a.signed_on + n * 90, %(user)s, (%(progress)s::text[])[1 + mod(a.id + n, %(nprogress)s)], '', '',
                       (a.signed_on + n * 90)::timestamptz{''.join(f', %(r{i})s' for i in range(len(r_values)))}
                  FROM agreements_agreement a CROSS JOIN generate_series(1, 4) n
                 WHERE a.signed_on IS NOT NULL AND mod(a.id, 5) < 3 AND n <= 1 + mod(a.id, 4) AND a.signed_on + n * 90 <= %(today)s""",
            {"user": user, "progress": PROGRESS, "nprogress": len(PROGRESS), "today": today,
             **{f"r{i}": v for i, v in enumerate(r_values)}})
        generate_s = time.perf_counter() - started

        # The search index, as migration 0005 builds it.
        started = time.perf_counter()
        cursor.execute(migration.PG_INDEX)
        index_s = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        vacuum_s = time.perf_counter() - started
        cursor.execute("SELECT count(*), pg_size_pretty(pg_table_size('agreements_agreement')),"
                       " pg_size_pretty(pg_relation_size('agreements_search_document')) FROM agreements_agreement")
        agreements, table, index = cursor.fetchone()
        cursor.execute(f"SELECT count(*) FROM {ImplementationReport._meta.db_table}")
        reports = cursor.fetchone()[0]
    return {"agreements": agreements, "partners": len(partners), "opds": len(opds), "reports": reports, "table": table,
            "index": index, "generate_s": generate_s + index_s, "index_s": index_s, "vacuum_s": vacuum_s}


def _searches() -> list[tuple[str, dict]]:
    from alur.org.models import OrgUnit

    busy = OrgUnit.objects.filter(kind=OrgUnit.Kind.OPD).order_by("code").first()
    return [
        ("a common word: perikanan", {"text": "perikanan"}),
        ("a partner: universitas bangka", {"text": "universitas bangka"}),
        ("a number being typed: 119/4527/P", {"text": "119/4527/P"}),
        ("a whole number: 119/4527/PKS/B.PEM", {"text": "119/4527/PKS/B.PEM"}),
        ("half a word: pelatihan pemandu wis", {"text": "pelatihan pemandu wis"}),
        ("a rare pair: homestay toboali", {"text": "homestay toboali"}),
        ("in nearly every title: perjanjian", {"text": "perjanjian"}),
        ("in nearly every title: kerja sama", {"text": "kerja sama"}),
        ("search + OPD + status aktif: wisata", {"text": "wisata", "org_unit": busy, "status": "aktif"}),
        ("no search, every agreement", {}),
        ("no search, akan berakhir in 90 days", {"expiring_within": 90}),
    ]


def _page(user, filters) -> int:
    """What the page runs (alur.web.rekap_views.rekapitulasi): who the user is, the counts per
    status, then the first page of rows (its ids, then the rows)."""
    from alur.agreements.rekap import RekapPages, status_counts
    from alur.web.rekap_views import PER_PAGE

    counts = status_counts(user, filters)
    total = counts[filters.status] if filters.status else sum(counts.values())
    rows = RekapPages(user, filters, total=total)[0:PER_PAGE]
    assert len(rows) == min(total, PER_PAGE)
    return total


def _time_searches() -> list[dict]:
    from django.contrib.auth import get_user_model

    from alur.agreements.rekap import RekapFilters

    user = get_user_model().objects.get(username="karo")
    results = []
    for name, fields in _searches():
        filters = RekapFilters(**fields)
        found = _page(user, filters)  # warm-up
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            _page(user, filters)
            times.append((time.perf_counter() - started) * 1000)
        results.append({"name": name, "found": found, "median_ms": statistics.median(times), "max_ms": max(times)})
    return results


def _time_xlsx(limit: int | None = None) -> dict:
    """write_xlsx of the whole register, or of its first `limit` agreements (newest first)."""
    from django.contrib.auth import get_user_model

    from alur.agreements.exports import write_xlsx
    from alur.agreements.rekap import RekapFilters, export_rows, rekap

    user = get_user_model().objects.get(username="karo")

    def agreements():
        everything = rekap(user, RekapFilters())
        return everything.filter(pk__in=everything.values("pk")[:limit]) if limit else everything

    started = time.perf_counter()
    rows = sum(1 for _ in export_rows(agreements()))  # as the export reads them
    read_s = time.perf_counter() - started
    times, size = [], 0
    for run in range(XLSX_RUNS + 1):
        with tempfile.TemporaryFile() as out:
            started = time.perf_counter()
            _, rows = write_xlsx(agreements(), filters_text="Semua perjanjian", out=out)
            elapsed = time.perf_counter() - started
            size = out.seek(0, 2)
        if run:  # the first is the warm-up
            times.append(elapsed)
    return {"rows": rows, "median_s": statistics.median(times), "max_s": max(times), "size_mb": size / 1e6, "read_s": read_s}


def _plan() -> list[str]:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from alur.agreements.rekap import RekapFilters, RekapPages
    from alur.web.rekap_views import PER_PAGE

    user = get_user_model().objects.get(username="karo")
    pages = RekapPages(user, RekapFilters(text="universitas bangka"), total=0)
    statements = []

    def capture(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        pages[0:PER_PAGE]
    lines = []
    with connection.cursor() as cursor:
        for sql, params in statements:
            if "agreements_agreement" not in sql:
                continue
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + sql, params)
            lines.append(" ".join(sql.split())[:100] + " ...")
            lines += ["  " + row[0] for row in cursor.fetchall()]
    return lines


if __name__ == "__main__":
    engine.child_entry(_child, "register.py")
