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
#: What libxml2 would escape in an attribute value: such names take the tree path.
_ESCAPED = re.compile('[&<>"\x00-\x1f\x7f]')


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
        self.templates: dict[tuple, etree._Element] = {}
        #: Template key → the serialized resource cut around its names (see _layout).
        self.layouts: dict[tuple, tuple[list[bytes], list[int]] | None] = {}
        empty = etree.Element(clark(profile.namespace, "x"), nsmap=self.nsmap)
        self.declarations = self._serialize(empty)[len(b"<x") : -len(b"/>")]

    def __enter__(self) -> ManifestWriter:
        return self

    def __exit__(self, *exc_info) -> None:
        self.spool.close()

    def add(self, resource: Resource, metadata=None, template=None) -> None:
        """Serialize one resource.

        :param metadata: returns the resource's metadata elements (called only when
            they are needed: not when a template is reused).
        :param template: a key under which resources differ only in identifier,
            href, file and dependency names; the first becomes a template the next
            ones reuse (their metadata are serialized by C code, not built again).
        """
        key = None if template is None else self._key(resource, template)
        names = _names(resource)
        shape = self.layouts.get(key)
        if shape is not None and not any(_ESCAPED.search(n) for n in names):
            self.spool.write(layout.join(shape, names))  # no tree, no serializing
            return
        element = self._from_template(resource, template)
        if element is None:
            if metadata is not None:
                resource = replace(resource, metadata=tuple(metadata()))
            element = resource_element(self.profile.namespace, resource, self.nsmap)
            etree.indent(element, level=2)
            self._clean(element)
            if template is not None and len(self.templates) < TEMPLATES:
                self.templates[self._key(resource, template)] = element
        data = etree.tostring(element, encoding="UTF-8")
        start = b"<resource" + self.declarations
        if not data.startswith(start):
            raise QtiError("Không ghi được tài nguyên vào imsmanifest.xml.", "manifest")
        self.spool.write(b"\n    <resource" + data[len(start) :])
        if key is not None and key not in self.layouts and key in self.templates:
            self.layouts[key] = self._layout(resource, template)

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

    def _from_template(self, resource: Resource, template) -> etree._Element | None:
        """Return the template for ``resource`` with its names set, or None.

        The template itself is changed: it is serialized at once and only ever by
        this writer, so no copy is needed.
        """
        if template is None:
            return None
        element = self.templates.get(self._key(resource, template))
        if element is None:
            return None
        element.set("identifier", resource.identifier)
        element.set("href", resource.href)
        cp = self.profile.namespace
        for file, path in zip(
            element.iter(clark(cp, "file")), resource.files, strict=True
        ):
            file.set("href", path)
        dependencies = element.iter(clark(cp, "dependency"))
        for dependency, name in zip(dependencies, resource.dependencies, strict=True):
            dependency.set("identifierref", name)
        return element

    def _layout(self, resource: Resource, template) -> tuple | None:
        """Serialize the template with marker names; return the bytes between them.

        Later resources of the template are written by joining those pieces with
        their own names: the bytes the tree would give (names needing no escape).
        """
        tokens = layout.markers(len(_names(resource)))
        files = 1 + bool(resource.href)  # where the file names start
        marked = replace(
            resource,
            identifier=tokens[0],
            href=tokens[1] if resource.href else "",
            files=tuple(tokens[files : files + len(resource.files)]),
            dependencies=tuple(tokens[files + len(resource.files) :]),
        )
        element = self._from_template(marked, template)
        serialized = etree.tostring(element, encoding="UTF-8")
        data = b"\n    <resource" + serialized[len(b"<resource" + self.declarations) :]
        return layout.split_at(data, tokens)

    @staticmethod
    def _key(resource: Resource, template) -> tuple:
        shape = (resource.type, bool(resource.href))
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


def _names(resource: Resource) -> list[str]:
    """The names that differ between resources of one template, in a fixed order."""
    href = [resource.href] if resource.href else []
    return [resource.identifier, *href, *resource.files, *resource.dependencies]
