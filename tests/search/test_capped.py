"""Counting stops past ``Query.max_hits``: inexact totals, newest-first windows."""

from __future__ import annotations

import random

import pytest

from search import FACET_KEYS, Query, Visibility, from_url
from search.sqlite_facets import signature

ADMIN = Visibility(all=True)


def created(n: int) -> str:
    """Return a distinct creation time: larger n is newer."""
    return f"2024-03-01T08:{n // 60:02d}:{n % 60:02d}"


def find(backend, text: str = "", **kwargs):
    """Search as an administrator."""
    kwargs.setdefault("visibility", ADMIN)
    return backend.search(Query(text, **kwargs))


@pytest.fixture
def shuffled(backend, make_doc):
    """Twelve matching documents indexed in random order (as a rebuild may)."""
    docs = [
        make_doc(
            n,
            f"Bài tập số {n}",
            "Luyện tập",
            kind="material" if n % 3 == 0 else "question",
            created_at=created(n),
            facets={"grade": str(6 + n % 2)},
        )
        for n in range(1, 13)
    ]
    random.Random(4).shuffle(docs)
    for doc in docs:
        backend.index([doc])
    return backend


def test_totals_are_exact_up_to_max_hits(shuffled):
    for text in ("bài tập", ""):
        page = find(shuffled, text, max_hits=12)
        assert (page.total, page.total_exact) == (12, True)
        page = find(shuffled, text, max_hits=5)
        assert page.total_exact is False and page.total == 6


def test_newest_ranks_up_to_max_hits_are_exact_past_the_cap(shuffled):
    # Ranks past max_hits may be missing (the app never pages past its limit).
    for text in ("bài tập", ""):
        pages = [
            find(shuffled, text, sort="newest", max_hits=5, page=n, per_page=2)
            for n in (1, 2, 3)
        ]
        assert [[h.id for h in p.hits][: 5 - 2 * i] for i, p in enumerate(pages)] == [
            [12, 11],
            [10, 9],
            [8],
        ]


def test_capped_pages_are_complete_and_facets_cover_the_newest(shuffled):
    pages = [find(shuffled, "bai tap", max_hits=5, page=n, per_page=2) for n in (1, 2)]
    seen = [h.id for p in pages for h in p.hits] + [
        h.id for h in find(shuffled, "bai tap", max_hits=5, page=5, per_page=1).hits
    ]
    assert len(seen) == len(set(seen)) == 5
    counts = find(shuffled, "bai tap", max_hits=5, facets=("kind",)).facets["kind"]
    assert sum(count for _value, count in counts) >= 5


def test_sqlite_caps_rank_and_facets_to_the_newest_matches(shuffled, backend_name):
    if not backend_name.startswith("sqlite"):
        pytest.skip("the engines rank and count every match")
    page = find(shuffled, "bai tap", max_hits=5, per_page=20, facets=FACET_KEYS)
    assert sorted(h.id for h in page.hits) == [8, 9, 10, 11, 12]
    assert page.facets["kind"] == [("question", 3), ("material", 2)]
    assert page.facets["grade"] == [("6", 3), ("7", 2)]


def test_sqlite_orders_documents_sharing_a_time_and_without_one(make_doc):
    backend = from_url("sqlite://")
    same = "2024-03-01T08:00:00.123"
    docs = [make_doc(n, f"Cùng giờ {n}", created_at=same) for n in range(1, 6)]
    docs.append(make_doc(6, "Không rõ giờ", created_at="không phải giờ"))
    docs.append(make_doc(7, "Múi giờ", created_at="2024-03-01T10:00:00+07:00"))
    backend.index(docs)
    newest = find(backend, sort="newest", max_hits=3)
    assert [h.id for h in newest.hits] == [5, 4, 3] and not newest.total_exact
    assert find(backend, "gio", max_hits=10).total == 7
    backend.close()


