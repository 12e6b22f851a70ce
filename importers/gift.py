"""Moodle GIFT text files: the types we model; matching, essays, ordering … reported.

A question is ``::title:: [format] text { answers }`` and questions are separated
by blank lines; ``$CATEGORY:`` lines set the category of those that follow.
"""

from __future__ import annotations

import re
from html import escape
from typing import BinaryIO

from importers.result import ReadResult, number
from importers.textcodec import decode
from qti import PackageLimits

_ESCAPES = {
    "\\:": ":",
    "\\~": "~",
    "\\=": "=",
    "\\#": "#",
    "\\{": "{",
    "\\}": "}",
    "\\n": "\n",
}
_ESCAPE = re.compile(r"\\[:~=#{}n]")
_TITLE = re.compile(r"\s*::(.*?)(?<!\\)::", re.S)
_FORMAT = re.compile(r"\s*\[(html|moodle|plain|markdown)\]")
_CHOICE = re.compile(r"(?<!\\)([=~])")
_WEIGHT = re.compile(r"%(-?[\d.]+)%")
_RANGE = re.compile(r"(-?[\d.,]+)\s*(?:\.\.|:)\s*(-?[\d.,]+)")


def is_gift(name: str, head: bytes) -> bool:
    """A .gift file, or a text file with GIFT answer braces or ``::title::``."""
    lower = name.lower()
    return lower.endswith(".gift") or (
        lower.endswith(".txt") and (b"::" in head or re.search(rb"\{\s*[=~T#F]", head))
    )


def unescape(text: str) -> str:
    """Undo GIFT's backslash escapes."""
    return _ESCAPE.sub(lambda m: _ESCAPES[m.group()], text)


def read_gift(stream: BinaryIO, name: str, limits: PackageLimits) -> ReadResult:
    """Read every question of a GIFT file."""
    text, _encoding, notes = decode(stream.read())
    result, category, count = ReadResult(), "", 0
    for block in _blocks(text):
        if block.startswith("$CATEGORY:"):
            category = block.split(":", 1)[1].strip()
            continue
        count += 1
        _question(block, count, category, result)
    result.problems += [(name, note) for note in notes]
    return result


def _blocks(text: str):
    """The questions (and category lines) of a file, comments removed."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("//")]
    block: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            block.append(line)
            if line.strip().startswith("$CATEGORY:"):
                yield line.strip()
                block = []
        elif block and _balanced("\n".join(block)):
            yield "\n".join(block).strip()
            block = []


def _balanced(text: str) -> bool:
    opened = len(re.findall(r"(?<!\\)\{", text))
    return opened == len(re.findall(r"(?<!\\)\}", text))


def _split(block: str) -> tuple[str, str, str, str] | None:
    """(title, format, question text, answer block) of one question."""
    title = ""
    if match := _TITLE.match(block):
        title, block = unescape(match[1]).strip(), block[match.end() :]
    kind = "moodle"
    if match := _FORMAT.match(block):
        kind, block = match[1], block[match.end() :]
    opening = re.search(r"(?<!\\)\{", block)
    closing = re.search(r"(?<!\\)\}(?!.*(?<!\\)\})", block, re.S)
    if not opening or not closing:
        return None
    before, after = block[: opening.start()], block[closing.end() :]
    stem = before if not re.search(r"\w", after) else f"{before} _____ {after}"
    return title, kind, stem.strip(), block[opening.end() : closing.start()].strip()


def _html(text: str, kind: str) -> str:
    text = unescape(text).strip()
    if kind in ("plain", "markdown"):
        return escape(text, quote=False).replace("\n", "<br>")
    return text


def _question(block: str, count: int, category: str, result: ReadResult) -> None:
    parts = _split(block)
    label = f"Câu {count}"
    if parts is None:
        result.problems.append((label, "Không tìm thấy phần đáp án {…} của câu hỏi."))
        return
    title, kind, stem, answers = parts
    label = title or label
    meta = {"label": label, "problems": [], "text": unescape(stem)}
    if category:
        meta["category"] = category
        meta["topic"] = {
            "code": category.split("/")[-1],
            "name": category.split("/")[-1],
        }
    data = {"stem": _html(stem, kind), "title": title}
    answers, explanation = _general_feedback(answers)
    if explanation:
        data["explanation"] = _html(explanation, kind)
    why = _fill(data, answers, kind)
    if why:
        result.problems.append((label, why))
        return
    result.add(data, meta)


def _general_feedback(answers: str) -> tuple[str, str]:
    head, _sep, feedback = answers.partition("####")
    return head.strip(), feedback.strip()


def _fill(data: dict, answers: str, kind: str) -> str:
    """Fill in the answer part of ``data``; return why it is not supported, or ""."""
    if not answers:
        return "Câu tự luận (GIFT {}) chưa được hỗ trợ."
    if answers.startswith(">"):
        return "Câu sắp xếp thứ tự chưa được hỗ trợ."
    head = re.split(r"(?<!\\)#", answers, maxsplit=1)[0].strip().upper()
    if head in ("T", "TRUE", "F", "FALSE"):
        data["type"], data["correct"] = (
            "true_false",
            ["true" if head[0] == "T" else "false"],
        )
        return ""
    if answers.startswith("#"):
        return _numeric(data, answers[1:])
    if re.search(r"(?<!\\)->", answers):
        return "Câu ghép đôi (matching) chưa được hỗ trợ."
    return _choices(data, answers, kind)


def _numeric(data: dict, answers: str) -> str:
    first = re.split(r"(?<![\\])[=~#]", answers.lstrip("="), maxsplit=1)[0].strip()
    first = _WEIGHT.sub("", first)
    if match := _RANGE.fullmatch(first):
        low, high = number(match[1]), number(match[2])
        if low is not None and high is not None and ".." in first:
            value, tolerance = (low + high) / 2, abs(high - low) / 2
        else:
            value, tolerance = low, high
    else:
        value, tolerance = number(first), 0.0
    if value is None or tolerance is None:
        return "Câu số không đọc được đáp án."
    kind = "integer" if value == int(value) and not tolerance else "float"
    data["type"] = "numeric"
    data["numeric"] = {"value": value, "tolerance": abs(tolerance), "base_type": kind}
    return ""


def _choices(data: dict, answers: str, kind: str) -> str:
    pieces = _CHOICE.split(answers)[1:]
    options = []
    for sign, body in zip(pieces[0::2], pieces[1::2], strict=True):
        body = re.split(r"(?<!\\)#", body, maxsplit=1)[0]
        weight = _WEIGHT.match(body.strip())
        fraction = float(weight[1]) if weight else (100.0 if sign == "=" else 0.0)
        text = _WEIGHT.sub("", body, count=1) if weight else body
        options.append((sign, fraction, _html(_FORMAT.sub("", text, count=1), kind)))
    if options and all(sign == "=" for sign, _f, _t in options):
        texts = [t for _s, _f, t in options]
        if number(texts[0]) is not None:
            return _numeric(data, texts[0])
        return "Câu trả lời ngắn dạng chữ chưa được hỗ trợ (chỉ đáp án là số)."
    letters = [chr(ord("A") + i) for i in range(len(options))]
    data["choices"] = [
        {"id": x, "text": t} for x, (_s, _f, t) in zip(letters, options, strict=True)
    ]
    data["correct"] = [
        x for x, (_s, f, _t) in zip(letters, options, strict=True) if f > 0
    ]
    partial = any(0 < f < 100 for _s, f, _t in options)
    data["type"] = (
        "multiple_response" if partial or len(data["correct"]) > 1 else "single_choice"
    )
    return ""
