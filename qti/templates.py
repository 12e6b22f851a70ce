"""Read item files of a known byte layout without parsing them: the reader's fast path.

Packages from one writer repeat a few layouts: items of one shape (type, options,
keys, feedback, language) differ only in a few texts. After an item file is read
the full way (parse, then ``reader``), this module learns its layout: it writes the
item again with our writer, a marker in place of each free text (identifier, title,
stem, explanation, the option texts where the reader takes them as they are), and
cuts the bytes at the markers. A later file equal to those pieces around plain texts
(no markup, nothing XML escapes or normalises, valid characters) has the tree of the
learned file with other texts in the same text nodes, and the reader turns those
texts into the item's fields as below (``_build`` mirrors ``reader._read``). A
layout is kept only if it reads the file it was learned from into the same item.
Option texts stay in the layout (must match byte for byte) where the reader looks
at them (two-option single choice and true/false: their words decide the type).
"""

from __future__ import annotations

import dataclasses
import re
import threading

from qti import layout
from qti.conventions import default_title
from qti.errors import QtiError
from qti.items import Item, NumericAnswer, refill
from qti.neutral import parse_item
from qti.processing import number
from qti.responses import declaration, to_float, tolerance_is_fixed
from qti.text import clean_html
from qti.writer import item_document

#: Layouts kept per process, and files larger than this always take the tree path.
LIMIT = 512
MAX_BYTES = 256 * 1024
#: Learning stops when it keeps failing (files from writers whose bytes we do not
#: reproduce): at most this many failures beyond four per success.
_FAILURES = 16
#: Every type; the numeric value is found in the layout by this text.
_PROBES = {"float": 987654.125, "integer": 987654321}
#: What a plain slot may not hold: markup, references, quotes, characters the parser
#: changes (CR, attribute whitespace) or refuses (controls, U+FFFE/U+FFFF).
_NOT_ATTRIBUTE = re.compile("[<>&\"'\x00-\x1f\x7f\ufffe\uffff]")
_NOT_TEXT = re.compile("[<>&\x00-\x08\x0b-\x1f\x7f\r\ufffe\uffff]")
_DELIMITERS = {ord('"'): (b'"', _NOT_ATTRIBUTE), ord("<"): (b"<", _NOT_TEXT)}


@dataclasses.dataclass(frozen=True)
class _Layout:
    """The bytes around the free texts, what each slot is, and the learned item."""

    pieces: tuple[bytes, ...]
    #: For each slot, in file order: its role and the delimiter that ends it.
    roles: tuple[tuple, ...]
    ends: tuple[tuple[bytes, re.Pattern], ...]
    item: Item


class Templates:
    """The layouts learned in this process (thread-safe: the list is replaced)."""

    def __init__(self):
        self.layouts: list[_Layout] = []
        #: The layouts by their first two pieces, then by their third: (the lengths
        #: of the third pieces, third piece → layouts). Replaced, never changed.
        self.index: dict[tuple[bytes, bytes], tuple[tuple[int, ...], dict]] = {}
        self.lock = threading.Lock()
        self.successes = self.failures = 0

    def read(self, data: bytes) -> tuple[str, object] | None:
        """Return the outcome of a file of a learned layout, or None (not one)."""
        if len(data) > MAX_BYTES:
            return None
        for (first, second), (lengths, by_third) in self.index.items():
            if not data.startswith(first):
                continue
            end = data.find(b'"', len(first))  # the first two slots are attributes
            if end < 0 or not data.startswith(second, end):
                continue
            end = data.find(b'"', end + len(second))
            for length in lengths:
                for known in by_third.get(data[end : end + length], ()):
                    if (slots := _slots(known, data)) is not None:
                        return _outcome(known, slots)
        return None

    def learn(self, data: bytes, item: Item, version: str | None) -> None:
        """Learn the layout of ``data``, read the full way into ``item``."""
        if not self._worth_learning(data, item, version):
            return
        with self.lock:
            try:
                known = _learn(data, item, version)
            except (QtiError, ValueError, KeyError, TypeError):  # not our layout
                known = None
            if known is None:
                self.failures += 1
                return
            self.successes += 1
            kept = [k for k in self.layouts if k.pieces != known.pieces]
            self.layouts = [known, *kept][:LIMIT]
            self.index = _index(self.layouts)

    def _worth_learning(self, data: bytes, item: Item, version: str | None) -> bool:
        return (
            version in ("2.1", "3.0")
            and not item.media
            and len(data) <= MAX_BYTES
            and self.failures < _FAILURES + 4 * self.successes
        )


def _index(layouts: list[_Layout]) -> dict:
    """Index ``layouts`` by their first two pieces, then their third."""
    groups: dict[tuple[bytes, bytes], dict[bytes, list[_Layout]]] = {}
    for known in layouts:
        first, second, third = known.pieces[:3]
        groups.setdefault((first, second), {}).setdefault(third, []).append(known)
    return {
        key: (tuple(sorted({len(third) for third in by_third})), by_third)
        for key, by_third in groups.items()
    }


def _slots(known: _Layout, data: bytes) -> list[str] | None:
    """Return the texts of ``data`` in the slots of ``known``, or None."""
    pieces, position, texts = known.pieces, len(known.pieces[0]), []
    for piece, (delimiter, refused) in zip(pieces[1:], known.ends, strict=True):
        end = data.find(delimiter, position)
        if end < 0 or not data.startswith(piece, end):
            return None
        try:
            text = data[position:end].decode("utf-8")
        except UnicodeDecodeError:
            return None
        if not text or refused.search(text):
            return None
        texts.append(text)
        position = end + len(piece)
    return texts if position == len(data) else None


