"""The benchmark bank made ASCII, and its items as qti-package-maker takes them.

qti-package-maker accepts only ASCII text, so ``bench_qti`` compares both writers on
the same items with every string stripped of its diacritics.
"""

import unicodedata


def ascii_text(text: str) -> str:
    """Vietnamese text without diacritics (qti-package-maker accepts only ASCII)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode("ascii")


def ascii_bank(bank: list[dict]) -> list[dict]:
    """The same payloads with every string made ASCII."""

    def convert(value):
        if isinstance(value, str):
            return ascii_text(value)
        if isinstance(value, list):
            return [convert(v) for v in value]
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        return value

    return [convert(payload) for payload in bank]


def qpm_item(item: dict) -> tuple[str, tuple]:
    """The closest qti-package-maker item (clusters become multiple answers)."""
    kind = item["type"]
    if kind in ("single_choice", "multiple_response"):
        texts = {c["id"]: c["text"] for c in item["choices"]}
        answers = [texts[c] for c in item["correct"]]
        if kind == "single_choice":
            return "MC", (item["stem"], list(texts.values()), answers[0])
        return "MA", (item["stem"], list(texts.values()), answers)
    if kind == "true_false":
        answer = "True" if item["correct"] == ["true"] else "False"
        return "MC", (item["stem"], ["True", "False"], answer)
    if kind == "true_false_cluster":
        texts = [s["text"] for s in item["statements"]]
        right = [s["text"] for s in item["statements"] if s["correct"]] or texts[:1]
        return "MA", (item["stem"], texts, right)
    numeric = item["numeric"]
    return "NUM", (item["stem"], numeric["value"], numeric["tolerance"])
