"""A seeded, reproducible synthetic Vietnamese bank of questions and materials."""

import random

from bench.vocabulary import Hard, Zipf

SUBJECT_GRADES = (
    [("TOAN", g) for g in map(str, range(1, 13))]
    + [("TV", g) for g in "12345"]
    + [("NV", g) for g in map(str, range(6, 13))]
    + [("KHTN", g) for g in "6789"]
    + [("LSDL", g) for g in "6789"]
    + [("TIN", g) for g in map(str, range(3, 13))]
)
WORDS = (
    "phương trình bậc hai nghiệm số tự nhiên tập hợp phân số hình tam giác diện "
    "tích chu vi đường tròn vận tốc quãng đường thời gian lực ma sát năng lượng "
    "điện trở quang hợp tế bào sinh vật môi trường lịch sử triều đại địa lí khí "
    "hậu đồng bằng sông Cửu Long Đạo đức gia đình nhà trường bạn bè thơ lục bát "
    "truyện cổ tích nhân vật từ láy câu ghép đoạn văn thuật toán chương trình máy "
    "tính dữ liệu bảng tính mạng internet"
).split()
#: Corpus options: "hard" (default; ~80 words, one matches ~40 % of the items) and
#: "realistic" (5,000 syllables, Zipf frequencies); see bench/vocabulary.py.
CORPORA = {"hard": lambda: Hard(WORDS), "realistic": Zipf}
VOCABULARY = CORPORA["hard"]()
LEVELS = ("NB", "TH", "VD", "VDC")
KINDS = (
    "lecture",
    "slides",
    "document",
    "video",
    "audio",
    "simulation",
    "interactive",
    "other",
)


def use_corpus(name: str) -> None:
    """Draw the words of later items (and benchmark queries) from corpus ``name``."""
    global VOCABULARY
    VOCABULARY = CORPORA[name]()


def sentence(rng: random.Random, n: int) -> str:
    """A pseudo-Vietnamese sentence of ``n`` words."""
    return " ".join(VOCABULARY.text(rng, n)).capitalize() + "?"


def question(rng: random.Random) -> dict:
    """One question payload of a random type, subject and grade."""
    subject, grade = rng.choice(SUBJECT_GRADES)
    kind = rng.choice(
        (
            "single_choice",
            "single_choice",
            "multiple_response",
            "true_false",
            "true_false_cluster",
            "numeric",
        )
    )
    item = {
        "type": kind,
        "stem": sentence(rng, rng.randint(8, 30)),
        "explanation": "Lời giải: " + sentence(rng, 12),
    }
    if kind in ("single_choice", "multiple_response"):
        item["choices"] = [{"id": c, "text": sentence(rng, 4)} for c in "ABCD"]
        item["correct"] = ["B"] if kind == "single_choice" else ["A", "C"]
    elif kind == "true_false":
        item["correct"] = [rng.choice(("true", "false"))]
    elif kind == "true_false_cluster":
        item["statements"] = [
            {"id": k, "text": sentence(rng, 8), "correct": rng.random() < 0.5}
            for k in "abcd"
        ]
    else:
        item["numeric"] = {"value": round(rng.uniform(-100, 100), 2), "tolerance": 0.01}
    return {
        "subject": subject,
        "grade": grade,
        "cognitive_level": rng.choice(LEVELS),
        "difficulty": rng.randint(1, 5),
        "tags": [VOCABULARY.tag(rng)],
        "item": item,
    }


def material(rng: random.Random) -> dict:
    """One material payload."""
    subject, grade = rng.choice(SUBJECT_GRADES)
    return {
        "title": sentence(rng, 6).rstrip("?"),
        "description": sentence(rng, 40),
        "kind": rng.choice(KINDS),
        "subject": subject,
        "grade": grade,
        "series": rng.choice(("KNTT", "CTST", "CD")),
        "tags": [VOCABULARY.tag(rng)],
    }
