"""Read a manifest of repeated resource layouts without parsing every resource.

A package from one writer lists thousands of ``<resource>`` blocks that differ only in
a few values: names (identifier, href, file hrefs, dependency references) and the
texts of their LOM (title, codes and names of the subject, grade …), each block ~3 KB
that libxml2 would parse again and again. This reader cuts each block at those values
(``manifest_cut``: a strict grammar, in blocks without comments, CDATA, processing
instructions or ``xml:base``, where every ``<`` starts a tag). The first block of each
cut is parsed the full way (with the manifest around it) and read by
``manifest._read_resource``; then each of its texts is probed: the block is read again
with a marker in that text, and the text is kept as a value only when the marker is
read into exactly one place of the LOM dict and nothing else changes (a
classification's source never is: it decides where the term goes). The other texts
stay in the shape's bytes. A later block of the shape whose values are plain (valid
UTF-8, no quote, ``<``, ``>``, ``&`` or control character; texts not blank) is that
resource with its own values: such values parse to themselves, so its tree is the
learned tree with other values, read as the LOM reader reads texts.

The manifest around the blocks is checked by parsing it without them: the head up to
the first ``<resources>`` must parse as the manifest with that list as its last child
(so it is a real tag, and the one the full reading takes). Anything else
returns None and the caller reads the manifest with ``stream_manifest``, which also
reports the errors: this path never raises for the content.
"""

from __future__ import annotations

import re
from typing import BinaryIO

from lxml import etree

from qti import layout, manifest_cut
from qti.errors import QtiError
from qti.manifest import Manifest, Resource, _base, _read_resource, _tag
from qti.manifest_cut import TEXT
from qti.manifest_shapes import Shape, Shapes, leaf_path, plain, with_leaf
from qti.manifest_stream import package_meta
from qti.ns import localname, namespace
from qti.parser import parse_xml

#: Bytes read at a time, and the most the head, one block or the tail may be.
CHUNK = 1 << 20
LIMIT = 1 << 20
#: Blocks parsed in full before the reader gives up when over a quarter of them are
#: (manifests of other writers, or descriptions that all differ, as titles do); a
#: bank of 10,000 questions over the curriculum has ~500 distinct descriptions.
PARSED_FREE = 1024
_OPEN, _CLOSE, _END = b"<resources>", b"</resource>", b"</resources>"
_SPACE = re.compile(rb"[ \t\r\n]*")
_DECLARATION = re.compile(rb"<\?xml[^?>]*\?>")
_UTF8 = re.compile(rb"""encoding\s*=\s*["']utf-8["']""", re.IGNORECASE)
_ROOT = re.compile(rb"[ \t\r\n]*<([A-Za-z_][\w.:-]*)")


#: What ``_probe`` finds for a text the reader does not read.
_UNREAD = "unread"


class _NotFast(Exception):
    """This manifest is not read here: the caller streams it the full way."""


def fast_manifest(stream: BinaryIO) -> Manifest | None:
    """Return the manifest in ``stream`` read as above, or None (read it in full)."""
    try:
        return _FastReader(stream).read()
    except (_NotFast, QtiError, UnicodeDecodeError):
        return None


class _Source:
    """The manifest's bytes, read a chunk at a time; ``data[pos:]`` is unread."""

    def __init__(self, stream: BinaryIO):
        self.stream, self.data, self.pos, self.eof = stream, b"", 0, False

    def ahead(self, want: int) -> None:
        """Have at least ``want`` unread bytes in ``data`` unless the stream ends."""
        if len(self.data) - self.pos >= want or self.eof:
            return
        parts = [self.data[self.pos :]]
        have = len(parts[0])
        while have < want:
            chunk = self.stream.read(CHUNK)
            if not chunk:
                self.eof = True
                break
            parts.append(chunk)
            have += len(chunk)
        self.data, self.pos = b"".join(parts), 0

    def until(self, token: bytes) -> bytes:
        """Return the unread bytes up to the end of ``token`` (within ``LIMIT``)."""
        while (at := self.data.find(token, self.pos)) < 0:
            unread = len(self.data) - self.pos
            if self.eof or unread > LIMIT:
                raise _NotFast
            self.ahead(unread + CHUNK)
        end = at + len(token)
        if end - self.pos > LIMIT:
            raise _NotFast
        taken, self.pos = self.data[self.pos : end], end
        return taken

    def rest(self) -> bytes:
        """Return every unread byte (at most ``LIMIT``)."""
        self.ahead(LIMIT + 1)
        if len(self.data) - self.pos > LIMIT:
            raise _NotFast
        return self.data[self.pos :]


