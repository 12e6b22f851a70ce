"""Stream helpers shared by the backends: chunked hashing and bounded reads."""

from __future__ import annotations

import ctypes
import hashlib
import io
import os
import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import BinaryIO

from storage import StorageLimitError, StoredFile

#: Read size while copying; big enough to be fast, small enough to stay lean.
CHUNK_SIZE = 1024 * 1024


class Digest:
    """Running size and SHA-256 of a stream, enforcing an optional size limit.

    Past the first ``INLINE_BYTES`` the hashing moves to a helper thread: SHA-256
    releases the GIL, so a large upload is hashed while it is written, not after.
    """

    #: Small files are hashed inline; a thread only pays off for large streams.
    INLINE_BYTES = 8 * 1024 * 1024

    def __init__(
        self, max_size: int | None = None, sha=None, inline_bytes: int | None = None
    ) -> None:
        """Start empty, or go on hashing into ``sha``; ``max_size`` None: unlimited."""
        self._sha = hashlib.sha256() if sha is None else sha
        self._hasher: _Hasher | None = None
        self.size = 0
        self.max_size = max_size
        self.inline_bytes = self.INLINE_BYTES if inline_bytes is None else inline_bytes

    def update(self, chunk: bytes) -> None:
        """Account for ``chunk``; raise StorageLimitError past ``max_size``."""
        self.size += len(chunk)
        if self.max_size is not None and self.size > self.max_size:
            self.close()
            raise StorageLimitError(self.max_size)
        if self._hasher is None and self.size > self.inline_bytes:
            self._hasher = _Hasher(self._sha)
        if self._hasher is None:
            self._sha.update(chunk)
        else:
            self._hasher.feed(_frozen(chunk))

    def close(self) -> None:
        """Stop the helper thread (if any); the digest is final afterwards."""
        if self._hasher is not None:
            self._hasher.finish()
            self._hasher = None

    @property
    def hexdigest(self) -> str:
        """Return the SHA-256 hex digest of everything seen so far."""
        self.close()
        return self._sha.hexdigest()

    @classmethod
    def of_file(
        cls, path: str, max_size: int | None = None, sha256: str | None = None
    ) -> Digest:
        """Return the digest of a whole local file (checking its size first).

        ``sha256`` is the file's digest when the caller computed it as the file was
        written; the file is then not read again.
        """
        size = os.path.getsize(path)
        if max_size is not None and size > max_size:
            raise StorageLimitError(max_size)
        if sha256 is not None:
            digest = cls(max_size, sha=_KnownHash(sha256))
        else:
            with open(path, "rb") as source:
                digest = cls(max_size, sha=hashlib.file_digest(source, "sha256"))
        digest.size = size
        return digest

    def stored(self, key: str, content_type: str) -> StoredFile:
        """Describe the finished stream as stored under ``key``."""
        return StoredFile(key, self.size, self.hexdigest, content_type)

    def __enter__(self) -> Digest:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()  # a failed upload must not leave its hashing thread waiting


class _KnownHash:
    """A digest computed earlier, standing in for a hash object."""

    def __init__(self, hexdigest: str) -> None:
        """Keep a 64-character lowercase hex SHA-256."""
        if len(hexdigest) != 64 or hexdigest.strip("0123456789abcdef"):
            raise ValueError("not a SHA-256 hex digest")
        self._hexdigest = hexdigest

    def hexdigest(self) -> str:
        """Return the digest given."""
        return self._hexdigest


def _frozen(chunk: bytes | bytearray | memoryview) -> bytes | memoryview:
    """Return ``chunk`` itself if nobody can change it later, else a copy."""
    if isinstance(chunk, bytes) or (isinstance(chunk, memoryview) and chunk.readonly):
        return chunk  # the hashing thread reads it later: it must not change
    return bytes(chunk)


