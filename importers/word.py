"""Word (.docx) question papers → items, with a problem list per question."""

from __future__ import annotations

from typing import BinaryIO

from importers import docx_key
from importers.docx_layout import Layout, Option, Question
from importers.docx_read import read_docx
from importers.docx_text import MARKS, Objects, object_chars, plain
from importers.result import ReadResult, number
from importers.sniff import refuse_legacy
from qti import PackageLimits

_TRUE_FALSE = {"đúng": "true", "sai": "false", "true": "true", "false": "false"}


def is_docx(name: str, head: bytes) -> bool:
    """A ZIP whose name says .docx (or an old .doc, refused with a message later)."""
    lower = name.lower()
    return lower.endswith((".docx", ".docm", ".doc", ".dotx"))


def read_word(stream: BinaryIO, name: str, limits: PackageLimits) -> ReadResult:
    """Read every question of a Word paper."""
    refuse_legacy(stream, name)
    document = read_docx(stream, limits)
    layout = Layout(document.objects)
    layout.read(document.blocks)
    _apply_key(layout)
    result = ReadResult(files=document.files)
    for question in layout.questions:
        data, meta = _build(question, document.objects)
        result.add(data, meta)
    return result


def _apply_key(layout: Layout) -> None:
    """Give each key entry to its question: same part and number, else the first fit."""
    for part, number_, answer in layout.key.entries:
        candidates = [
            q for q in layout.questions if q.number == number_ and q.answer is None
        ]
        exact = [q for q in candidates if q.part == part]
        fitting = [q for q in candidates if _fits(q, answer)]
        chosen = (exact or fitting or [None])[0] if part else (fitting or [None])[0]
        if chosen is not None:
            chosen.answer = answer


def _fits(question: Question, answer: str) -> bool:
    if docx_key.truth_values(answer) is not None:
        return bool(question.options) and _is_cluster(question, answer)
    if docx_key.choice_letters(answer) is not None:
        return bool(question.options)
    return not question.options


def _is_cluster(question: Question, answer: str | None = None) -> bool:
    if question.part_kind == "cluster":
        return True
    lower = bool(question.options) and all(o.lower for o in question.options)
    return lower and answer is not None and docx_key.truth_values(answer) is not None


def _label(question: Question) -> str:
    label = f"Câu {question.number}"
    return f"Phần {question.part} – {label}" if question.part else label


def _build(question: Question, objects: Objects) -> tuple[dict, dict]:
    """Return the item data and the metadata (label, problems) of one question."""
    meta = {"label": _label(question), "number": question.number, "problems": []}
    if question.tag:
        meta["tag"] = question.tag
    if question.part:
        meta["part"] = question.part
    stem = _paragraphs(question.passage + question.stem)
    data = {"type": "single_choice", "stem": stem}
    if question.explanation:
        data["explanation"] = _paragraphs(question.explanation)
    if question.group:
        data["extra"] = {"group": question.group}
    if question.options and _is_cluster(question, question.answer):
        _cluster(question, objects, data, meta)
    elif question.options:
        _choices(question, objects, data, meta)
    else:
        _numeric(question, data, meta)
    _notes(question, objects, meta)
    data["media"] = _media(data, objects, question)
    meta["text"] = " ".join(question.text)
    return data, meta


def _paragraphs(pieces: list[str]) -> str:
    """Wrap each piece of text in a paragraph (tables stand on their own)."""
    return "".join(p if p.startswith("<table") else f"<p>{p}</p>" for p in pieces if p)


