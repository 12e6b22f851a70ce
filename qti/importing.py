"""Read QTI packages and bare item files into items, reporting what could not be read."""

from __future__ import annotations

import contextlib
import posixpath
import sys
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from qti.assessment import item_refs
from qti.conventions import is_external, resolve_href
from qti.errors import QtiError
from qti.items import Item
from qti.manifest import Manifest, Resource, copy_meta
from qti.manifest_fast import fast_manifest
from qti.manifest_stream import stream_manifest
from qti.neutral import parse_item
from qti.ns import localname
from qti.parallel import THRESHOLD, Pool, default_workers
from qti.parser import parse_xml
from qti.pooled import ITEM_ROOTS, PoolReader, outcomes
from qti.reader import read_parsed_item
from qti.zipsafe import PackageLimits, check_entries, open_zip, read_entry

MANIFEST = "imsmanifest.xml"
#: Package-level metadata copied onto every item that does not say otherwise.
_INHERITED = ("language", "subject", "grade", "topic", "level", "licence")


@dataclass
class ImportResult:
    """Items read (each with its metadata dict) and problems as (path or id, reason)."""

    items: list[tuple[Item, dict]] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Candidate:
    path: str
    #: The package's metadata the item inherits, and the resource's own (both shared
    #: between candidates: never changed, copied into each item's metadata).
    inherited: dict
    meta: dict = field(default_factory=dict)
    resource: str = ""
    #: False for files merely listed in a test resource: skipped when not items.
    strict: bool = True

    def item_meta(self) -> dict:
        """The metadata of the item read from this file (its own copy)."""
        meta = copy_meta({**self.inherited, **self.meta})
        if self.resource:
            meta["resource"] = self.resource
        meta["href"] = self.path
        return meta


def read_package(
    fileobj: BinaryIO, limits: PackageLimits | None = None, workers: int | None = None
) -> ImportResult:
    """Read every item of a QTI 2.x/3.0 content package (a ZIP with ``imsmanifest.xml``).

    Unsupported or broken items are reported in ``problems``; a package that is unsafe
    or unreadable as a whole raises ``QtiError`` and nothing is returned.
    """
    result = ImportResult()
    result.items.extend(iter_package(fileobj, limits, result.problems, workers))
    return result


def iter_package(
    fileobj: BinaryIO,
    limits: PackageLimits | None = None,
    problems: list[tuple[str, str]] | None = None,
    workers: int | None = None,
) -> Iterator[tuple[Item, dict]]:
    """Yield the ``(item, metadata)`` of a package one by one (memory flat in its size).

    Problems are appended to ``problems`` as they are met; a package unsafe or
    unreadable as a whole raises ``QtiError`` (possibly after some items were yielded:
    callers that must import all or nothing collect first, as ``read_package`` does).
    Packages of ``parallel.THRESHOLD`` items or more are read by ``workers``
    processes (default: one per usable core; 0 or 1 reads in this process).
    """
    limits = limits or PackageLimits()
    result = ImportResult(problems=problems if problems is not None else [])
    with open_zip(fileobj) as archive, contextlib.ExitStack() as stack:
        files = check_entries(archive, limits)
        name = _manifest_name(files)
        pool = _pool(archive, files, name, workers, stack)  # reads during the manifest
        manifest = _read_manifest(archive, files[name])
        candidates = _candidates(
            archive, files, manifest, posixpath.dirname(name), result
        )
        wanted = [(candidate.path, candidate.strict) for candidate in candidates]
        # closing(): a caller that stops early stops the workers before the ZIP closes.
        read = pool.outcomes(wanted) if pool else outcomes(archive, files, wanted)
        with contextlib.closing(read):
            for candidate, outcome in zip(candidates, read, strict=True):
                entry = _entry(files, candidate, outcome, result)
                if entry is not None:
                    yield entry


def _pool(archive, files: dict, manifest: str, workers: int | None, stack):
    """A reader on worker processes for ``THRESHOLD`` XML files or more, else None.

    ``workers`` (default: the usable cores) asks for that many whatever the size.
    """
    if workers is None:
        large = sum(name.endswith(".xml") for name in files) >= THRESHOLD
        workers = default_workers() if large else 0
    if workers < 2 or not sys.executable:
        return None
    try:
        pool = stack.enter_context(Pool(workers))
    except OSError:  # no interpreter to start (embedded Python): read here
        return None
    return PoolReader(archive, files, pool, manifest)


