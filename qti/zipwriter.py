"""A streaming ZIP writer for packages of many small files.

``zipfile`` spends more time on its per-entry bookkeeping than on compressing a
2 KB item file; this writer compresses each entry in one call and keeps only a small
record per entry for the central directory. Past ``POOL_AFTER`` entries (a large
export), entries are compressed in chunks on worker processes (``qti.parallel``),
so compression runs on the other cores while the caller builds the next items; the
bytes are the same either way. (A thread did not help: each compressed entry hands
the GIL back and forth, and the two threads ran one after the other.) Entries
whose size is not known up front (media streams) are written with a data
descriptor. ZIP64 end records are written past 65,535 entries; single entries and
offsets must stay under 4 GiB.
"""

from __future__ import annotations

import contextlib
import shutil
import struct
import sys
import zlib
from collections import deque
from collections.abc import Iterator
from typing import BinaryIO

from qti.errors import QtiError
from qti.parallel import CHUNK, Pool, default_workers

_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_DESCRIPTOR = struct.Struct("<4s3L")
_END = struct.Struct("<4s4H2LH")
_END64 = struct.Struct("<4sQ2H2L4Q")
_LOCATOR64 = struct.Struct("<4sLQL")
_DOS_DATE = (1980 - 1980) << 9 | 1 << 5 | 1  # 1980-01-01, for reproducible bytes
_DEFLATED, _UTF8, _DATA_DESCRIPTOR = 8, 0x800, 0x8
_VERSION = 20
_MADE_BY = 3 << 8 | _VERSION  # Unix, so the external attributes are a file mode
_MODE = 0o100644 << 16
_LIMIT = 0xFFFFFFFF
#: Streams up to this size are read into memory and written with their sizes known.
SMALL_BYTES = 16 * 1024 * 1024
#: Entries written in this process before the rest go to worker processes: two
#: workers starting (~50 ms of CPU each) cost more than they save below ~2,000.
POOL_AFTER = 2000


def _deflate(data: bytes, level: int) -> tuple[int, bytes]:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return zlib.crc32(data), compressor.compress(data) + compressor.flush()


def deflate_chunk(task: tuple[int, list[bytes]]) -> list[tuple[int, bytes]]:
    """Run on a worker process: the CRC and raw deflate of each entry of a chunk."""
    level, datas = task
    return [_deflate(data, level) for data in datas]


