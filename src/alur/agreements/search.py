"""Full-text search over the register: one function for both databases.

`search_agreements(agreements, text)` keeps the agreements whose title, partner name, scope,
number or partner's number hold every word of the text, annotated with `search_rank` (higher is
better). PostgreSQL answers from the tsvector column and its GIN index with the `indonesian`
configuration (or `simple` on a server without it; see migration 0005, which also says how the
data is kept current); SQLite from its FTS5 table. The differences people can notice: on
PostgreSQL words meet their stems ("perikanan" finds "ikan"), SQLite matches words as written.

What people type is never handed to either query language. It is cut into words (letters and
digits; everything else separates words), and:
- every word must occur (AND);
- words written together without a space ("119/3/PKS", "B.PEM") must occur in that order, next
  to each other (a phrase), so a register number finds its agreement and not every one that has
  a 3 somewhere;
- the last word is also matched as a prefix: people type partial words ("perik" finds
  "perikanan"; "119/3/P" finds 119/3/PKS/...), from three letters on when it stands alone.
Quotes, operators, brackets and stray symbols only separate words; text without any letter or
digit searches nothing and keeps every agreement.

On PostgreSQL the call asks the server once for the words' lexemes (postgres_tsquery) and binds
the resulting tsquery as a constant; the queryset is otherwise as lazy as any.
"""
from __future__ import annotations

import importlib
import re

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import BooleanField, Expression, FloatField, QuerySet, Value

WORD = re.compile(r"[^\W_]+")  # letters and digits, as both databases' tokenizers cut words
MAX_WORDS = 12  # a longer text is a paste, not a search; its first words decide
MAX_WORD_LENGTH = 60  # longer "words" (hashes, glued text) are left out
# A last word standing alone is taken as the start of a word from this length on: "pe" would
# match nearly every agreement ("perjanjian", "pengembangan") and rank them all, for nothing.
# In a group ("119/3/P") the words before it narrow it down, so there it always is.
MIN_PREFIX = 3

# Weights of the SQLite columns, as PostgreSQL's A (numbers, title), B (partner), C (scope).
SQLITE_WEIGHTS = "10.0, 10.0, 10.0, 4.0, 2.0"  # number, partner_number, title, partner, scope

_migration = importlib.import_module("alur.agreements.migrations.0005_agreement_search")
MIGRATION = ("agreements", "0005_agreement_search")


def search_terms(text: str | None) -> list[list[str]]:
    """The text as groups of words: one group per piece between spaces, its words in order.

    "PKS 119/3/pks-2026 " -> [["pks"], ["119", "3", "pks", "2026"]]
    """
    groups: list[list[str]] = []
    count = 0
    for piece in (text or "").split():
        words = [w for w in WORD.findall(piece.lower()) if len(w) <= MAX_WORD_LENGTH][:MAX_WORDS - count]
        if words:
            groups.append(words)
            count += len(words)
        if count >= MAX_WORDS:
            break
    return groups


def search_agreements(agreements: QuerySet, text: str | None, *, rank: bool = True) -> QuerySet:
    """The agreements matching the text, annotated with `search_rank` (unless rank=False).

    Without any word in the text the agreements come back as they are (search_rank 0)."""
    groups = search_terms(text)
    if not groups:
        return agreements.annotate(search_rank=Value(0.0, output_field=FloatField())) if rank else agreements
    connection = connections[agreements.db]
    if connection.vendor == "postgresql":
        query = postgres_tsquery(groups, connection)
        if query is None:
            return agreements.none()
        matches = _SearchSql("{table}.search_document @@ %s::tsquery", [query], BooleanField())
        ranking = _SearchSql("ts_rank({table}.search_document, %s::tsquery)", [query], FloatField())
    elif connection.vendor == "sqlite":
        query = fts5_query(groups)
        matches = _SearchSql("{table}.id IN (SELECT rowid FROM agreements_search WHERE agreements_search MATCH %s)",
                             [query], BooleanField())
        ranking = _SearchSql(f"(SELECT -bm25(agreements_search, {SQLITE_WEIGHTS}) FROM agreements_search"
                             " WHERE agreements_search MATCH %s AND rowid = {table}.id)", [query], FloatField())
    else:
        # Alur is built for these two (settings.py configures nothing else); say so plainly.
        raise ImproperlyConfigured(f"Pencarian teks penuh hanya tersedia di SQLite dan PostgreSQL, bukan {connection.vendor}.")
    agreements = agreements.filter(matches)
    return agreements.annotate(search_rank=ranking) if rank else agreements


