"""Word's automatic list numbering: the "Câu 1." or "A." a paragraph shows but does not hold.

A numbered paragraph carries ``w:numPr`` (list ``w:numId``, level ``w:ilvl``), itself or
through its paragraph style. ``numbering.xml`` maps the list to an abstract definition
whose levels give the start value, the number format and the text (``Câu %1.``). As in
Word, lists sharing one abstract definition share their counters (that is how
"continue numbering" works), a list with a ``w:startOverride`` restarts the level when
it is first used, and a number resets the counters of the deeper levels. A number is
shown only where the paragraph does not start with a typed marker of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#: A paragraph that starts with a typed marker keeps it: a list number before it (the
#: "1." of a numbered list holding "Câu 1: …") is decoration, so it is left out.
TYPED_MARKER = re.compile(
    r"\s*(?:(?i:câu|bài|question|phần)\s*(?:\d|[IVX]+\b)|\*?\s*[A-Ha-h]\s*[.)])"
)
_PLACEHOLDER = re.compile(r"%([1-9])")
_ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip


def w(name: str) -> str:
    """The Clark name of a WordprocessingML element or attribute."""
    return f"{{{W}}}{name}"


def _letters(value: int) -> str:
    """1 → a, 26 → z, 27 → aa (Word repeats the letter)."""
    if value < 1:
        return ""
    return chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)


def _roman(value: int) -> str:
    out = ""
    for size, digits in _ROMAN:
        count, value = divmod(value, size)
        out += digits * count
    return out


FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "upperLetter": lambda n: _letters(n).upper(),
    "lowerLetter": _letters,
    "upperRoman": lambda n: _roman(n).upper(),
    "lowerRoman": _roman,
}


@dataclass(frozen=True)
class Level:
    """One level of a list: where it starts, how it is written, what follows it."""

    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    suffix: str = " "
    #: The level whose numbers reset this one (None: the one just above; 0: never).
    restart: int | None = None
    rpr: object = None


def _val(element, name: str) -> str | None:
    child = element.find(w(name)) if element is not None else None
    return child.get(w("val")) if child is not None else None


def _int(value: str | None, default: int | None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _level(lvl, base: Level | None = None) -> Level:
    base = base or Level()
    suffix = {"tab": " ", "space": " ", "nothing": ""}.get(_val(lvl, "suff"), " ")
    text = lvl.find(w("lvlText"))
    return replace(
        base,
        start=_int(_val(lvl, "start"), base.start),
        fmt=_val(lvl, "numFmt") or base.fmt,
        text=text.get(w("val"), "") if text is not None else base.text,
        suffix=suffix,
        restart=_int(_val(lvl, "lvlRestart"), base.restart),
        rpr=lvl.find(w("rPr")) if lvl.find(w("rPr")) is not None else base.rpr,
    )


class Numbering:
    """The list definitions of a document and the counters while reading it."""

    def __init__(self, numbering=None, styles=None):
        self.abstract: dict[str, dict[int, Level]] = {}
        #: numId → (abstract id, levels overridden, start overrides by level).
        self.lists: dict[str, tuple[str, dict[int, Level], dict[int, int]]] = {}
        self.styles: dict[str, tuple[str | None, str | None, str | None]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.used: set[str] = set()
        if numbering is not None:
            self._definitions(numbering)
        if styles is not None:
            self._styles(styles)

    def _definitions(self, root) -> None:
        for node in root.iter(w("abstractNum")):
            self.abstract[node.get(w("abstractNumId"))] = {
                _int(lvl.get(w("ilvl")), 0): _level(lvl) for lvl in node.iter(w("lvl"))
            }
        for node in root.iter(w("num")):
            levels, starts = {}, {}
            for override in node.iter(w("lvlOverride")):
                ilvl = _int(override.get(w("ilvl")), 0)
                if (start := _int(_val(override, "startOverride"), None)) is not None:
                    starts[ilvl] = start
                if (lvl := override.find(w("lvl"))) is not None:
                    levels[ilvl] = lvl
            abstract = _val(node, "abstractNumId") or ""
            self.lists[node.get(w("numId"))] = (abstract, levels, starts)

    def _styles(self, root) -> None:
        """numId and level of each paragraph style, and the style it is based on."""
        for style in root.iter(w("style")):
            if style.get(w("type")) != "paragraph":
                continue
            numpr = style.find(f"{w('pPr')}/{w('numPr')}")
            num_id = _val(numpr, "numId") if numpr is not None else None
            ilvl = _val(numpr, "ilvl") if numpr is not None else None
            self.styles[style.get(w("styleId"))] = (
                num_id,
                ilvl,
                _val(style, "basedOn"),
            )

    def _style_numpr(self, style_id, depth: int = 0):
        num_id, ilvl, based = self.styles.get(style_id, (None, None, None))
        if num_id is None and based and depth < 10:
            return self._style_numpr(based, depth + 1)
        return num_id, ilvl

    def label(self, p) -> tuple[str, object] | None:
        """The number a paragraph shows (text and run properties), counting it."""
        ppr = p.find(w("pPr"))
        if ppr is None:
            return None
        numpr = ppr.find(w("numPr"))
        style_id, ilvl = _val(ppr, "pStyle"), None
        num_id = _val(numpr, "numId") if numpr is not None else None
        if numpr is not None:
            ilvl = _val(numpr, "ilvl")
        if num_id is None or ilvl is None:
            style_num, style_lvl = self._style_numpr(style_id)
            num_id, ilvl = num_id or style_num, ilvl or style_lvl
        if num_id in (None, "0") or num_id not in self.lists:
            return None
        return self._count(num_id, _int(ilvl, 0))

    def _count(self, num_id: str, ilvl: int) -> tuple[str, object] | None:
        abstract, overridden, starts = self.lists[num_id]
        levels = self._levels(abstract, overridden)
        if ilvl not in levels:
            return None
        counters = self.counters.setdefault(abstract, {})
        if num_id not in self.used:  # a restarted list: its overrides apply once
            self.used.add(num_id)
            for level, start in starts.items():
                counters[level] = start - 1
        level = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [d for d in counters if d > ilvl]:
            if levels.get(deeper, Level()).restart != 0:
                del counters[deeper]
        return self._text(levels, counters, ilvl)

    def _levels(self, abstract: str, overridden: dict) -> dict[int, Level]:
        levels = dict(self.abstract.get(abstract, {}))
        for ilvl, lvl in overridden.items():
            levels[ilvl] = _level(lvl, levels.get(ilvl))
        return levels

    @staticmethod
    def _text(levels, counters, ilvl: int) -> tuple[str, object] | None:
        level = levels[ilvl]
        if level.fmt not in FORMATS and level.fmt != "none":
            return None  # bullets and exotic formats are not question markers

        def number(match: re.Match) -> str:
            at = int(match[1]) - 1
            shown = levels.get(at, Level())
            value = counters.get(at, shown.start)
            return FORMATS.get(shown.fmt, lambda _n: "")(value)

        text = _PLACEHOLDER.sub(number, level.text).strip()
        return (text + level.suffix, level.rpr) if text else None
