"""Answer keys at the end of a paper: lists ("1-B 2-A 3.C") and tables, per part."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_TF = r"[ĐSđs]"
#: One answer: four Đ/S (a cluster), letters (choices) or a number (short answer).
VALUE = (
    rf"(?:(?:[a-d]\s*[).]\s*{_TF}\s*[,;]?\s*){{4}}"
    rf"|{_TF}(?:\s*[-,;/]?\s*{_TF}){{3}}(?![\w])"
    r"|[A-H](?:\s*[,;&]\s*[A-H])*(?![\w])"
    r"|[-−]?\d+(?:[.,]\d+)?(?![\d\w]))"
)
PAIR = re.compile(rf"(?<![\d\w])(\d{{1,4}})\s*[-.:)–]?\s*({VALUE})")
_INTEGER = re.compile(r"\s*(?:Câu\s*)?(\d{1,4})\s*[.:]?\s*")


@dataclass
class Key:
    """Answers found after ``HẾT``/``ĐÁP ÁN``: (part or 0, number, answer text)."""

    part: int = 0
    entries: list[tuple[int, int, str]] = field(default_factory=list)

    def text(self, text: str) -> None:
        """Read the pairs of one line of a key list."""
        for match in PAIR.finditer(text):
            self.entries.append((self.part, int(match[1]), match[2].strip()))

    def table(self, rows: list[list[str]]) -> None:
        """Read a key table laid out in rows ("Câu | 1 | 2", "Đáp án | B | A") or columns."""
        rows = [[cell.strip() for cell in row] for row in rows if any(row)]
        index = 0
        while index < len(rows):
            numbers = _numbers(rows[index])
            if (
                numbers
                and index + 1 < len(rows)
                and len(rows[index + 1]) == len(rows[index])
            ):
                self._pairs(numbers, rows[index + 1])
                index += 2
                continue
            self._row(rows[index])
            index += 1

    def _pairs(self, numbers: list[int | None], answers: list[str]) -> None:
        for number, answer in zip(numbers, answers, strict=True):
            if number is not None and answer:
                self.entries.append((self.part, number, answer))

    def _row(self, row: list[str]) -> None:
        """One row of a column layout: "3 | B", or "3 | a) | Đ" continued below."""
        match = _INTEGER.fullmatch(row[0]) if row else None
        rest = " ".join(cell for cell in row[1:] if cell)
        if match and rest:
            self.entries.append((self.part, int(match[1]), rest))
        elif not row[0] and rest and self.entries:
            part, number, answer = self.entries[-1]
            self.entries[-1] = (part, number, f"{answer} {rest}")
        else:
            self.text(" ".join(row))


def _numbers(row: list[str]) -> list[int | None]:
    """The question numbers of a header row ("Câu | 1 | 2 …"), or [] when it is not one."""
    numbers = []
    for cell in row:
        match = _INTEGER.fullmatch(cell)
        numbers.append(int(match[1]) if match else None)
    found = [n for n in numbers if n is not None]
    if len(found) < 2 or any(
        n is None and cell for n, cell in zip(numbers[1:], row[1:], strict=True)
    ):
        return []
    return numbers


def truth_values(answer: str) -> list[bool] | None:
    """Four Đ/S answers ("ĐSĐS", "a) Đ b) S …", "Đ-S-Đ-S") as booleans, else None."""
    letters = re.findall(r"(?<![A-Za-zÀ-ỹ])([ĐSđs])(?![A-Za-zÀ-ỹ])", answer)
    if len(letters) != 4:
        compact = re.sub(r"[\s,;/\-]", "", answer)
        letters = list(compact) if re.fullmatch(r"[ĐSđs]{4}", compact) else []
    if len(letters) != 4:
        return None
    return [letter in "Đđ" for letter in letters]


def choice_letters(answer: str) -> list[str] | None:
    """Option letters of an answer ("B", "A, C"), else None."""
    compact = answer.strip().rstrip(".")
    if not re.fullmatch(r"[A-Ha-h](?:\s*[,;&]\s*[A-Ha-h]|\s+[A-Ha-h])*", compact):
        return None
    return [c.upper() for c in re.findall(r"[A-Ha-h]", compact)]
