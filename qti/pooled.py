"""Read the item files of a package into items, in this process or on worker processes.

Both ways give the same outcome per file: ``("item", Item)``, ``("problem", reason)``
or ``("skip", None)`` (a file a test merely lists that is no item). On workers, the
caller reads each entry's compressed bytes (a seek and a read) and the workers
inflate, check, parse and read them: all the per-item work, on every core.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import NamedTuple

from qti.entries import inflate, raw_bytes
from qti.errors import QtiError
from qti.neutral import parse_item
from qti.ns import localname
from qti.parallel import CHUNK, Pool
from qti.prefetch import Parsed, parsed_entries
from qti.reader import read_parsed_item
from qti.templates import TEMPLATES
from qti.zipsafe import read_entry

ITEM_ROOTS = ("assessmentItem", "qti-assessment-item")
_MISSING = "Tệp câu hỏi không có trong gói."
#: XML files sent to the workers before the manifest is read (their outcomes wait
#: in memory, ~0.5 KB each, until asked for).
AHEAD = 4096


def read_root(parsed: Parsed, path: str, strict: bool) -> tuple[str, object]:
    """Return the outcome of one file parsed by ``parse_item`` (None: the package has
    no such file)."""
    if parsed is None:
        return "problem", _MISSING
    if isinstance(parsed, QtiError):
        return ("problem", parsed.message) if strict else ("skip", None)
    root, version = parsed
    if not strict and localname(root) not in ITEM_ROOTS:
        return "skip", None
    try:
        return "item", read_parsed_item(root, posixpath.dirname(path), version)
    except QtiError as exc:
        return "problem", exc.message


def outcomes(
    archive: zipfile.ZipFile, files: dict, wanted: list[tuple[str, bool]]
) -> Iterator[tuple[str, object]]:
    """Yield the outcome of each (path, strict) in ``wanted``, read in this process."""
    paths = [path for path, _ in wanted]
    parsed = parsed_entries(archive, files, paths, parse=_prepare)
    try:
        for (path, strict), (_, prepared) in zip(wanted, parsed, strict=True):
            yield _read_prepared(prepared, path, strict)
    finally:
        parsed.close()  # stops the parsing thread


class _Known(NamedTuple):
    """The outcome of a file of a learned layout (``qti.templates``)."""

    outcome: tuple[str, object]


class _Parsed(NamedTuple):
    """A file parsed by ``parse_item``, with its bytes (to learn its layout)."""

    root: object
    version: str | None
    data: bytes


def _prepare(data: bytes) -> _Known | _Parsed:
    """Run on the parsing thread: the outcome of a known layout, else the parse."""
    known = TEMPLATES.read(data)
    if known is not None:
        return _Known(known)
    return _Parsed(*parse_item(data), data)


def _read_prepared(prepared, path: str, strict: bool) -> tuple[str, object]:
    if isinstance(prepared, _Known):
        return prepared.outcome  # an item file: the same whether strict or not
    if not isinstance(prepared, _Parsed):
        return read_root(prepared, path, strict)  # missing or unparsable
    outcome = read_root((prepared.root, prepared.version), path, strict)
    if outcome[0] == "item":
        TEMPLATES.learn(prepared.data, outcome[1], prepared.version)
    return outcome


class PoolReader:
    """Outcomes of the item files of a package, read by a pool of workers.

    The first ``AHEAD`` XML files in ZIP order are sent at once, before the manifest
    is read (packages list their items in that order): the workers read them while
    this process reads the manifest. Outcomes wait in ``ready`` until asked for.
    """

    def __init__(self, archive: zipfile.ZipFile, files: dict, pool: Pool, skip: str):
        self.archive, self.files, self.pool = archive, files, pool
        self.chunks: deque[list[str]] = deque()
        self.ready: dict[str, tuple] = {}
        self.sent: set[str] = set()
        guesses = [n for n in files if n.lower().endswith(".xml") and n != skip]
        for chunk in _chunks(guesses[:AHEAD]):
            self._send(chunk)

    def outcomes(self, wanted: list[tuple[str, bool]]) -> Iterator[tuple[str, object]]:
        """Yield the outcome of each (path, strict) in ``wanted``, in order."""
        known = (p for p, _ in wanted if p in self.files and p not in self.sent)
        rest = _chunks(known)
        for path, strict in wanted:
            if path not in self.files:
                yield "problem", _MISSING
                continue
            while path not in self.ready:
                while len(self.pool.waiting) < self.pool.window:
                    chunk = next(rest, None)
                    if chunk is None:
                        break
                    self._send(chunk)
                paths = self.chunks.popleft()
                self.ready.update(zip(paths, self.pool.receive(), strict=True))
            outcome, is_item = self.ready.pop(path)
            yield outcome if strict or is_item else ("skip", None)

    def _send(self, paths: list[str]) -> None:
        tasks = [_task(self.archive, self.files, path) for path in paths]
        self.pool.submit("qti.pooled:read_chunk", tasks)
        self.chunks.append(paths)
        self.sent.update(paths)


def _chunks(items: Iterable) -> Iterator[list]:
    items = iter(items)
    while chunk := list(islice(items, CHUNK)):
        yield chunk


def _task(archive: zipfile.ZipFile, files: dict, path: str) -> tuple:
    """What a worker needs to read one file: its compressed bytes and checks."""
    info = files[path]
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        data = read_entry(archive, info)  # rare methods: inflated here
        return path, zipfile.ZIP_STORED, data, zlib.crc32(data), len(data)
    raw = raw_bytes(archive, info)
    return path, info.compress_type, raw, info.CRC, info.file_size


def read_chunk(tasks: list[tuple]) -> list[tuple[tuple[str, object], bool]]:
    """Run in a worker: for each task, its outcome as a strict file and whether the
    file is an item (a file a test merely lists is skipped when it is not)."""
    return [_read_task(*task) for task in tasks]


def _read_task(path, method, payload, crc, size) -> tuple[tuple[str, object], bool]:
    data = inflate(path, method, payload, crc, size)
    known = TEMPLATES.read(data)
    if known is not None:
        return known, True
    try:
        parsed = parse_item(data)
    except QtiError as exc:
        return read_root(exc, path, True), False
    outcome = read_root(parsed, path, True)
    if outcome[0] == "item":
        TEMPLATES.learn(data, outcome[1], parsed[1])
    return outcome, localname(parsed[0]) in ITEM_ROOTS
