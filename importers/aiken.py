"""Aiken text files: a question line, options "A)"/"A.", then "ANSWER: B"."""

from __future__ import annotations

import re
from html import escape
from typing import BinaryIO

from importers.result import ReadResult
from importers.textcodec import decode
from qti import PackageLimits

_OPTION = re.compile(r"([A-Z])[.)]\s+(.*)")
_ANSWER = re.compile(r"ANSWER:\s*([A-Z])\s*$")


def is_aiken(name: str, head: bytes) -> bool:
    """A text file with an ``ANSWER:`` line (by content; GIFT files are told apart first)."""
    return name.lower().endswith(".txt") and b"ANSWER:" in head


def read_aiken(stream: BinaryIO, name: str, limits: PackageLimits) -> ReadResult:
    """Read every question of an Aiken file."""
    text, _encoding, notes = decode(stream.read())
    result = ReadResult()
    stem, options, count = [], [], 0
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if (match := _ANSWER.match(line)) and stem:
            count += 1
            _add(result, count, stem, options, match[1])
            stem, options = [], []
        elif (match := _OPTION.match(line)) and stem:
            options.append((match[1], match[2]))
        elif options:
            result.problems.append(
                (f"Câu {count + 1}", "Thiếu dòng ANSWER: trước câu sau.")
            )
            stem, options = [line], []
        else:
            stem.append(line)
    if stem:
        result.problems.append((f"Câu {count + 1}", "Câu cuối thiếu dòng ANSWER:."))
    result.problems += [(name, note) for note in notes]
    return result


def _add(
    result: ReadResult, count: int, stem: list, options: list, answer: str
) -> None:
    data = {
        "type": "single_choice",
        "stem": "<br>".join(escape(line, quote=False) for line in stem),
        "choices": [
            {"id": letter, "text": escape(text, quote=False)}
            for letter, text in options
        ],
        "correct": [answer],
    }
    result.add(data, {"label": f"Câu {count}", "text": " ".join(stem)})
