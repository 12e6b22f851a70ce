"""SqliteSearch: the embedded default backend on SQLite FTS5 (stdlib ``sqlite3`` only)."""

from __future__ import annotations

import heapq
import logging
import sqlite3
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from search import Document, Hit, Page, Query, SearchError
from search import sqlite_sql as sql
from search.snippets import snippet
from search.sqlite_facets import count_facets, rest_counts, signature
from search.terms import parse_terms
from search.vietnamese import fold, normalise, pairs

logger = logging.getLogger(__name__)

#: Matches ranked by bm25: the newest this many of a query; older ones follow them,
#: newest first. bm25 costs ~3 us a row, so ranking 10,000 rows of a broad word cost
#: 20-30 ms, as much as finding them.
RANK_LIMIT = 2_000


def _nfc(text: str) -> str:
    """Compose text into NFC so stored text and highlights agree with the engines."""
    return unicodedata.normalize("NFC", text)


def _fts_row(doc: Document) -> tuple[str, ...]:
    """Return the FTS5 column values: exact forms, folded forms, answer text's two
    forms, then the same eight as adjacent word pairs (sql.PAIRS)."""
    texts = (doc.title, doc.body, doc.taxonomy_text)
    forms = tuple(normalise(t) for t in texts) + tuple(fold(t) for t in texts)
    forms += (normalise(doc.answer_text), fold(doc.answer_text))
    return forms + tuple(pairs(form) for form in forms)


