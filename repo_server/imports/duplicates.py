"""Duplicates: the same normalised text, or highly similar stems and options.

Texts are compared as sets of word pairs (Jaccard similarity). Candidates come from
an inverted index of the rarer pairs, so a 2,000-question file against a bank of
tens of thousands is a matter of a second, not of millions of comparisons.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from flask import current_app
from sqlalchemy import select

from repo_server.extensions import db
from repo_server.imports.metadata import search_text
from repo_server.lifecycle.service import visible_filter
from repo_server.questions.models import Question

#: Similarity from which two questions are reported as near-duplicates.
NEAR = 0.8
#: Pairs shared by more questions than this do not pick candidates.
COMMON = 200
CANDIDATES = 5
#: How many of a text's rarest pairs pick its candidates: a text ≥ NEAR similar
#: shares most of its pairs, so it shares some of the rarest ones too.
RARE = 8
_WORD = re.compile(r"\w+")


def normalised(text: str) -> str:
    """Lower-case words without punctuation: the text compared for exact duplicates."""
    return " ".join(_WORD.findall(text.casefold()))


def shingles(text: str) -> frozenset:
    """The word pairs of a normalised text (single words for one-word texts)."""
    words = text.split()
    if len(words) < 2:
        return frozenset(words)
    return frozenset(zip(words, words[1:], strict=False))


class Form:
    """A text's normalised form and word pairs, worked out once for every lookup."""

    __slots__ = ("norm", "pairs")

    def __init__(self, text: str):
        self.norm = normalised(text)
        self.pairs = shingles(self.norm)


class Index:
    """Texts by key, searchable for exact and near duplicates."""

    def __init__(self):
        self.exact: dict[str, object] = {}
        self.sets: dict[object, frozenset] = {}
        self.postings: defaultdict = defaultdict(list)

    def add(self, key, text: str) -> None:
        """Index one text under ``key``."""
        self.add_form(key, Form(text))

    def add_form(self, key, form: Form) -> None:
        """Index one text, already normalised, under ``key``."""
        self.exact.setdefault(form.norm, key)
        self.sets[key] = form.pairs
        for pair in form.pairs:
            self.postings[pair].append(key)

    def find(self, text: str) -> list[tuple[object, float]]:
        """Keys of the texts equal or similar to ``text``, with their similarity."""
        return self.find_form(Form(text))

    def find_form(self, form: Form) -> list[tuple[object, float]]:
        """``find`` for a text already normalised."""
        if not form.norm:
            return []
        if form.norm in self.exact:
            return [(self.exact[form.norm], 1.0)]
        if not self.sets:
            return []
        pairs = form.pairs
        postings = [self.postings.get(pair, ()) for pair in pairs]
        rare = sorted((p for p in postings if p), key=len)[:RARE]
        counts = Counter()
        for posting in rare:
            counts.update(posting[:COMMON])
        found = []
        for key, _count in counts.most_common(CANDIDATES):
            other = self.sets[key]
            similarity = len(pairs & other) / len(pairs | other)
            if similarity >= NEAR:
                found.append((key, round(similarity, 3)))
        return found


def bank_index(user, subject: str | None) -> Index:
    """An index of the questions ``user`` can see (of the subject, when known)."""
    limit = current_app.config["IMPORT_DUPLICATE_SCAN"]
    query = select(Question.id, Question.item).where(
        visible_filter(Question, user), Question.status != "archived"
    )
    if subject:
        query = query.where(Question.subject_code == subject)
    index = Index()
    for question_id, item in db.session.execute(
        query.order_by(Question.id.desc()).limit(limit)
    ):
        index.add(question_id, search_text(item))
    return index


def flag(entries: list[dict], user, subject: str | None) -> None:
    """Mark each entry's duplicates in the bank and earlier in the same import."""
    bank = bank_index(user, subject)
    own = Index()
    for entry in entries:
        form = Form(search_text(entry["data"]["item"]))
        entry["duplicates"] = [
            {"question": key, "similarity": similarity}
            for key, similarity in bank.find_form(form)
        ] + [
            {"entry": key, "similarity": similarity}
            for key, similarity in own.find_form(form)
        ]
        own.add_form(entry["index"], form)
