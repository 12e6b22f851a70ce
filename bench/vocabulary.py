"""Word samplers for the synthetic corpus: the ~80-word "hard" list or a realistic one.

The hard corpus draws every word uniformly from ~80 words, so one word matches ~40 %
of the items: a worst case for ranking, counting and faceting. The realistic corpus
draws from a few thousand generated Vietnamese syllables (onset + rhyme + tone) with
Zipf frequencies (s = 1), as running text has: a few function-like syllables occur in
most items, most syllables in few.
"""

import random
import unicodedata
from bisect import bisect
from itertools import accumulate

ONSETS = ("", *"b c ch d đ g gi h k kh l m n ng nh p ph qu r s t th tr v x".split())
RHYMES = (
    "a ai am an ang anh ao au ay ăm ăn ăng âm ân âng âu ây e em en eo ê êm ên êu i im "
    "in inh iu o oa oai oan oang oanh oi om on ong ô ôi ôm ôn ông ơ ơi ơm ơn u ui um "
    "un ung uy uyên ư ưa ưng ươi ương ươn ưu iêng iêm iên yêu"
).split()
#: Combining marks of the five tones besides the level one.
TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
#: Vowels that carry the tone mark when present, in order of preference.
MARKED = "ơêâăôư"
SIZE = 5000
#: Query words skip the most frequent syllables (function words nobody searches for).
QUERY_SKIP = 30
ZIPF_S = 1.0


def _tone_position(rhyme: str) -> int:
    """Return the index of the vowel that takes the tone mark (new-style placement)."""
    for vowel in MARKED:
        if vowel in rhyme:
            return rhyme.index(vowel)
    vowels = [i for i, ch in enumerate(rhyme) if ch in "aeiouy"]
    if rhyme[:2] in ("oa", "oe", "uy") or len(vowels) > 1 and rhyme[-1] not in "aeiouy":
        return vowels[1] if len(vowels) > 1 else vowels[0]
    return vowels[0]


def syllable(onset: str, rhyme: str, tone: str) -> str:
    """Return an NFC syllable with the tone mark on the right vowel."""
    at = _tone_position(rhyme) + 1
    return unicodedata.normalize("NFC", onset + rhyme[:at] + tone + rhyme[at:])


def generate(size: int = SIZE, seed: int = 5) -> list[str]:
    """Return ``size`` distinct syllables in a seeded random frequency order."""
    everything = sorted(
        {
            syllable(onset, rhyme, tone)
            for onset in ONSETS
            for rhyme in RHYMES
            for tone in TONES
            if not (
                onset == "gi" and rhyme[0] == "i" or onset == "qu" and rhyme[0] in "uo"
            )
        }
    )
    return random.Random(seed).sample(everything, size)


class Hard:
    """Uniform draws from a short list of school words (the original corpus)."""

    def __init__(self, words: list[str]) -> None:
        """Keep the list."""
        self.words = words

    def text(self, rng: random.Random, n: int) -> list[str]:
        """Return ``n`` words of running text."""
        return [rng.choice(self.words) for _ in range(n)]

    def query_words(self, rng: random.Random, n: int) -> list[str]:
        """Return ``n`` distinct words a user might search for."""
        return rng.sample(self.words, n)

    def tag(self, rng: random.Random) -> str:
        """Return one tag (drawn as the original corpus did, so it stays the same)."""
        return rng.choice(self.words)

    def long_word(self, rng: random.Random) -> str:
        """Return a word of four letters or more (to type a prefix of)."""
        return rng.choice([w for w in self.words if len(w) > 3])

    def phrase(self, rng: random.Random) -> list[str]:
        """Return two neighbouring words of the list."""
        start = rng.randrange(len(self.words) - 2)
        return self.words[start : start + 2]


class Zipf:
    """Zipf-distributed draws from generated Vietnamese syllables."""

    def __init__(self, size: int = SIZE) -> None:
        """Build the vocabulary and the cumulative weights of text and queries."""
        self.words = generate(size)
        weights = [1 / (rank + 1) ** ZIPF_S for rank in range(size)]
        self.cumulative = list(accumulate(weights))
        self.query_cumulative = list(accumulate(weights[QUERY_SKIP:]))

    def text(self, rng: random.Random, n: int) -> list[str]:
        """Return ``n`` words of running text."""
        return rng.choices(self.words, cum_weights=self.cumulative, k=n)

    def query_words(self, rng: random.Random, n: int) -> list[str]:
        """Return ``n`` distinct content words, as frequent in queries as in text."""
        found: list[str] = []
        while len(found) < n:
            at = bisect(self.query_cumulative, rng.random() * self.query_cumulative[-1])
            word = self.words[QUERY_SKIP + min(at, len(self.query_cumulative) - 1)]
            if word not in found:
                found.append(word)
        return found

    def tag(self, rng: random.Random) -> str:
        """Return one tag: a content word."""
        return self.query_words(rng, 1)[0]

    def long_word(self, rng: random.Random) -> str:
        """Return a content word of four letters or more (to type a prefix of)."""
        while len(word := self.tag(rng)) <= 3:
            pass
        return word

    def phrase(self, rng: random.Random) -> list[str]:
        """Return two words as text draws them (a phrase may match nothing)."""
        return self.text(rng, 2)
