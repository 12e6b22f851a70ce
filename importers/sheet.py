"""Question tables (one row per question): our Vietnamese template and Quizizz's 11 columns.

Both the Excel and the CSV readers hand rows of cell strings to ``read_rows``; the
header row says which template it is. Cell text is plain text (escaped, line breaks
kept), so "x < y" stays what the teacher typed.
"""

from __future__ import annotations

import re
import unicodedata
from html import escape

from importers import docx_key
from importers.result import ReadResult, number
from qti import QtiError
from qti.text import normalize

LETTERS = "ABCDEFGH"
#: Our template: column title (accents and case ignored) → field.
TEMPLATE = {
    "loai": "type", "loai cau hoi": "type", "cau hoi": "stem", "noi dung": "stem",
    "de bai": "stem", "dap an": "answer", "dap an dung": "answer", "sai so": "tolerance",
    "loi giai": "explanation", "giai thich": "explanation", "huong dan giai": "explanation",
    "mon": "subject", "mon hoc": "subject", "lop": "grade", "chu de": "topic",
    "bai hoc": "topic", "muc do": "level", "ma": "identifier",
    **{letter.lower(): letter for letter in LETTERS},
    **{f"phuong an {letter.lower()}": letter for letter in LETTERS},
}  # fmt: skip
#: Quizizz's spreadsheet template.
QUIZIZZ = {
    "question text": "stem", "question type": "type", "correct answer": "answer",
    "time in seconds": "time", "image link": "image", "answer explanation": "explanation",
    **{f"option {n}": LETTERS[n - 1] for n in range(1, 6)},
}  # fmt: skip
TYPES = {
    "mot lua chon": "single_choice", "nhieu lua chon": "multiple_response",
    "dung sai": "true_false", "dung/sai": "true_false", "dung sai chum": "true_false_cluster",
    "tra loi ngan": "numeric", "so": "numeric", "multiple choice": "single_choice",
    "checkbox": "multiple_response", "fill-in-the-blank": "numeric",
    "true or false": "true_false", **{t: t for t in (
        "single_choice", "multiple_response", "true_false", "true_false_cluster", "numeric"
    )},
}  # fmt: skip
HEADER_ROWS = 5
NO_HEADER = "Không tìm thấy dòng tiêu đề của mẫu (Câu hỏi, A, B, …, Đáp án)."


def fold(text: str) -> str:
    """Lower case without accents and extra spaces ("Đáp án" → "dap an")."""
    text = unicodedata.normalize(
        "NFD", str(text or "").replace("đ", "d").replace("Đ", "d")
    )
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[*:()]", " ", text).lower().split())


def read_rows(rows: list[list[str]], name: str) -> ReadResult:
    """Read questions from rows of cells (the header within the first rows)."""
    result = ReadResult()
    found = [(i, *_header(row)) for i, row in enumerate(rows[:HEADER_ROWS])]
    found = [entry for entry in found if entry[1]]
    if not found:
        raise QtiError(NO_HEADER, "file")
    index, columns, template = found[0]
    for number_, row in enumerate(rows[index + 1 :], index + 2):
        cells = {field: _cell(row, col) for col, field in columns.items()}
        if not any(cells.values()) or _is_example(cells):
            continue
        data, meta = _question(cells, template, f"Dòng {number_}")
        result.add(data, meta)
    return result


def _header(row: list[str]) -> tuple[dict[int, str], str]:
    for template, names in (("ours", TEMPLATE), ("quizizz", QUIZIZZ)):
        columns = {
            i: names[fold(cell)] for i, cell in enumerate(row) if fold(cell) in names
        }
        if "stem" in columns.values() and "A" in columns.values():
            return columns, template
    return {}, ""


def _cell(row: list[str], index: int) -> str:
    value = row[index] if index < len(row) else ""
    return normalize(str(value if value is not None else "")).strip()


