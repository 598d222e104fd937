"""Full-text search over the register: title, partner name, scope and both numbers.

Nothing here is a model field: the search data lives beside the tables and is kept by the
database itself, so every way an agreement is written (the ORM, the import's bulk inserts, a
partner renamed in the admin, raw SQL) keeps it current. alur.agreements.search queries it.

PostgreSQL: a tsvector column `search_document` on agreements_agreement with a GIN index, filled
by a BEFORE INSERT/UPDATE trigger from the agreement's row and its partner's name, and refreshed
for every agreement of a partner when the partner is renamed. Each field is indexed twice, with
the `indonesian` configuration (Snowball stemming: "perikanan" and "ikan" meet) and with
`simple` (the words as written, which the last, half-typed word of a query is matched against
as a prefix). Punctuation is turned into spaces first, so that "119/3/PKS/B.PEM/2026" is the
words 119, 3, pks, b, pem, 2026 (PostgreSQL's parser would take it for one file path) and
matches what the user types in any form. Weights: numbers and title A, partner B, scope C.
The configuration is fixed once, here, in the function agreements_search_config(), which the
query side calls too: `indonesian` where the server has it (PostgreSQL ships it since 12), else
`simple` (no stemming; every other part works the same), so that the two can never disagree.

PostgreSQL also gets an index in the rekapitulasi's default order (newest signed first), so its
first page of 100,000 agreements is read from the index's start instead of sorting them all.
(SQLite holds one office's register; it sorts that in milliseconds.)

SQLite: an FTS5 table agreements_search (rowid = the agreement's id; unicode61 tokenizer with
diacritics folded, no stemming: SQLite has no Indonesian stemmer) kept by triggers on agreement
insert, update and delete and on partner rename. SQLite drops a table's triggers when Django
rebuilds the table (its way of altering a column), so they had to be put back after every
`migrate`. Migration 0006 dropped the table and its triggers: SQLite's search reads the fields
themselves now (alur.agreements.search).
"""
from django.db import migrations

# --- PostgreSQL ------------------------------------------------------------------------------------

PG_PREFERRED_CONFIG = "indonesian"
PG_FALLBACK_CONFIG = "simple"


def pick_config(available: set[str]) -> str:
    """The text search configuration to use, given the server's (pg_ts_config)."""
    return PG_PREFERRED_CONFIG if PG_PREFERRED_CONFIG in available else PG_FALLBACK_CONFIG


PG_FUNCTIONS = """
CREATE OR REPLACE FUNCTION agreements_search_config() RETURNS regconfig
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT '{config}'::regconfig $$;

-- One field's words, stemmed and as written, at a weight. Punctuation separates words.
CREATE OR REPLACE FUNCTION agreements_search_part(text, "char") RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector(agreements_search_config(), w) || to_tsvector('simple', w), $2)
    FROM (SELECT regexp_replace(coalesce($1, ''), '[[:punct:]]+', ' ', 'g') AS w) words $$;

-- number, partner_number, title, partner name, scope
CREATE OR REPLACE FUNCTION agreements_search_document(text, text, text, text, text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT agreements_search_part(concat_ws(' ', $1, $2), 'A') || agreements_search_part($3, 'A')
        || agreements_search_part($4, 'B') || agreements_search_part($5, 'C') $$;

CREATE OR REPLACE FUNCTION agreements_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document := agreements_search_document(NEW.number, NEW.partner_number, NEW.title,
        (SELECT name FROM agreements_partner WHERE id = NEW.partner_id), NEW.scope);
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION agreements_search_partner_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE agreements_agreement
       SET search_document = agreements_search_document(number, partner_number, title, NEW.name, scope)
     WHERE partner_id = NEW.id;
    RETURN NULL;
END $$;
"""

PG_CREATE = """
ALTER TABLE agreements_agreement ADD COLUMN search_document tsvector;

CREATE TRIGGER agreements_search_refresh
    BEFORE INSERT OR UPDATE OF number, partner_number, title, partner_id, scope ON agreements_agreement
    FOR EACH ROW EXECUTE FUNCTION agreements_search_refresh();

CREATE TRIGGER agreements_search_partner_renamed
    AFTER UPDATE OF name ON agreements_partner
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION agreements_search_partner_renamed();
"""