def _choices(question: Question, objects: Objects, data: dict, meta: dict) -> None:
    options = question.options
    letters = [o.letter for o in options]
    expected = [chr(ord("A") + i) for i in range(len(options))]
    if letters != expected or not 2 <= len(options) <= 8:
        meta["problems"].append(
            "Thiếu phương án hoặc sai thứ tự (cần A, B, C … liên tiếp)."
        )
    correct, drop, explicit = _correct_letters(question)
    data["choices"] = [
        {"id": o.letter, "text": _option_html(o, objects, drop)} for o in options
    ]
    texts = [plain(c["text"], objects).strip().casefold() for c in data["choices"]]
    if len(options) == 2 and all(t in _TRUE_FALSE for t in texts):
        _true_false(options, texts, correct, data, meta)
        return
    data["correct"] = correct
    if not correct:
        meta["problems"].append("Chưa đánh dấu đáp án đúng.")
        meta["blocking"] = True
    elif len(correct) > 1:
        data["type"] = "multiple_response"
        if not explicit or question.part_kind == "choice":
            meta["problems"].append(
                "Có nhiều hơn một phương án được đánh dấu là đáp án."
            )


def _true_false(options, texts, correct, data, meta) -> None:
    letters = [o.letter for o in options]
    data["type"], data["choices"] = "true_false", []
    data["correct"] = [_TRUE_FALSE[texts[letters.index(c)]] for c in correct]
    if len(correct) != 1:
        meta["problems"].append("Câu Đúng/Sai cần đánh dấu đúng một đáp án.")
        meta["blocking"] = True


def _correct_letters(question: Question) -> tuple[list[str], int, bool]:
    """Correct letters, the style bit that marked them (to drop), explicit or not."""
    if question.answer and (letters := docx_key.choice_letters(question.answer)):
        return letters, 0, True
    starred = [o.letter for o in question.options if o.starred]
    if starred:
        return starred, 0, False
    for mark in MARKS:
        marked = [o.letter for o in question.options if _marked(o, mark)]
        if 0 < len(marked) < len(question.options):
            return marked, mark, False
    return [], 0, False


def _marked(option: Option, mark: int) -> bool:
    return bool(
        option.letter_style & mark or option.line.marks(option.start, option.end) & mark
    )


def _option_html(option: Option, objects: Objects, drop: int) -> str:
    html = option.line.html(objects, option.start, option.end, drop)
    return "<br>".join([html, *option.more]) if option.more else html


def _cluster(question: Question, objects: Objects, data: dict, meta: dict) -> None:
    data["type"] = "true_false_cluster"
    options = question.options
    truths = docx_key.truth_values(question.answer or "")
    drop = 0
    if truths is None:
        for mark in MARKS:
            marked = [_marked(o, mark) for o in options]
            if any(marked) and not all(marked):
                truths, drop = marked, mark
                break
    if len(options) != 4:
        meta["problems"].append("Câu Đúng/Sai dạng chùm cần đúng 4 mệnh đề a)–d).")
    if truths is None or len(truths) != len(options):
        meta["problems"].append("Chưa có đáp án Đúng/Sai cho các mệnh đề.")
        meta["blocking"] = True
        truths = [False] * len(options)
    data["statements"] = [
        {"id": o.letter.lower(), "text": _option_html(o, objects, drop), "correct": t}
        for o, t in zip(options, truths, strict=False)
    ]


def _numeric(question: Question, data: dict, meta: dict) -> None:
    value = number(question.answer) if question.answer else None
    if question.part_kind == "essay":
        meta["problems"].append("Câu tự luận: chưa hỗ trợ, không nhập.")
        meta["blocking"] = True
    elif value is None:
        why = "Không có phương án" + (
            " và đáp án không phải là số." if question.answer else "."
        )
        meta["problems"].append(why)
        meta["blocking"] = True
    else:
        data["type"] = "numeric"
        kind = (
            "integer" if value == int(value) and "," not in question.answer else "float"
        )
        data["numeric"] = {"value": value, "tolerance": 0.0, "base_type": kind}


def _notes(question: Question, objects: Objects, meta: dict) -> None:
    """Report the objects of the question that need a look (MathType, WMF …)."""
    for char in object_chars("".join(question.raw)):
        note = objects.notes.get(char)
        if note and note not in meta["problems"]:
            meta["problems"].append(note)


def _media(data: dict, objects: Objects, question: Question) -> list[dict]:
    """The pictures the question shows, once each, in order."""
    names = (objects.media.get(c) for c in object_chars("".join(question.raw)))
    return [{"src": name, "mime": ""} for name in dict.fromkeys(n for n in names if n)]