def _is_example(cells: dict) -> bool:
    return fold(cells.get("stem", "")).startswith(("vi du", "example", "(vi du"))


def _html(text: str) -> str:
    return "<br>".join(escape(line, quote=False) for line in text.splitlines())


def _question(cells: dict, template: str, label: str) -> tuple[dict, dict]:
    """The item data and metadata of one row."""
    meta = {"label": label, "problems": [], "text": cells.get("stem", "")}
    for key in ("subject", "grade", "topic", "level"):
        if cells.get(key):
            meta[key] = {"code": cells[key], "name": cells[key]}
    options = [(letter, cells[letter]) for letter in LETTERS if cells.get(letter)]
    kind = TYPES.get(fold(cells.get("type", "")), "")
    data = {"stem": _html(cells.get("stem", ""))}
    if cells.get("type") and not kind:
        meta["problems"].append(f"Loại câu hỏi không hỗ trợ: {cells['type']}.")
        meta["blocking"] = True
        return {**data, "type": "single_choice"}, meta
    if cells.get("explanation"):
        data["explanation"] = _html(cells["explanation"])
    if cells.get("image", "").startswith(("http://", "https://")):
        data["stem"] += f'<p><img src="{escape(cells["image"])}" alt=""></p>'
    answer = cells.get("answer", "")
    if template == "quizizz" and kind != "numeric":
        answer = ",".join(_quizizz_letters(answer))
    kind = kind or _guess(options, answer)
    _FILL[kind](data, options, answer, cells, meta)
    data["type"] = kind
    return data, meta


def _quizizz_letters(answer: str) -> list[str]:
    numbers = re.findall(r"\d+", answer)
    return [LETTERS[int(n) - 1] for n in numbers if 1 <= int(n) <= len(LETTERS)]


def _guess(options: list, answer: str) -> str:
    if not options:
        return "numeric"
    if len(options) == 4 and docx_key.truth_values(answer) is not None:
        return "true_false_cluster"
    letters = docx_key.choice_letters(answer) or []
    return "multiple_response" if len(letters) > 1 else "single_choice"


def _choices(data, options, answer, cells, meta) -> None:
    data["choices"] = [{"id": letter, "text": _html(text)} for letter, text in options]
    data["correct"] = docx_key.choice_letters(answer) or []
    if not data["correct"]:
        meta["problems"].append("Chưa có đáp án (cột Đáp án: A, B, … hoặc A,C).")
        meta["blocking"] = True


def _true_false(data, options, answer, cells, meta) -> None:
    value = {"dung": "true", "d": "true", "true": "true", "sai": "false", "s": "false"}
    data["correct"] = [value[fold(answer)]] if fold(answer) in value else []
    if not data["correct"]:
        meta["problems"].append("Câu Đúng/Sai cần đáp án Đúng hoặc Sai.")


def _cluster(data, options, answer, cells, meta) -> None:
    truths = docx_key.truth_values(answer)
    if truths is None:
        meta["problems"].append("Câu Đúng/Sai dạng chùm cần đáp án như ĐSĐS.")
        meta["blocking"], truths = True, [False] * len(options)
    data["statements"] = [
        {"id": letter.lower(), "text": _html(text), "correct": truth}
        for (letter, text), truth in zip(options, truths, strict=False)
    ]


def _numeric(data, options, answer, cells, meta) -> None:
    value = number(answer)
    if value is None:
        meta["problems"].append("Câu trả lời ngắn cần đáp án là một số.")
        meta["blocking"] = True
        return
    tolerance = number(cells.get("tolerance") or "0") or 0.0
    kind = (
        "integer" if value == int(value) and not re.search(r"[.,]", answer) else "float"
    )
    data["numeric"] = {"value": value, "tolerance": abs(tolerance), "base_type": kind}


_FILL = {
    "single_choice": _choices,
    "multiple_response": _choices,
    "true_false": _true_false,
    "true_false_cluster": _cluster,
    "numeric": _numeric,
}