class SqliteSearch:
    """Search index in one SQLite database; one connection shared under a lock."""

    def __init__(self, path: str = ":memory:") -> None:
        """Open (or create) the index at ``path``; ``:memory:`` keeps it in memory."""
        self.path = path
        self.rank_limit = RANK_LIMIT
        self._lock = threading.RLock()
        self._building: str | None = None
        try:
            self._db = sqlite3.connect(
                path, timeout=10, isolation_level=None, check_same_thread=False
            )
            if path != ":memory:":
                self._db.execute("PRAGMA journal_mode=WAL")
            # 64 MB of page cache: the documents and facets of 100,000 items stay warm.
            self._db.execute("PRAGMA cache_size=-65536")
        except sqlite3.Error as exc:
            raise SearchError(f"cannot open search index {path}: {exc}") from exc
        with self._write() as db:
            db.execute(sql.META)
            if self._live(db) is None:
                db.execute(
                    "INSERT INTO search_meta VALUES ('live', ?)", (sql.PREFIXES[0],)
                )
            if self._layout(db) != sql.LAYOUT:
                self._create(db, self._live(db))
                db.execute(
                    "INSERT OR REPLACE INTO search_meta VALUES ('layout', ?)",
                    (sql.LAYOUT,),
                )

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock and turn SQLite errors into SearchError."""
        with self._lock:
            try:
                yield self._db
            except sqlite3.Error as exc:
                raise SearchError(f"search index failed: {exc}") from exc

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """Run the block in one immediate transaction under the lock."""
        with self._read() as db, db:  # the connection commits, or rolls back on error
            db.execute("BEGIN IMMEDIATE")
            yield db

    @staticmethod
    def _live(db: sqlite3.Connection) -> str | None:
        """Return the prefix of the table set searches read."""
        row = db.execute("SELECT value FROM search_meta WHERE key = 'live'").fetchone()
        return row[0] if row else None

    @staticmethod
    def _layout(db: sqlite3.Connection) -> str | None:
        """Return the layout of the tables (an older one is emptied: reindex refills)."""
        row = db.execute(
            "SELECT value FROM search_meta WHERE key = 'layout'"
        ).fetchone()
        return row[0] if row else None

    @staticmethod
    def _run(db: sqlite3.Connection, script: str) -> None:
        """Run a script statement by statement (``executescript`` would commit)."""
        for statement in script.split(";"):
            if statement.strip():
                db.execute(statement)

    def _create(self, db: sqlite3.Connection, prefix: str) -> None:
        """(Re)create an empty table set."""
        self._run(db, sql.drop_tables(prefix) + sql.create_tables(prefix))

    def _target(self, db: sqlite3.Connection) -> str:
        """Return the table set writes go to: the rebuild set while building."""
        return self._building or self._live(db)

    def index(self, docs: Iterable[Document]) -> None:
        """Add or replace documents."""
        count = 0
        with self._write() as db:
            prefix = self._target(db)
            for doc in docs:
                self._index_one(db, prefix, doc)
                count += 1
        logger.info("indexed %d documents into %sdocs", count, prefix)

    def _index_one(self, db: sqlite3.Connection, p: str, doc: Document) -> None:
        """Upsert one document: its keys, texts, FTS row and facet signature."""
        found = db.execute(sql.FIND_ROW.format(p=p), (doc.kind, doc.id)).fetchone()
        rowid = found[0] if found else self._new_rowid(db, p, doc.created_at)
        sig, sig_text = signature(doc)
        row = (rowid, doc.kind, doc.id, doc.status, doc.author_id, doc.writer_id)
        row += (doc.subject, doc.created_at, doc.updated_at, sig)
        db.execute(sql.INSERT_DOC.format(p=p), row)
        db.execute(
            sql.INSERT_TEXT.format(p=p), (rowid, _nfc(doc.title), _nfc(doc.body))
        )
        if db.execute(sql.INSERT_SIG.format(p=p), (sig, sig_text)).rowcount:
            # A new combination: filters find documents through their signature.
            pairs = [
                (key, value, sig)
                for key, values in doc.facet_values().items()
                for value in values
            ]
            db.executemany(sql.INSERT_SIG_FACET.format(p=p), pairs)
        db.execute(sql.DELETE_ROW[0].format(p=p), (rowid,))
        db.execute(sql.INSERT_FTS.format(p=p), (rowid, *_fts_row(doc)))

    @staticmethod
    def _new_rowid(db: sqlite3.Connection, p: str, created_at: str) -> int:
        """Return a free rowid in the creation time's slot range (else past the last)."""
        base = sql.created_ms(created_at) << sql.SLOT_BITS
        top = base + (1 << sql.SLOT_BITS) - 1
        (last,) = db.execute(sql.FREE_SLOT.format(p=p), (base, top)).fetchone()
        if last is None:
            return base
        if last < top:
            return last + 1
        return db.execute(sql.LAST_ROWID.format(p=p)).fetchone()[0] + 1

    def delete(self, kind: str, ids: Iterable[int]) -> None:
        """Remove documents (from both table sets during a rebuild)."""
        ids = list(ids)
        with self._write() as db:
            prefixes = {self._live(db), self._target(db)}
            for prefix in prefixes:
                for doc_id in ids:
                    self._delete_one(db, prefix, kind, doc_id)
        logger.info("deleted %d %s documents", len(ids), kind)

    @staticmethod
    def _delete_one(db: sqlite3.Connection, p: str, kind: str, doc_id: int) -> None:
        """Delete one document's rows, if it is indexed."""
        row = db.execute(sql.FIND_ROW.format(p=p), (kind, doc_id)).fetchone()
        if row:
            for statement in sql.DELETE_ROW:
                db.execute(statement.format(p=p), row)

    def search(self, query: Query) -> Page:
        """Run a query: match, filter, rank, page, count facets and highlight."""
        terms = parse_terms(query.text)
        end = query.offset + query.per_page
        with self._read() as db:
            prefix = self._live(db)
            rows, rest, found = self._candidates(db, prefix, query, terms, end)
            facets = {}
            if query.facets:
                per_sig = Counter(row[5] for row in rows)
                per_sig.update(rest)
                facets = count_facets(db, prefix, per_sig, query.facets)
            shown = heapq.nlargest(end, rows)[query.offset :]
            texts = self._texts(db, prefix, [row[4] for row in shown])
        hits = [
            Hit(sql.KIND_ORDER[rank], doc_id, score, *self._shown(texts[rowid], terms))
            for score, _created, doc_id, rank, rowid, _sig in shown
        ]
        facets = {key: facets.get(key, []) for key in query.facets}
        exact = found <= query.max_hits
        return Page(total=found, hits=hits, facets=facets, total_exact=exact)

    def _candidates(self, db, prefix: str, query: Query, terms, end: int) -> tuple:
        """Return (rows, rest: signature -> hits, matches found up to max_hits + 1)."""
        # Only the first rank_limit rows get bm25; the rest score 0.0 (bm25 is always
        # positive here), so they follow every scored row, newest first. Unless the
        # page (the first ``end`` hits) reaches them, they are only counted.
        wanted = query.max_hits + 1
        ranked = terms and query.sort == "relevance"
        first = min(wanted, self.rank_limit) if ranked else wanted
        rows = db.execute(*sql.candidates_sql(query, terms, prefix, first)).fetchall()
        rest: Counter = Counter()
        if len(rows) == first < wanted and end <= first:
            # Older than the last scored row (FTS5 seeks there), grouped in SQL.
            below, limit = rows[-1][4], wanted - first
            more = sql.signature_counts_sql(query, terms, prefix, limit, below)
            groups = db.execute(*more).fetchall()
            rest, size = rest_counts(groups, query.max_hits - first)
            return rows, rest, first + size
        if len(rows) == first < wanted:
            more = sql.candidates_sql(query, terms, prefix, wanted - first, rows[-1][4])
            rows += db.execute(*more).fetchall()
        found = len(rows)
        del rows[query.max_hits :]
        return rows, rest, found

    @staticmethod
    def _texts(db: sqlite3.Connection, p: str, rowids: list[int]) -> dict:
        """Return (title, body) of the page's rows by rowid."""
        marks = ", ".join("?" * len(rowids))
        statement = sql.PAGE_TEXTS.format(p=p, marks=marks)
        return {
            rowid: (title, body) for rowid, title, body in db.execute(statement, rowids)
        }

    @staticmethod
    def _shown(text: tuple[str, str], terms) -> tuple[str, str]:
        """Return a hit's title and snippet."""
        title, body = text
        return title, snippet(title, body, terms)

    def reset(self) -> None:
        """Remove every document (and abandon a rebuild in progress)."""
        with self._write() as db:
            for prefix in sql.PREFIXES:
                self._run(db, sql.drop_tables(prefix))
            self._create(db, self._live(db))
        self._building = None
        logger.info("search index reset")

    def count(self) -> int:
        """Return the number of documents searches see."""
        with self._read() as db:
            prefix = self._live(db)
            return db.execute(f"SELECT COUNT(*) FROM {prefix}docs").fetchone()[0]

    def ping(self) -> bool:
        """Return whether the database answers."""
        try:
            with self._read() as db:
                db.execute("SELECT 1").fetchone()
        except SearchError:
            return False
        return True

    def begin_rebuild(self) -> None:
        """Create the other table set; ``index`` fills it until ``finish_rebuild``."""
        with self._write() as db:
            live = self._live(db)
            building = next(p for p in sql.PREFIXES if p != live)
            self._create(db, building)
        self._building = building
        logger.info("search rebuild started into %sdocs", building)

    def finish_rebuild(self) -> None:
        """Point searches at the rebuilt tables and drop the old ones, in one transaction."""
        if self._building is None:
            raise RuntimeError("finish_rebuild() called without begin_rebuild()")
        with self._write() as db:
            old = self._live(db)
            # One merged FTS5 segment instead of the many a bulk load leaves (~5 s for
            # 110,000 documents): every later query reads fewer, longer doclists.
            db.execute(sql.OPTIMIZE.format(p=self._building))
            db.execute(
                "UPDATE search_meta SET value = ? WHERE key = 'live'", (self._building,)
            )
            self._run(db, sql.drop_tables(old))
        self._building = None
        logger.info("search rebuild finished; dropped %sdocs", old)

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()
