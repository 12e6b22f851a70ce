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

import functools
import threading
from collections.abc import Mapping
from types import MappingProxyType

from lxml import etree

from qti import skeleton
from qti.conventions import (
    EXPLANATION,
    FEEDBACK,
    RESPONSE,
    content_identifier,
    default_title,
    safe_identifier,
)
from qti.dialect import Names, indent, names
from qti.items import Item
from qti.markup import append_html
from qti.ns import SCHEMA_LOCATION, XML_LANG, XSI_SCHEMA_LOCATION
from qti.parser import to_bytes
from qti.processing import add_declarations, add_processing, response

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
    identifier = item_identifier(item)
    return item_document(item, version, hrefs or {}, identifier)


def item_element(
    item: Item,
    version: str = "2.1",
    hrefs: Mapping[str, str] | None = None,
    identifier: str | None = None,
) -> etree._Element:
    """Return ``item`` as a QTI ``assessmentItem`` element of ``version``.

    :param identifier: written instead of the item's own (packages make them unique).
    """
    n, identifier, hrefs = (
        names(version),
        identifier or item_identifier(item),
        hrefs or {},
    )
    known, places = _skeleton_for(n, item, identifier, hrefs)
    if known is not None:
        return skeleton.fill(known, n, item, places, append_html)
    return _build_and_learn(n, item, dict(hrefs), identifier)


def item_document(
    item: Item, version: str, hrefs: Mapping[str, str], identifier: str
) -> bytes:
    """Return the UTF-8 document of ``item`` (what packages store; the fast path)."""
    n = names(version)
    known, places = _skeleton_for(n, item, identifier, hrefs)
    if known is not None:
        return skeleton.render(known, n, item, places, append_html)
    return to_bytes(_build_and_learn(n, item, dict(hrefs), identifier))


def _skeleton_for(n: Names, item: Item, identifier: str, hrefs: Mapping):
    """Return this thread's skeleton for the shape of ``item`` and its places."""
    key = skeleton.shape(n, item)
    known = _skeletons(key) if key else None
    if known is None:
        return None, None
    ids = _option_ids(item)
    places = {
        "identifier": identifier,
        "title": item.title or default_title(item.stem, identifier),
        "ids": ids,
        "values": response(item, ids)[2],
        "hrefs": hrefs,
    }
    return known, places


def _build_and_learn(n: Names, item: Item, hrefs: dict, identifier: str):
    """Build ``item`` in full; keep the tree as the skeleton of its shape."""
    root = _build(n, item, hrefs, identifier)
    root.set(XSI_SCHEMA_LOCATION, f"{n.ns} {SCHEMA_LOCATION[n.version]}")
    key = skeleton.shape(n, item)
    if key and len(_skeletons.known) < skeleton.LIMIT:
        _skeletons.known[key] = skeleton.make(n, root)
    return root


class _Skeletons(threading.local):
    """The skeletons built so far by this thread, by shape."""

    def __init__(self):
        self.known: dict[tuple, skeleton.Skeleton] = {}

    def __call__(self, key: tuple) -> skeleton.Skeleton | None:
        return self.known.get(key)


_skeletons = _Skeletons()


def item_identifier(item: Item) -> str:
    """Return the QTI identifier written for ``item`` (its own, or one derived from it)."""
    if item.identifier:
        return safe_identifier(item.identifier, "Q")
    return content_identifier(item.to_dict())


def _build(n: Names, item: Item, hrefs: dict[str, str], identifier: str):
    root = n.root(
        "assessmentItem",
        identifier=identifier,
        title=item.title or default_title(item.stem, identifier),
        adaptive="false",
        timeDependent="false",
    )
    if item.lang:
        root.set(XML_LANG, item.lang)
    ids = _option_ids(item)
    add_declarations(n, root, item, ids)
    body = n.sub(root, "itemBody")
    append_html(n, n.sub(body, "div"), item.stem, hrefs)
    _INTERACTIONS[item.type](n, body, item, ids, hrefs)
    add_processing(n, root, item)
    if item.explanation:
        feedback = n.sub(
            root,
            "modalFeedback",
            outcomeIdentifier=FEEDBACK,
            identifier=EXPLANATION,
            showHide="show",
        )
        append_html(n, n.content(feedback, "modalFeedback"), item.explanation, hrefs)
    _add_other_media(n, root, body, item, hrefs)
    indent(root, _skipped(n))
    return root


