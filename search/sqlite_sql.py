"""SQL for the SQLite FTS5 index: schema, match expressions, filters and ordering."""

# Every table name carries a prefix (``a_`` or ``b_``) so a rebuild can fill one set of
# tables while searches read the other; ``search_meta`` names the live set.

from datetime import UTC, datetime

from search import KINDS, Query, Visibility
from search.terms import Terms
from search.vietnamese import fold, has_marks, normalise, pair_tokens

PREFIXES = ("a_", "b_")
META = "CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value TEXT)"
#: Layout of the table sets; an index of another layout is emptied when opened (7 added
#: the pair columns; a reindex refills it).
LAYOUT = "7"

#: The FTS5 table also indexes every word's first two and three letters (prefix='2 3'):
#: a type-ahead "ph"* or "gi"* reads one doclist instead of merging the doclists of every
#: term it starts (110,000 items: CPU p95 of prefix queries 140-160 -> 50-80 ms), for
#: an index about twice the size. Longer prefixes start few terms and stay cheap.
#: FTS5 columns: the exact (tone-normalised) forms, then the folded forms, then the
#: answer text's two forms (matched only for readers who may see answer keys).
EXACT = ("title_x", "body_x", "tax_x")
FOLDED = ("title_f", "body_f", "tax_f")
ANSWERS = ("ans_x", "ans_f")
#: The same eight texts as tokens of adjacent word pairs (search.vietnamese.pairs), in
#: the same order. A quoted phrase of n words is the phrase of its n - 1 pair tokens
#: there: the same matches (pairs at consecutive positions are consecutive words), but
#: FTS5 reads the short doclists of rare pairs instead of the position lists of common
#: words, and bm25's idf of a phrase (counted over the whole index before any row)
#: costs a pair token's doclist: "ọi mũng", two syllables in ~90 % of the items, took
#: ~100 ms. Pair tokens start with a private-use character, so they never lengthen
#: the prefix index entries that type-ahead words read.
PAIRS = tuple(column.replace("_", "_p") for column in EXACT + FOLDED + ANSWERS)
COLUMNS = EXACT + FOLDED + ANSWERS + PAIRS
#: bm25 weights in column order: titles beat bodies, exact beats folded. bm25 saturates
#: term frequency, so an exact match even in the taxonomy must outweigh folded-only
#: matches of another word ("đạo" in "Đạo đức 6" beats "ca dao" in a title). Pair
#: columns weigh as their texts' columns.
WEIGHTS = (20.0, 8.0, 4.0, 4.0, 1.0, 1.0, 2.0, 0.5) * 2

SCHEMA = """
CREATE TABLE {p}docs (
    rowid INTEGER PRIMARY KEY, kind TEXT NOT NULL, doc_id INTEGER NOT NULL,
    status TEXT NOT NULL, author_id INTEGER NOT NULL, writer_id INTEGER NOT NULL,
    subject TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    sig INTEGER NOT NULL, UNIQUE (kind, doc_id));
CREATE TABLE {p}texts (rowid INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL);
CREATE VIRTUAL TABLE {p}fts USING fts5(
    title_x, body_x, tax_x, title_f, body_f, tax_f, ans_x, ans_f,
    title_px, body_px, tax_px, title_pf, body_pf, tax_pf, ans_px, ans_pf,
    tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3');
CREATE TABLE {p}sigs (id INTEGER PRIMARY KEY, facets TEXT NOT NULL);
CREATE TABLE {p}sig_facets (
    key TEXT NOT NULL, value TEXT NOT NULL, sig INTEGER NOT NULL,
    PRIMARY KEY (key, value, sig)) WITHOUT ROWID;
"""

#: Rowids encode the creation time (milliseconds << SLOT_BITS, plus a free slot), so
#: FTS5's native rowid order is newest first, also after a rebuild that indexes
#: questions before materials; a capped query keeps the newest matches.
SLOT_BITS = 20


def created_ms(created_at: str) -> int:
    """Return milliseconds since 1970 of an ISO time (naive means UTC; bad or none: 0)."""
    try:
        moment = datetime.fromisoformat(created_at)
    except ValueError:
        return 0
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0, int(moment.timestamp() * 1000))