# The rows there are already (and what a bulk load does after inserting with the trigger off).
PG_FILL = """
UPDATE agreements_agreement a
   SET search_document = agreements_search_document(a.number, a.partner_number, a.title, p.name, a.scope)
  FROM agreements_partner p
 WHERE p.id = a.partner_id
"""

PG_INDEX = "CREATE INDEX agreements_search_document ON agreements_agreement USING gin (search_document)"
PG_ORDER_INDEX = "CREATE INDEX agreements_signed_newest ON agreements_agreement (signed_on DESC NULLS LAST, id DESC)"

PG_DROP = """
DROP TRIGGER IF EXISTS agreements_search_partner_renamed ON agreements_partner;
DROP TRIGGER IF EXISTS agreements_search_refresh ON agreements_agreement;
DROP INDEX IF EXISTS agreements_search_document;
DROP INDEX IF EXISTS agreements_signed_newest;
ALTER TABLE agreements_agreement DROP COLUMN IF EXISTS search_document;
DROP FUNCTION IF EXISTS agreements_search_partner_renamed();
DROP FUNCTION IF EXISTS agreements_search_refresh();
DROP FUNCTION IF EXISTS agreements_search_document(text, text, text, text, text);
DROP FUNCTION IF EXISTS agreements_search_part(text, "char");
DROP FUNCTION IF EXISTS agreements_search_config();
"""

# --- SQLite ----------------------------------------------------------------------------------------

SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS agreements_search USING fts5("
    "number, partner_number, title, partner, scope, tokenize = 'unicode61 remove_diacritics 2')"
)

_SQLITE_INSERT_NEW = (
    "INSERT INTO agreements_search (rowid, number, partner_number, title, partner, scope)"
    " SELECT new.id, coalesce(new.number, ''), new.partner_number, new.title,"
    " (SELECT name FROM agreements_partner WHERE id = new.partner_id), new.scope;"
)

SQLITE_TRIGGERS = {
    "agreements_search_insert": (
        "CREATE TRIGGER IF NOT EXISTS agreements_search_insert AFTER INSERT ON agreements_agreement BEGIN "
        + _SQLITE_INSERT_NEW + " END"
    ),
    "agreements_search_update": (
        "CREATE TRIGGER IF NOT EXISTS agreements_search_update"
        " AFTER UPDATE OF id, number, partner_number, title, partner_id, scope ON agreements_agreement BEGIN"
        " DELETE FROM agreements_search WHERE rowid = old.id; " + _SQLITE_INSERT_NEW + " END"
    ),
    "agreements_search_delete": (
        "CREATE TRIGGER IF NOT EXISTS agreements_search_delete AFTER DELETE ON agreements_agreement BEGIN"
        " DELETE FROM agreements_search WHERE rowid = old.id; END"
    ),
    "agreements_search_partner_renamed": (
        "CREATE TRIGGER IF NOT EXISTS agreements_search_partner_renamed AFTER UPDATE OF name ON agreements_partner"
        " WHEN old.name IS NOT new.name BEGIN"
        " UPDATE agreements_search SET partner = new.name"
        " WHERE rowid IN (SELECT id FROM agreements_agreement WHERE partner_id = new.id); END"
    ),
}

SQLITE_FILL = (
    "INSERT INTO agreements_search (rowid, number, partner_number, title, partner, scope)"
    " SELECT a.id, coalesce(a.number, ''), a.partner_number, a.title, p.name, a.scope"
    " FROM agreements_agreement a JOIN agreements_partner p ON p.id = a.partner_id"
)

SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS] + ["DROP TABLE IF EXISTS agreements_search"]


def pg_config(cursor) -> str:
    cursor.execute("SELECT cfgname FROM pg_ts_config")
    return pick_config({row[0] for row in cursor.fetchall()})


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            config = pg_config(cursor)
            # One of two names of ours (pick_config), never user input.
            cursor.execute(PG_FUNCTIONS.replace("{config}", config))
            cursor.execute(PG_CREATE)
            cursor.execute(PG_FILL)
            cursor.execute(PG_INDEX)
            cursor.execute(PG_ORDER_INDEX)
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(SQLITE_TABLE)
            for statement in SQLITE_TRIGGERS.values():
                cursor.execute(statement)
            cursor.execute(SQLITE_FILL)


def drop(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_DROP)
        elif connection.vendor == "sqlite":
            for statement in SQLITE_DROP:
                cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("agreements", "0004_remove_partner_contact_fields")]

    operations = [migrations.RunPython(create, drop)]
