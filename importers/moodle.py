"""Moodle XML question files (``<quiz>``): the types we model; the others reported.

multichoice (single or multiple), truefalse, numerical, and shortanswer whose
answers are numbers are read; categories become topic names ("$course$/Toán/Hàm
số" → "Hàm số"); embedded ``<file>`` pictures are kept as files.
"""

from __future__ import annotations

import base64
import binascii
import re
from html import escape
from typing import BinaryIO

from importers.result import ReadResult, number
from qti import PackageLimits, QtiError, parse_xml

_PLUGINFILE = "@@PLUGINFILE@@/"
_PLAIN = ("plain_text", "markdown")
_MIME = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
         "svg": "image/svg+xml", "webp": "image/webp", "mp3": "audio/mpeg",
         "mp4": "video/mp4"}  # fmt: skip


def is_moodle_xml(name: str, head: bytes) -> bool:
    """An XML file whose root is ``<quiz>``."""
    return (
        bool(re.search(rb"<quiz[\s>]", head))
        and head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<"
    )


def read_moodle_xml(stream: BinaryIO, name: str, limits: PackageLimits) -> ReadResult:
    """Read every question of a Moodle XML file."""
    root = parse_xml(stream.read())
    if root.tag != "quiz":
        raise QtiError("Tệp XML không phải câu hỏi Moodle (<quiz>).", "file")
    result, category = ReadResult(), ""
    for number_, question in enumerate(root.iter("question"), 1):
        kind = question.get("type", "")
        if kind == "category":
            category = _text(question.find("category")) or category
            continue
        label = _text(question.find("name")) or f"Câu {number_}"
        reader = _TYPES.get(kind)
        if reader is None:
            result.problems.append((label, f"Loại câu hỏi Moodle chưa hỗ trợ: {kind}."))
            continue
        meta = {"label": label, "problems": [], "category": category}
        if topic := _topic(category):
            meta["topic"] = {"code": topic, "name": topic}
        data = {"stem": _rich(question, "questiontext", result), "title": label}
        if feedback := _rich(question, "generalfeedback", result):
            data["explanation"] = feedback
        reader(question, data, meta)
        if meta.pop("unsupported", ""):
            result.problems.append((label, meta["problems"][-1]))
            continue
        data["media"] = [{"src": f} for f in result.files if f'src="{f}"' in str(data)]
        result.add(data, meta)
    return result


def _topic(category: str) -> str:
    """The last level of a category path, unless it is one of Moodle's defaults."""
    last = category.strip("/").split("/")[-1].strip()
    if (
        last.startswith("$")
        or last in ("top", "Default")
        or last.startswith("Default for")
    ):
        return ""
    return last


def _text(element) -> str:
    if element is None:
        return ""
    text = element.find("text")
    return ((text.text if text is not None else element.text) or "").strip()


def _rich(element, tag: str, result: ReadResult) -> str:
    """The HTML of a text field (plain formats escaped), its files kept."""
    field = element.find(tag)
    if field is None:
        return ""
    text = _text(field)
    if field.get("format") in _PLAIN:
        text = escape(text, quote=False).replace("\n", "<br>")
    for file in field.findall("file"):
        _keep_file(file, result)
    return text.replace(_PLUGINFILE, "")


def _keep_file(file, result: ReadResult) -> None:
    name = (file.get("name") or "").strip()
    if not name or "/" in name or file.get("encoding") != "base64":
        return
    try:
        data = base64.b64decode(file.text or "", validate=False)
    except (binascii.Error, ValueError):
        return
    mime = _MIME.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
    result.files[name] = (mime, data)


def _answers(question) -> list[tuple[float, object]]:
    out = []
    for answer in question.findall("answer"):
        try:
            fraction = float(answer.get("fraction", "0"))
        except ValueError:
            fraction = 0.0
        out.append((fraction, answer))
    return out


def _multichoice(question, data: dict, meta: dict) -> None:
    answers = _answers(question)
    single = (question.findtext("single") or "true").strip().lower() in ("true", "1")
    letters = [chr(ord("A") + i) for i in range(len(answers))]
    data["choices"] = [
        {"id": letter, "text": _answer_html(answer)}
        for letter, (_f, answer) in zip(letters, answers, strict=True)
    ]
    if single:
        best = max((f for f, _a in answers), default=0)
        data["correct"] = [
            letter
            for letter, (f, _a) in zip(letters, answers, strict=True)
            if f == best > 0
        ]
        data["type"] = "single_choice"
    else:
        data["correct"] = [
            letter for letter, (f, _a) in zip(letters, answers, strict=True) if f > 0
        ]
        data["type"] = "multiple_response"
    data["shuffle"] = (question.findtext("shuffleanswers") or "").strip() in (
        "1",
        "true",
    )


def _answer_html(answer) -> str:
    text = _text(answer)
    if answer.get("format") in _PLAIN:
        text = escape(text, quote=False)
    return text.replace(_PLUGINFILE, "")


def _truefalse(question, data: dict, meta: dict) -> None:
    data["type"] = "true_false"
    right = [_text(a).lower() for f, a in _answers(question) if f > 0]
    data["correct"] = [right[0]] if right and right[0] in ("true", "false") else []


def _numerical(question, data: dict, meta: dict) -> None:
    for fraction, answer in _answers(question):
        value = number(_text(answer))
        if fraction == 100 and value is not None:
            tolerance = number(answer.findtext("tolerance") or "0") or 0.0
            kind = "integer" if value == int(value) and tolerance == 0 else "float"
            data["type"] = "numeric"
            data["numeric"] = {
                "value": value,
                "tolerance": abs(tolerance),
                "base_type": kind,
            }
            return
    meta["problems"].append("Câu số không có đáp án đúng (fraction 100) là một số.")
    meta["unsupported"] = True


def _shortanswer(question, data: dict, meta: dict) -> None:
    right = [_text(a) for f, a in _answers(question) if f == 100]
    if right and number(right[0]) is not None:
        _numerical(question, data, meta)
        return
    meta["problems"].append(
        "Câu trả lời ngắn dạng chữ chưa được hỗ trợ (chỉ đáp án là số)."
    )
    meta["unsupported"] = True


_TYPES = {
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "numerical": _numerical,
    "shortanswer": _shortanswer,
}
