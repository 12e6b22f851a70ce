"""Read a QTI 2.1, 2.2 or 3.0 assessment item into the format-neutral ``Item``."""

from __future__ import annotations

import copy
from typing import BinaryIO

from lxml import etree

from qti.conventions import default_title, guess_mime, resolve_href
from qti.dialect import normalize, remove
from qti.errors import QtiError, UnsupportedItem
from qti.feedback import read_explanation
from qti.interactions import IGNORED, read_interactions
from qti.items import Item, Media
from qti.markup import inner_html
from qti.neutral import parse_item
from qti.ns import XML_LANG, child
from qti.text import clean_html

#: Body markup that is not part of the question text (feedback, templates, players).
_NOT_STEM = (
    "feedbackBlock",
    "feedbackInline",
    "rubricBlock",
    "templateBlock",
    "templateInline",
    "printedVariable",
    "object",
    "audio",
    "video",
)
#: Inline interactions shown as a blank when they sit inside a sentence.
_BLANKED = ("textEntryInteraction", "inlineChoiceInteraction")
_BLOCKS = ("p", "div", "table", "ul", "ol", "pre", "blockquote")
_BLANK = "……"
_MEDIA_ATTRIBUTE = {"img": "src", "object": "data", "source": "src", "track": "src"}


def read_item(source: bytes | BinaryIO | etree._Element, base: str = "") -> Item:
    """Read one ``assessmentItem`` (QTI 2.1/2.2) or ``qti-assessment-item`` (3.0).

    :param base: folder of the item inside its package; media paths are resolved
        against it so ``Media.src`` (and ``<img src>`` in the stem) are package paths.
    :raises UnsupportedItem: the item is valid QTI the model cannot represent.
    :raises QtiError: the XML is malformed, unsafe or not a QTI item.
    """
    if isinstance(source, etree._Element):
        return read_parsed_item(copy.deepcopy(source), base)
    root, version = parse_item(source)
    return read_parsed_item(root, base, version)


def read_parsed_item(
    root: etree._Element, base: str = "", version: str | None = None
) -> Item:
    """Read an item from a tree this call may change (``read_item`` copies first).

    :param version: the tree is neutral already, read as this QTI version
        (``neutral.parse_item``); None: it is renamed here (``dialect.normalize``).
    """
    if version is None:
        version = normalize(root)
    if root.tag != "assessmentItem":
        raise QtiError(f"Tệp không phải câu hỏi QTI mà là '{root.tag}'.", "xml")
    return _read(root, version, base)


def _read(root: etree._Element, version: str, base: str) -> Item:
    if child(root, "templateDeclaration") is not None:
        raise UnsupportedItem(
            "Câu hỏi sinh số liệu bằng biến mẫu (templateDeclaration); chưa hỗ trợ.",
            "type",
        )
    body = child(root, "itemBody")
    if body is None:
        raise UnsupportedItem("Câu hỏi không có phần nội dung (itemBody).", "stem")
    media = collect_media(root, base)
    every = all_interactions(body)
    fields = read_interactions(root, [e for e in every if e.tag not in IGNORED])
    notes = fields.pop("notes", [])
    if root.get("adaptive") == "true":
        notes.append(
            "Câu hỏi thích ứng (adaptive) được nhập như câu hỏi một lần trả lời."
        )
    explanation = read_explanation(root)  # before the stem, which may take blocks out
    prompts = fields.pop("prompts", True)
    stem = clean_html(read_stem(body, prompts, in_place=True, interactions=every))
    identifier = root.get("identifier", "")
    title = root.get("title", "").strip()
    if title == default_title(stem, identifier):
        title = ""
    return Item(
        stem=stem,
        explanation=explanation,
        media=media,
        identifier=identifier,
        title=title,
        lang=root.get(XML_LANG) or "vi",
        extra={"import_notes": notes} if notes else {},
        **fields,
    )


def collect_media(root: etree._Element, base: str) -> tuple[Media, ...]:
    """Return the media an item uses, rewriting their paths relative to the package."""
    found: dict[str, Media] = {}
    for element in root.iter(*_MEDIA_ATTRIBUTE):
        attribute = _MEDIA_ATTRIBUTE[element.tag]
        src = (element.get(attribute) or "").strip()
        if not src:
            continue
        path = resolve_href(base, src)
        element.set(attribute, path)
        if path not in found:
            found[path] = Media(
                path, element.get("type") or guess_mime(path), _alt(element)
            )
    return tuple(found.values())


def _alt(element: etree._Element) -> str:
    if element.tag == "img":
        return element.get("alt", "").strip()
    if element.tag == "object":
        return " ".join("".join(element.itertext()).split())
    return ""


def all_interactions(body: etree._Element) -> list[etree._Element]:
    """Return every interaction of a body (controls included), in document order."""
    return [e for e in body.iter(tag=etree.Element) if e.tag.endswith("Interaction")]


def read_stem(
    body: etree._Element, prompts: bool = True, in_place=False, interactions=None
) -> str:
    """Return the question text: the body without interactions, feedback or players.

    :param in_place: take them out of ``body`` itself (the caller is done with it).
    :param interactions: ``all_interactions(body)`` when the caller has them already
        (only with ``in_place``: a copy has other elements).
    """
    holder = body if in_place else copy.deepcopy(body)
    if interactions is None or not in_place:
        interactions = all_interactions(holder)
    for interaction in interactions:
        if _attached(interaction, holder):
            _take_out(interaction, holder, prompts)
    for element in list(holder.iter(*_NOT_STEM)):
        if _attached(element, holder):
            _drop(element, holder)
    children = list(holder)
    if (
        len(children) == 1
        and children[0].tag == "div"
        and not children[0].attrib
        and not (holder.text or "").strip()
        and not (children[0].tail or "").strip()
    ):
        return inner_html(children[0])
    return inner_html(holder)


def _attached(element: etree._Element, holder: etree._Element) -> bool:
    """Tell whether ``element`` is still inside ``holder`` (not removed with a parent)."""
    return any(ancestor is holder for ancestor in element.iterancestors())


def _take_out(
    interaction: etree._Element, holder: etree._Element, prompts: bool
) -> None:
    """Replace an interaction by its prompt, a blank, or nothing."""
    prompt = child(interaction, "prompt")
    if prompts and prompt is not None and inner_html(prompt).strip():
        block = copy.deepcopy(prompt)
        has_blocks = any(child.tag in _BLOCKS for child in prompt)
        block.tag, block.tail = ("div" if has_blocks else "p"), interaction.tail
        block.attrib.clear()
        interaction.getparent().replace(interaction, block)
        return
    parent = interaction.getparent()
    crowded = (
        len(parent) > 1
        or (parent.text or "").strip()
        or (interaction.tail or "").strip()
    )
    if interaction.tag in _BLANKED and crowded:
        interaction.tail = _BLANK + (interaction.tail or "")
    _drop(interaction, holder)


def _drop(element: etree._Element, holder: etree._Element) -> None:
    """Remove ``element``, and its paragraph when nothing else is left in it."""
    parent = element.getparent()
    remove(element)
    empty = not len(parent) and not (parent.text or "").strip()
    if empty and parent is not holder and parent.tag in ("p", "div"):
        remove(parent)
