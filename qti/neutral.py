"""Parse a QTI item straight into the neutral tree when its bytes allow it.

``dialect.normalize`` renames every element of a parsed item (a Python loop over the
tree: ~35 µs per item for QTI 2.1). Items written the usual way declare the QTI
namespace once, as the default namespace of the root; without that one declaration
the same bytes parse into the tree ``normalize`` makes of QTI 2.x, names and all.
``parse_item`` drops it before parsing (the rest of the bytes untouched, the same
hardened parser), renames only ``qti-`` elements (QTI 3), and checks the result:
any file that does not fit — another encoding, a DOCTYPE, the namespace declared or
undeclared elsewhere, XHTML — is parsed and renamed as before, so the tree, the
errors and the reports are those of ``normalize(parse_xml(data))`` (tested).
"""

from __future__ import annotations

import re
from typing import BinaryIO

from lxml import etree

from qti.dialect import camel, finish, neutral_attribute, rename
from qti.errors import QtiError
from qti.ns import NS, QTI_NS, QTI_VERSION, clark
from qti.parser import parse_xml

#: The XML declaration (if any) and the root's name: an item root, nothing between.
_HEAD = re.compile(
    rb"(<\?xml[^>]*\?>)?[ \t\r\n]*<(assessmentItem|qti-assessment-item)(?=[ \t\r\n/>])"
)
_ENCODING = re.compile(rb"""encoding[ \t\r\n]*=[ \t\r\n]*["']([^"']*)["']""")
_ATTRIBUTE = re.compile(
    rb"""([ \t\r\n]+)([^ \t\r\n=/>]+)([ \t\r\n]*=[ \t\r\n]*("[^"<]*"|'[^'<]*'))"""
)
_CLOSE = re.compile(rb"[ \t\r\n]*/?>")
#: ``xmlns=""`` puts elements out of any namespace: they must stay as they are.
_UNDECLARE = re.compile(rb"""xmlns[ \t\r\n]*=[ \t\r\n]*(""|'')""")
#: Elements ``normalize`` would rename: none may be left after the fast parse.
_RENAMED = tuple(f"{{{uri}}}*" for uri in (*QTI_NS.values(), NS["xhtml"]))
_PREFIX = "qti-"
_QTI_TAG_START = b"<" + _PREFIX.encode()
#: A ``qti-`` tag, crudely (a ``>`` in a value ends it early: such a tag does not
#: read whole as ``_QTI_TAG`` and the tree renames the names instead).
_QTI_TAGS = re.compile(rb"(</?qti-[^>]*>)")
_QTI_TAG = re.compile(
    rb"<(/?)qti-([^ \t\r\n/>]*)((?:[ \t\r\n]+[^ \t\r\n=/>]+[ \t\r\n]*=[ \t\r\n]*"
    rb"""(?:"[^"<]*"|'[^'<]*'))*)([ \t\r\n]*/?>)"""
)
#: A second default namespace declaration: names must then be read on the tree.
_DEFAULTS = re.compile(rb"xmlns[ \t\r\n]*=")
#: Tag bytes → renamed tag bytes.
_TAGS: dict[bytes, bytes] = {}
_CACHE_LIMIT = 5000


def parse_item(data: bytes | BinaryIO) -> tuple[etree._Element, str | None]:
    """Parse untrusted item bytes: ``(neutral tree, QTI version)`` or, for files the
    fast path does not fit, ``(parsed tree, None)`` for ``normalize`` to rename.

    :raises QtiError: as ``parse_xml`` (the error of the bytes as given).
    """
    cut = _without_declaration(data) if isinstance(data, bytes) else None
    if cut is None:
        return parse_xml(data), None
    stripped, version = cut
    renamed = _renamed_in_bytes(stripped)
    try:
        root = parse_xml(stripped if renamed is None else renamed)
    except QtiError:
        return parse_xml(data), None  # raises the file's own error
    if next(root.iter(*_RENAMED), None) is not None:
        return parse_xml(data), None
    if renamed is None and _QTI_TAG_START in data:
        _rename_prefixed(root, QTI_NS[version])
    finish(root)
    return root, version


def _without_declaration(data: bytes) -> tuple[bytes, str] | None:
    """Return the bytes without the root's default QTI namespace, and its version."""
    head = _HEAD.match(data)
    if head is None or not _utf8(head[1]) or _UNDECLARE.search(data):
        return None
    position, found = head.end(), []
    while attribute := _ATTRIBUTE.match(data, position):
        if attribute[2] == b"xmlns":
            found.append(attribute)
        position = attribute.end()
    if len(found) != 1 or not _CLOSE.match(data, position):
        return None
    found = found[0]
    version = QTI_VERSION.get(found[4][1:-1].decode("ascii", "replace"))
    if version is None:
        return None
    return data[: found.start(2)] + data[found.end() :], version


def _utf8(declaration: bytes | None) -> bool:
    """Tell whether the XML declaration leaves the bytes UTF-8 (ASCII-safe to cut)."""
    if not declaration:
        return True
    encoding = _ENCODING.search(declaration)
    return encoding is None or encoding[1].lower() in (b"utf-8", b"utf8")


def _renamed_in_bytes(data: bytes) -> bytes | None:
    """Return ``data`` with its ``qti-`` elements and their attributes renamed as
    ``normalize`` renames them, or None when that must be done on the tree.

    Only where every ``<`` starts a tag (no comment, CDATA or processing instruction
    after the declaration) and no other default namespace is declared (a ``qti-``
    element of another namespace keeps its name).
    """
    starts = data.count(_QTI_TAG_START) + data.count(b"</" + _PREFIX.encode())
    if not starts:
        return data
    head = _HEAD.match(data)
    if b"<!" in data or b"<?" in data[head.end() :] or _DEFAULTS.search(data):
        return None
    pieces = _QTI_TAGS.split(data)  # text, tag, text, …: no call per tag
    tags = pieces[1::2]
    if len(tags) != starts:
        return None
    known = _TAGS.get
    try:
        pieces[1::2] = [known(tag) or _renamed_tag(tag) for tag in tags]
    except (_Unreadable, UnicodeDecodeError):  # the parser reports bad UTF-8
        return None
    return b"".join(pieces)


class _Unreadable(Exception):
    """A ``qti-`` tag the bytes path does not read (renamed on the tree instead)."""


def _renamed_tag(tag: bytes) -> bytes:
    """The neutral form of one ``qti-`` start or end tag (cached: tags repeat)."""
    parts = _QTI_TAG.fullmatch(tag)
    if parts is None:
        raise _Unreadable
    close, local, attributes, end = parts.groups()
    kept, renamed = [], []
    for space, name, value, _ in _ATTRIBUTE.findall(attributes):
        neutral = name
        if b"-" in name and b":" not in name:  # prefixed: namespaced, kept
            neutral = neutral_attribute(name.decode()).encode()
        (kept if neutral == name else renamed).append(space + neutral + value)
    # normalize moves renamed attributes after the others: same order here.
    name = camel(local.decode()).encode()
    new = b"<" + close + name + b"".join(kept + renamed) + end
    if len(_TAGS) < _CACHE_LIMIT:  # untrusted files may invent any tag
        _TAGS[tag] = new
    return new


def _rename_prefixed(root: etree._Element, uri: str) -> None:
    """Rename the ``qti-`` elements as ``normalize`` does (they were in ``uri``)."""
    for element in root.iter(tag=etree.Element):
        tag = element.tag
        if tag.startswith(_PREFIX):
            rename(element, clark(uri, tag))
