"""Split query text into words, quoted phrases and a type-ahead prefix."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from search.vietnamese import fold, has_marks, words

_QUOTES = '"“”„'
_TOKEN = re.compile(
    rf"(?P<phrase>[{_QUOTES}][^{_QUOTES}]*[{_QUOTES}]?)|(?P<word>[^\W_]+)"
)


@dataclass(frozen=True)
class Terms:
    """Query text as NFC words and phrases; ``prefix`` marks the last word as typed."""

    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    prefix: bool = False

    def __bool__(self) -> bool:
        """Return whether there is anything to match."""
        return bool(self.words or self.phrases)

    def folded(self) -> set[str]:
        """Return every folded word, phrase words included (for highlighting)."""
        all_words = list(self.words) + [w for phrase in self.phrases for w in phrase]
        return {fold(word) for word in all_words}

    def folded_prefix(self) -> str | None:
        """Return the folded last word when it is a prefix, else None."""
        return fold(self.words[-1]) if self.prefix else None

    def marked(self) -> Terms:
        """Return the words and phrases typed with marks: only these rank exact forms."""
        # Text typed without marks says nothing about the intended word ("hoa" may be
        # "hóa" or "hoa"), so exact-form boosts would only add noise.
        kept = tuple(w for w in self.words if has_marks(w))
        phrases = tuple(p for p in self.phrases if any(map(has_marks, p)))
        prefix = self.prefix and bool(kept) and kept[-1] == self.words[-1]
        return Terms(kept, phrases, prefix)

    def text(self) -> str:
        """Return the words (not the phrases) joined by spaces."""
        return " ".join(self.words)


def parse_terms(text: str) -> Terms:
    """Parse ``text``: "quoted" parts are phrases; an unfinished last word is a prefix."""
    text = unicodedata.normalize("NFC", text)
    found_words: list[str] = []
    phrases: list[tuple[str, ...]] = []
    prefix = False
    for match in _TOKEN.finditer(text):
        if match.group("word"):
            found_words.append(match.group("word"))
            prefix = match.end() == len(text)
            continue
        prefix = False
        phrase = tuple(words(match.group("phrase")))
        if len(phrase) == 1:
            found_words.append(phrase[0])
        elif phrase:
            phrases.append(phrase)
    return Terms(tuple(found_words), tuple(phrases), prefix)
