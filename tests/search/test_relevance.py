"""Relevance on a small Vietnamese corpus: recall@10 for every query, on every backend."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from search import Document, Query
from search.vietnamese import fold, has_marks, normalise, words

CORPUS = json.loads(
    (Path(__file__).parent / "relevance_corpus.json").read_text("utf-8")
)


def corpus_document(row: dict) -> Document:
    """Build a Document from a corpus row (``nfd`` rows test decomposed input)."""
    form = "NFD" if row.get("nfd") else "NFC"
    return Document(
        kind=row["kind"],
        id=row["id"],
        title=unicodedata.normalize(form, row["title"]),
        body=unicodedata.normalize(form, row["body"]),
        taxonomy_text=row["taxonomy"],
        facets={"subject": row["subject"], "grade": row["grade"]},
        subject=row["subject"],
        created_at=f"2024-03-{row['id'] % 28 + 1:02d}T08:00:00",
    )


def case_id(case: dict) -> str:
    """Name a query case after its text (and input form)."""
    return case["q"] + (" (NFD)" if case.get("nfd") else "")


@pytest.fixture(scope="module")
def corpus(module_backend):
    """The module's backend loaded with the corpus."""
    module_backend.index(corpus_document(row) for row in CORPUS["documents"])
    return module_backend


def top_ids(backend, text: str) -> list[int]:
    """Return the ids of the first ten hits for ``text``."""
    return [hit.id for hit in backend.search(Query(text, per_page=10)).hits]


def test_corpus_is_large_enough():
    assert len(CORPUS["documents"]) >= 60
    assert len(CORPUS["queries"]) >= 40
    assert len({row["id"] for row in CORPUS["documents"]}) == len(CORPUS["documents"])


@pytest.mark.parametrize("case", CORPUS["queries"], ids=case_id)
def test_recall_at_10(corpus, case):
    text = unicodedata.normalize("NFD" if case.get("nfd") else "NFC", case["q"])
    found = top_ids(corpus, text)
    missing = sorted(set(case["expected"]) - set(found))
    assert not missing, f"{case['q']!r}: missing {missing} in top 10 {found}"


@pytest.mark.parametrize("case", CORPUS["rankings"], ids=lambda c: c["q"])
def test_exact_diacritics_rank_first(corpus, case):
    found = [hit.id for hit in corpus.search(Query(case["q"], per_page=100)).hits]
    assert case["above"] in found and case["below"] in found, found
    assert found.index(case["above"]) < found.index(case["below"]), found


def exact_ids(text: str) -> set[int]:
    """Return the documents matching every query word, the marked ones in exact form."""
    query = words(text)
    exact = {normalise(word) for word in query if has_marks(word)}
    folded = {fold(word) for word in query}
    found = set()
    for row in CORPUS["documents"]:
        row_words = words(" ".join((row["title"], row["body"], row["taxonomy"])))
        if exact <= set(map(normalise, row_words)) and folded <= set(
            map(fold, row_words)
        ):
            found.add(row["id"])
    return found


@pytest.mark.parametrize("case", CORPUS["rankings"], ids=lambda c: c["q"])
def test_every_exact_match_ranks_above_folded_only_matches(corpus, case):
    found = [hit.id for hit in corpus.search(Query(case["q"] + " ", per_page=100)).hits]
    exact = exact_ids(case["q"])
    positions = [i for i, doc_id in enumerate(found) if doc_id in exact]
    assert exact <= set(found)
    assert positions == list(range(len(exact))), (sorted(exact), found)
