"""Highlight matched words in the original text, HTML-escaped, for backends without it."""

import html

from search.terms import Terms
from search.vietnamese import fold, iter_words

#: Characters of context kept before the first match and the snippet's length.
BEFORE = 40
SIZE = 160
ELLIPSIS = "…"


def _matches(text: str, terms: Terms) -> list[tuple[int, int]]:
    """Return the spans of words whose folded form matches a query word or prefix."""
    wanted = terms.folded()
    prefix = terms.folded_prefix()
    spans = []
    for match in iter_words(text):
        word = fold(match.group(0))
        if word in wanted or (prefix and word.startswith(prefix)):
            spans.append(match.span())
    return spans


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
    if not spans:
        return None
    start, end = _window(text, spans[0][0])
    parts = [ELLIPSIS] if start else []
    cursor = start
    for left, right in spans:
        if left >= end:
            break
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
