"""Streams around an upload: a probe that keeps its first and last bytes as it passes."""

import os
import queue
import shutil
import tempfile
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from werkzeug.exceptions import HTTPException

from repo_server.errors import RepoError
from storage import Storage

#: Bytes kept from the start of a file: enough for every magic number we know.
HEAD_BYTES = 64 * 1024
#: Bytes kept from the end: a ZIP's central directory usually fits.
TAIL_BYTES = 1024 * 1024
#: Copies of remote blobs for text extraction stay in memory up to this size.
SPOOL_BYTES = 16 * 1024 * 1024


class Probe:
    """Read a stream through, keeping its head (read at once) and its tail."""

    def __init__(self, stream: BinaryIO):
        """Read the head now, so the type is known before anything is stored."""
        self._stream = stream
        self.head = _read_up_to(stream, HEAD_BYTES)
        self._pending = self.head
        self._tail: deque[bytes] = deque()
        self._tail_size = 0
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        """Return the next bytes: the head first, then the stream."""
        if self._pending:
            chunk, self._pending = self._pending, b""
        else:
            chunk = self._stream.read(size)
        self._remember(chunk)
        return chunk

    def _remember(self, chunk: bytes) -> None:
        """Count ``chunk`` and keep it while it is among the last TAIL_BYTES."""
        self.size += len(chunk)
        if not chunk:
            return
        self._tail.append(chunk)
        self._tail_size += len(chunk)
        while self._tail_size - len(self._tail[0]) >= TAIL_BYTES:
            self._tail_size -= len(self._tail.popleft())

    @property
    def tail(self) -> bytes:
        """Return the last bytes read (at most TAIL_BYTES)."""
        return b"".join(self._tail)[-TAIL_BYTES:]


class FileProbe:
    """The head, tail and size of a complete local file, as Probe gives of a stream."""

    def __init__(self, path: str):
        """Read the first HEAD_BYTES and the last TAIL_BYTES of ``path``."""
        with open(path, "rb") as source:
            self.head = source.read(HEAD_BYTES)
            self.size = source.seek(0, os.SEEK_END)
            source.seek(max(0, self.size - TAIL_BYTES))
            self.tail = source.read(TAIL_BYTES)


class Prefetch:
    """Read a stream ahead in a thread, so the network and the storage work at once.

    Reading a request body and parsing it hold the GIL; hashing and writing release
    it, so the two overlap. At most ``depth`` chunks wait in memory.
    """

    _END = object()

    def __init__(self, stream: BinaryIO, chunk_size: int = 1024 * 1024, depth=8):
        """Start reading ``stream`` in the background."""
        self._queue: queue.Queue = queue.Queue(depth)
        self._stop = threading.Event()
        self._pending = b""
        self._thread = threading.Thread(
            target=self._fill, args=(stream, chunk_size), daemon=True
        )
        self._thread.start()

    def _fill(self, stream: BinaryIO, chunk_size: int) -> None:
        """Queue chunks until the end; hand over an error to the reading thread."""
        item: object = RuntimeError("the upload reader stopped unexpectedly")
        try:
            while not self._stop.is_set():
                chunk = stream.read(chunk_size)
                if not chunk:
                    item = self._END
                    break
                self._put(chunk)
        except (OSError, ValueError, HTTPException, RepoError) as exc:
            item = exc  # raised again where the bytes are read (the request thread)
        finally:
            self._put(item)

    def _put(self, item: object) -> None:
        """Queue ``item`` unless the reader has gone away."""
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.5)
                return
            except queue.Full:
                continue

    def read(self, size: int = -1) -> bytes:
        """Return the next bytes (maybe fewer than ``size``); ``b""`` at the end."""
        if not self._pending:
            item = self._queue.get()
            if isinstance(item, BaseException):
                self._queue.put(item)  # stays the answer to every later read
                raise item
            if item is self._END:
                self._queue.put(item)
                return b""
            self._pending = item
        size = len(self._pending) if size < 0 else size
        chunk, self._pending = self._pending[:size], self._pending[size:]
        return chunk

    def close(self) -> None:
        """Stop reading ahead and wait for the thread."""
        self._stop.set()
        while not self._queue.empty():
            self._queue.get_nowait()
        self._thread.join(timeout=5)

    def __enter__(self) -> "Prefetch":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


def _read_up_to(stream: BinaryIO, size: int) -> bytes:
    """Read ``size`` bytes unless the stream ends first (reads may come back short)."""
    parts, left = [], size
    while left > 0 and (chunk := stream.read(left)):
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


def read_range(storage: Storage, key: str, start: int) -> bytes:
    """Return the bytes of a blob from ``start`` to its end."""
    with storage.open_range(key, start) as body:
        return body.read()


@contextmanager
def seekable_copy(storage: Storage, key: str, spool_dir: str) -> Iterator[BinaryIO]:
    """Open a blob for random access: directly if the backend allows, else a copy."""
    stream = storage.open(key)
    if stream.seekable():
        with stream:
            yield stream
        return
    os.makedirs(spool_dir, exist_ok=True)
    with stream, tempfile.SpooledTemporaryFile(SPOOL_BYTES, dir=spool_dir) as copy:
        shutil.copyfileobj(stream, copy, 1024 * 1024)
        copy.seek(0)
        yield copy
