"""QTI content packages: ``write_package`` streams items into a ZIP; ``read_package``."""

from __future__ import annotations

import hashlib
import mimetypes
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import BinaryIO

from lxml import etree

from qti.assessment import build_test
from qti.conventions import is_external, relative_href
from qti.errors import QtiError
from qti.importing import ImportResult, read_item_file, read_package
from qti.items import Item, Media
from qti.lom import build_lom, free_texts, with_texts
from qti.manifest import PROFILES, Resource
from qti.manifest_writer import ManifestWriter
from qti.ns import clark
from qti.parser import to_bytes
from qti.writer import item_document, item_identifier
from qti.zipwriter import ZipWriter

__all__ = ["ImportResult", "read_item_file", "read_package", "write_package"]

MediaOpener = Callable[[Media], "BinaryIO | bytes"]
MANIFEST = "imsmanifest.xml"
ITEM_FORMAT = "text/x-imsqti-item-xml"
TEST_FORMAT = "text/x-imsqti-test-xml"
_INTERACTION = {
    "true_false_cluster": "matchInteraction",
    "numeric": "textEntryInteraction",
}
_NOT_FILE_NAME = re.compile(r"[^\w.\-]+")


def write_package(
    items_with_meta: Iterable[Item | tuple[Item, Mapping]],
    fileobj: BinaryIO,
    version: str = "2.1",
    test_title: str | None = None,
    media_opener: MediaOpener | None = None,
    identifier: str | None = None,
    test_sections: Sequence[tuple[str, int]] | None = None,
) -> int:
    """Stream items (each an ``Item`` or ``(Item, meta)``) into a QTI package; return the count.

    Each item file is written as soon as it is read from ``items_with_meta``; the
    manifest (and the optional ``assessmentTest`` when ``test_title`` is given) come
    last; ``test_sections`` splits the test into (title, item count) sections.
    ``media_opener(media)`` returns the bytes or a binary stream of a media file;
    without it, media keep their ``src`` as an external reference.
    """
    if version not in PROFILES:
        raise QtiError(
            f"Gói QTI chỉ hỗ trợ phiên bản 2.1 hoặc 3.0, không phải {version}.",
            "version",
        )
    with ZipWriter(fileobj) as archive:
        packer = _Packer(archive, version, media_opener, bool(test_title))
        with packer.manifest:
            for entry in items_with_meta:
                item, meta = entry if isinstance(entry, tuple) else (entry, None)
                packer.add_item(item, meta or {})
            if test_title:
                packer.add_test(test_title, test_sections)
            packer.finish(identifier, test_title)
    return packer.count


