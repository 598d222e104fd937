"""Full-text search over the register: one function for both databases.

`search_agreements(agreements, text)` keeps the agreements whose title, partner name, scope,
number or partner's number hold every word of the text, annotated with `search_rank` (higher is
better: a match in a number or the title above one in the partner's name, above one in the scope).
PostgreSQL answers from the tsvector column `search_document` and its GIN index, with the text
search configuration the function agreements_search_config() names (`indonesian`, or `simple` on
a server without it); migration 0005 made both and its triggers keep the column current.
SQLite, which holds one office's register, reads the five fields themselves with a regular
expression per group of words (Django gives SQLite a REGEXP function): no index, no triggers,
nothing to keep current or to repair after a migration (0006 dropped the FTS5 table it had). The
difference people can notice: on PostgreSQL words meet their stems ("perikanan" finds "ikan"),
SQLite matches words as written.

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

import functools
import operator
import re

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import BooleanField, Case, Expression, FloatField, Q, QuerySet, Value, When

WORD = re.compile(r"[^\W_]+")  # a word: letters and digits; anything else (underscore too) separates words
MAX_WORDS = 12  # a longer text is a paste, not a search; its first words decide
MAX_WORD_LENGTH = 60  # longer "words" (hashes, glued text) are left out
# A last word standing alone is taken as the start of a word from this length on: "pe" would
# match nearly every agreement ("perjanjian", "pengembangan") and rank them all, for nothing.
# In a group ("119/3/P") the words before it narrow it down, so there it always is.
MIN_PREFIX = 3

# The fields SQLite reads, by weight: PostgreSQL's A (numbers, title), B (partner) and C (scope),
# at the values ts_rank gives those weights.
PLAIN_FIELDS = {
    1.0: ("number", "partner_number", "title"),
    0.4: ("partner__name",),
    0.2: ("scope",),
}


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
    if connection.vendor == "sqlite":
        return plain_search(agreements, groups, rank=rank)
    if connection.vendor != "postgresql":
        # Alur is built for these two (settings.py configures nothing else); say so plainly.
        raise ImproperlyConfigured(f"Pencarian teks penuh hanya tersedia di SQLite dan PostgreSQL, bukan {connection.vendor}.")
    query = postgres_tsquery(groups, connection)
    if query is None:
        return agreements.none()
    agreements = agreements.filter(_SearchSql("{table}.search_document @@ %s::tsquery", [query], BooleanField()))
    if not rank:
        return agreements
    return agreements.annotate(search_rank=_SearchSql("ts_rank({table}.search_document, %s::tsquery)", [query], FloatField()))


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


def plain_search(agreements: QuerySet, groups: list[list[str]], *, rank: bool) -> QuerySet:
    """The search read from the fields themselves (SQLite): each group of words must be found in
    some field; the rank adds up, per group, the weight of the best field it is found in."""
    searched = [(group, g == len(groups) - 1 and prefix_last(groups)) for g, group in enumerate(groups)]
    every_field = [field for fields in PLAIN_FIELDS.values() for field in fields]
    agreements = agreements.filter(*(_found_in(every_field, group, prefix=prefix) for group, prefix in searched))
    if not rank:
        return agreements
    weights = [Case(*(When(_found_in(fields, group, prefix=prefix), then=Value(weight)) for weight, fields in PLAIN_FIELDS.items()),
                    default=Value(0.0), output_field=FloatField()) for group, prefix in searched]
    return agreements.annotate(search_rank=functools.reduce(operator.add, weights))


def _found_in(fields: list[str], group: list[str], *, prefix: bool) -> Q:
    """The group of words (group_pattern) in one of the fields.

    SQLite's LIKE, in C, first passes only the fields holding the group's longest word somewhere:
    that spares Python's regular expression, where the time goes, most rows (three times faster
    over 5,000 agreements). LIKE folds the case of ASCII letters only, so a word with other
    letters is left to the regular expression."""
    pattern = group_pattern(group, prefix=prefix)
    longest = max(group, key=len)

    def in_field(field: str) -> Q:
        found = Q(**{f"{field}__iregex": pattern})
        return Q(**{f"{field}__icontains": longest}) & found if longest.isascii() else found

    return functools.reduce(operator.or_, map(in_field, fields))


def group_pattern(words: list[str], *, prefix: bool) -> str:
    """A regular expression (Python's, as SQLite's REGEXP is) of a group's words: whole words,
    in order, with nothing but separators between them; the last also the start of a word when
    prefix. Underscore separates words, as in WORD, so Python's \\b (which counts it a letter)
    is not used."""
    pattern = r"(?<![^\W_])" + r"[\W_]+".join(map(re.escape, words))
    return pattern if prefix else pattern + r"(?![^\W_])"


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