def _outcome(known: _Layout, texts: list[str]) -> tuple[str, object] | None:
    named: dict = {}
    for role, text in zip(known.roles, texts, strict=True):
        if named.setdefault(role, text) != text:
            return None  # a value written twice, differently: read the tree
    try:
        return "item", _build(known, named)
    except _Declined:
        return None
    except QtiError as exc:  # as reading the tree reports it
        return "problem", exc.message


def _build(known: _Layout, texts: dict) -> Item:
    """The item ``reader._read`` makes of the learned tree with ``texts`` in it."""
    model = known.item
    stem = clean_html(texts["stem"])
    identifier = texts["identifier"]
    title = texts["title"].strip()
    if title == default_title(stem, identifier):
        title = ""
    own = {
        "stem": stem,
        "explanation": texts.get("explanation", ""),
        "title": title,
        "identifier": identifier,
    }
    if "value" in texts:
        own["numeric"] = _numeric(model.numeric, texts["value"])
    options = None
    if ("option", 0) in texts:
        count = len(model.statements or model.choices)
        options = [texts["option", i] for i in range(count)]
    item = refill(model, own, options)
    if notes := model.extra.get("import_notes"):
        item.extra["import_notes"] = list(notes)
    return item


def _numeric(model: NumericAnswer, text: str) -> NumericAnswer:
    """The key ``interactions._read_text_entry`` reads from ``text`` (its tolerance
    is the learned one: ``_learn`` keeps only layouts where it is fixed)."""
    value = to_float(text)
    if value is None:
        raise _Declined  # the reader would look at the mapping: read the tree
    if model.base_type == "integer" and value.is_integer():
        value = int(value)
    return NumericAnswer(value, model.tolerance, model.base_type)


class _Declined(Exception):
    """Texts this module does not read as the tree reader would: read the tree."""


def _learn(data: bytes, item: Item, version: str) -> _Layout | None:
    """Return the layout of ``data`` (``item`` read from it), or None."""
    roles = ["identifier", "title", "stem"]
    if item.explanation:
        roles.append("explanation")
    options = item.statements or item.choices
    plain_options = item.type in ("multiple_response", "true_false_cluster") or (
        item.type == "single_choice" and len(item.choices) != 2
    )
    if plain_options:
        roles += [("option", i) for i in range(len(options))]
    marked = dict(zip(roles, layout.markers(len(roles)), strict=True))
    probe = _probe(item, marked)
    if item.numeric is not None:
        if not _fixed_tolerance(data):
            return None
        value = _PROBES[item.numeric.base_type]
        probe = dataclasses.replace(
            probe, numeric=dataclasses.replace(item.numeric, value=value)
        )
        marked["value"] = number(value)
    cut = _cut(item_document(probe, version, {}, marked["identifier"]), marked)
    if cut is None:
        return None
    pieces, roles = cut
    ends = [_DELIMITERS.get(piece[:1][0]) if piece else None for piece in pieces[1:]]
    if None in ends or ends[0][0] != b'"' or ends[1][0] != b'"':
        return None  # the index finds the first two slots by their quotes
    known = _Layout(tuple(pieces), tuple(roles), tuple(ends), item)
    slots = _slots(known, data)
    again = _outcome(known, slots) if slots is not None else None
    if again is None or again[0] != "item":
        return None
    return known if again[1] == item and again[1].extra == item.extra else None


def _fixed_tolerance(data: bytes) -> bool:
    """Tell whether the numeric item in ``data`` has a tolerance fixed by its layout."""
    root, _ = parse_item(data)
    entry = next(root.iter("textEntryInteraction"), None)
    if entry is None:
        return False
    return tolerance_is_fixed(root, declaration(root, entry.get("responseIdentifier")))


def _cut(document: bytes, marked: dict) -> tuple[list[bytes], list] | None:
    """Cut ``document`` at each marker (once each; the numeric value may repeat)."""
    found = []
    for role, token in marked.items():
        token = token.encode()
        count = document.count(token)
        if not count or (count > 1 and role != "value"):
            return None
        start = 0
        for _ in range(count):
            start = document.index(token, start)
            found.append((start, len(token), role))
            start += len(token)
    pieces, roles, last = [], [], 0
    for start, size, role in sorted(found, key=lambda place: place[0]):
        pieces.append(document[last:start])
        roles.append(role)
        last = start + size
    return [*pieces, document[last:]], roles


def _probe(item: Item, marked: dict) -> Item:
    """``item`` with a marker in each free text (the title and stem included)."""
    changes = {
        "identifier": marked["identifier"],
        "title": marked["title"],
        "stem": marked["stem"],
    }
    if "explanation" in marked:
        changes["explanation"] = marked["explanation"]
    if ("option", 0) in marked:
        if item.statements:
            changes["statements"] = tuple(
                dataclasses.replace(s, text=marked["option", i])
                for i, s in enumerate(item.statements)
            )
        else:
            changes["choices"] = tuple(
                dataclasses.replace(c, text=marked["option", i])
                for i, c in enumerate(item.choices)
            )
    return dataclasses.replace(item, **changes)


#: The layouts of this process (worker processes learn their own).
TEMPLATES = Templates()
