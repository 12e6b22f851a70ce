"""The layout of Vietnamese question papers: markers, options, parts, groups, keys.

``Layout`` walks the blocks of a document once and collects questions (stem,
options or a)–d) statements, answer line, explanation) and the answer key at the
end; ``importers.word`` turns them into items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from importers import docx_key
from importers.docx_read import Table
from importers.docx_text import Line, Objects, plain, table_html

QUESTION = re.compile(
    r"\s*(?i:câu|bài|question)\s*(\d{1,4})\s*(\([^()]{0,40}\))?\s*[.:]\s*"
)
PART = re.compile(r"\s*(?i:phần)\s+([IVX]{1,4}|\d{1,2})\b\s*[.:\-–]?\s*", re.UNICODE)
ANSWER = re.compile(r"\s*(?:Đáp án|ĐÁP ÁN|ĐA|Đáp số|Trả lời)\s*[:.]\s*(\S.*)")
EXPLANATION = re.compile(
    r"\s*(?:Lời giải(?: chi tiết)?|LỜI GIẢI|Hướng dẫn giải|HƯỚNG DẪN GIẢI|Giải thích|Giải)"
    r"\s*(?:[:.]\s*|$)"
)
KEY_HEADING = re.compile(
    r"[\s\-–—_*.]*(?:HẾT|(?:BẢNG )?ĐÁP ÁN(?: VÀ HƯỚNG DẪN(?: GIẢI| CHẤM)?)?"
    r"|(?i:Answer key|Đáp án tham khảo))[\s\-–—_*.:]*"
)
GROUP = re.compile(
    r"\s*(?i:đọc|dùng|sử dụng|cho|dựa vào)\b.{0,160}?(?i:câu)\s*(?i:từ\s*)?(\d{1,4})\s*"
    r"(?:đến|tới|-|–|và|,)\s*(?i:câu\s*)?(\d{1,4})"
)
OPTION_START = re.compile(r"\s*(\*?)\s*([A-Ha-h])\s*[.)]")
#: Words of part headings → the kind of question the part holds.
PART_KINDS = (
    ("đúng sai", "cluster"),
    ("đúng/sai", "cluster"),
    ("trả lời ngắn", "numeric"),
    ("tự luận", "essay"),
    ("nhiều phương án", "choice"),
    ("trắc nghiệm", "choice"),
)


@dataclass
class Option:
    """One option (A–H) or statement (a–d): where its text is, how it is styled."""

    letter: str
    lower: bool
    starred: bool
    line: Line
    start: int
    end: int
    letter_style: int
    more: list[str] = field(default_factory=list)


@dataclass
class Question:
    """A question as found in the document, before it becomes an item."""

    number: int
    part: int
    part_kind: str | None
    tag: str = ""
    stem: list[str] = field(default_factory=list)
    options: list[Option] = field(default_factory=list)
    answer: str | None = None
    explanation: list[str] = field(default_factory=list)
    passage: list[str] = field(default_factory=list)
    group: str = ""
    text: list[str] = field(default_factory=list)
    #: The raw text of every line read into the question (objects included).
    raw: list[str] = field(default_factory=list)


@dataclass
class _Group:
    first: int
    last: int
    part: int
    html: list[str] = field(default_factory=list)


class Layout:
    """The questions and answer key of a document's blocks."""

    def __init__(self, objects: Objects):
        self.objects = objects
        self.questions: list[Question] = []
        self.key = docx_key.Key()
        self.part, self.part_kind = 0, None
        self.mode = "front"
        self.group: _Group | None = None
        self.groups: list[_Group] = []

    @property
    def current(self) -> Question | None:
        """The question being read, if any."""
        return self.questions[-1] if self.questions and self.mode != "front" else None

    def read(self, blocks: list) -> None:
        """Walk the blocks in order."""
        for block in blocks:
            if isinstance(block, Table):
                self.table(block)
            else:
                self.line(block)

    def table(self, table: Table) -> None:
        """A key table at the end, a table of options, or a table inside a question."""
        if self.mode == "key":
            self.key.table(
                [
                    [
                        plain(" ".join(line.text for line in c), self.objects)
                        for c in row
                    ]
                    for row in table.rows
                ]
            )
            return
        cells = [line for row in table.rows for cell in row for line in cell]
        if self.current and _all_options(cells):
            for line in cells:
                self.line(line)
            return
        html = table_html(table.rows, self.objects)
        if self.current:
            self.current.raw += [line.text for line in cells]
        self._body(html, "")

    def line(self, line: Line) -> None:
        """Classify one line and add it where it belongs."""
        text = line.text
        if not text.strip():
            return
        if self.mode == "key":
            self._key_line(line)
        elif KEY_HEADING.fullmatch(text):
            self.mode, self.group = "key", None
        elif match := PART.match(text):
            self._part(match, text)
        elif (match := QUESTION.match(text)) and self._starts_question(int(match[1])):
            self._question(line, match)
        elif match := GROUP.match(text):
            self._group(line, match)
        elif self.current is None:
            if self.group:
                self.group.html.append(line.html(self.objects))
        else:
            self._inside(line)

    def _key_line(self, line: Line) -> None:
        if match := PART.match(line.text):
            self.key.part = _part_number(match[1])
            return
        self.key.text(plain(line.text, self.objects))

    def _part(self, match: re.Match, text: str) -> None:
        self.part = _part_number(match[1])
        folded = text.casefold()
        self.part_kind = next((k for word, k in PART_KINDS if word in folded), None)
        self.mode, self.group = "front", None

    def _starts_question(self, number: int) -> bool:
        """A marker starts a question unless its number goes back inside a part."""
        if self.mode == "front" or not self.questions:
            return True
        last = self.questions[-1]
        return last.part != self.part or number > last.number

    def _question(self, line: Line, match: re.Match) -> None:
        number = int(match[1])
        question = Question(number, self.part, self.part_kind, (match[2] or "")[1:-1])
        group = self.group or next(
            (
                g
                for g in self.groups
                if g.part == self.part and g.first <= number <= g.last
            ),
            None,
        )
        if group and group.first <= number <= group.last:
            question.passage = list(group.html)
            question.group = f"{group.part}:{group.first}-{group.last}"
        self.group = None
        self.questions.append(question)
        self.mode = "stem"
        if match.end() < len(line.text.rstrip()):
            self._inside(line, match.end())

    def _group(self, line: Line, match: re.Match) -> None:
        first, last = int(match[1]), int(match[2])
        self.group = _Group(first, last, self.part, [line.html(self.objects)])
        self.groups.append(self.group)
        self.mode = "front"

    def _inside(self, line: Line, start: int = 0) -> None:
        """A line inside a question: answer, explanation, options or more text."""
        question, text = self.current, line.text[start:]
        question.raw.append(text)
        if start == 0 and (match := ANSWER.match(text)):
            question.answer = plain(match[1], self.objects).strip()
            self.mode = "after"
        elif start == 0 and (match := EXPLANATION.match(text)):
            self.mode = "explanation"
            rest = start + match.end()
            if line.text[rest:].strip():
                question.explanation.append(line.html(self.objects, rest))
        elif self.mode == "explanation":
            question.explanation.append(line.html(self.objects, start))
        elif options := self._options(line, start):
            question.options += options
            self.mode = "options"
        elif question.options and self.mode == "options":
            question.options[-1].more.append(line.html(self.objects, start))
        else:
            self._body(line.html(self.objects, start), plain(text, self.objects))

    def _body(self, html: str, text: str) -> None:
        question = self.current
        if question is None:
            if self.group:
                self.group.html.append(html)
            return
        if self.mode == "explanation":
            question.explanation.append(html)
        elif question.options:
            question.options[-1].more.append(html)
        else:
            question.stem.append(html)
            question.text.append(text)

    def _options(self, line: Line, start: int) -> list[Option]:
        """The options a line holds, continuing the question's letter sequence."""
        match = OPTION_START.match(line.text, start)
        question = self.current
        if match is None:
            return []
        letter = match[2]
        expected = _next_letter(question.options, letter.islower())
        if letter != expected:
            return []
        spans = [(match.start(), match)]
        while True:
            expected = chr(ord(expected) + 1)
            if expected > ("h" if letter.islower() else "H"):
                break
            pattern = rf"(?<=\s)(\*?)\s?({expected})\s*[.)]"
            found = re.compile(pattern).search(line.text, spans[-1][1].end())
            if found is None:
                break
            spans.append((found.start(), found))
        return [_option(line, spans, i) for i in range(len(spans))]


def _option(line: Line, spans: list, index: int) -> Option:
    _start, match = spans[index]
    end = spans[index + 1][0] if index + 1 < len(spans) else len(line.text)
    letter = match[2]
    style = line.styles[match.start(2)]
    return Option(
        letter.upper(), letter.islower(), bool(match[1]), line, match.end(), end, style
    )


def _next_letter(options: list[Option], lower: bool) -> str:
    if not options:
        return "a" if lower else "A"
    last = options[-1]
    following = chr(ord(last.letter) + 1)
    return following.lower() if last.lower else following


def _part_number(numeral: str) -> int:
    if numeral.isdigit():
        return int(numeral)
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for i, char in enumerate(numeral):
        value = values[char]
        later = values[numeral[i + 1]] if i + 1 < len(numeral) else 0
        total += -value if value < later else value
    return total


def _all_options(lines: list[Line]) -> bool:
    texts = [line.text for line in lines if line.text.strip()]
    return bool(texts) and all(OPTION_START.match(text) for text in texts)
