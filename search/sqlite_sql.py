"""SQL for the SQLite FTS5 index: schema, match expressions, filters and ordering."""

# Every table name carries a prefix (``a_`` or ``b_``) so a rebuild can fill one set of
# tables while searches read the other; ``search_meta`` names the live set.

from search import Query, Visibility
from search.terms import Terms
from search.vietnamese import fold, has_marks, normalise

PREFIXES = ("a_", "b_")
META = "CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value TEXT)"
#: Layout of the table sets; an index of another layout is emptied when opened.
LAYOUT = "3"

#: FTS5 columns: the exact (tone-normalised) forms, then the folded forms, then the
#: answer text's two forms (matched only for readers who may see answer keys).
EXACT = ("title_x", "body_x", "tax_x")
FOLDED = ("title_f", "body_f", "tax_f")
ANSWERS = ("ans_x", "ans_f")
#: bm25 weights in column order: titles beat bodies, exact beats folded. bm25 saturates
#: term frequency, so an exact match even in the taxonomy must outweigh folded-only
#: matches of another word ("đạo" in "Đạo đức 6" beats "ca dao" in a title).
WEIGHTS = (20.0, 8.0, 4.0, 4.0, 1.0, 1.0, 2.0, 0.5)

SCHEMA = """
CREATE TABLE {p}docs (
    rowid INTEGER PRIMARY KEY, kind TEXT NOT NULL, doc_id INTEGER NOT NULL,
    title TEXT NOT NULL, body TEXT NOT NULL, status TEXT NOT NULL,
    author_id INTEGER NOT NULL, writer_id INTEGER NOT NULL, subject TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, UNIQUE (kind, doc_id));
CREATE VIRTUAL TABLE {p}fts USING fts5(
    title_x, body_x, tax_x, title_f, body_f, tax_f, ans_x, ans_f,
    tokenize = 'unicode61 remove_diacritics 0');
CREATE TABLE {p}facets (
    rowid INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL);
CREATE INDEX {p}facets_kv ON {p}facets (key, value, rowid);
CREATE INDEX {p}facets_row ON {p}facets (rowid, key, value);
"""

UPSERT_DOC = """
INSERT INTO {p}docs (kind, doc_id, title, body, status, author_id, writer_id,
                     subject, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (kind, doc_id) DO UPDATE SET
    title = excluded.title, body = excluded.body, status = excluded.status,
    author_id = excluded.author_id, writer_id = excluded.writer_id,
    subject = excluded.subject,
    created_at = excluded.created_at, updated_at = excluded.updated_at
RETURNING rowid
"""
INSERT_FTS = "INSERT INTO {p}fts (rowid, {cols}) VALUES (?, {marks})".format(
    p="{p}", cols=", ".join(EXACT + FOLDED + ANSWERS), marks=", ".join("?" * 8)
)
INSERT_FACET = "INSERT INTO {p}facets (rowid, key, value) VALUES (?, ?, ?)"
FIND_ROW = "SELECT rowid FROM {p}docs WHERE kind = ? AND doc_id = ?"
DELETE_ROW = (
    "DELETE FROM {p}fts WHERE rowid = ?",
    "DELETE FROM {p}facets WHERE rowid = ?",
    "DELETE FROM {p}docs WHERE rowid = ?",
)


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


def _either(tokens: list[str], prefix: bool, answers: bool = False) -> str:
    """Match the folded columns, or also the exact ones when typed with marks."""
    # bm25 scores both alternatives, so exact-form matches rank higher.
    exact_cols, folded_cols = (EXACT, FOLDED)
    if answers:
        exact_cols, folded_cols = exact_cols + ANSWERS[:1], folded_cols + ANSWERS[1:]
    folded = _phrase([fold(t) for t in tokens], prefix)
    folded = f"{{{' '.join(folded_cols)}}}: {folded}"
    if not any(map(has_marks, tokens)):
        return folded
    exact = _phrase([normalise(t) for t in tokens], prefix)
    return f"({{{' '.join(exact_cols)}}}: {exact} OR {folded})"


def match_expression(terms: Terms, answers: bool = False) -> str:
    """Return the FTS5 query: every word and phrase must match (AND)."""
    last = len(terms.words) - 1
    parts = [
        _either([word], terms.prefix and i == last, answers)
        for i, word in enumerate(terms.words)
    ]
    parts += [_either(list(phrase), False, answers) for phrase in terms.phrases]
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
        ors.append("(d.author_id = ? OR d.writer_id = ?)")
        params += [visibility.own_author_id] * 2
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
    match = match_expression(terms, query.visibility.answers)
    return f"{sql} WHERE {' AND '.join(where)}", [match, *params]


def hits_sql(query: Query, terms: Terms, prefix: str) -> tuple[str, list]:
    """Return the SQL and parameters for one page of hits with scores and the total."""
    # One pass ranks and counts (a window over every match); only the page's rows are
    # then read in full, so the sort carries keys, not bodies.
    base, params = from_where(query, terms, prefix)
    score = "0.0"
    order = "p.c DESC, p.i DESC, p.k"
    if terms:
        weights = ", ".join(str(w) for w in WEIGHTS)
        score = f"-bm25({prefix}fts, {weights})"
        if query.sort == "relevance":
            order = f"p.score DESC, {order}"
    matches = (
        f"SELECT d.rowid AS r, {score} AS score, d.created_at AS c, d.doc_id AS i,"
        f" d.kind AS k {base}"
    )
    page = (
        f"SELECT *, COUNT(*) OVER () AS total FROM ({matches})"
        f" ORDER BY {order.replace('p.', '')} LIMIT ? OFFSET ?"
    )
    sql = (
        f"SELECT d.kind, d.doc_id, d.title, d.body, p.score, p.total FROM ({page}) p"
        f" JOIN {prefix}docs d ON d.rowid = p.r ORDER BY {order}"
    )
    return sql, [*params, query.per_page, query.offset]


def facets_sql(query: Query, terms: Terms, prefix: str) -> tuple[str, list]:
    """Return the SQL and parameters counting the requested facet values over all hits."""
    base, params = from_where(query, terms, prefix)
    keys = list(query.facets)
    # From the hits to their facet rows (covering index): the work follows the hits,
    # where probing every facet row of the keys followed the size of the index. One
    # seek per hit reads all its facets ("+" keeps the key test out of the index).
    sql = (
        f"SELECT f.key, f.value, COUNT(*) FROM (SELECT d.rowid AS hit {base}) h"
        f" JOIN {prefix}facets f ON f.rowid = h.hit WHERE +f.key IN ({_marks(keys)})"
        " GROUP BY f.key, f.value"
    )
    return sql, [*params, *keys]
