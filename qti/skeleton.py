"""Item trees built once per shape, then copied and filled in: the writer's fast path.

Items of one *shape* (version, type, number of options and keys, explanation or not,
shuffle, language, numeric base type and tolerance) differ only in a few places: the
identifier and title, the option identifiers, the correct values, and the question
text. The first item of a shape is built in full; its tree, with those places
emptied, becomes the skeleton. Later items copy it (one C-level deep copy instead of
some forty Python calls) and fill the places in. The output is byte for byte the
full build's (tests compare both).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from qti import layout
from qti.dialect import Names
from qti.items import Item

Path = tuple[int, ...]
#: Shapes kept at most (a national bank has a few dozen).
LIMIT = 512
#: What libxml2 escapes in attribute values / text: such items take the tree path.
_ATTRIBUTE_ESCAPED = re.compile('[&<>"\x00-\x1f\x7f]')
_TEXT_ESCAPED = re.compile("[&<>\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Skeleton:
    """An item tree with emptied places, and the paths (child indexes) to them."""

    root: etree._Element
    values: tuple[Path, ...]
    keys: tuple[Path, ...]
    stem: Path
    options: tuple[Path, ...]
    explanation: Path | None
    #: The serialized skeleton cut around its places, once built (see ``_layout``).
    layouts: dict = field(default_factory=dict, compare=False)


def shape(n: Names, item: Item) -> tuple | None:
    """Return what the tree of ``item`` depends on besides its places (None: no skeleton)."""
    if item.media:
        return None  # media change the body (objects, hrefs): always built in full
    numeric = item.numeric
    return (
        n.version,
        item.type,
        len(item.choices),
        len(item.statements),
        len(item.correct),
        bool(item.explanation),
        item.shuffle,
        item.lang,
        numeric.base_type if numeric else None,
        numeric.tolerance if numeric else None,
    )


def make(n: Names, built: etree._Element) -> Skeleton:
    """Return the skeleton of a fully built item tree (which is left as it is)."""
    root = copy.deepcopy(built)
    tag = n.tag
    declaration = root.find(tag("responseDeclaration"))
    values = declaration.findall(f"{tag('correctResponse')}/{tag('value')}")
    keys = declaration.findall(f"{tag('mapping')}/{tag('mapEntry')}")
    body = root.find(tag("itemBody"))
    stem = body.find(tag("div"))
    options = body.findall(f".//{tag('simpleChoice')}")
    match = body.find(f".//{tag('simpleMatchSet')}")
    if match is not None:
        options = match.findall(tag("simpleAssociableChoice"))
    feedback = root.find(tag("modalFeedback"))
    holder = None
    if feedback is not None:
        holder = feedback[0] if n.version == "3.0" else feedback
    for element in (stem, *options, *([holder] if holder is not None else [])):
        _empty(element)
    return Skeleton(
        root,
        tuple(_path(root, v) for v in values),
        tuple(_path(root, k) for k in keys),
        _path(root, stem),
        tuple(_path(root, o) for o in options),
        _path(root, holder) if holder is not None else None,
    )


def render(
    skeleton: Skeleton,
    n: Names,
    item: Item,
    places: dict,
    append_html: Callable,
) -> bytes:
    """Return the document of ``item``, filled into the skeleton itself.

    The places are emptied again after serializing: no copy at all (each thread
    has its own skeletons).
    """
    values = _places(skeleton, item, places)
    if values is not None:
        if "bytes" not in skeleton.layouts:
            skeleton.layouts["bytes"] = _layout(skeleton, n, len(values))
        if skeleton.layouts["bytes"] is not None:
            return layout.join(skeleton.layouts["bytes"], values)
    root = skeleton.root
    try:
        _fill(root, skeleton, n, item, places, append_html)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    finally:
        for path in (skeleton.stem, *skeleton.options, skeleton.explanation):
            if path is not None:
                _empty(_at(root, path))


def _places(skeleton: Skeleton, item: Item, places: dict) -> list[str] | None:
    """Return the text of every place in ``_layout`` order, or None when some text
    is markup or needs escaping (then the tree is filled and serialized)."""
    options = item.choices or item.statements
    counts = (len(places["values"]), len(options))
    if counts != (len(skeleton.values), len(skeleton.options)):
        return None
    ids = places["ids"]
    attributes = [
        places["identifier"],
        places["title"],
        *places["values"][: len(skeleton.keys)],
        *(ids[option.id] for option in options),
    ]
    texts = [*places["values"], item.stem, *(option.text for option in options)]
    if skeleton.explanation is not None:
        texts.append(item.explanation)
    if not (all(attributes) and all(texts)):
        return None
    # One search over each group, joined by a character neither pattern matches.
    if _ATTRIBUTE_ESCAPED.search(" ".join(attributes)):
        return None
    if _TEXT_ESCAPED.search("\n".join(texts)):
        return None
    return attributes + texts


def _layout(skeleton: Skeleton, n: Names, count: int) -> tuple | None:
    """Serialize the skeleton with a marker in each place; return the bytes between.

    Joining those pieces with an item's texts (plain, nothing to escape) gives the
    bytes its filled tree serializes to.
    """
    tokens = layout.markers(count)
    root = copy.deepcopy(skeleton.root)
    attributes = [(root, "identifier"), (root, "title")]
    attributes += [(_at(root, p), n.attribute("mapKey")) for p in skeleton.keys]
    attributes += [(_at(root, p), "identifier") for p in skeleton.options]
    texts = [*skeleton.values, skeleton.stem, *skeleton.options]
    texts += [skeleton.explanation] if skeleton.explanation is not None else []
    marks = iter(tokens)
    for element, name in attributes:
        element.set(name, next(marks))
    for path in texts:
        _at(root, path).text = next(marks)
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return layout.split_at(data, tokens)


def fill(
    skeleton: Skeleton,
    n: Names,
    item: Item,
    places: dict,
    append_html: Callable,
) -> etree._Element:
    """Return a copy of ``skeleton`` with the places of ``item`` filled in.

    :param places: ``identifier``, ``title``, ``ids`` (option id → QTI id),
        ``values`` (correct response values) and ``hrefs``.
    """
    root = copy.deepcopy(skeleton.root)
    return _fill(root, skeleton, n, item, places, append_html)


def _fill(root, skeleton: Skeleton, n: Names, item: Item, places, append_html):
    root.set("identifier", places["identifier"])
    root.set("title", places["title"])
    for path, value in zip(skeleton.values, places["values"], strict=True):
        _at(root, path).text = value
    for path, value in zip(skeleton.keys, places["values"], strict=False):
        _at(root, path).set(n.attribute("mapKey"), value)  # clusters map their keys
    hrefs = places["hrefs"]
    append_html(n, _at(root, skeleton.stem), item.stem, hrefs)
    options = item.choices or item.statements
    for path, option in zip(skeleton.options, options, strict=True):
        element = _at(root, path)
        element.set("identifier", places["ids"][option.id])
        append_html(n, element, option.text, hrefs)
    if skeleton.explanation is not None:
        append_html(n, _at(root, skeleton.explanation), item.explanation, hrefs)
    return root


def _empty(element: etree._Element) -> None:
    element.text = None
    for child in list(element):
        element.remove(child)


def _path(root: etree._Element, element: etree._Element) -> Path:
    indexes = []
    while element is not root:
        parent = element.getparent()
        indexes.append(parent.index(element))
        element = parent
    return tuple(reversed(indexes))


def _at(root: etree._Element, path: Path) -> etree._Element:
    element = root
    for index in path:
        element = element[index]
    return element