class _Hasher:
    """A thread feeding chunks to one hash object, at most ``depth`` chunks behind."""

    _END = b""

    def __init__(self, sha, depth: int = 4) -> None:
        """Start the thread that owns ``sha`` until ``finish``."""
        self._queue: queue.Queue[bytes | memoryview] = queue.Queue(depth)
        self._thread = threading.Thread(target=self._run, args=(sha,), daemon=True)
        self._thread.start()

    def _run(self, sha) -> None:
        """Hash queued chunks until the end marker."""
        while chunk := self._queue.get():
            sha.update(chunk)

    def feed(self, chunk: bytes | memoryview) -> None:
        """Queue ``chunk`` (blocks while the thread is ``depth`` chunks behind)."""
        if chunk:
            self._queue.put(chunk)

    def finish(self) -> None:
        """Send the end marker and wait until every chunk is hashed."""
        self._queue.put(self._END)
        self._thread.join()


def _libc_sync_file_range():
    """Return libc's ``sync_file_range`` (Linux), or None where there is none."""
    try:
        function = ctypes.CDLL(None, use_errno=True).sync_file_range
    except (AttributeError, OSError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint]
    return function


_SYNC_FILE_RANGE = _libc_sync_file_range()
SYNC_FILE_RANGE_WRITE = 2


def start_writeback(fd: int, offset: int, length: int) -> None:
    """Ask the kernel to start writing ``length`` bytes at ``offset`` to disk; no wait.

    ``sync_file_range(SYNC_FILE_RANGE_WRITE)`` keeps the pages cached, so a file read
    back soon after (hashed, linked, extracted) comes from memory. Where it is missing,
    ``POSIX_FADV_DONTNEED`` also starts writeback but drops the pages it finds clean.
    """
    if _SYNC_FILE_RANGE is not None:
        _SYNC_FILE_RANGE(fd, offset, length, SYNC_FILE_RANGE_WRITE)  # a hint: no check
    elif hasattr(os, "posix_fadvise"):
        os.posix_fadvise(fd, offset, length, os.POSIX_FADV_DONTNEED)


class Writeback:
    """Start writing a file's new pages to disk while more arrive.

    A stored file is fsynced before it is listed; left alone, the kernel keeps a
    large upload's pages dirty until that fsync, which then waits for the whole file
    (and writers are throttled meanwhile). Asking for writeback every ``every`` bytes
    overlaps the disk with the network (``start_writeback``).
    """

    def __init__(self, fd: int, start: int = 0, every: int = 32 * 1024 * 1024) -> None:
        """Watch writes to ``fd`` from offset ``start`` on."""
        self._fd, self._start, self._every, self._pending = fd, start, every, 0

    def wrote(self, count: int) -> None:
        """Account for ``count`` bytes just written at the end of the file."""
        self._pending += count
        if self._pending >= self._every:
            self.start_now()

    def start_now(self) -> None:
        """Ask for writeback of the bytes written since the last request, if any."""
        if self._pending:
            start_writeback(self._fd, self._start, self._pending)
            self._start, self._pending = self._start + self._pending, 0


def iter_chunks(
    stream: BinaryIO, digest: Digest, chunk_size: int = CHUNK_SIZE
) -> Iterator[bytes]:
    """Yield ``stream`` in chunks, feeding each to ``digest`` first."""
    while chunk := stream.read(chunk_size):
        digest.update(chunk)
        yield chunk


@contextmanager
def undo_on_error(undo: Callable[[], None]) -> Iterator[None]:
    """Run ``undo`` if the block exits with any exception (then re-raise it)."""
    finished = False
    try:
        yield
        finished = True
    finally:
        if not finished:
            undo()


class RangeReader(io.RawIOBase):
    """A raw reader that stops after ``length`` bytes of an open file."""

    def __init__(self, raw: BinaryIO, length: int) -> None:
        """Wrap ``raw`` (already positioned) and read at most ``length`` bytes."""
        super().__init__()
        self._raw = raw
        self._left = length

    def readable(self) -> bool:
        """Tell io that this reader can read."""
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        """Fill ``buffer`` from the underlying file without passing the limit."""
        if self._left <= 0:
            return 0
        view = memoryview(buffer)[: self._left]
        count = self._raw.readinto(view)  # type: ignore[attr-defined]
        self._left -= count
        return count

    def close(self) -> None:
        """Close the underlying file too."""
        self._raw.close()
        super().close()


def check_range(start: int, end: int | None) -> None:
    """Raise ValueError unless ``start``/``end`` describe a valid byte range."""
    if start < 0 or (end is not None and end < start):
        raise ValueError("invalid byte range")