def test_signature_ignores_order_and_duplicates(make_doc):
    one = make_doc(1, "A", facets={"topic": ["b", "a"], "grade": "6"})
    two = make_doc(2, "B", facets={"grade": "6", "topic": ["a", "b", "a"]})
    other = make_doc(3, "C", facets={"grade": "7", "topic": ["a", "b"]})
    assert signature(one) == signature(two) != signature(other)


def test_sqlite_ranks_the_newest_matches_and_lists_older_ones_after(make_doc):
    backend = from_url("sqlite://")
    # The oldest document is the best match; past rank_limit it is not ranked.
    docs = [make_doc(1, "Phân số phân số phân số", "phân số", created_at=created(1))]
    docs += [
        make_doc(
            n, f"Bài {n}", "Luyện tập phân số" + " thêm" * n, created_at=created(n)
        )
        for n in range(2, 8)
    ]
    backend.index(docs)
    assert find(backend, "phan so").hits[0].id == 1
    backend.rank_limit = 3
    for text in ("phan so", "phân số", '"phân số"'):
        page = find(backend, text, facets=("kind",))
        ids = [h.id for h in page.hits]
        assert sorted(ids[:3]) == [5, 6, 7] and ids[3:] == [4, 3, 2, 1]
        assert all(h.score > 0 for h in page.hits[:3])
        assert [h.score for h in page.hits[3:]] == [0.0] * 4
        assert (page.total, page.facets["kind"]) == (7, [("question", 7)])
    newest = find(backend, "phan so", sort="newest", max_hits=4)
    assert [h.id for h in newest.hits] == [7, 6, 5, 4] and not newest.total_exact
    capped = find(backend, "phan so", max_hits=4, per_page=3, page=2)
    assert [h.id for h in capped.hits] == [4] and capped.total == 5
    backend.close()


def test_sqlite_counts_the_unscored_rest_as_its_rows_would(make_doc):
    backend = from_url("sqlite://")
    # The two oldest matches are grade 7: they fall past the cap first.
    docs = [
        make_doc(
            n,
            f"Bài {n}",
            "Luyện tập phân số",
            created_at=created(n),
            facets={"grade": "7" if n <= 2 else "6"},
        )
        for n in range(1, 8)
    ]
    backend.index(docs)
    backend.rank_limit = 3
    expected = {5: (6, False, [("6", 5)]), 6: (7, False, [("6", 5), ("7", 1)])}
    expected[10_000] = (7, True, [("6", 5), ("7", 2)])
    for max_hits, (total, exact, grades) in expected.items():
        # per_page 2: the page lies among the 3 scored rows, so the rest is only
        # counted; per_page 20 reaches past them and reads the rest as rows.
        for per_page in (2, 20):
            page = find(
                backend,
                "phan so",
                max_hits=max_hits,
                per_page=per_page,
                facets=("grade",),
            )
            assert (page.total, page.total_exact) == (total, exact)
            assert page.facets["grade"] == grades
            assert sorted(h.id for h in page.hits[:2]) in ([6, 7], [5, 7], [5, 6])
            assert all(h.score > 0 for h in page.hits[:2])
    backend.close()


def test_sqlite_reads_every_facet_signature_at_the_first_miss(make_doc, monkeypatch):
    from search import sqlite_facets

    monkeypatch.setattr(sqlite_facets, "_PAIRS", {})
    monkeypatch.setattr(sqlite_facets, "_WHOLE", set())
    backend = from_url("sqlite://")
    docs = [
        make_doc(n, f"Bài {n}", facets={"grade": str(n)}, created_at=created(n))
        for n in range(6, 9)
    ]
    backend.index(docs)
    page = find(backend, "bai 7", facets=("grade",))
    assert page.facets["grade"] == [("7", 1)]
    assert {signature(doc)[0] for doc in docs} <= set(sqlite_facets._PAIRS)
    backend.index([make_doc(9, "Bài 9", facets={"grade": "9"})])  # a new signature
    assert find(backend, "bai 9", facets=("grade",)).facets["grade"] == [("9", 1)]
    backend.close()
