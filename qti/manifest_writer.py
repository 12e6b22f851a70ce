"""Write ``imsmanifest.xml`` one resource at a time (flat memory for big packages)."""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import replace

from lxml import etree

from qti import layout
from qti.errors import QtiError
from qti.manifest import (
    Profile,
    Resource,
    build_manifest,
    manifest_nsmap,
    resource_element,
)
from qti.ns import clark

#: Resource templates one manifest keeps at most (distinct metadata of its items).
TEMPLATES = 1024
#: Bytes of serialized resources kept in memory before they spill to a file.
SPOOL_BYTES = 8 * 1024 * 1024
#: What libxml2 would escape, or refuse, in an attribute value and in a text: such
#: names and texts take the tree path.
_ESCAPED = re.compile('[&<>"\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]')
_TEXT_ESCAPED = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class ManifestWriter:
    """Collect the resources of ``imsmanifest.xml`` one at a time, then write it.

    Memory stays flat in the number of resources: each is serialized as soon as it
    is added, into a temporary file that spills to disk past ``SPOOL_BYTES``. The
    output is byte for byte what ``build_manifest`` gives: the skeleton is serialized
    around an empty ``<resources/>``, and each resource with the manifest's namespace
    map, whose (then redundant) declarations are left out as the root carries them.
    """

    def __init__(self, profile: Profile):
        self.profile, self.nsmap = profile, manifest_nsmap(profile)
        self.spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
        #: Template key → the serialized resource cut around its names and texts.
        self.layouts: dict[tuple, tuple[list[bytes], list[int]] | None] = {}
        empty = etree.Element(clark(profile.namespace, "x"), nsmap=self.nsmap)
        self.declarations = self._serialize(empty)[len(b"<x") : -len(b"/>")]

    def __enter__(self) -> ManifestWriter:
        return self

    def __exit__(self, *exc_info) -> None:
        self.spool.close()

    def add(self, resource: Resource, metadata=None, template=None, texts=()) -> None:
        """Serialize one resource.

        :param metadata: ``metadata(texts)`` returns the resource's metadata
            elements holding those texts (called only when they are needed).
        :param template: a key under which resources differ only in identifier,
            href, file and dependency names and in ``texts``: the first is serialized
            with a marker in each of those places, and the next ones whose names and
            texts need no escaping are those bytes joined with their own.
        :param texts: the free texts the metadata holds as element text.
        """
        names = _names(resource)
        key = None if template is None else self._key(resource, template, len(texts))
        if (
            key is not None
            and key not in self.layouts
            and len(self.layouts) < TEMPLATES
        ):
            self.layouts[key] = self._layout(resource, metadata, len(texts))
        shape = self.layouts.get(key)
        if shape is not None and _plain(names, texts):
            self.spool.write(layout.join(shape, [*names, *texts]))  # no tree at all
            return
        if metadata is not None:
            resource = replace(resource, metadata=tuple(metadata(texts)))
        self.spool.write(self._resource_bytes(resource))

    def write_to(self, target, identifier: str, metadata=()) -> None:
        """Write the whole manifest into the binary stream ``target``."""
        root = build_manifest(identifier, (), self.profile, metadata)
        skeleton = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
        head, empty, tail = skeleton.rpartition(b"<resources/>")
        if not empty:
            raise QtiError("Không tạo được khung imsmanifest.xml.", "manifest")
        target.write(head + b"<resources>")
        self.spool.seek(0)
        shutil.copyfileobj(self.spool, target)
        target.write(b"\n  </resources>" + tail)

    def _resource_bytes(self, resource: Resource) -> bytes:
        """Serialize one resource as the whole manifest's tree would hold it."""
        element = resource_element(self.profile.namespace, resource, self.nsmap)
        etree.indent(element, level=2)
        data = self._serialize(element)
        start = b"<resource" + self.declarations
        if not data.startswith(start):
            raise QtiError("Không ghi được tài nguyên vào imsmanifest.xml.", "manifest")
        return b"\n    <resource" + data[len(start) :]

    def _layout(self, resource: Resource, metadata, count: int) -> tuple | None:
        """Serialize the resource with a marker for each name and text; return the
        bytes between the markers (None when a marker is not written exactly once).

        Joining those pieces with plain names and texts gives the bytes the tree
        would: the tree's structure does not depend on them.
        """
        names = _names(resource)
        tokens = layout.markers(len(names) + count)
        files = 1 + bool(resource.href)  # where the file names start
        marked = replace(
            resource,
            identifier=tokens[0],
            href=tokens[1] if resource.href else "",
            files=tuple(tokens[files : files + len(resource.files)]),
            dependencies=tuple(tokens[files + len(resource.files) : len(names)]),
        )
        if metadata is not None:
            marked = replace(marked, metadata=tuple(metadata(tokens[len(names) :])))
        return layout.split_at(self._resource_bytes(marked), tokens)

    @staticmethod
    def _key(resource: Resource, template, count: int) -> tuple:
        shape = (resource.type, bool(resource.href), count)
        return (template, *shape, len(resource.files), len(resource.dependencies))

    def _clean(self, element: etree._Element) -> None:
        """Declare every namespace on ``element`` itself, as the root declares them."""
        prefixes = [prefix for prefix in self.nsmap if prefix]
        etree.cleanup_namespaces(
            element, top_nsmap=self.nsmap, keep_ns_prefixes=prefixes
        )

    def _serialize(self, element: etree._Element) -> bytes:
        self._clean(element)
        return etree.tostring(element, encoding="UTF-8")


def _plain(names: list[str], texts) -> bool:
    """Tell whether every name and text is written as it is."""
    return not (
        _ESCAPED.search(" ".join(names)) or _TEXT_ESCAPED.search("".join(texts))
    )


def _names(resource: Resource) -> list[str]:
    """The names that differ between resources of one template, in a fixed order."""
    href = [resource.href] if resource.href else []
    return [resource.identifier, *href, *resource.files, *resource.dependencies]