def _read_manifest(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Manifest:
    """Read the manifest entry by its repeated layouts, else with ``stream_manifest``."""
    try:
        with archive.open(info) as stream:
            manifest = fast_manifest(stream)
        if manifest is not None:
            return manifest
        with archive.open(info) as stream:
            return stream_manifest(stream)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise QtiError(
            f"Không đọc được {info.filename} trong gói: {exc}.", "package"
        ) from exc


def _manifest_name(files: dict[str, zipfile.ZipInfo]) -> str:
    """Return the manifest path: at the root, or in the package's only top folder."""
    if MANIFEST in files:
        return MANIFEST
    nested = [n for n in files if n.count("/") == 1 and n.endswith("/" + MANIFEST)]
    if len(nested) == 1:
        return nested[0]
    raise QtiError("Gói không có tệp imsmanifest.xml ở thư mục gốc.", "package")


def _candidates(
    archive, files, manifest: Manifest, base: str, result
) -> list[_Candidate]:
    """Return the item files of the package, in manifest order, without duplicates."""
    inherited = {k: v for k, v in manifest.meta.items() if k in _INHERITED}
    paths = [_resource_path(base, r) for r in manifest.resources]
    declared = {
        path: r
        for path, r in zip(paths, manifest.resources, strict=True)
        if r.type.lower().startswith("imsqti_item_")
    }

    def of_resource(path: str) -> _Candidate:
        resource = declared[path]
        return _Candidate(path, inherited, resource.meta, resource.identifier)

    found: dict[str, _Candidate] = {}
    for path, resource in zip(paths, manifest.resources, strict=True):
        kind = resource.type.lower()
        if kind.startswith("imsqti_item_"):
            if path not in found:
                found[path] = of_resource(path)
        elif kind.startswith("imsqti_test_"):
            for candidate in _test_items(
                archive, files, resource, base, inherited, result
            ):
                if candidate.path in declared:
                    candidate = of_resource(candidate.path)
                found.setdefault(candidate.path, candidate)
    return list(found.values())


def _resource_path(base: str, resource: Resource) -> str:
    return _join(base, resource.href or next(iter(resource.files), ""))


def _test_items(archive, files, resource: Resource, base: str, inherited, result):
    """Return the items a test resource refers to, then the other XML files it lists."""
    path = _resource_path(base, resource)
    candidates = []
    if path in files:
        data = read_entry(archive, files[path])
        try:
            refs = item_refs(parse_xml(data))
        except QtiError as exc:
            result.problems.append((path, exc.message))
            refs = []
        folder = posixpath.dirname(path)
        candidates += [_Candidate(resolve_href(folder, r), inherited) for r in refs]
    listed = [_join(base, f) for f in resource.files if f.lower().endswith(".xml")]
    candidates += [_Candidate(f, inherited, strict=False) for f in listed if f != path]
    return candidates


def _join(base: str, href: str) -> str:
    return resolve_href(base, href) if href else ""


def _entry(
    files, candidate: _Candidate, outcome: tuple[str, object], result: ImportResult
) -> tuple[Item, dict] | None:
    """Return the item of one outcome with its metadata, or add its problem."""
    kind, value = outcome
    if kind == "problem":
        result.problems.append((candidate.path or "?", value))
        return None
    if kind == "skip":
        return None
    _report_missing_media(value, files, candidate.path, result)
    return value, candidate.item_meta()


def _report_missing_media(item: Item, files, path: str, result: ImportResult) -> None:
    for media in item.media:
        if not is_external(media.src) and media.src not in files:
            result.problems.append(
                (path, f"Thiếu tệp đa phương tiện trong gói: {media.src}.")
            )


def read_item_file(
    source: BinaryIO | bytes,
    name: str = "item.xml",
    limits: PackageLimits | None = None,
) -> ImportResult:
    """Read a bare QTI item file (no package); a test or manifest file is refused."""
    limits = limits or PackageLimits()
    data = (
        source if isinstance(source, bytes) else source.read(limits.max_total_bytes + 1)
    )
    if len(data) > limits.max_total_bytes:
        raise QtiError(f"Tệp vượt giới hạn {limits.max_total_bytes} byte.", "file")
    root, version = parse_item(data)
    if localname(root) not in ITEM_ROOTS:
        raise QtiError(
            f"Tệp {name} không phải câu hỏi QTI ({localname(root)}); "
            "bài kiểm tra và gói cần được tải lên dưới dạng .zip.",
            "file",
        )
    result = ImportResult()
    try:
        result.items.append((read_parsed_item(root, "", version), {"href": name}))
    except QtiError as exc:
        result.problems.append((name, exc.message))
    return result
