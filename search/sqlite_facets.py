"""Facet signatures for the SQLite index: one id per distinct set of facet values."""

# Counting ten facets by joining every hit to its facet rows cost 100-650 ms for a
# word matching 40,000 items. Documents share few distinct facet combinations, so each
# carries the id of its combination (a "signature"); a search counts hits per
# signature and expands each distinct one once.

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from collections.abc import Iterable

from search import Document

#: Facet values returned per key, most frequent first (as the Elasticsearch backend).
FACET_SIZE = 100
#: The (key, value) pairs of each signature id; ids are content hashes, so an id means
#: the same pairs in every table set and process, and entries never go stale.
_PAIRS: dict[int, tuple[tuple[str, str], ...]] = {}
#: (connection, table set) whose signatures were read whole, when at most LOAD_ALL.
_WHOLE: set[tuple[int, str]] = set()
LOAD_ALL = 50_000


def signature(doc: Document) -> tuple[int, str]:
    """Return the signature id and text of a document's facet values."""
    values = {key: sorted(set(vals)) for key, vals in doc.facet_values().items()}
    text = json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = hashlib.blake2b(text.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True), text


def _pairs(text: str) -> tuple[tuple[str, str], ...]:
    """Return the (key, value) pairs of a signature text."""
    return tuple(
        (key, value) for key, values in json.loads(text).items() for value in values
    )


def _load_all(db: sqlite3.Connection, prefix: str) -> None:
    """Read a table set's signatures at once, the first time one is missing."""
    # One statement instead of a lookup for each new signature during a process's
    # first thousands of queries (110,000 items share ~3,500 signatures).
    _WHOLE.add((id(db), prefix))
    rows = db.execute(f"SELECT id, facets FROM {prefix}sigs LIMIT ?", (LOAD_ALL + 1,))
    rows = rows.fetchall()
    if len(rows) <= LOAD_ALL:
        _PAIRS.update((sig, _pairs(text)) for sig, text in rows if sig not in _PAIRS)


def _load(db: sqlite3.Connection, prefix: str, ids: list[int]) -> None:
    """Read the signatures not yet cached (chunked under SQLite's parameter limit)."""
    if (id(db), prefix) not in _WHOLE:
        _load_all(db, prefix)
        ids = [sig for sig in ids if sig not in _PAIRS]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        rows = db.execute(
            f"SELECT id, facets FROM {prefix}sigs WHERE id IN ({marks})", chunk
        )
        _PAIRS.update((sig, _pairs(text)) for sig, text in rows)


def count_facets(
    db: sqlite3.Connection, prefix: str, per_sig: Counter, keys: tuple[str, ...]
) -> dict[str, list[tuple[str, int]]]:
    """Count the values of ``keys`` over hits given as signature id -> hits."""
    missing = [sig for sig in per_sig if sig not in _PAIRS]
    if missing:
        _load(db, prefix, missing)
    wanted = set(keys)
    counts: dict[tuple[str, str], int] = {}
    get = counts.get
    for sig, hits in per_sig.items():
        for pair in _PAIRS.get(sig, ()):
            counts[pair] = get(pair, 0) + hits
    return sort_facets(
        (key, value, n) for (key, value), n in counts.items() if key in wanted
    )


def rest_counts(groups: list[tuple], room: int) -> tuple[Counter, int]:
    """Return hits per signature of ``(signature, hits, oldest rowid)`` groups, cut
    to ``room`` hits, and their number before the cut."""
    counts = Counter({sig: hits for sig, hits, _oldest in groups})
    size = counts.total()
    if size > room:  # max_hits + 1 matches: leave out the oldest, as a cap on rows does
        counts[min(groups, key=lambda group: group[2])[0]] -= 1
    return +counts, size


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
