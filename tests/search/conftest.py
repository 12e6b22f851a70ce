"""Fixtures for the search contract and relevance suites: one factory per backend."""

from __future__ import annotations

import os
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

from search import Document, SearchBackend, from_url

OPENSEARCH_URL = os.environ.get("REPO_TEST_OPENSEARCH_URL", "")
ELASTIC_URL = os.environ.get("REPO_TEST_ELASTIC_URL", "")
ENGINE_URLS = {"opensearch": OPENSEARCH_URL, "elasticsearch": ELASTIC_URL}

SKIP_OPENSEARCH = pytest.mark.skipif(
    not OPENSEARCH_URL,
    reason="OpenSearch cases need REPO_TEST_OPENSEARCH_URL "
    "(start one with .ci/services/opensearch.sh start DIR)",
)
SKIP_ELASTIC = pytest.mark.skipif(
    not ELASTIC_URL,
    reason="Elasticsearch cases need REPO_TEST_ELASTIC_URL "
    "(start one with .ci/services/elasticsearch.sh start DIR)",
)
ENGINES = [
    pytest.param("opensearch", marks=SKIP_OPENSEARCH),
    pytest.param("elasticsearch", marks=SKIP_ELASTIC),
]
BACKENDS = ["sqlite-memory", "sqlite-file", *ENGINES]


def unique_url(url: str) -> str:
    """Return ``url`` with a fresh index name, so tests never share an index."""
    parts = urlsplit(url)
    name = f"{parts.path.strip('/')}-{uuid.uuid4().hex[:8]}"
    return urlunsplit(parts._replace(path=f"/{name}"))


def open_backend(name: str, directory) -> SearchBackend:
    """Open an empty backend of kind ``name`` (files under ``directory``)."""
    if name == "sqlite-memory":
        return from_url("sqlite://")
    if name == "sqlite-file":
        return from_url(f"sqlite:///{directory}/search.sqlite3")
    return from_url(unique_url(ENGINE_URLS[name]))


def close_backend(backend: SearchBackend) -> None:
    """Drop an engine test index, or close a SQLite connection."""
    if hasattr(backend, "drop"):
        backend.drop()
    else:
        backend.close()


@pytest.fixture(params=BACKENDS)
def backend_name(request) -> str:
    """Name of the backend under test."""
    return request.param


@pytest.fixture
def backend(backend_name, tmp_path):
    """An empty backend, removed after the test."""
    opened = open_backend(backend_name, tmp_path)
    yield opened
    close_backend(opened)


def build_doc(
    doc_id: int,
    title: str,
    body: str = "",
    *,
    kind: str = "question",
    status: str = "published",
    author_id: int = 1,
    subject: str = "toan",
    created_at: str | None = None,
    facets: dict | None = None,
    taxonomy_text: str = "",
) -> Document:
    """Build a Document with test defaults; the subject is also a facet."""
    return Document(
        kind=kind,
        id=doc_id,
        title=title,
        body=body,
        taxonomy_text=taxonomy_text,
        facets={"subject": subject, **(facets or {})},
        status=status,
        author_id=author_id,
        subject=subject,
        created_at=created_at or f"2024-01-{doc_id % 28 + 1:02d}T08:00:00",
        updated_at="2024-02-01T08:00:00",
    )


@pytest.fixture(scope="module", params=BACKENDS)
def module_backend(request, tmp_path_factory):
    """An empty backend shared by one module's tests (per backend), removed after."""
    opened = open_backend(request.param, tmp_path_factory.mktemp("search"))
    yield opened
    close_backend(opened)


@pytest.fixture(params=ENGINES)
def engine(request, tmp_path):
    """An empty Elasticsearch/OpenSearch backend, dropped after the test."""
    opened = open_backend(request.param, tmp_path)
    yield opened
    close_backend(opened)


@pytest.fixture
def make_doc():
    """The document factory (a fixture, so test modules need not import conftest)."""
    return build_doc
