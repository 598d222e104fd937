"""Full-text search over the register, the same function on SQLite (the fields read as they are)
and PostgreSQL (tsvector, indonesian configuration): what it finds, what people type, that it
follows every change, and the database objects each database has for it (PostgreSQL's kept by
triggers, none on SQLite)."""
from __future__ import annotations

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from alur.agreements.models import Agreement, Partner
from alur.agreements.search import MAX_WORDS, search_agreements, search_terms
from tests.agreements.registerdata import agreement, partner

# The migration that made the search's database objects, tested as a migration is.
migration = importlib.import_module("alur.agreements.migrations.0005_agreement_search")

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's text search; runs in the PostgreSQL pass")
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plain search")

BEFORE_SEARCH = [("agreements", "0004_remove_partner_contact_fields")]
WITH_FTS5 = [("agreements", "0005_agreement_search")]
FTS5_OBJECTS = {"agreements_search", "agreements_search_insert", "agreements_search_update", "agreements_search_delete",
                "agreements_search_partner_renamed"}


def migrate_to(targets: list[tuple[str, str]] | None) -> None:
    """The database migrated forwards or backwards to the targets; to the latest when None."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


def found(text: str, queryset=None) -> list[str]:
    """Titles found, best first."""
    agreements = search_agreements(queryset if queryset is not None else Agreement.objects.all(), text)
    return list(agreements.order_by("-search_rank", "id").values_list("title", flat=True))


@pytest.fixture
def migrate(transactional_db):
    """migrate_to, the database put back at the latest migration at the end, as the other tests expect it."""
    yield migrate_to
    migrate_to(None)


@pytest.fixture
def register(demo):
    agreement(title="PKS Pengembangan Perikanan Tangkap", partner_name="Universitas Bangka Belitung",
              partner_kind=Partner.Kind.PERGURUAN_TINGGI, number="119/3/PKS/B.PEM/I/2026", partner_number="UBB/45/KS/2026",
              scope="Penelitian stok ikan dan pelatihan nelayan", opd="dkp")
    agreement(title="PKS Promosi Wisata Bahari", partner_name="PT Pesona Wisata Serumpun", number="119/13/PKS/B.PEM/I/2026",
              scope="Promosi, pelatihan pemandu wisata")
    agreement(title="Nota Kesepakatan Pembangunan Daerah", partner_name="Kabupaten Belitung Timur", kind=Agreement.Kind.MOU,
              number="3/119/MOU/B.PEM/II/2026", scope="Kerja sama pariwisata dan perikanan", partner_kind=Partner.Kind.LAINNYA)
    agreement(title="PKS Beasiswa Mahasiswa Daerah", partner_name="Politeknik Manufaktur Negeri Bangka Belitung",
              partner_kind=Partner.Kind.PERGURUAN_TINGGI, signed=False, scope="Beasiswa dan magang")


# --- what is found --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("tangkap", ["PKS Pengembangan Perikanan Tangkap"]),  # a word of the title
    ("serumpun", ["PKS Promosi Wisata Bahari"]),  # the partner's name
    ("nelayan", ["PKS Pengembangan Perikanan Tangkap"]),  # the scope
    ("UBB/45", ["PKS Pengembangan Perikanan Tangkap"]),  # the partner's number
    ("MOU/B.PEM", ["Nota Kesepakatan Pembangunan Daerah"]),  # our number
    ("POLITEKNIK", ["PKS Beasiswa Mahasiswa Daerah"]),  # case does not matter; an agreement in process too
])
def test_it_finds_an_agreement_by_each_searched_field(register, text, expected):
    assert found(text) == expected


def test_case_does_not_matter_in_letters_beyond_ascii_either(register):
    agreement(title="PKS Kafé Ölçer", partner_name="CV Kopi Nusantara")
    assert found("ÖLÇER") == ["PKS Kafé Ölçer"]
    assert found("pks kafÉ") == ["PKS Kafé Ölçer"]


def test_a_word_is_not_found_inside_another_word(register):
    assert found("angka") == []  # only in "Bangka"
    assert found("elitung timur") == []


def test_every_word_must_occur(register):
    assert found("wisata pemandu") == ["PKS Promosi Wisata Bahari"]
    assert found("wisata nelayan") == []


def test_the_last_word_is_matched_as_the_start_of_a_word(register):
    assert found("pengembangan perik") == ["PKS Pengembangan Perikanan Tangkap"]
    assert found("beasis") == ["PKS Beasiswa Mahasiswa Daerah"]
    # only the last word: a word before it must be whole
    assert found("perik tangkap") == []
    # standing alone, from three letters on ("pe" would be the start of nearly every word)
    assert found("be") == []
    assert found("bea") == ["PKS Beasiswa Mahasiswa Daerah"]


def test_a_register_number_finds_its_agreement_and_not_ones_with_the_same_digits_elsewhere(register):
    assert found("119/3/PKS") == ["PKS Pengembangan Perikanan Tangkap"]
    assert found("119/3/PKS/B.PEM/I/2026") == ["PKS Pengembangan Perikanan Tangkap"]
    assert found("119/13") == ["PKS Promosi Wisata Bahari"]
    assert found("3/119") == ["Nota Kesepakatan Pembangunan Daerah"]
    # as it is being typed
    assert found("119/3/P") == ["PKS Pengembangan Perikanan Tangkap"]
    assert found("119 3") != []  # words apart: anywhere


def test_a_match_in_the_title_ranks_above_a_match_in_the_scope(register):
    titles = found("perikanan")
    assert titles[0] == "PKS Pengembangan Perikanan Tangkap"
    assert "Nota Kesepakatan Pembangunan Daerah" in titles


def test_a_match_in_the_partners_name_ranks_above_a_match_in_the_scope(register):
    agreement(title="PKS Pengolahan Hasil Laut", partner_name="Koperasi Nelayan Sejahtera", scope="Pengolahan ikan asin")
    assert found("nelayan") == ["PKS Pengolahan Hasil Laut", "PKS Pengembangan Perikanan Tangkap"]


def test_search_keeps_the_filters_of_the_queryset_it_is_given(register):
    assert found("daerah", Agreement.objects.filter(kind=Agreement.Kind.MOU)) == ["Nota Kesepakatan Pembangunan Daerah"]


def test_the_search_works_inside_a_subquery(register):
    matching = search_agreements(Agreement.objects.all(), "wisata", rank=False).values("pk")
    assert list(Agreement.objects.filter(pk__in=matching).values_list("title", flat=True)) == ["PKS Promosi Wisata Bahari"]


@postgres_only
def test_postgresql_matches_words_by_their_stem(register):
    # indonesian Snowball: "perikanan" is stemmed to "ikan", "pembangunan" to "bangun"
    assert found("ikan") == ["PKS Pengembangan Perikanan Tangkap", "Nota Kesepakatan Pembangunan Daerah"]
    assert found("membangun") == ["Nota Kesepakatan Pembangunan Daerah"]


# --- what people type ------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    '"', "'", "''", '"wisata', "wisata'", "wisata\\", "\\", "&", "|", "!", "!wisata", "wisata & | !", "(wisata", "wisata)",
    "wisata:*", ":*", "*", "-wisata", "wisata -", "NOT wisata", "wisata OR", "AND", "NEAR(wisata bahari)", "wisata <-> bahari",
    "wisata <2> bahari", "title:wisata", "{wisata}", "^wisata", "wisata*", "%", "_", "%wisata_", "wisata; DROP TABLE x;--",
    "😀", "wisata 😀", "\x00", "wisata\x00bahari", "ｗｉｓａｔａ", "wisata\t\nbahari", "a" * 5000, "wisata " * 500,
])
def test_any_text_is_a_safe_query(register, text):
    found(text)  # never an error
    search_agreements(Agreement.objects.all(), text, rank=False).count()


def test_operators_and_quotes_only_separate_words(register):
    assert found('"wisata" (bahari)') == ["PKS Promosi Wisata Bahari"]
    assert found("+wisata -bahari") == ["PKS Promosi Wisata Bahari"]  # both required, as every word
    assert found("wisata AND bahari") == []  # "and" is a word like any other, and no agreement has it
    assert found("wisata|bahari") == ["PKS Promosi Wisata Bahari"]  # a phrase of two words, not an OR


@pytest.mark.parametrize("text", ["", "   ", None, "!!!", "/ - /", "*"])
def test_text_without_a_word_keeps_every_agreement(register, text):
    assert len(found(text)) == Agreement.objects.count()


def test_the_words_of_a_text():
    assert search_terms("PKS 119/3/pks-2026 ") == [["pks"], ["119", "3", "pks", "2026"]]
    assert search_terms('"Dinas" (Pariwisata)') == [["dinas"], ["pariwisata"]]
    assert search_terms("snake_case") == [["snake", "case"]]
    assert search_terms("") == []
    assert sum(map(len, search_terms("kata " * 100))) == MAX_WORDS


# --- the search follows every change ---------------------------------------------------------------

def test_an_edited_agreement_is_found_by_its_new_words_only(register):
    pks = Agreement.objects.get(title="PKS Promosi Wisata Bahari")
    pks.title = "PKS Festival Budaya"
    pks.save()
    assert found("festival") == ["PKS Festival Budaya"]
    assert found("bahari") == []
    Agreement.objects.filter(pk=pks.pk).update(number="77/1/PKS/2026", scope="Pergelaran seni")
    assert found("77/1/PKS") == ["PKS Festival Budaya"]
    assert found("pergelaran") == ["PKS Festival Budaya"]


def test_an_agreement_moved_to_another_partner_is_found_by_its_name(register):
    pks = Agreement.objects.get(title="PKS Promosi Wisata Bahari")
    pks.partner = partner("CV Lada Putih")
    pks.save()
    assert found("lada putih") == ["PKS Promosi Wisata Bahari"]
    assert found("serumpun") == []


def test_a_renamed_partner_is_found_by_its_new_name(register):
    Partner.objects.filter(name="Universitas Bangka Belitung").update(name="Universitas Negeri Babel")
    assert found("babel") == ["PKS Pengembangan Perikanan Tangkap"]
    assert found("universitas bangka") == []


def test_a_deleted_agreement_is_no_longer_found(register):
    Agreement.objects.filter(title="PKS Promosi Wisata Bahari").delete()
    assert found("wisata") == []


def test_an_agreement_changed_with_plain_sql_is_found_by_its_new_words(register):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE agreements_agreement SET title = 'PKS Kebun Lada' WHERE title = 'PKS Promosi Wisata Bahari'")
    assert found("kebun lada") == ["PKS Kebun Lada"]
    assert found("bahari") == []


def test_agreements_written_in_bulk_are_found(demo):
    unit, user = agreement(title="PKS pertama").org_unit, Agreement.objects.get().registered_by
    owner = partner("PT Timah Nusantara")
    Agreement.objects.bulk_create([Agreement(title=f"PKS Reklamasi Lahan {n}", org_unit=unit, partner=owner, object="o",
                                             scope="s", duration_months=12, registered_by=user) for n in range(3)])
    assert len(found("reklamasi timah")) == 3


# --- the database objects ---------------------------------------------------------------------------

def test_the_configuration_is_indonesian_where_the_server_has_it_and_simple_otherwise():
    assert migration.pick_config({"simple", "english", "indonesian"}) == "indonesian"
    # A server without the indonesian configuration (built without Snowball's, or before
    # PostgreSQL 12): no stemming, everything else the same.
    assert migration.pick_config({"simple", "english"}) == "simple"


@postgres_only
def test_this_server_has_the_indonesian_configuration_and_the_search_uses_it(register):
    with connection.cursor() as cursor:
        cursor.execute("SELECT agreements_search_config()::text")
        assert cursor.fetchone()[0] == "indonesian"


@postgres_only
def test_with_the_simple_configuration_everything_but_stemming_works(register):
    with connection.cursor() as cursor:
        cursor.execute(migration.PG_FUNCTIONS.replace("{config}", migration.PG_FALLBACK_CONFIG))
        cursor.execute(migration.PG_FILL)
    assert found("perikanan tangkap") == ["PKS Pengembangan Perikanan Tangkap"]
    assert found("119/3/P") == ["PKS Pengembangan Perikanan Tangkap"]
    assert found("membangun") == []  # no stem: "pembangunan" is only itself


@postgres_only
def test_postgresql_answers_from_the_gin_index(register):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = search_agreements(Agreement.objects.all(), "wisata bah", rank=False).query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "agreements_search_document" in plan


@sqlite_only
def test_sqlite_keeps_no_search_table_and_no_triggers(db):
    # The test database was migrated from empty: 0005 made an FTS5 table and its triggers, 0006
    # dropped them. The plain search reads the agreements' own fields: nothing to keep current,
    # nothing a table rebuilt by a later migration can lose.
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name FROM sqlite_master WHERE type = 'trigger' OR name LIKE 'agreements_search%'")
        assert cursor.fetchall() == []


@pytest.mark.django_db(transaction=True)
def test_the_migrations_go_back_and_forth_and_the_search_finds_the_rows_already_there(migrate, demo):
    agreement(title="PKS Sebelum Pencarian", partner_name="PT Lama")
    migrate(BEFORE_SEARCH)
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        columns = [c.name for c in connection.introspection.get_table_description(cursor, "agreements_agreement")]
    assert "agreements_search" not in tables and "search_document" not in columns

    migrate(None)
    assert found("sebelum pencarian") == ["PKS Sebelum Pencarian"]
    assert found("lama") == ["PKS Sebelum Pencarian"]


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_sqlite_database_at_0005_loses_its_fts5_table_and_triggers_and_finds_its_rows_as_before(migrate, demo):
    agreement(title="PKS Sebelum Pencarian Biasa", partner_name="PT Lama")
    migrate(WITH_FTS5)  # 0006 undone: 0005's table and triggers back, filled
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master")
        assert FTS5_OBJECTS <= {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT title FROM agreements_search WHERE agreements_search MATCH 'biasa'")
        assert cursor.fetchall() == [("PKS Sebelum Pencarian Biasa",)]

    migrate(None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master")
        assert FTS5_OBJECTS.isdisjoint(row[0] for row in cursor.fetchall())
    assert found("pencarian biasa") == ["PKS Sebelum Pencarian Biasa"]


@postgres_only
def test_the_postgresql_query_names_each_alternative_once(db):
    from alur.agreements.search import postgres_tsquery

    # the stem and the word as written are one lexeme: once (the planner counts each alternative)
    assert postgres_tsquery([["universitas"], ["bangka"]], connection) == "'universitas' & 'bangka':*"
    # the stem differs: both
    assert postgres_tsquery([["perikanan"], ["tangkap"]], connection) == "(('ikan') | ('perikanan')) & 'tangkap':*"
    assert postgres_tsquery([["119", "3", "pks"]], connection) == "(('119') <-> ('3') <-> ('pks':*))"
    assert postgres_tsquery([["be"]], connection) == "'be'"  # too short to stand alone as a prefix
