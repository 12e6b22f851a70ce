"""Highlight matched words in the original text, HTML-escaped, for backends without it."""

import html
from collections.abc import Iterator
from functools import lru_cache
from itertools import chain

from search.terms import Terms
from search.vietnamese import fold, iter_words

#: Characters of context kept before the first match and the snippet's length.
BEFORE = 40
SIZE = 160
ELLIPSIS = "…"


@lru_cache(maxsize=100_000)
def _folded_word(word: str) -> str:
    """Return the folded form of one word (words repeat across hits: cached)."""
    return fold(word)


def _matches(text: str, terms: Terms) -> Iterator[tuple[int, int]]:
    """Yield the spans of words whose folded form matches a query word or prefix."""
    wanted = terms.folded()
    prefix = terms.folded_prefix()
    for match in iter_words(text):
        word = _folded_word(match.group(0))
        if word in wanted or (prefix and word.startswith(prefix)):
            yield match.span()


def _window(text: str, first: int) -> tuple[int, int]:
    """Return a window of about SIZE characters starting a little before ``first``."""
    start = max(0, first - BEFORE)
    if start:
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else first
    end = min(len(text), start + SIZE)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > first else end
    return start, end


def highlight(text: str, terms: Terms) -> str | None:
    """Return an escaped fragment of ``text`` with ``<mark>`` around matches, or None."""
    spans = _matches(text, terms)
    first = next(spans, None)
    if first is None:
        return None
    start, end = _window(text, first[0])
    parts = [ELLIPSIS] if start else []
    cursor = start
    for left, right in chain([first], spans):
        if left >= end:
            break  # the rest of a long text is never scanned
        parts += [html.escape(text[cursor:left]), "<mark>"]
        parts += [html.escape(text[left:right]), "</mark>"]
        cursor = right
    parts.append(html.escape(text[cursor:end]))
    parts += [ELLIPSIS] if end < len(text) else []
    return "".join(parts)


def lead(text: str) -> str:
    """Return the escaped start of ``text`` (the snippet when nothing matched)."""
    if len(text) <= SIZE:
        return html.escape(text)
    end = text.rfind(" ", 0, SIZE)
    return html.escape(text[: end if end > 0 else SIZE]) + ELLIPSIS


def snippet(title: str, body: str, terms: Terms) -> str:
    """Return the body highlight, else the title highlight, else the body's start."""
    if terms:
        for text in (body, title):
            marked = highlight(text, terms)
            if marked is not None:
                return marked
    return lead(body)