class _Packer:
    """The state of one package being written: paths, identifiers, the manifest."""

    def __init__(self, archive: ZipWriter, version: str, opener, test: bool):
        self.archive, self.version, self.opener = archive, version, opener
        self.profile = PROFILES[version]
        self.manifest = ManifestWriter(self.profile)
        #: (identifier, path, resource id) of each item, kept only for a test.
        self.refs: list[tuple[str, str, str]] | None = [] if test else None
        self.used: set[str] = set()
        self.item_ids: set[str] = set()
        self.media_paths: set[str] = set()
        self.media: dict[str, tuple[str, str]] = {}
        self.digest = hashlib.sha256()
        self.count = 0

    def add_item(self, item: Item, meta: Mapping) -> None:
        """Write one item (and its media) and its manifest resource."""
        identifier = _unique(item_identifier(item), self.item_ids)
        hrefs, dependencies = self._item_media(item)
        path = f"items/{identifier}.xml"
        self._write(path, item_document(item, self.version, hrefs, identifier))
        lom = {"title": item.title, "language": item.lang, **meta}
        shape, texts = free_texts({**lom, "format": ITEM_FORMAT})
        resource_id = _unique(identifier, self.used)
        interaction = _INTERACTION.get(item.type, "choiceInteraction")
        feedback = bool(item.explanation)
        self.manifest.add(
            Resource(resource_id, self.profile.item_type, path, (path,), dependencies),
            lambda values: _item_metadata(
                self.version, interaction, feedback, with_texts(shape, values)
            ),
            (interaction, feedback, shape),
            texts,
        )
        if self.refs is not None:
            self.refs.append((identifier, path, resource_id))
        self.digest.update(identifier.encode("utf-8") + b"\n")
        self.count += 1

    def _item_media(self, item: Item) -> tuple[dict[str, str], tuple[str, ...]]:
        """Store the media of ``item``; return its hrefs and resource dependencies."""
        hrefs, dependencies = {}, []
        for media in item.media:
            stored = self._add_media(media)
            if stored:
                hrefs[media.src] = relative_href("items", stored[0])
                dependencies.append(stored[1])
        return hrefs, tuple(dependencies)

    def _add_media(self, media: Media) -> tuple[str, str] | None:
        """Copy a media file into ``media/`` once; return (path, resource identifier).

        URLs stay links. A site path (``/…``) is copied when the opener supplies it
        (the service's own files) and stays a link when the opener returns None.
        """
        if self.opener is None or _is_url(media.src):
            return None
        if media.src not in self.media:
            source = self._open(media)
            if source is None:
                return None
            name = _file_name(media.src, media.mime)
            path = _unique_path(f"media/{name}", self.media_paths)
            self._copy(path, source)
            resource_id = _unique(f"MEDIA-{len(self.media) + 1}", self.used)
            self.manifest.add(Resource(resource_id, "webcontent", path, (path,)))
            self.media[media.src] = (path, resource_id)
        return self.media[media.src]

    def _open(self, media: Media):
        try:
            source = self.opener(media)
        except OSError as exc:
            raise QtiError(f"Không mở được tệp '{media.src}': {exc}.", "media") from exc
        if source is None and not media.src.startswith("/"):
            raise QtiError(f"Không tìm thấy tệp '{media.src}'.", "media")
        return source

    def _copy(self, path: str, source) -> None:
        if isinstance(source, bytes | bytearray):
            self._write(path, bytes(source))
            return
        with source:
            self.archive.write_stream(path, source)

    def add_test(self, title: str, sections=None) -> None:
        """Write ``test.xml``: the items written so far, in sections (default one)."""
        identifier = _unique("TEST", self.item_ids)
        refs = [(ident, path) for ident, path, _ in self.refs]
        self._write(
            "test.xml",
            to_bytes(build_test(identifier, title, refs, self.version, sections)),
        )
        metadata = (build_lom({"title": title, "format": TEST_FORMAT}),)
        dependencies = tuple(resource_id for _, _, resource_id in self.refs)
        resource_id = _unique(identifier, self.used)
        self.manifest.add(
            Resource(
                resource_id,
                self.profile.test_type,
                "test.xml",
                ("test.xml",),
                dependencies,
                metadata,
            )
        )

    def finish(self, identifier: str | None, title: str | None) -> None:
        """Write ``imsmanifest.xml`` last."""
        identifier = identifier or "MANIFEST-" + self.digest.hexdigest()[:16]
        metadata = [build_lom({"title": title})] if title else []
        with self.archive.open(MANIFEST) as target:
            self.manifest.write_to(target, identifier, metadata)

    def _write(self, path: str, data: bytes) -> None:
        self.archive.write(path, data)


def _item_metadata(
    version: str, interaction: str, feedback: bool, lom: dict
) -> tuple[etree._Element, ...]:
    """Return the QTI and LOM metadata elements of an item resource."""
    ns = PROFILES[version].metadata_namespace
    root = etree.Element(clark(ns, "qtiMetadata"))
    for name, value in (
        ("timeDependent", "false"),
        ("interactionType", interaction),
        ("feedbackType", "nonadaptive" if feedback else "none"),
        ("solutionAvailable", "true"),
        ("toolName", "Kho học liệu số"),
    ):
        etree.SubElement(root, clark(ns, name)).text = value
    return root, build_lom(lom)


def _is_url(src: str) -> bool:
    """A URL (``https:``, ``data:``, ``//host``) rather than a package or site path."""
    return is_external(src) and not (src.startswith("/") and src[1:2] != "/")


def _unique(candidate: str, taken: set[str]) -> str:
    """Return ``candidate`` or ``candidate-N``, not in ``taken``; add it to ``taken``."""
    base, counter, name = candidate, 1, candidate
    while name in taken:
        counter += 1
        name = f"{base}-{counter}"
    taken.add(name)
    return name


def _unique_path(path: str, taken: set[str]) -> str:
    stem, extension = posixpath.splitext(path)
    counter, name = 1, path
    while name in taken:
        counter += 1
        name = f"{stem}-{counter}{extension}"
    taken.add(name)
    return name


def _file_name(src: str, mime: str = "") -> str:
    """A safe file name for ``src``, with the extension of ``mime`` when it has none."""
    name = _NOT_FILE_NAME.sub("_", posixpath.basename(src.split("?")[0])).strip("._")
    name = name or "file"
    if not posixpath.splitext(name)[1] and mime:
        name += mimetypes.guess_extension(mime, strict=True) or ""
    return name
