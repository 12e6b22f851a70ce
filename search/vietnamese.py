"""Vietnamese text forms used for matching: folded (no marks) and exact (tone-normalised)."""

import re
import unicodedata
from itertools import pairwise

#: Tone marks as combining characters (huyền, sắc, hỏi, ngã, nặng).
TONES = ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")

#: Vowel pairs whose tone sits on either vowel depending on the spelling style
#: ("hoà"/"hòa", "khoẻ"/"khỏe", "thuỷ"/"thủy"); we put it on the first vowel.
TONE_PAIRS = (("o", "a"), ("o", "e"), ("u", "y"))

_WORD = re.compile(r"[^\W_]+")


def _nfc(text: str) -> str:
    """Compose text into NFC."""
    return unicodedata.normalize("NFC", text)


def _tone_table() -> dict[str, str]:
    """Map each lower-case "second vowel carries the tone" pair to "first vowel" form."""
    table = {}
    for first, second in TONE_PAIRS:
        for tone in TONES:
            table[first + _nfc(second + tone)] = _nfc(first + tone) + second
    return table


TONE_TABLE = _tone_table()
_TONE_RE = re.compile("|".join(map(re.escape, TONE_TABLE)))


class _Bare(dict):
    """Code point -> the character without its marks, worked out once per character.

    Folding a text character by character equals folding it whole: decomposition
    only reorders the marks (combining class > 0), and every mark is dropped.
    """

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFD", chr(code))
        bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        self[code] = bare
        return bare


_BARE = _Bare()


def fold(text: str) -> str:
    """Strip every mark, turn đ/Đ into d/D and lowercase: "Đạo đức" -> "dao duc"."""
    return text.translate(_BARE).replace("đ", "d").replace("Đ", "D").lower()


def has_marks(word: str) -> bool:
    """Return whether ``word`` was typed with marks (or đ), i.e. folding changes it."""
    return fold(word) != _nfc(word).lower()


def normalise(text: str) -> str:
    """Return the exact-match form: NFC, lowercase, tone on the first vowel of a pair."""
    return _TONE_RE.sub(lambda m: TONE_TABLE[m.group(0)], _nfc(text).lower())


def words(text: str) -> list[str]:
    """Split NFC text into word tokens (letters and digits), as the engines do."""
    return _WORD.findall(_nfc(text))


#: Joins the two words of a pair token. A private-use character is a token character
#: for FTS5's unicode61 tokenizer but never part of a word here, so the pair of "a"
#: and "bc" cannot be mistaken for that of "ab" and "c", nor for a word.
PAIR_MARK = "\ue000"


def pair_tokens(tokens) -> list[str]:
    """Return the tokens of each two adjacent words, in order: a, b, c -> ab, bc."""
    return [PAIR_MARK + a + PAIR_MARK + b for a, b in pairwise(tokens)]


def pairs(text: str) -> str:
    """Return the adjacent word pairs of an already normalised or folded text."""
    return " ".join(pair_tokens(words(text)))


def iter_words(text: str):
    """Yield regex matches for the word tokens of already-NFC text (for highlighting)."""
    return _WORD.finditer(text)


def tone_mappings() -> list[str]:
    """Return the tone-placement table as Elasticsearch mapping char_filter rules."""
    rules = []
    for source, target in TONE_TABLE.items():
        for pick in ((str.lower, str.lower), (str.upper, str.lower), (str.upper,) * 2):
            first, second = pick
            src = first(source[0]) + second(source[1])
            rules.append(f"{src} => {first(target[0])}{second(target[1])}")
        rules.append(
            f"{source[0]}{source[1].upper()} => {target[0]}{target[1].upper()}"
        )
    return rules
