"""Folding: character by character (cached) equals stripping the marks of the whole text."""

import random
import unicodedata

from search.vietnamese import PAIR_MARK, fold, pair_tokens, pairs, words


def _fold_whole(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.replace("đ", "d").replace("Đ", "D").lower()


def test_fold_strips_vietnamese_marks():
    assert fold("Đạo đức, HOÀ bình, thuỷ TRIỀU") == "dao duc, hoa binh, thuy trieu"


def test_fold_equals_folding_the_whole_text():
    rng = random.Random(7)
    marks = ["\u0300", "\u0301", "\u0302", "\u0303", "\u0309", "\u031b", "\u0323"]
    pool = [chr(c) for c in range(0x20, 0x2000)] + marks * 40
    pool += list("ĐđƯơΣςİﬁ가각") + [chr(c) for c in range(0x1EA0, 0x1EFA)]
    for _ in range(3000):
        text = "".join(rng.choice(pool) for _ in range(rng.randrange(30)))
        for form in ("NFC", "NFD"):
            variant = unicodedata.normalize(form, text)
            assert fold(variant) == _fold_whole(variant)
        assert fold(text) == _fold_whole(text)


def test_pairs_are_adjacent_words_joined_unambiguously():
    assert pair_tokens(["a", "bc", "d"]) == [
        f"{PAIR_MARK}a{PAIR_MARK}bc",
        f"{PAIR_MARK}bc{PAIR_MARK}d",
    ]
    assert pair_tokens(["ab", "c"]) != pair_tokens(["a", "bc"])
    assert pairs("một") == "" and pairs("") == ""
    assert (
        pairs("hoà, bình 2")
        == f"{PAIR_MARK}hoà{PAIR_MARK}bình {PAIR_MARK}bình{PAIR_MARK}2"
    )
    assert words(pairs("hoà bình")) == ["hoà", "bình"]  # never a word of its own
