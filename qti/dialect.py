"""QTI 2.x and 3.0 naming: readers and writers work on one neutral tree.

The neutral tree uses the QTI 2.x element and attribute names without a namespace
(``choiceInteraction``, ``maxChoices``, ``p``); MathML keeps its namespace. QTI 3.0
adds a ``qti-`` prefix and kebab-case names, and wraps feedback content in
``qti-content-body``; ``normalize`` and ``denormalize`` translate in each direction.
"""

from __future__ import annotations

import re

from lxml import etree

from qti.errors import QtiError
from qti.ns import NS, QTI_NS, QTI_VERSION, clark, localname, namespace

#: Elements of the XHTML (QTI 2.x) / HTML5 (QTI 3.0) content model: never prefixed.
HTML_TAGS = frozenset(
    "a abbr acronym address article aside audio b bdi bdo big blockquote br caption "
    "cite code col colgroup dd del details dfn div dl dt em figcaption figure footer "
    "h1 h2 h3 h4 h5 h6 header hr i img ins kbd label li nav object ol p param picture "
    "pre q rb rp rt rtc ruby s samp section small source span strong sub summary sup "
    "table tbody td tfoot th thead tr track tt u ul var video wbr".split()
)
#: QTI 3.0 wraps the content of these elements in ``qti-content-body``.
WRAPPED = frozenset({"modalFeedback", "feedbackBlock", "rubricBlock", "testFeedback"})
_PREFIX = "qti-"
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])([A-Z])")


def camel(kebab: str) -> str:
    """Return ``"max-choices"`` as ``"maxChoices"``."""
    head, *rest = kebab.split("-")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def kebab(name: str) -> str:
    """Return ``"maxChoices"`` as ``"max-choices"``."""
    return _CAMEL_BOUNDARY.sub(r"-\1", name).lower()


def normalize(root: etree._Element) -> str:
    """Rename a QTI 2.1, 2.2 or 3.0 tree in place to neutral names; return its version."""
    version = QTI_VERSION.get(namespace(root))
    if version is None:
        raise QtiError("Tệp XML không thuộc QTI 2.1, 2.2 hoặc 3.0.", "xml")
    for element in root.iter(tag=etree.Element):
        if namespace(element) in QTI_VERSION:
            _rename(element)
        elif namespace(element) == NS["xhtml"]:
            element.tag = localname(element)
    for body in list(root.iter("contentBody")):
        unwrap(body)
    etree.cleanup_namespaces(root)
    return version


def _rename(element: etree._Element) -> None:
    local = localname(element)
    if not local.startswith(_PREFIX):
        element.tag = local
        return
    element.tag = camel(local[len(_PREFIX) :])
    attributes = list(element.attrib.items())
    element.attrib.clear()
    for name, value in attributes:
        element.set(_neutral_attribute(name), value)


def _neutral_attribute(name: str) -> str:
    if name.startswith(("{", "data-", "aria-")):
        return name
    return camel(name)


def unwrap(element: etree._Element) -> None:
    """Replace ``element`` by its own content (text, children and tail)."""
    parent = element.getparent()
    index = parent.index(element)
    append_text(parent, element.text, before=index)
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    remove(element)


def append_text(
    parent: etree._Element, text: str | None, before: int | None = None
) -> None:
    """Add ``text`` to ``parent`` just before child number ``before`` (or at the end)."""
    if not text:
        return
    position = len(parent) if before is None else before
    if position == 0:
        parent.text = (parent.text or "") + text
    else:
        previous = parent[position - 1]
        previous.tail = (previous.tail or "") + text


def remove(element: etree._Element) -> None:
    """Detach ``element`` from its parent, keeping its tail text in place."""
    parent = element.getparent()
    append_text(parent, element.tail, before=parent.index(element))
    parent.remove(element)


def denormalize(root: etree._Element, version: str) -> etree._Element:
    """Return a copy of a neutral tree named and namespaced for QTI ``version``."""
    if version not in QTI_NS:
        raise QtiError(f"Phiên bản QTI không hỗ trợ: {version}.", "version")
    nsmap = {None: QTI_NS[version], "xsi": NS["xsi"]}
    return _copy(root, version, None, nsmap)


def _copy(element, version: str, parent, nsmap=None) -> etree._Element:
    tag, attributes = _names(element, version)
    if namespace(element) == NS["m"] and localname(element) == "math":
        nsmap = {None: NS["m"]}
    if parent is None:
        new = etree.Element(tag, nsmap=nsmap)
    else:
        new = etree.SubElement(parent, tag, nsmap=nsmap)
    for name, value in attributes:
        new.set(name, value)
    new.tail = element.tail
    holder = new
    if version == "3.0" and element.tag in WRAPPED:
        holder = etree.SubElement(new, clark(QTI_NS[version], "qti-content-body"))
    holder.text = element.text
    for child in element:
        _copy(child, version, holder)
    return new


def _names(element, version: str) -> tuple[str, list[tuple[str, str]]]:
    """Return the versioned tag and attributes of a neutral element."""
    if namespace(element):
        return element.tag, list(element.attrib.items())
    ns = QTI_NS[version]
    if version != "3.0" or element.tag in HTML_TAGS:
        return clark(ns, element.tag), list(element.attrib.items())
    attributes = [
        (name if name.startswith("{") else kebab(name), value)
        for name, value in element.attrib.items()
    ]
    return clark(ns, _PREFIX + kebab(element.tag)), attributes
