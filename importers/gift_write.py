"""Write questions as GIFT text (true/false clusters become four T/F questions)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TextIO

from importers.moodle_write import fractions
from qti import Item
from qti.text import plain_text

_SPECIAL = re.compile(r"([~=#{}:\\])")


def escape(text: str) -> str:
    """Escape GIFT's special characters and line breaks."""
    return _SPECIAL.sub(r"\\\1", text).replace("\n", "\\n")


def write_gift(entries: Iterable, out: TextIO) -> int:
    """Write (Item, meta) pairs (or Items) as GIFT; return the number of items."""
    count, category = 0, None
    for entry in entries:
        item, meta = entry if isinstance(entry, tuple) else (entry, {})
        if meta.get("category") and meta["category"] != category:
            category = meta["category"]
            out.write(f"$CATEGORY: {category}\n\n")
        for text in _questions(item):
            out.write(text + "\n\n")
        count += 1
    return count


def _head(item: Item, stem: str, suffix: str = "") -> str:
    title = item.title or plain_text(item.stem)[:60]
    title = f"{title} ({suffix})" if suffix else title
    return f"::{escape(title)}::[html]{escape(stem)}"


def _feedback(item: Item) -> str:
    return f"\n####{escape(item.explanation)}" if item.explanation else ""


def _questions(item: Item) -> list[str]:
    if item.type == "true_false":
        return [
            f"{_head(item, item.stem)}{{{item.correct[0][0].upper()}{_feedback(item)}}}"
        ]
    if item.type == "numeric":
        value, tolerance = item.numeric.value, item.numeric.tolerance
        return [
            f"{_head(item, item.stem)}{{#{_num(value)}:{_num(tolerance)}{_feedback(item)}}}"
        ]
    if item.type == "true_false_cluster":
        return [
            f"{_head(item, f'{item.stem}<p>{s.id}) {s.text}</p>', s.id)}"
            f"{{{'T' if s.correct else 'F'}{_feedback(item)}}}"
            for s in item.statements
        ]
    return [_choices(item)]


def _choices(item: Item) -> str:
    lines = []
    right = fractions(len(item.correct))
    wrong = fractions(len(item.choices) - len(item.correct))
    for choice in item.choices:
        text = escape(choice.text)
        if item.type == "single_choice":
            lines.append(("=" if choice.id in item.correct else "~") + text)
        elif choice.id in item.correct:
            lines.append(f"~%{right}%{text}")
        else:
            lines.append(f"~%-{wrong}%{text}")
    body = "\n".join(f"\t{line}" for line in lines)
    return f"{_head(item, item.stem)}{{\n{body}{_feedback(item)}\n}}"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
