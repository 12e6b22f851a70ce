"""SQL for the SQLite FTS5 index: schema, match expressions, filters and ordering."""

# Every table name carries a prefix (``a_`` or ``b_``) so a rebuild can fill one set of
# tables while searches read the other; ``search_meta`` names the live set.

from search import Query, Visibility
from search.terms import Terms
from search.vietnamese import fold, has_marks, normalise

PREFIXES = ("a_", "b_")
META = "CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value TEXT)"

#: FTS5 columns: the exact (tone-normalised) forms, then the folded forms.
EXACT = ("title_x", "body_x", "tax_x")
FOLDED = ("title_f", "body_f", "tax_f")
#: bm25 weights in column order: titles beat bodies, exact beats folded. bm25 saturates
#: term frequency, so an exact match even in the taxonomy must outweigh folded-only
#: matches of another word ("đạo" in "Đạo đức 6" beats "ca dao" in a title).
WEIGHTS = (20.0, 8.0, 4.0, 4.0, 1.0, 1.0)

SCHEMA = """
CREATE TABLE {p}docs (
    rowid INTEGER PRIMARY KEY, kind TEXT NOT NULL, doc_id INTEGER NOT NULL,
    title TEXT NOT NULL, body TEXT NOT NULL, status TEXT NOT NULL,
    author_id INTEGER NOT NULL, subject TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, UNIQUE (kind, doc_id));
CREATE VIRTUAL TABLE {p}fts USING fts5(
    title_x, body_x, tax_x, title_f, body_f, tax_f,
    tokenize = 'unicode61 remove_diacritics 0');
CREATE TABLE {p}facets (
    rowid INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL);
CREATE INDEX {p}facets_kv ON {p}facets (key, value, rowid);
CREATE INDEX {p}facets_row ON {p}facets (rowid);
"""

UPSERT_DOC = """
INSERT INTO {p}docs (kind, doc_id, title, body, status, author_id, subject,
                     created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (kind, doc_id) DO UPDATE SET
    title = excluded.title, body = excluded.body, status = excluded.status,
    author_id = excluded.author_id, subject = excluded.subject,
    created_at = excluded.created_at, updated_at = excluded.updated_at
RETURNING rowid
"""
INSERT_FTS = "INSERT INTO {p}fts (rowid, {cols}) VALUES (?, ?, ?, ?, ?, ?, ?)".replace(
    "{cols}", ", ".join(EXACT + FOLDED)
)
INSERT_FACET = "INSERT INTO {p}facets (rowid, key, value) VALUES (?, ?, ?)"
FIND_ROW = "SELECT rowid FROM {p}docs WHERE kind = ? AND doc_id = ?"
DELETE_ROW = (
    "DELETE FROM {p}fts WHERE rowid = ?",
    "DELETE FROM {p}facets WHERE rowid = ?",
    "DELETE FROM {p}docs WHERE rowid = ?",
)

NEWEST = "d.created_at DESC, d.doc_id DESC, d.kind"


def create_tables(prefix: str) -> str:
    """Return the script that creates one table set."""
    return SCHEMA.format(p=prefix)


def drop_tables(prefix: str) -> str:
    """Return the script that drops one table set (the indexes go with the tables)."""
    return "".join(
        f"DROP TABLE IF EXISTS {prefix}{name};" for name in ("docs", "fts", "facets")
    )


def _phrase(tokens: list[str], prefix: bool) -> str:
    """Return an FTS5 string for tokens (letters and digits only, so no escaping)."""
    return '"' + " ".join(tokens) + '"' + ("*" if prefix else "")


def _either(tokens: list[str], prefix: bool) -> str:
    """Match the folded columns, or also the exact ones when typed with marks."""
    # bm25 scores both alternatives, so exact-form matches rank higher.
    folded = f"{{{' '.join(FOLDED)}}}: {_phrase([fold(t) for t in tokens], prefix)}"
    if not any(map(has_marks, tokens)):
        return folded
    exact = _phrase([normalise(t) for t in tokens], prefix)
    return f"({{{' '.join(EXACT)}}}: {exact} OR {folded})"


