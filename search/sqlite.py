"""SqliteSearch: the embedded default backend on SQLite FTS5 (stdlib ``sqlite3`` only)."""

from __future__ import annotations

import logging
import sqlite3
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from search import Document, Hit, Page, Query, SearchError
from search import sqlite_sql as sql
from search.snippets import snippet
from search.terms import parse_terms
from search.vietnamese import fold, normalise

logger = logging.getLogger(__name__)

#: Facet values returned per key, most frequent first (as the Elasticsearch backend).
FACET_SIZE = 100


def _nfc(text: str) -> str:
    """Compose text into NFC so stored text and highlights agree with the engines."""
    return unicodedata.normalize("NFC", text)


def _fts_row(doc: Document) -> tuple[str, ...]:
    """Return the eight FTS5 column values: exact forms, folded forms, answer text."""
    texts = (doc.title, doc.body, doc.taxonomy_text)
    forms = tuple(normalise(t) for t in texts) + tuple(fold(t) for t in texts)
    return forms + (normalise(doc.answer_text), fold(doc.answer_text))


def sort_facets(
    rows: Iterable[tuple[str, str, int]],
) -> dict[str, list[tuple[str, int]]]:
    """Group ``(key, value, count)`` rows by key, most frequent first, then by value."""
    grouped: dict[str, list[tuple[str, int]]] = {}
    for key, value, count in rows:
        grouped.setdefault(key, []).append((value, count))
    return {
        key: sorted(values, key=lambda vc: (-vc[1], vc[0]))[:FACET_SIZE]
        for key, values in grouped.items()
    }


class SqliteSearch:
    """Search index in one SQLite database; one connection shared under a lock."""

    def __init__(self, path: str = ":memory:") -> None:
        """Open (or create) the index at ``path``; ``:memory:`` keeps it in memory."""
        self.path = path
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
        """Upsert one document with its FTS row and facet rows."""
        row = (doc.kind, doc.id, _nfc(doc.title), _nfc(doc.body), doc.status)
        row += (doc.author_id, doc.writer_id, doc.subject)
        row += (doc.created_at, doc.updated_at)
        (rowid,) = db.execute(sql.UPSERT_DOC.format(p=p), row).fetchone()
        for statement in sql.DELETE_ROW[:2]:
            db.execute(statement.format(p=p), (rowid,))
        db.execute(sql.INSERT_FTS.format(p=p), (rowid, *_fts_row(doc)))
        facets = [
            (rowid, key, value)
            for key, values in doc.facet_values().items()
            for value in values
        ]
        db.executemany(sql.INSERT_FACET.format(p=p), facets)

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
        with self._read() as db:
            prefix = self._live(db)
            rows = db.execute(*sql.hits_sql(query, terms, prefix)).fetchall()
            total = rows[0][-1] if rows else self._count(db, query, terms, prefix)
            facets = {}
            if query.facets:
                facets = sort_facets(db.execute(*sql.facets_sql(query, terms, prefix)))
        hits = [
            Hit(kind, doc_id, float(score), title, snippet(title, body, terms))
            for kind, doc_id, title, body, score, _total in rows
        ]
        facets = {key: facets.get(key, []) for key in query.facets}
        return Page(total=total, hits=hits, facets=facets)

    @staticmethod
    def _count(db: sqlite3.Connection, query: Query, terms, prefix: str) -> int:
        """Count the matches (only needed for a page past the last hit)."""
        if not query.offset:
            return 0
        base, params = sql.from_where(query, terms, prefix)
        return db.execute(f"SELECT COUNT(*) {base}", params).fetchone()[0]

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
