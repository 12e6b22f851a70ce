"""Rich lines of a Word document: plain text with per-character styles and objects.

Layout rules (markers, options, answer keys) look at plain text; the HTML of any
slice of a line is rebuilt from the styles, so an option keeps its sub/superscripts
and equations but loses the underline or colour that marked it as the answer.
Pictures and equations stand in the text as one private-use character each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

BOLD, ITALIC, UNDERLINE, RED, SUB, SUP, HIGHLIGHT = 1, 2, 4, 8, 16, 32, 64
#: Marks that can tell the correct option, in the order we trust them.
MARKS = (UNDERLINE, RED, HIGHLIGHT, BOLD)
_TAGS = ((BOLD, "b"), (ITALIC, "i"), (UNDERLINE, "u"), (SUB, "sub"), (SUP, "sup"))
#: Objects (pictures, equations) use supplementary private-use code points.
FIRST_OBJECT = 0xF0000
LAST_OBJECT = 0xFFFFD


@dataclass
class Objects:
    """The pictures and equations of one document, by their placeholder character."""

    html: dict[str, str] = field(default_factory=dict)
    text: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    media: dict[str, str] = field(default_factory=dict)

    def add(self, html: str, text: str, note: str = "", media: str = "") -> str:
        """Keep one object; return the character standing for it (or "" when full)."""
        code = FIRST_OBJECT + len(self.html)
        if code > LAST_OBJECT:
            return ""
        char = chr(code)
        self.html[char], self.text[char] = html, text
        if note:
            self.notes[char] = note
        if media:
            self.media[char] = media
        return char


@dataclass
class Line:
    """One visual line: text, the style bits of each character."""

    text: str = ""
    styles: list[int] = field(default_factory=list)

    def append(self, text: str, style: int) -> None:
        """Add ``text`` written in ``style``."""
        self.text += text
        self.styles += [style] * len(text)

    def prepend(self, text: str, style: int) -> None:
        """Put ``text`` written in ``style`` before the line (a list number)."""
        self.text = text + self.text
        self.styles = [style] * len(text) + self.styles

    def strip_span(self, start: int = 0, end: int | None = None) -> tuple[int, int]:
        """Return ``(start, end)`` without the surrounding white space."""
        end = len(self.text) if end is None else end
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return start, end

    def marks(self, start: int, end: int) -> int:
        """Style bits shared by every visible character of ``[start, end)``."""
        shared = -1
        for char, style in zip(
            self.text[start:end], self.styles[start:end], strict=True
        ):
            if not char.isspace() and char not in "*.)":
                shared &= style
        return 0 if shared == -1 else shared

    def html(self, objects: Objects, start=0, end=None, drop: int = 0) -> str:
        """HTML of ``[start, end)``, without the style bits in ``drop``."""
        start, end = self.strip_span(start, end)
        keep = ~drop & ~RED & ~HIGHLIGHT
        styles = self.styles
        out, chunk_start = [], start
        for i in range(start + 1, end + 1):
            if i == end or (styles[i] & keep) != (styles[chunk_start] & keep):
                text = _escape(self.text[chunk_start:i], objects)
                out.append(_wrap(text, styles[chunk_start] & keep))
                chunk_start = i
        return "".join(out).replace("\t", " ")


def _wrap(text: str, style: int) -> str:
    if not text:
        return ""
    for bit, tag in reversed(_TAGS):
        if style & bit:
            text = f"<{tag}>{text}</{tag}>"
    return text


_OBJECT = re.compile(f"[{chr(FIRST_OBJECT)}-{chr(LAST_OBJECT)}]")


def _escape(text: str, objects: Objects) -> str:
    """Escaped text with each object replaced by its HTML."""
    text = escape(text)
    if _OBJECT.search(text) is None:
        return text
    return _OBJECT.sub(lambda m: objects.html.get(m.group(), ""), text)


def plain(text: str, objects: Objects) -> str:
    """Plain text of ``text`` with objects replaced by their text (for comparisons)."""
    if _OBJECT.search(text) is None:
        return text
    return _OBJECT.sub(lambda m: objects.text.get(m.group(), ""), text)


def object_chars(text: str) -> list[str]:
    """The objects standing in ``text``, in order."""
    return _OBJECT.findall(text)


def table_html(rows: list, objects: Objects) -> str:
    """HTML of a table given as rows of cells, each a list of lines."""
    body = "".join(
        "<tr>"
        + "".join(
            "<td>" + "<br>".join(line.html(objects) for line in cell) + "</td>"
            for cell in row
        )
        + "</tr>"
        for row in rows
    )
    return f"<table>{body}</table>"