_SINGLE_LEXEME = re.compile(r"^'[^']*'$")


def postgres_tsquery(groups: list[list[str]], connection) -> str | None:
    """The tsquery (as text) of the words: each word as its stem or as written, the last one also
    as the start of a word as written; the words of a group a phrase; groups ANDed. None when
    PostgreSQL finds no lexeme in any word.

    PostgreSQL normalises the words itself (one round trip, the words bound as parameters, so no
    operator of the user's reaches to_tsquery); the query is then written out with each
    alternative once: the planner estimates "'bangka' | 'bangka'" at twice the rows of
    "'bangka'", enough to make it scan the whole table instead of the GIN index."""
    words = [word for group in groups for word in group]
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsquery(agreements_search_config(), w)::text, to_tsquery('simple', w)::text"
                       " FROM unnest(%s::text[]) WITH ORDINALITY AS words(w, n) ORDER BY n", [words])
        normalised = iter(cursor.fetchall())
    groups_sql = []
    for g, group in enumerate(groups):
        terms = []
        for w, _word in enumerate(group):
            stem, simple = next(normalised)
            if g == len(groups) - 1 and w == len(group) - 1 and prefix_last(groups) and _SINGLE_LEXEME.match(simple):
                simple += ":*"  # also covers the word itself, and its stem when that is the same
                if stem and f"{stem}:*" == simple:
                    stem = ""
            alternatives = list(dict.fromkeys(part for part in (stem, simple) if part))
            if alternatives:
                terms.append(alternatives[0] if len(alternatives) == 1 else "(" + " | ".join(f"({a})" for a in alternatives) + ")")
        if terms:
            groups_sql.append(terms[0] if len(terms) == 1 else "(" + " <-> ".join(f"({t})" for t in terms) + ")")
    return " & ".join(groups_sql) or None


def fts5_query(groups: list[list[str]]) -> str:
    """An FTS5 query: each group a quoted phrase (inside quotes FTS5 reads no operator), all
    required; the last phrase's last word a prefix."""
    phrases = ['"' + " ".join(group).replace('"', '""') + '"' for group in groups]
    return " ".join(phrases) + ("*" if prefix_last(groups) else "")


def prefix_last(groups: list[list[str]]) -> bool:
    """Whether the last word is also matched as the start of a word (MIN_PREFIX)."""
    return len(groups[-1]) > 1 or len(groups[-1][0]) >= MIN_PREFIX


class _SearchSql(Expression):
    """A piece of SQL about the agreement row of the query: `{table}` becomes the alias the query
    gives agreements_agreement (a subquery renames it), the parameters are bound."""

    def __init__(self, template: str, params: list, output_field):
        super().__init__(output_field=output_field)
        self.template = template
        self.params = tuple(params)
        self.alias = None

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        clone = self.copy()
        clone.alias = query.get_initial_alias()
        return clone

    def relabeled_clone(self, change_map):
        clone = self.copy()
        clone.alias = change_map.get(self.alias, self.alias)
        return clone

    def get_group_by_cols(self):
        return [self]

    def as_sql(self, compiler, connection):
        return self.template.replace("{table}", compiler.quote_name_unless_alias(self.alias)), list(self.params)


# --- keeping the SQLite index ------------------------------------------------------------------------

def ensure_search_index(using: str = "default") -> bool:
    """On SQLite: put back the FTS5 table and its triggers where they are missing, and refill the
    table when any was, because Django rebuilds a table to alter it on SQLite and the rebuilt
    table has lost its triggers. Run after every `migrate` (apps.py); does nothing on
    PostgreSQL, where altering a table keeps its triggers, or before migration 0005 is applied.
    Returns whether anything was repaired."""
    from django.db.migrations.recorder import MigrationRecorder

    connection = connections[using]
    if connection.vendor != "sqlite" or MIGRATION not in MigrationRecorder(connection).applied_migrations():
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE 'agreements_search%'")
        present = {row[0] for row in cursor.fetchall()}
        if "agreements_search" in present and set(_migration.SQLITE_TRIGGERS) <= present:
            return False
        cursor.execute(_migration.SQLITE_TABLE)
        for statement in _migration.SQLITE_TRIGGERS.values():
            cursor.execute(statement)
        cursor.execute("DELETE FROM agreements_search")
        cursor.execute(_migration.SQLITE_FILL)
    return True


def repair_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate receiver (apps.py)."""
    ensure_search_index(using)