def match_expression(terms: Terms) -> str:
    """Return the FTS5 query: every word and phrase must match (AND)."""
    last = len(terms.words) - 1
    parts = [
        _either([word], terms.prefix and i == last)
        for i, word in enumerate(terms.words)
    ]
    parts += [_either(list(phrase), False) for phrase in terms.phrases]
    return " AND ".join(parts)


def _marks(values) -> str:
    """Return ``?, ?, ...`` for the values."""
    return ", ".join("?" for _ in values)


def visibility_clause(visibility: Visibility) -> tuple[str, list]:
    """Return the SQL condition and parameters for what the reader may see."""
    if visibility.all:
        return "1", []
    ors, params = [], []
    if visibility.statuses_all:
        ors.append(f"d.status IN ({_marks(visibility.statuses_all)})")
        params += visibility.statuses_all
    if visibility.own_author_id is not None:
        ors.append("d.author_id = ?")
        params.append(visibility.own_author_id)
    if visibility.curated_subjects and visibility.curated_statuses:
        subjects, statuses = visibility.curated_subjects, visibility.curated_statuses
        ors.append(
            f"(d.subject IN ({_marks(subjects)}) AND d.status IN ({_marks(statuses)}))"
        )
        params += subjects + statuses
    return ("(" + " OR ".join(ors) + ")" if ors else "0"), params


def filter_clauses(query: Query, prefix: str) -> tuple[list[str], list]:
    """Return SQL conditions for the facet filters (AND across keys, OR within)."""
    clauses, params = [], []
    for key, values in sorted(query.filters.items()):
        if values:
            clauses.append(
                f"d.rowid IN (SELECT rowid FROM {prefix}facets"
                f" WHERE key = ? AND value IN ({_marks(values)}))"
            )
            params += [key, *values]
    return clauses, params


def from_where(query: Query, terms: Terms, prefix: str) -> tuple[str, list]:
    """Return the ``FROM ... WHERE ...`` part shared by the hit, count and facet SQL."""
    vis, params = visibility_clause(query.visibility)
    clauses, filter_params = filter_clauses(query, prefix)
    where = [vis, *clauses]
    params = params + filter_params
    if not terms:
        return f"FROM {prefix}docs d WHERE {' AND '.join(where)}", params
    sql = f"FROM {prefix}fts JOIN {prefix}docs d ON d.rowid = {prefix}fts.rowid"
    where.insert(0, f"{prefix}fts MATCH ?")
    return f"{sql} WHERE {' AND '.join(where)}", [match_expression(terms), *params]


def hits_sql(query: Query, terms: Terms, prefix: str) -> tuple[str, list]:
    """Return the SQL and parameters for one page of hits with scores."""
    base, params = from_where(query, terms, prefix)
    score = "0.0"
    order = NEWEST
    if terms:
        weights = ", ".join(str(w) for w in WEIGHTS)
        score = f"-bm25({prefix}fts, {weights})"
        if query.sort == "relevance":
            order = f"score DESC, {NEWEST}"
    sql = f"SELECT d.kind, d.doc_id, d.title, d.body, {score} AS score {base}"
    sql += f" ORDER BY {order} LIMIT ? OFFSET ?"
    return sql, [*params, query.per_page, query.offset]


def facets_sql(query: Query, terms: Terms, prefix: str) -> tuple[str, list]:
    """Return the SQL and parameters counting the requested facet values over all hits."""
    base, params = from_where(query, terms, prefix)
    keys = list(query.facets)
    sql = (
        f"SELECT f.key, f.value, COUNT(*) FROM {prefix}facets f"
        f" WHERE f.key IN ({_marks(keys)}) AND f.rowid IN (SELECT d.rowid {base})"
        " GROUP BY f.key, f.value"
    )
    return sql, [*keys, *params]
