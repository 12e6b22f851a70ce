"""Read ``imsmanifest.xml`` as a stream: one resource at a time, memory flat in its size.

The same reading as ``qti.manifest.read_manifest`` (any CP namespace, ``xml:base``,
LOM into ``Resource.meta``), but the tree never holds more than the resource being
read: a package of 10,000 items has a manifest of ~30 MB. Resources that carry the
same LOM share one (cached) meta dict: callers copy it before changing it.
"""

from __future__ import annotations

from typing import BinaryIO

from lxml import etree

from qti.errors import QtiError
from qti.manifest import Manifest, _base, _read_meta, _read_resource, _tag
from qti.ns import localname, namespace
from qti.parser import HARDENED, refuse_entities

#: The only elements the reader is told about (``{*}``: any namespace, C-level match);
#: the package's own ``metadata`` stays in the tree and is read at the end.
_NAMES = ("manifest", "resources", "resource", "metadata")
_TAGS = tuple("{*}" + name for name in _NAMES[:3])
#: The hardened parser's options, without the blank text between elements: fewer
#: nodes to build (the reader only reads attributes and the text of leaves).
_OPTIONS = {**HARDENED, "remove_blank_text": True}


def stream_manifest(source: BinaryIO) -> Manifest:
    """Read a manifest from a binary stream; raise ``QtiError`` as ``read_manifest`` does."""
    reader = _Reader()
    try:
        for event, element in etree.iterparse(
            source, events=("start", "end"), tag=_TAGS, **_OPTIONS
        ):
            reader.handle(event, element)
    except etree.XMLSyntaxError as exc:
        raise QtiError(
            f"Tệp XML không hợp lệ (dòng {exc.lineno}): {exc.msg}", "xml"
        ) from exc
    return reader.result()


class _Reader:
    """The state of one manifest being read: its root, base paths and resources."""

    def __init__(self):
        self.root: etree._Element | None = None
        self.cp = ""
        self.base = ""
        self.resources: list = []
        self.holder: etree._Element | None = None
        self.tags: dict[str, str] = {}
        #: Entities can only come with a DOCTYPE: without one, no subtree is checked.
        self.doctype = False

    def handle(self, event: str, element: etree._Element) -> None:
        """Take one start or end event of the elements in ``_TAGS``."""
        if event == "end":
            if element.tag == self.tags["resource"] and self._inside_holder(element):
                if self.doctype:
                    refuse_entities(element)
                resource = _read_resource(self.cp, element, self.base, shared=True)
                self.resources.append(resource)
                _forget(element)
        elif self.root is None:
            self._start_root(element)
        elif self.holder is None and element.tag == self.tags["resources"]:
            if element.getparent() is self.root:
                self.holder = element
                self.base = _base(self.base, element)

    def _start_root(self, root: etree._Element) -> None:
        if localname(root) != "manifest" or root.getparent() is not None:
            raise _no_manifest_root()
        refuse_entities(root)  # the DOCTYPE, if any, was read before the root
        self.doctype = bool(root.getroottree().docinfo.doctype)
        self.root, self.cp = root, namespace(root)
        self.tags = {name: _tag(self.cp, name) for name in _NAMES}
        self.base = _base("", root)

    def _inside_holder(self, element: etree._Element) -> bool:
        holder = self.holder
        if holder is None:
            return False
        return element.getparent() is holder or any(
            a is holder for a in element.iterancestors()
        )

    def result(self) -> Manifest:
        if self.root is None:  # the root is not a <manifest>: no event was reported
            raise _no_manifest_root()
        if self.holder is None:
            raise QtiError(
                "Tệp imsmanifest.xml thiếu danh sách tài nguyên.", "manifest"
            )
        meta = package_meta(self.root, self.tags["metadata"])
        return Manifest(self.root.get("identifier", ""), tuple(self.resources), meta)


def package_meta(root: etree._Element, metadata_tag: str) -> dict:
    """The package's LOM: that of the root's last ``metadata`` child (shared dict)."""
    meta = {}
    for metadata in root.iterchildren(metadata_tag):
        meta = _read_meta(metadata, shared=True)
    return meta


def _no_manifest_root() -> QtiError:
    return QtiError("Tệp imsmanifest.xml không có phần tử gốc <manifest>.", "manifest")


def _forget(element: etree._Element) -> None:
    """Drop a read resource and the siblings before it (keeps the tree small)."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    while element.getprevious() is not None:
        del parent[0]