class _FastReader:
    """One manifest being read: its head, the learned shapes, the resources."""

    def __init__(self, stream: BinaryIO):
        self.source = _Source(stream)
        self.shapes = Shapes()
        #: Cut → what the probes of its first block found: (index → role of each
        #: value, index → text of each text read but not a value).
        self.probed: dict[tuple, tuple[dict, dict]] = {}
        self.resources: list[Resource] = []
        self.parsed = 0

    def read(self) -> Manifest:
        source, resources = self.source, self.resources
        self.head = source.until(_OPEN)
        self.closing = _closing(self.head)
        root = self._holder(b"").getparent()
        self.cp, self.base = namespace(root), _base("", root)
        while True:
            source.ahead(LIMIT)
            source.pos = _SPACE.match(source.data, source.pos).end()
            if source.data.startswith(_END, source.pos):
                break
            if not source.data.startswith(b"<resource", source.pos):
                raise _NotFast
            resources.append(self._resource(source.until(_CLOSE)))
        root = parse_xml(self.head + source.rest())  # the real end, well-formed
        meta = package_meta(root, _tag(self.cp, "metadata"))
        return Manifest(root.get("identifier", ""), tuple(resources), meta)

    def _resource(self, block: bytes) -> Resource:
        """The resource of one block: from its learned shape, else parsed and learned."""
        found = self.shapes.find(block)
        if found is not None and (resource := self._rebuilt(*found)) is not None:
            return resource
        cut = manifest_cut.cut(block)
        if cut is None:
            return self._parsed(block)
        known, values = self.shapes.of_cut(cut[:2], block)
        if known is not None and (resource := self._rebuilt(known, values)) is not None:
            return resource
        resource = self._parsed(block)
        if values == [] and manifest_cut.learnable(block):  # of no shape yet
            self._learn(cut, resource)
        return resource

    def _rebuilt(self, shape: Shape, raw: list[bytes]) -> Resource | None:
        values = plain(raw)
        if values is None or not shape.accepts(values):
            return None
        return shape.resource(values, self.base)

    def _learn(self, cut: tuple, resource: Resource) -> None:
        """Learn the shape of a block read into ``resource``: its names, and the texts
        found to be read into one place of the LOM dict and nowhere else.

        Blocks of one cut differ in texts that stay in their shapes: when they differ
        only in texts the reader does not read (interaction types, vocabularies), what
        the probes found for the first block of the cut holds for them too.
        """
        raw = cut[2]
        if plain(raw) is None:
            return
        known = self.probed.get(cut[:2])
        same_reading = known is not None and all(
            raw[i] == value for i, value in known[1].items()
        )
        if same_reading and self._keep_shape(cut, known[0], resource):
            return
        values, read = {}, {}
        for index, role in enumerate(cut[1]):
            found = self._probe(cut, index, resource) if role == TEXT else role
            if found is None:
                read[index] = raw[index]  # read, and not into one place only
            elif found != _UNREAD:
                values[index] = found
        if self._keep_shape(cut, values, resource) and known is None:
            self.probed[cut[:2]] = (values, read)

    def _keep_shape(self, cut: tuple, values: dict, resource: Resource) -> bool:
        """Keep the shape whose values are ``values`` (index → role) if it rebuilds
        ``resource`` exactly; tell whether it did."""
        pieces, _, raw = cut
        shape_pieces, roles, kept = manifest_cut.merged(pieces, raw, values)
        shape = Shape(shape_pieces, roles, resource.type, resource.meta)
        rebuilt = self._rebuilt(shape, kept)
        if rebuilt != resource or rebuilt.meta != resource.meta:
            return False
        self.shapes.add(shape, cut[:2])
        return True

    def _probe(self, cut: tuple, index: int, resource: Resource):
        """What the text at ``index`` is (the block read again with a marker there):
        ``("meta", path)`` when read into that one place of the LOM dict and nothing
        else changes, ``_UNREAD`` when nothing changes, else None."""
        pieces, _, raw = cut
        marker = layout.markers(1)[0]
        values = [*raw[:index], marker.encode(), *raw[index + 1 :]]
        try:
            probed = self._parsed(manifest_cut.interleave(pieces, values))
        except QtiError:
            return None
        if probed != resource:
            return None
        if probed.meta == resource.meta:
            return _UNREAD
        path = leaf_path(probed.meta, marker)
        if path is None or path[-1] == "source":
            return None  # a classification's source decides where its term goes
        if with_leaf(resource.meta, path, marker) != probed.meta:
            return None
        return ("meta", path)

    def _parsed(self, block: bytes) -> Resource:
        """Read ``block`` the full way, inside the manifest's head."""
        self.parsed += 1
        if self.parsed > PARSED_FREE and self.parsed * 4 > len(self.resources):
            raise _NotFast  # streaming the whole manifest costs less
        holder = self._holder(block)
        if len(holder) != 1:
            raise _NotFast
        element = holder[0]
        resource_tag = _tag(self.cp, "resource")
        if element.tag != resource_tag:
            raise _NotFast  # a block that declares another namespace
        if any(True for _ in element.iterdescendants(resource_tag)):
            raise _NotFast  # nested resources: the stream reads each
        return _read_resource(self.cp, element, self.base, shared=True)

    def _holder(self, inside: bytes) -> etree._Element:
        """Parse the head with ``inside`` in its resource list, then closed; return
        the list, checked to be the manifest's own."""
        root = parse_xml(self.head + inside + self.closing)
        holder = root[-1] if len(root) else None
        if localname(root) != "manifest" or holder is None:
            raise _NotFast
        if holder.tag != _tag(namespace(root), "resources"):
            raise _NotFast
        return holder


def _closing(head: bytes) -> bytes:
    """The end tags that close a head ending in ``<resources>``; check the head."""
    declaration = _DECLARATION.match(head)
    if declaration and b"encoding" in declaration.group():
        if not _UTF8.search(declaration.group()):
            raise _NotFast  # the blocks' names are read as UTF-8
    body = head[declaration.end() :] if declaration else head
    # The head parses only if this ``<resources>`` is a tag (not in a comment, PI or
    # CDATA); no other may come before it, or the stream would read that one.
    if body.count(b"<resources") != 1 or b":resources" in body:
        raise _NotFast
    root = _ROOT.match(body)
    if root is None:
        raise _NotFast
    return _END + b"</" + root.group(1) + b">"
