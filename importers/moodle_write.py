"""Write questions as Moodle XML (``<quiz>``), so a department can move a bank into Moodle.

True/false clusters have no Moodle type: each statement becomes one truefalse
question carrying the shared stem. Pictures go inside the file as ``<file>``
elements when ``opener`` gives their bytes.
"""

from __future__ import annotations

import base64
import posixpath
from collections.abc import Callable, Iterable
from typing import BinaryIO

from lxml import etree

from qti import Item

Opener = Callable[[str], bytes | None]


def fractions(count: int) -> str:
    """100 split over ``count`` answers, in Moodle's five-decimal form."""
    return f"{100 / count:.5f}".rstrip("0").rstrip(".") if count else "0"


def write_moodle_xml(
    entries: Iterable, fileobj: BinaryIO, opener: Opener | None = None
) -> int:
    """Write (Item, meta) pairs (or Items) as one Moodle XML file; return the count."""
    count, category = 0, None
    with etree.xmlfile(fileobj, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element("quiz"):
            for entry in entries:
                item, meta = entry if isinstance(entry, tuple) else (entry, {})
                if meta.get("category") and meta["category"] != category:
                    category = meta["category"]
                    xf.write(_category(category))
                for element in _questions(item, opener):
                    xf.write(element)
                count += 1
    return count


def _category(path: str):
    question = etree.Element("question", type="category")
    _text(etree.SubElement(question, "category"), f"$course$/{path}")
    return question


def _text(parent, value: str, html: bool = False):
    text = etree.SubElement(parent, "text")
    text.text = etree.CDATA(value) if html and value else value
    return parent


def _rich(parent, tag: str, html: str, item: Item, opener: Opener | None) -> None:
    """A text field in HTML, its pictures as ``@@PLUGINFILE@@`` files."""
    field = etree.SubElement(parent, tag, format="html")
    for media in item.media:
        name = posixpath.basename(media.src)
        if media.src in html and opener and (data := opener(media.src)) is not None:
            html = html.replace(f'"{media.src}"', f'"@@PLUGINFILE@@/{name}"')
            file = etree.SubElement(
                field, "file", name=name, path="/", encoding="base64"
            )
            file.text = base64.b64encode(data).decode("ascii")
    _text(field, html, True)
    field.insert(0, field[-1])  # <text> first, as Moodle writes it


def _base(item: Item, kind: str, stem: str, opener, name: str = ""):
    question = etree.Element("question", type=kind)
    _text(etree.SubElement(question, "name"), name or item.title or _name(stem))
    _rich(question, "questiontext", stem, item, opener)
    _rich(question, "generalfeedback", item.explanation, item, opener)
    etree.SubElement(question, "defaultgrade").text = "1"
    return question


def _name(html: str) -> str:
    from qti.text import plain_text

    text = plain_text(html)
    return text[:60] + ("…" if len(text) > 60 else "")


def _answer(question, fraction: str, html: str):
    answer = etree.SubElement(question, "answer", fraction=fraction, format="html")
    _text(answer, html, True)
    return answer


def _questions(item: Item, opener) -> list:
    if item.type in ("single_choice", "multiple_response"):
        return [_multichoice(item, opener)]
    if item.type == "true_false":
        return [_truefalse(item, item.stem, item.correct[0] == "true", opener)]
    if item.type == "numeric":
        return [_numerical(item, opener)]
    return [
        _truefalse(item, f"{item.stem}<p>{s.id}) {s.text}</p>", s.correct, opener, s.id)
        for s in item.statements
    ]


def _multichoice(item: Item, opener):
    question = _base(item, "multichoice", item.stem, opener)
    single = item.type == "single_choice"
    etree.SubElement(question, "single").text = "true" if single else "false"
    etree.SubElement(question, "shuffleanswers").text = "1" if item.shuffle else "0"
    etree.SubElement(question, "answernumbering").text = "ABCD"
    right = fractions(len(item.correct))
    wrong = (
        "-" + fractions(len(item.choices) - len(item.correct)) if not single else "0"
    )
    for choice in item.choices:
        _answer(question, right if choice.id in item.correct else wrong, choice.text)
    return question


def _truefalse(item: Item, stem: str, truth: bool, opener, suffix: str = ""):
    name = f"{item.title or _name(item.stem)} ({suffix})" if suffix else ""
    question = _base(item, "truefalse", stem, opener, name)
    _answer(question, "100" if truth else "0", "true")
    _answer(question, "0" if truth else "100", "false")
    return question


def _numerical(item: Item, opener):
    question = _base(item, "numerical", item.stem, opener)
    answer = _answer(question, "100", _number(item.numeric.value))
    etree.SubElement(answer, "tolerance").text = _number(item.numeric.tolerance)
    return question


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
