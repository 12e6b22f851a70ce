"""Full-text search over questions and materials behind one small Protocol."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable
from urllib.parse import urlsplit

KINDS = ("question", "material")

#: Facet keys a document may carry and a query may filter or count on.
FACET_KEYS = (
    "kind",
    "subject",
    "grade",
    "topic",
    "cognitive_level",
    "question_type",
    "material_kind",
    "status",
    "organisation",
    "series",
)

SORTS = ("relevance", "newest")
MAX_PER_PAGE = 100
#: Matches counted by default; past it a page's total is a lower bound.
MAX_HITS = 10_000


class SearchError(Exception):
    """The search engine is unreachable or failed; the service answers 503."""


@dataclass(frozen=True)
class Document:
    """One searchable question or material, built by the app from its models."""

    kind: str
    id: int
    title: str
    body: str = ""
    taxonomy_text: str = ""
    #: Text that gives answers away (explanations): matched only for readers with
    #: ``Visibility.answers``, never returned or highlighted.
    answer_text: str = ""
    facets: dict[str, str | list[str]] = field(default_factory=dict)
    status: str = "published"
    author_id: int = 0
    #: Who wrote this version when not the author (0: the author did); also "own".
    writer_id: int = 0
    subject: str = ""
    created_at: str = ""
    updated_at: str = ""

    def __post_init__(self) -> None:
        """Reject unknown kinds and facet keys."""
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}")
        unknown = set(self.facets) - set(FACET_KEYS)
        if unknown:
            raise ValueError(f"unknown facet keys {sorted(unknown)}")

    def facet_values(self) -> dict[str, list[str]]:
        """Return facets as lists; ``kind`` and ``status`` always come from the fields."""
        values = {
            key: [value] if isinstance(value, str) else list(value)
            for key, value in self.facets.items()
        }
        values["kind"] = [self.kind]
        values["status"] = [self.status]
        return values


@dataclass(frozen=True)
class Visibility:
    """Which documents a reader may see; applied inside the engine query."""

    #: Statuses anyone may see.
    statuses_all: tuple[str, ...] = ("published",)
    #: Also every status of the documents this user authored or wrote.
    own_author_id: int | None = None
    #: Also ``curated_statuses`` in these subjects (a curator's review queue).
    curated_subjects: tuple[str, ...] = ()
    curated_statuses: tuple[str, ...] = ()
    #: Everything (administrators).
    all: bool = False
    #: Also match ``Document.answer_text`` (readers who may see answer keys).
    answers: bool = False


@dataclass(frozen=True)
class Query:
    """A search request: text, facet filters, facet counts wanted, reader, page."""

    #: Every word must match, marks optional; the last word may be unfinished (prefix);
    #: "quoted" parts are phrases. Empty text lists everything visible, newest first.
    text: str = ""
    #: Facet key -> allowed values: AND across keys, OR within; no values = no filter.
    filters: dict[str, list[str]] = field(default_factory=dict)
    #: Facet keys whose value counts (over all hits, not just this page) to return.
    facets: tuple[str, ...] = ()
    visibility: Visibility = field(default_factory=Visibility)
    #: "relevance" (newest first among equals) or "newest" (created_at, then id).
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    #: Matches counted at most (SQLite also counts facets over only the newest this
    #: many, and ranks only the newest 2,000: search.sqlite.RANK_LIMIT); past it
    #: ``Page.total_exact`` is false.
    max_hits: int = MAX_HITS

    def __post_init__(self) -> None:
        """Reject unknown facet keys and sorts, and out-of-range pages."""
        unknown = (set(self.filters) | set(self.facets)) - set(FACET_KEYS)
        if unknown:
            raise ValueError(f"unknown facet keys {sorted(unknown)}")
        if self.sort not in SORTS:
            raise ValueError(f"unknown sort {self.sort!r}")
        if self.page < 1 or not 1 <= self.per_page <= MAX_PER_PAGE:
            raise ValueError("page must be >= 1 and per_page within 1..100")
        if self.max_hits < 1:
            raise ValueError("max_hits must be >= 1")

    @property
    def offset(self) -> int:
        """Return the number of hits before this page."""
        return (self.page - 1) * self.per_page


@dataclass(frozen=True)
class Hit:
    """One result; ``snippet`` is HTML: escaped text with ``<mark>`` around matches."""

    kind: str
    id: int
    score: float
    title: str
    snippet: str


@dataclass(frozen=True)
class Page:
    """One page of results with the total and the requested facet counts."""

    #: The number of matches; a lower bound (more than ``max_hits``) when not exact.
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    total_exact: bool = True


@runtime_checkable
class SearchBackend(Protocol):
    """What the app needs from a search engine."""

    def index(self, docs: Iterable[Document]) -> None:
        """Add or replace documents."""

    def delete(self, kind: str, ids: Iterable[int]) -> None:
        """Remove documents; unknown ids are ignored."""

    def search(self, query: Query) -> Page:
        """Run a query."""

    def reset(self) -> None:
        """Remove every document."""

    def count(self) -> int:
        """Return the number of indexed documents."""

    def ping(self) -> bool:
        """Return whether the engine answers."""

    def begin_rebuild(self) -> None:
        """Send later ``index`` calls to a fresh index (``delete`` to both); search old."""

    def finish_rebuild(self) -> None:
        """Swap the fresh index in atomically and drop the old one."""


def from_url(url: str) -> SearchBackend:
    """Build the backend named by ``url`` (``SEARCH_URL``)."""
    # sqlite:// (in memory) or sqlite:///abs/path.sqlite3: the embedded FTS5 index;
    # http(s)://[user:pw@]host:port/alias: Elasticsearch 7.10+ or OpenSearch 1-2.
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        from search.sqlite import SqliteSearch

        return SqliteSearch(url.removeprefix("sqlite://") or ":memory:")
    if scheme in ("http", "https"):
        from search.elastic import ElasticSearch

        return ElasticSearch.from_url(url)
    raise ValueError(f"unsupported search URL scheme {scheme!r}")
