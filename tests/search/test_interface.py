"""The pure parts of the search interface: URLs, query and document validation."""

import pytest

from search import Document, Query, from_url


@pytest.mark.parametrize(
    "url", ["ftp://host/x", "http://127.0.0.1:9200", "http://127.0.0.1:9200/Upper"]
)
def test_bad_urls_are_refused(url):
    pytest.importorskip("elasticsearch", reason="needs the 'elastic' extra")
    with pytest.raises(ValueError):
        from_url(url)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"per_page": 101},
        {"page": 0},
        {"sort": "oldest"},
        {"filters": {"colour": ["x"]}},
        {"facets": ("colour",)},
    ],
)
def test_invalid_queries_are_refused(kwargs):
    with pytest.raises(ValueError):
        Query("x", **kwargs)


def test_invalid_documents_are_refused(make_doc):
    with pytest.raises(ValueError):
        Document("lesson", 1, "x")
    with pytest.raises(ValueError):
        make_doc(1, "x", facets={"colour": "red"})
