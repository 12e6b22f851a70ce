"""QTI 2.x and 3.0 naming: readers and writers work on one neutral tree.

The neutral tree uses the QTI 2.x element and attribute names without a namespace
(``choiceInteraction``, ``maxChoices``, ``p``); MathML keeps its namespace. QTI 3.0
adds a ``qti-`` prefix and kebab-case names, and wraps feedback content in
``qti-content-body``. Readers ``normalize`` a parsed tree to neutral names; writers
build the versioned tree directly with ``Names`` (no neutral tree to copy).
"""

from __future__ import annotations

import functools
import re

from lxml import etree

from qti.errors import QtiError
from qti.ns import NS, QTI_NS, QTI_VERSION, clark, namespace

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
_MATHML_PREFIX = NS["m"] + "}"
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
        rename(element, element.tag)
    finish(root)
    return version


def rename(element: etree._Element, tag: str) -> None:
    """Give ``element``, whose name is the Clark name ``tag``, its neutral name."""
    renamed = _NEUTRAL.get(tag)
    if renamed is None:
        renamed = _neutral_tag(tag)
        if len(_NEUTRAL) < _CACHE_LIMIT:  # untrusted files may invent any tag
            _NEUTRAL[tag] = renamed
    if renamed is not _KEEP:
        element.tag, kebab_case = renamed
        if kebab_case and element.attrib:
            _rename_attributes(element)


def finish(root: etree._Element) -> None:
    """Unwrap QTI 3 content bodies and drop the namespace declarations left unused."""
    for body in list(root.iter("contentBody")):
        unwrap(body)
    etree.cleanup_namespaces(root)


#: Clark tag → (neutral tag, whether its attributes are kebab-case), or _KEEP.
_NEUTRAL: dict[str, object] = {}
_KEEP = object()
_CACHE_LIMIT = 5000


def _neutral_tag(tag: str):
    """Return how ``normalize`` renames elements with the tag ``tag``."""
    uri, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    if uri in QTI_VERSION:
        if local.startswith(_PREFIX):
            return camel(local[len(_PREFIX) :]), True
        return local, False
    if uri == NS["xhtml"]:
        return local, False
    return _KEEP


def _rename_attributes(element: etree._Element) -> None:
    """Rename the kebab-case attributes (only names with a hyphen change)."""
    attributes = element.attrib
    for name in attributes.keys():  # a list: renaming while looping is safe
        if "-" in name:
            neutral = neutral_attribute(name)
            if neutral != name:
                attributes[neutral] = attributes.pop(name)


#: QTI 3 attribute name → neutral name (bounded like _NEUTRAL).
_ATTRIBUTES: dict[str, str] = {}


def neutral_attribute(name: str) -> str:
    """Return the neutral name of the attribute ``name`` of a QTI 3 element."""
    neutral = _ATTRIBUTES.get(name)
    if neutral is None:
        neutral = name if name.startswith(("{", "data-", "aria-")) else camel(name)
        if len(_ATTRIBUTES) < _CACHE_LIMIT:
            _ATTRIBUTES[name] = neutral
    return neutral


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


class Names:
    """Element and attribute names of one QTI version, for writers (cached per name).

    Writers build the versioned tree directly with ``sub``: no neutral tree to copy.
    """

    def __init__(self, version: str):
        if version not in QTI_NS:
            raise QtiError(f"Phiên bản QTI không hỗ trợ: {version}.", "version")
        self.version, self.ns = version, QTI_NS[version]
        self.nsmap = {None: self.ns, "xsi": NS["xsi"]}
        self._tags: dict[str, str] = {}
        self._attributes: dict[str, str] = {}

    def tag(self, name: str) -> str:
        """Return the Clark name of the neutral element ``name`` in this version."""
        tag = self._tags.get(name)
        if tag is None:
            local = name
            if self.version == "3.0" and name not in HTML_TAGS:
                local = _PREFIX + kebab(name)
            tag = self._tags[name] = clark(self.ns, local)
        return tag

    def attribute(self, name: str) -> str:
        """Return the versioned name of the neutral attribute ``name``."""
        versioned = self._attributes.get(name)
        if versioned is None:
            keep = self.version != "3.0" or name.startswith(("{", "data-", "aria-"))
            versioned = self._attributes[name] = name if keep else kebab(name)
        return versioned

    def root(self, name: str, **attributes: str) -> etree._Element:
        """Return a new root element (QTI and ``xsi`` namespaces declared)."""
        element = etree.Element(self.tag(name), nsmap=self.nsmap)
        for key, value in attributes.items():
            element.set(self.attribute(key), value)
        return element

    def sub(
        self, parent: etree._Element, name: str, text: str | None = None, **attributes
    ) -> etree._Element:
        """Append the element ``name`` with ``attributes`` (and ``text``) to ``parent``."""
        element = etree.SubElement(parent, self.tag(name))
        for key, value in attributes.items():
            element.set(self.attribute(key), value)
        element.text = text
        return element

    def content(self, element: etree._Element, name: str) -> etree._Element:
        """Return where the content of ``element`` goes (QTI 3 wraps some in a body)."""
        if self.version == "3.0" and name in WRAPPED:
            return etree.SubElement(element, clark(self.ns, "qti-content-body"))
        return element

    @functools.cached_property
    def content_tags(self) -> frozenset[str]:
        """Tags whose children are question text (HTML and QTI 3 content bodies)."""
        tags = {self.tag(name) for name in HTML_TAGS}
        return frozenset(tags | {clark(self.ns, "qti-content-body")})


@functools.cache
def names(version: str) -> Names:
    """Return the (shared) ``Names`` of a QTI version."""
    return Names(version)


def indent(element: etree._Element, skipped: frozenset[str], level: int = 0) -> None:
    """Indent the QTI structure of a tree, leaving question text untouched.

    :param skipped: tags whose content is question text; foreign namespaces
        (MathML) are never indented either.
    """
    if element.tag in skipped or element.tag[1:].startswith(_MATHML_PREFIX):
        return
    children = list(element)
    text = element.text or ""
    if not children or text.strip() or text.startswith("\n"):
        return  # question text, or a subtree indented already (cached templates)
    padding = "\n" + "  " * (level + 1)
    element.text = padding
    for child in children:
        child.tail = padding
        indent(child, skipped, level + 1)
    children[-1].tail = "\n" + "  " * level
