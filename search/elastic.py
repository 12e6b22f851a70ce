"""ElasticSearch: the backend for Elasticsearch 7.10+ and OpenSearch 1-2."""

# The ``elasticsearch`` client 7.13 is the last without the product check, so it talks
# to OpenSearch and to the OSS 7.10 builds. It runs over ``requests`` because its default
# urllib3 connection calls ``HTTPResponse.getheaders()``, deprecated since urllib3
# 1.26.13, which would warn on every request. The URL path names an alias; physical
# indices are ``<alias>-initial`` or ``<alias>-<timestamp>``, so rebuilds swap the alias.

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from urllib.parse import urlsplit

from elasticsearch import Elasticsearch, RequestsHttpConnection, helpers
from elasticsearch.exceptions import RequestError, TransportError

from search import Document, Page, Query, SearchError
from search import elastic_dsl as dsl
from search.terms import parse_terms

logger = logging.getLogger(__name__)

#: Seconds to wait for the engine; unreachable engines fail fast (no retry on timeout).
TIMEOUT = 10


@contextmanager
def _translated(action: str) -> Iterator[None]:
    """Turn client errors (connection, timeout, HTTP 4xx/5xx, bulk item) into SearchError."""
    try:
        yield
    except (TransportError, helpers.BulkIndexError) as exc:
        raise SearchError(f"search engine failed to {action}: {exc}") from exc


class ElasticSearch:
    """Search index in Elasticsearch or OpenSearch, read and written through an alias."""

    def __init__(self, client: Elasticsearch, name: str) -> None:
        """Use ``client``; ``name`` is the alias searches read."""
        self.client = client
        self.name = name
        self._building: str | None = None
        self._ready = False

    @classmethod
    def from_url(cls, url: str) -> ElasticSearch:
        """Build from ``http(s)://[user:pw@]host:port/alias``; connects lazily."""
        parts = urlsplit(url)
        name = parts.path.strip("/")
        if not name or "/" in name or name != name.lower():
            raise ValueError(f"search URL needs one lower-case index name: {url!r}")
        host = f"{parts.scheme}://{parts.netloc}"
        client = Elasticsearch(
            [host],
            connection_class=RequestsHttpConnection,
            timeout=TIMEOUT,
            max_retries=1,
            retry_on_timeout=False,
        )
        return cls(client, name)

    def _new_index(self) -> str:
        """Create an empty physical index and return its name."""
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
        index = f"{self.name}-{stamp}"
        self.client.indices.create(index=index, body=dsl.index_body())
        logger.info("created search index %s", index)
        return index

    def _live_indices(self) -> list[str]:
        """Return the physical indices behind the alias (or the index of that name)."""
        if self.client.indices.exists_alias(name=self.name):
            return sorted(self.client.indices.get_alias(name=self.name))
        return [self.name] if self.client.indices.exists(index=self.name) else []

    def _ensure(self) -> None:
        """Create the first index and alias when neither exists yet."""
        if self._ready:
            return
        with _translated("create the index"):
            if not self.client.indices.exists(index=self.name):
                self._create_first()
        self._ready = True

    def _create_first(self) -> None:
        """Create ``<alias>-initial`` with the alias; a racing creator's copy is kept."""
        body = {**dsl.index_body(), "aliases": {self.name: {}}}
        try:
            self.client.indices.create(index=f"{self.name}-initial", body=body)
        except RequestError as exc:
            if exc.error != "resource_already_exists_exception":
                raise
            return
        logger.info("created search index %s-initial", self.name)

    def index(self, docs: Iterable[Document]) -> None:
        """Add or replace documents (into the new index during a rebuild)."""
        self._ensure()
        target = self._building or self.name
        actions = (
            {"_index": target, "_id": f"{d.kind}-{d.id}", "_source": dsl.source(d)}
            for d in docs
        )
        with _translated("index documents"):
            count, _ = helpers.bulk(
                self.client, actions, refresh=self._building is None
            )
        logger.info("indexed %d documents into %s", count, target)

    def delete(self, kind: str, ids: Iterable[int]) -> None:
        """Remove documents (from both indices during a rebuild); unknown ids are ignored."""
        self._ensure()
        ids = list(ids)
        for target in {self.name, self._building or self.name}:
            actions = [
                {"_op_type": "delete", "_index": target, "_id": f"{kind}-{i}"}
                for i in ids
            ]
            with _translated("delete documents"):
                _, errors = helpers.bulk(
                    self.client, actions, refresh=True, raise_on_error=False
                )
            failed = [e for e in errors if e.get("delete", {}).get("status") != 404]
            if failed:
                raise SearchError(f"search engine failed to delete documents: {failed}")
        logger.info("deleted %d %s documents", len(ids), kind)

    def search(self, query: Query) -> Page:
        """Run a query with visibility and filters inside the engine query."""
        self._ensure()
        body = dsl.search_body(query, parse_terms(query.text))
        with _translated("search"):
            response = self.client.search(index=self.name, body=body)
        return dsl.page(response, query)

    def reset(self) -> None:
        """Remove every document: swap in an empty index (abandoning any rebuild)."""
        if self._building is not None:
            with _translated("drop the rebuild index"):
                self.client.indices.delete(
                    index=self._building, ignore_unavailable=True
                )
        self.begin_rebuild()
        self.finish_rebuild()

    def count(self) -> int:
        """Return the number of documents searches see."""
        self._ensure()
        with _translated("count documents"):
            return self.client.count(index=self.name)["count"]

    def ping(self) -> bool:
        """Return whether the engine answers."""
        return self.client.ping()

    def begin_rebuild(self) -> None:
        """Create ``<alias>-<timestamp>``; ``index`` fills it until ``finish_rebuild``."""
        with _translated("create the rebuild index"):
            self._building = self._new_index()

    def finish_rebuild(self) -> None:
        """Point the alias at the rebuilt index in one atomic call, then drop the old."""
        if self._building is None:
            raise RuntimeError("finish_rebuild() called without begin_rebuild()")
        new = self._building
        with _translated("swap the alias"):
            self.client.indices.refresh(index=new)
            old = self._live_indices()
            actions = [self._removal(index) for index in old]
            actions.append({"add": {"index": new, "alias": self.name}})
            self.client.indices.update_aliases(body={"actions": actions})
            for index in old:
                if index != self.name:
                    self.client.indices.delete(index=index, ignore_unavailable=True)
        self._building = None
        self._ready = True
        logger.info("search alias %s now on %s; dropped %s", self.name, new, old)

    def _removal(self, index: str) -> dict:
        """Return the alias action that detaches ``index`` (or drops a same-named index)."""
        if index == self.name:
            return {"remove_index": {"index": index}}
        return {"remove": {"index": index, "alias": self.name}}

    def drop(self) -> None:
        """Delete the alias's indices and any rebuild index (tests and tear-down)."""
        with _translated("drop the indices"):
            for index in [*self._live_indices(), self._building]:
                if index:
                    self.client.indices.delete(index=index, ignore_unavailable=True)
        self._building = None
        self._ready = False
