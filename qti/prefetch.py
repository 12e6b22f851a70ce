"""Read and parse package entries ahead, on a worker thread, in the order asked.

zlib and libxml2 run without the GIL, so while the caller turns one parsed item into
an ``Item`` (Python work), the worker decompresses and parses the next ones. At most
``depth`` parsed entries wait in the queue: memory stays flat in the package size.
"""

from __future__ import annotations

import queue
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator

from lxml import etree

from qti.entries import read_direct
from qti.errors import QtiError
from qti.parser import parse_xml

#: What the worker hands over for each path: what ``parse`` returns (a parsed root by
#: default), the parse error, or None when the package has no such file.
Parsed = etree._Element | tuple | QtiError | None
_DONE = object()
#: Parsed entries handed over at a time.
BATCH = 8


def parsed_entries(
    archive: zipfile.ZipFile,
    files: dict[str, zipfile.ZipInfo],
    paths: Iterable[str],
    depth: int = 64,
    threads: bool = True,
    parse: Callable[[bytes], object] = parse_xml,
) -> Iterator[tuple[str, Parsed]]:
    """Yield ``(path, parse(data))`` for each path, in order, parsed ahead by a worker.

    A package entry that cannot be read (corrupted data) raises ``QtiError`` here,
    in the caller's thread: the package is refused as a whole.
    """
    if not threads:
        for path in paths:
            yield path, _parse(archive, files, path, parse)
        return
    ahead = _Worker(archive, files, paths, depth, parse)
    try:
        yield from ahead
    finally:
        ahead.stop()


def _parse(archive, files, path: str, parse) -> Parsed:
    info = files.get(path)
    if info is None:
        return None
    data = read_direct(archive, info)  # raises for the whole package
    try:
        return parse(data)
    except QtiError as exc:
        return exc


class _Worker:
    """A thread that fills a bounded queue with parsed entries."""

    def __init__(self, archive, files, paths: Iterable[str], depth: int, parse):
        # Entries travel in batches: one queue hand-over (locks, a thread wake-up)
        # per BATCH entries instead of per entry.
        self.queue: queue.Queue = queue.Queue(maxsize=max(depth // BATCH, 1))
        self.stopped = threading.Event()
        self.thread = threading.Thread(
            target=self._run, args=(archive, files, list(paths), parse), daemon=True
        )
        self.thread.start()

    def _run(self, archive, files, paths: list[str], parse) -> None:
        batch = []
        try:
            for path in paths:
                batch.append((path, _parse(archive, files, path, parse)))
                if len(batch) == BATCH:
                    if not self._put(batch):
                        return
                    batch = []
        except BaseException as exc:  # handed to the caller's thread, raised there
            self._put(batch)
            self._put(exc)
            return
        self._put(batch)
        self._put(_DONE)

    def _put(self, entry) -> bool:
        """Queue ``entry`` unless the caller stopped listening; tell which."""
        while not self.stopped.is_set():
            try:
                self.queue.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def __iter__(self) -> Iterator[tuple[str, Parsed]]:
        while True:
            entry = self.queue.get()
            if entry is _DONE:
                return
            if isinstance(entry, BaseException):
                raise entry
            yield from entry

    def stop(self) -> None:
        """Stop the worker (the caller is done or failed) and wait for it."""
        self.stopped.set()
        self.thread.join()