FREE_SLOT = "SELECT max(rowid) FROM {p}docs WHERE rowid BETWEEN ? AND ?"
LAST_ROWID = "SELECT coalesce(max(rowid), 0) FROM {p}docs"
INSERT_DOC = """
INSERT OR REPLACE INTO {p}docs (rowid, kind, doc_id, status, author_id, writer_id,
                                subject, created_at, updated_at, sig)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
INSERT_TEXT = "INSERT OR REPLACE INTO {p}texts (rowid, title, body) VALUES (?, ?, ?)"
INSERT_SIG = "INSERT OR IGNORE INTO {p}sigs (id, facets) VALUES (?, ?)"
INSERT_FTS = "INSERT INTO {p}fts (rowid, {cols}) VALUES (?, {marks})".format(
    p="{p}", cols=", ".join(COLUMNS), marks=", ".join("?" * len(COLUMNS))
)
INSERT_SIG_FACET = (
    "INSERT OR IGNORE INTO {p}sig_facets (key, value, sig) VALUES (?, ?, ?)"
)
FIND_ROW = "SELECT rowid FROM {p}docs WHERE kind = ? AND doc_id = ?"
DELETE_ROW = (
    "DELETE FROM {p}fts WHERE rowid = ?",
    "DELETE FROM {p}texts WHERE rowid = ?",
    "DELETE FROM {p}docs WHERE rowid = ?",
)
OPTIMIZE = "INSERT INTO {p}fts ({p}fts) VALUES ('optimize')"
PAGE_TEXTS = "SELECT rowid, title, body FROM {p}texts WHERE rowid IN ({marks})"


def create_tables(prefix: str) -> str:
    """Return the script that creates one table set."""
    return SCHEMA.format(p=prefix)


def drop_tables(prefix: str) -> str:
    """Return the script that drops one table set (the indexes go with the tables)."""
    return "".join(
        f"DROP TABLE IF EXISTS {prefix}{name};"
        for name in ("docs", "texts", "fts", "sigs", "sig_facets")
    )


def _phrase(tokens: list[str], prefix: bool) -> str:
    """Return an FTS5 string for tokens (letters and digits only, so no escaping)."""
    return '"' + " ".join(tokens) + '"' + ("*" if prefix else "")


def _forms(tokens: list[str], form) -> list[str]:
    """Return a word's form, or a phrase's pair tokens of that form."""
    formed = [form(t) for t in tokens]
    return formed if len(formed) == 1 else pair_tokens(formed)


def _either(tokens: list[str], prefix: bool, answers: bool, exact: bool) -> str:
    """Match the folded columns, or also the exact ones when typed with marks."""
    # bm25 scores both alternatives, so exact-form matches rank higher. Phrases
    # match the pair columns (PAIRS), words the word columns.
    columns = (EXACT + FOLDED + ANSWERS) if len(tokens) == 1 else PAIRS
    exact_cols, folded_cols = columns[:3], columns[3:6]
    if answers:
        exact_cols, folded_cols = exact_cols + columns[6:7], folded_cols + columns[7:]
    folded = _phrase(_forms(tokens, fold), prefix)
    folded = f"{{{' '.join(folded_cols)}}}: {folded}"
    if not exact or not any(map(has_marks, tokens)):
        return folded
    exact_form = _phrase(_forms(tokens, normalise), prefix)
    return f"({{{' '.join(exact_cols)}}}: {exact_form} OR {folded})"


def match_expression(terms: Terms, answers: bool = False, exact: bool = True) -> str:
    """Return the FTS5 query: every word and phrase must match (AND).

    Without ``exact`` only the folded forms are asked for: the same documents match
    (an exact form's tokens fold to the folded column's tokens at the same
    positions), for half the work of a marked word or phrase, but nothing ranks.
    """
    last = len(terms.words) - 1
    parts = [
        _either([word], terms.prefix and i == last, answers, exact)
        for i, word in enumerate(terms.words)
    ]
    parts += [_either(list(p), False, answers, exact) for p in terms.phrases]
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
                f"d.sig IN (SELECT sig FROM {prefix}sig_facets"
                f" WHERE key = ? AND value IN ({_marks(values)}))"
            )
            params += [key, *values]
    return clauses, params


#: Kinds by sort rank: rows compare as plain tuples, largest first, so the sort runs
#: in C: (score, created_at, doc_id, kind rank) gives kind A-Z among equals.
KIND_ORDER = tuple(sorted(KINDS, reverse=True))
KIND_RANK = (
    "CASE d.kind "
    + " ".join(f"WHEN '{kind}' THEN {rank}" for rank, kind in enumerate(KIND_ORDER))
    + " END"
)


def candidates_sql(
    query: Query,
    terms: Terms,
    prefix: str,
    limit: int,
    below: int | None = None,
    columns: str | None = None,
) -> tuple[str, list]:
    """Return the SQL and parameters of the newest ``limit`` visible matches.

    Each row is (score, created_at, doc_id, kind rank, rowid, signature); only rows
    older than rowid ``below`` when given, and then unscored (0.0); ``columns``
    replaces the row's columns.
    """
    # One pass, newest first (rowid order), stopping at the limit: the rows carry what
    # sorting, paging and facet counting need; bm25 runs only on rows kept.
    # CROSS JOIN keeps FTS5 outside, so the match drives and the order is native.
    vis, params = visibility_clause(query.visibility)
    clauses, filter_params = filter_clauses(query, prefix)
    where = [vis, *clauses]
    params = params + filter_params
    score = "0.0"
    if terms and query.sort == "relevance" and below is None:
        weights = ", ".join(str(w) for w in WEIGHTS)
        score = f"-bm25({prefix}fts, {weights})"
    columns = columns or f"{score}, d.created_at, d.doc_id, {KIND_RANK}, d.rowid, d.sig"
    if terms:
        source = f"{prefix}fts CROSS JOIN {prefix}docs d ON d.rowid = {prefix}fts.rowid"
        where.insert(0, f"{prefix}fts MATCH ?")
        # The unscored rest needs the matches only: folded forms find them all.
        ranked = below is None
        params.insert(0, match_expression(terms, query.visibility.answers, ranked))
        order = f"{prefix}fts.rowid DESC"
        if below is not None:
            where.insert(1, f"{prefix}fts.rowid < ?")
            params.insert(1, below)
    else:
        source, order = f"{prefix}docs d", "d.rowid DESC"
    sql = (
        f"SELECT {columns} FROM {source} WHERE {' AND '.join(where)}"
        f" ORDER BY {order} LIMIT ?"
    )
    return sql, [*params, limit]


#: What the unscored rest of a query needs: its rows' ids and facet signatures.
SIG_COLUMNS = "d.rowid AS rowid, d.sig AS sig"


def signature_counts_sql(
    query: Query, terms: Terms, prefix: str, limit: int, below: int
) -> tuple[str, list]:
    """Return the SQL of ``(signature, rows, oldest rowid)`` of the unscored rest.

    The rows ``candidates_sql`` would return below rowid ``below``, grouped: the rest
    only counts towards the total and the facets, so no row reaches Python.
    """
    rows, params = candidates_sql(query, terms, prefix, limit, below, SIG_COLUMNS)
    grouped = f"SELECT sig, count(*), min(rowid) FROM ({rows}) GROUP BY sig"
    return grouped, params
