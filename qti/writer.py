"""Write an ``Item`` as a QTI 2.1, 2.2 or 3.0 assessment item (the mirror of reader.py).

Layout: the stem in one ``<div>`` of the item body, then the interaction; options
keep their ids. Single/multiple/true-false use ``choiceInteraction`` and the
match_correct template. The 2025 true/false cluster is a ``matchInteraction``: the
4 statements (ids a–d) × the answers ``true``/``false``, a ``directedPair`` response
("a true", "b false" …) mapped 1 point per right pair, and rules turning that count
into 1 / 0.5 / 0.25 / 0.1 / 0. A numeric answer is a ``textEntryInteraction`` with a
float/integer response, scored by ``equal`` with an absolute tolerance. The
explanation is a ``modalFeedback`` (outcome FEEDBACK, identifier EXPLANATION,
showHide="show") that the rules always reveal.
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from qti.conventions import (
    EXPLANATION,
    FEEDBACK,
    RESPONSE,
    content_identifier,
    default_title,
    safe_identifier,
)
from qti.dialect import HTML_TAGS, denormalize
from qti.items import Item
from qti.markup import append_html
from qti.ns import QTI_NS, SCHEMA_LOCATION, XML_LANG, XSI_SCHEMA_LOCATION, namespace
from qti.parser import to_bytes
from qti.processing import add_declarations, add_processing, sub

#: Labels of the two columns of a true/false cluster, by item language.
CLUSTER_LABELS = {"vi": ("Đúng", "Sai")}
_DEFAULT_LABELS = ("True", "False")
#: Elements whose content is question text: never re-indented.
_CONTENT = frozenset(
    {"simpleChoice", "simpleAssociableChoice", "prompt", "modalFeedback"}
)


def write_item(
    item: Item, version: str = "2.1", hrefs: Mapping[str, str] | None = None
) -> bytes:
    """Return ``item`` as a UTF-8 QTI item document.

    :param hrefs: ``Media.src`` → path written in the XML (used by packages).
    """
    return to_bytes(item_element(item, version, hrefs))


def item_element(
    item: Item, version: str = "2.1", hrefs: Mapping[str, str] | None = None
) -> etree._Element:
    """Return ``item`` as a QTI ``assessmentItem`` element of ``version``."""
    root = denormalize(_neutral(item, version, dict(hrefs or {})), version)
    root.set(XSI_SCHEMA_LOCATION, f"{QTI_NS[version]} {SCHEMA_LOCATION[version]}")
    return root


def item_identifier(item: Item) -> str:
    """Return the QTI identifier written for ``item`` (its own, or one derived from it)."""
    if item.identifier:
        return safe_identifier(item.identifier, "Q")
    return content_identifier(item.to_dict())


def _neutral(item: Item, version: str, hrefs: dict[str, str]) -> etree._Element:
    identifier = item_identifier(item)
    root = etree.Element("assessmentItem", identifier=identifier)
    root.set("title", item.title or default_title(item.stem, identifier))
    root.set("adaptive", "false")
    root.set("timeDependent", "false")
    if item.lang:
        root.set(XML_LANG, item.lang)
    ids = _option_ids(item)
    add_declarations(root, item, ids)
    body = sub(root, "itemBody")
    append_html(sub(body, "div"), item.stem, hrefs)
    body.append(_INTERACTIONS[item.type](item, ids, hrefs))
    add_processing(root, item, version)
    if item.explanation:
        feedback = sub(root, "modalFeedback", outcomeIdentifier=FEEDBACK)
        feedback.set("identifier", EXPLANATION)
        feedback.set("showHide", "show")
        append_html(feedback, item.explanation, hrefs)
    _add_other_media(root, body, item, hrefs)
    indent(root)
    return root


def _option_ids(item: Item) -> dict[str, str]:
    """Map option/statement ids to unique QTI identifiers (NCNames)."""
    ids: dict[str, str] = {}
    for original in [c.id for c in item.choices] + [s.id for s in item.statements]:
        candidate = base = safe_identifier(original, "C")
        counter = 1
        while candidate in ids.values():
            counter += 1
            candidate = f"{base}_{counter}"
        ids[original] = candidate
    return ids


def _choice(item: Item, ids: dict[str, str], hrefs: dict[str, str]) -> etree._Element:
    single = item.type != "multiple_response"
    interaction = etree.Element("choiceInteraction", responseIdentifier=RESPONSE)
    interaction.set("shuffle", _flag(item.shuffle))
    interaction.set("maxChoices", "1" if single else "0")
    for choice in item.choices:
        option = sub(interaction, "simpleChoice", identifier=ids[choice.id])
        append_html(option, choice.text, hrefs)
    return interaction


def _cluster(item: Item, ids: dict[str, str], hrefs: dict[str, str]) -> etree._Element:
    """Write a true/false cluster as a matchInteraction: 4 statements × {true, false}."""
    interaction = etree.Element("matchInteraction", responseIdentifier=RESPONSE)
    interaction.set("shuffle", _flag(item.shuffle))
    interaction.set("maxAssociations", str(len(item.statements)))
    statements = sub(interaction, "simpleMatchSet")
    for statement in item.statements:
        option = sub(statements, "simpleAssociableChoice", identifier=ids[statement.id])
        option.set("matchMax", "1")
        append_html(option, statement.text, hrefs)
    answers = sub(interaction, "simpleMatchSet")
    labels = CLUSTER_LABELS.get(item.lang, _DEFAULT_LABELS)
    for identifier, label in zip(("true", "false"), labels, strict=True):
        answer = sub(answers, "simpleAssociableChoice", label, identifier=identifier)
        answer.set("matchMax", str(len(item.statements)))
        if item.shuffle:
            answer.set("fixed", "true")
    return interaction


def _numeric(item: Item, ids: dict[str, str], hrefs: dict[str, str]) -> etree._Element:
    paragraph = etree.Element("p")
    sub(paragraph, "textEntryInteraction", responseIdentifier=RESPONSE)
    return paragraph


def _add_other_media(root, body, item: Item, hrefs: dict[str, str]) -> None:
    """Add media the text does not show as ``<object>`` elements after the stem."""
    shown = {img.get("src") for img in root.iter("img")}
    others = [m for m in item.media if hrefs.get(m.src, m.src) not in shown]
    if not others:
        return
    paragraph = etree.Element("p")
    body.insert(1, paragraph)
    for media in others:
        holder = sub(
            paragraph, "object", media.alt or None, data=hrefs.get(media.src, media.src)
        )
        holder.set("type", media.mime or "application/octet-stream")


def indent(element: etree._Element, level: int = 0) -> None:
    """Indent the QTI structure of a neutral tree, leaving question text untouched."""
    if element.tag in HTML_TAGS or element.tag in _CONTENT or namespace(element):
        return
    children = list(element)
    if not children or (element.text or "").strip():
        return
    padding = "\n" + "  " * (level + 1)
    element.text = padding
    for child in children:
        child.tail = padding
        indent(child, level + 1)
    children[-1].tail = "\n" + "  " * level


def _flag(value: bool) -> str:
    return "true" if value else "false"


_INTERACTIONS = {
    "single_choice": _choice,
    "multiple_response": _choice,
    "true_false": _choice,
    "true_false_cluster": _cluster,
    "numeric": _numeric,
}