class ZipWriter:
    """Write a ZIP archive to a binary stream, entry by entry, in order."""

    def __init__(
        self,
        stream: BinaryIO,
        level: int = 6,
        workers: int | None = None,
        pool_after: int = POOL_AFTER,
    ):
        """``workers``: processes compressing past ``pool_after`` entries (default:
        one per usable core; fewer than 2 compresses everything in this process)."""
        self.stream, self.level = stream, level
        self.offset = 0
        self.names: set[str] = set()
        #: (name, crc, compressed size, size, offset, flags) per entry.
        self.entries: list[tuple[bytes, int, int, int, int, int]] = []
        self.workers = default_workers() if workers is None else workers
        self.pool_after = pool_after
        self.pool: Pool | None = None
        #: Entries waiting to be sent to the pool, and the chunks being compressed.
        self.batch: list[tuple[bytes, bytes]] = []
        self.pending: deque[list[tuple[bytes, int]]] = deque()

    def __enter__(self) -> ZipWriter:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.close()
        elif self.pool is not None:
            self.pool.__exit__()  # chunks left unread: the workers are killed

    def write(self, name: str, data: bytes) -> None:
        """Add the file ``name`` with the contents ``data``."""
        encoded = self._name(name)
        if self.pool is None and len(self.entries) == self.pool_after:
            self.pool = self._start_pool()
        if self.pool is None:
            self._store(encoded, len(data), *_deflate(data, self.level))
            return
        self.batch.append((encoded, data))
        if len(self.batch) >= CHUNK:
            self._submit()

    def _start_pool(self) -> Pool | None:
        """Worker processes for the entries to come, or None (compress here)."""
        if self.workers < 2 or not sys.executable:
            return None
        try:
            return Pool(self.workers)
        except OSError:  # no interpreter to start (embedded Python)
            self.workers = 0
            return None

    def _submit(self) -> None:
        """Send the waiting entries to be compressed; write chunks past the window."""
        if self.batch:
            batch, self.batch = self.batch, []
            task = (self.level, [data for _, data in batch])
            self.pool.submit("qti.zipwriter:deflate_chunk", task)
            self.pending.append([(name, len(data)) for name, data in batch])
        while len(self.pending) >= self.pool.window:
            self._write_next()

    def _write_next(self) -> None:
        entries = self.pending.popleft()
        compressed = self.pool.receive()
        for (name, size), (crc, data) in zip(entries, compressed, strict=True):
            self._store(name, size, crc, data)

    def write_stream(self, name: str, source: BinaryIO) -> None:
        """Add the file ``name``, copied from the binary stream ``source``.

        Streams up to ``SMALL_BYTES`` are read whole and written like bytes, so the
        same content gives the same archive whichever way it was handed over.
        """
        head = source.read(SMALL_BYTES + 1)
        if len(head) <= SMALL_BYTES:
            self.write(name, head)
            return
        with self.open(name) as target:
            target.write(head)
            shutil.copyfileobj(source, target)

    @contextlib.contextmanager
    def open(self, name: str) -> Iterator[_Deflating]:
        """Return a writable file for the entry ``name`` (sizes follow the data)."""
        encoded = self._name(name)
        self._drain()
        offset, flags = self.offset, _UTF8 | _DATA_DESCRIPTOR
        self._emit(_LOCAL.pack(b"PK\3\4", _VERSION, flags, _DEFLATED, 0, _DOS_DATE,
                               0, 0, 0, len(encoded), 0) + encoded)  # fmt: skip
        target = _Deflating(self, self.level)
        yield target
        crc, compressed, size = target.finish()
        self._emit(_DESCRIPTOR.pack(b"PK\7\10", crc, compressed, size))
        self.entries.append((encoded, crc, compressed, size, offset, flags))

    def close(self) -> None:
        """Write the central directory and the end records."""
        self._drain()
        if self.pool is not None:
            self.pool.__exit__()
            self.pool = None
        start = self.offset
        for name, crc, compressed, size, offset, flags in self.entries:
            self._emit(_CENTRAL.pack(b"PK\1\2", _MADE_BY, _VERSION, flags, _DEFLATED,
                                     0, _DOS_DATE, crc, compressed, size, len(name),
                                     0, 0, 0, 0, _MODE, offset) + name)  # fmt: skip
        self._end(start, self.offset - start)

    def _end(self, start: int, length: int) -> None:
        count = len(self.entries)
        if count >= 0xFFFF:
            end64 = self.offset
            self._emit(_END64.pack(b"PK\6\6", 44, 45, 45, 0, 0, count, count,
                                   length, start))  # fmt: skip
            self._emit(_LOCATOR64.pack(b"PK\6\7", 0, end64, 1))
        small = min(count, 0xFFFF)
        self._emit(_END.pack(b"PK\5\6", 0, 0, small, small, length, start, 0))

    def _name(self, name: str) -> bytes:
        if name in self.names:
            raise QtiError(f"Tệp {name} đã có trong gói.", "package")
        self.names.add(name)
        return name.encode("utf-8")

    def _drain(self) -> None:
        """Write every entry still waiting or being compressed, in order."""
        if self.pool is not None:
            self._submit()
        while self.pending:
            self._write_next()

    def _store(self, name: bytes, size: int, crc: int, compressed: bytes) -> None:
        offset = self.offset
        self._emit(_LOCAL.pack(b"PK\3\4", _VERSION, _UTF8, _DEFLATED, 0, _DOS_DATE,
                               crc, len(compressed), size, len(name), 0) + name)  # fmt: skip
        self._emit(compressed)
        self.entries.append((name, crc, len(compressed), size, offset, _UTF8))

    def _emit(self, data: bytes) -> None:
        if self.offset + len(data) > _LIMIT:
            raise QtiError(
                "Gói vượt 4 GiB; hãy xuất thành nhiều gói nhỏ hơn.", "package"
            )
        self.stream.write(data)
        self.offset += len(data)


class _Deflating:
    """A write-only file that deflates what it receives into a ``ZipWriter``."""

    def __init__(self, writer: ZipWriter, level: int):
        self.writer = writer
        self.compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
        self.crc = self.size = self.compressed = 0

    def write(self, data: bytes) -> int:
        """Compress and emit one chunk."""
        self.crc = zlib.crc32(data, self.crc)
        self.size += len(data)
        self._emit(self.compressor.compress(data))
        return len(data)

    def finish(self) -> tuple[int, int, int]:
        """Flush; return (crc, compressed size, size)."""
        self._emit(self.compressor.flush())
        if self.size > _LIMIT:
            raise QtiError("Một tệp trong gói vượt 4 GiB.", "package")
        return self.crc, self.compressed, self.size

    def _emit(self, data: bytes) -> None:
        self.compressed += len(data)
        self.writer._emit(data)