def _option_ids(item: Item) -> Mapping[str, str]:
    """Map option/statement ids to unique QTI identifiers (NCNames)."""
    return _ids_for((*(c.id for c in item.choices), *(s.id for s in item.statements)))


@functools.lru_cache(maxsize=1024)
def _ids_for(originals: tuple[str, ...]) -> Mapping[str, str]:
    """The QTI identifiers of these option ids (banks repeat a few: A–D, a–d)."""
    ids: dict[str, str] = {}
    for original in originals:
        candidate = base = safe_identifier(original, "C")
        counter = 1
        while candidate in ids.values():
            counter += 1
            candidate = f"{base}_{counter}"
        ids[original] = candidate
    return MappingProxyType(ids)  # shared between items: read-only


def _choice(n: Names, body, item: Item, ids: Mapping[str, str], hrefs) -> None:
    single = item.type != "multiple_response"
    interaction = n.sub(
        body,
        "choiceInteraction",
        responseIdentifier=RESPONSE,
        shuffle=_flag(item.shuffle),
        maxChoices="1" if single else "0",
    )
    for choice in item.choices:
        option = n.sub(interaction, "simpleChoice", identifier=ids[choice.id])
        append_html(n, option, choice.text, hrefs)


def _cluster(n: Names, body, item: Item, ids: Mapping[str, str], hrefs) -> None:
    """Write a true/false cluster as a matchInteraction: 4 statements × {true, false}."""
    count = str(len(item.statements))
    interaction = n.sub(
        body,
        "matchInteraction",
        responseIdentifier=RESPONSE,
        shuffle=_flag(item.shuffle),
        maxAssociations=count,
    )
    statements = n.sub(interaction, "simpleMatchSet")
    for statement in item.statements:
        option = n.sub(
            statements,
            "simpleAssociableChoice",
            identifier=ids[statement.id],
            matchMax="1",
        )
        append_html(n, option, statement.text, hrefs)
    answers = n.sub(interaction, "simpleMatchSet")
    labels = CLUSTER_LABELS.get(item.lang, _DEFAULT_LABELS)
    for identifier, label in zip(("true", "false"), labels, strict=True):
        extra = {"fixed": "true"} if item.shuffle else {}
        n.sub(
            answers,
            "simpleAssociableChoice",
            label,
            identifier=identifier,
            matchMax=count,
            **extra,
        )


def _numeric(n: Names, body, item: Item, ids: Mapping[str, str], hrefs) -> None:
    paragraph = n.sub(body, "p")
    n.sub(paragraph, "textEntryInteraction", responseIdentifier=RESPONSE)


def _add_other_media(n: Names, root, body, item: Item, hrefs: dict[str, str]) -> None:
    """Add media the text does not show as ``<object>`` elements after the stem."""
    if not item.media:
        return
    shown = {img.get("src") for img in root.iter(n.tag("img"))}
    others = [m for m in item.media if hrefs.get(m.src, m.src) not in shown]
    if not others:
        return
    paragraph = etree.Element(n.tag("p"))
    body.insert(1, paragraph)
    for media in others:
        n.sub(
            paragraph,
            "object",
            media.alt or None,
            data=hrefs.get(media.src, media.src),
            type=media.mime or "application/octet-stream",
        )


@functools.cache
def _skipped(n: Names) -> frozenset[str]:
    """Tags of ``n``'s version whose content indent() leaves alone."""
    return n.content_tags | {n.tag(name) for name in _CONTENT}


def _flag(value: bool) -> str:
    return "true" if value else "false"


_INTERACTIONS = {
    "single_choice": _choice,
    "multiple_response": _choice,
    "true_false": _choice,
    "true_false_cluster": _cluster,
    "numeric": _numeric,
}
