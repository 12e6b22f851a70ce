"""Move upload bytes from the client socket into a file in the kernel (splice).

Under gunicorn a large upload can go socket → pipe → file without entering Python:
one kernel copy, where ``recv`` then ``write`` make two plus the interpreter's work.
Multipart bodies are spliced whole into a file in UPLOAD_DIR while this thread reads
the file back behind the writer, scans it for the closing delimiter and hashes the
data, so the file can be linked into local storage under its hash without a second
read. Chunks of resumable uploads are spliced into their part file.
"""

import fcntl
import hashlib
import os
import select
import threading
from contextlib import contextmanager
from typing import NamedTuple

from repo_server.files.multipart import DelimiterScan, MultipartFile, malformed
from repo_server.files.socket_body import SocketBody, disconnected, stalled
from storage import StorageError
from storage.streams import Writeback

#: Bytes moved per splice call and read back per scan (the pipe holds one call's).
STEP = 1024 * 1024
F_SETPIPE_SZ = 1031  # fcntl.F_SETPIPE_SZ, named there only from Python 3.10 on Linux
#: How often a wait for the client looks whether the reader gave up.
POLL_MS = 500


class Received(NamedTuple):
    """A complete uploaded file on local disk, hashed while it was received."""

    path: str
    size: int
    sha256: str


def available(body) -> bool:
    """Tell whether ``body`` comes straight from a socket this system can splice."""
    return hasattr(os, "splice") and isinstance(body, SocketBody)


def splice_body(
    body: SocketBody, fd: int, count: int, idle: float, moved=None, stop=None
):
    """Move the next ``count`` body bytes to ``fd`` at its position.

    ``moved(n)`` is told of every step; a set ``stop`` event ends the move early.
    """
    prefix = body.take_prefix(count)
    _write_all(fd, prefix)
    left = count - len(prefix)
    if moved and prefix:
        moved(len(prefix))
    pipe_out, pipe_in = os.pipe2(os.O_CLOEXEC)
    try:
        _widen(pipe_in)
        while left > 0 and not (stop and stop.is_set()):
            step = _splice_step(body, pipe_in, min(left, STEP), idle, stop)
            _drain(pipe_out, fd, step)
            left -= step
            if moved:
                moved(step)
    except BaseException:
        body.fail()  # where the next request starts is unknown
        raise
    finally:
        os.close(pipe_out), os.close(pipe_in)


def _splice_step(body: SocketBody, pipe_in: int, size: int, idle: float, stop) -> int:
    """Move up to ``size`` bytes from the socket into the pipe, waiting ``idle`` at most."""
    sock = body.socket.fileno()
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    waited = 0.0
    while not poller.poll(POLL_MS):
        waited += POLL_MS / 1000
        if waited >= idle or (stop and stop.is_set()):
            raise stalled()
    try:
        step = os.splice(sock, pipe_in, size)
    except BlockingIOError as exc:
        raise stalled() from exc
    except OSError as exc:
        raise disconnected() from exc
    if not step:
        raise disconnected()
    body.consumed(step)
    return step


def _widen(pipe_in: int) -> None:
    """Let the pipe hold one whole step (the default is 64 KiB)."""
    try:
        fcntl.fcntl(pipe_in, F_SETPIPE_SZ, STEP)
    except OSError:
        pass  # a lower system limit only means more, smaller steps


def _drain(pipe_out: int, fd: int, count: int) -> None:
    """Move ``count`` bytes from the pipe to the file."""
    with _disk_errors():
        while count > 0:
            count -= os.splice(pipe_out, fd, count)


def _write_all(fd: int, data) -> None:
    """Write all of ``data`` to ``fd``."""
    view = memoryview(data)
    with _disk_errors():
        while view:
            view = view[os.write(fd, view) :]


@contextmanager
def _disk_errors():
    """Turn a failed write (a full disk) into the storage error the service reports."""
    try:
        yield
    except OSError as exc:
        raise StorageError(f"Không ghi được tệp tải lên vào đĩa: {exc}") from exc


def receive_file(
    source: MultipartFile, path: str, head: bytes, idle: float
) -> Received:
    """Receive the rest of the file part into the new file ``path`` (``head`` first)."""
    body, scan = source.socket_rest()
    with _disk_errors():
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    try:
        sha = hashlib.sha256(head)
        _write_all(fd, head)
        size = len(head) + _take_ready(scan, sha, fd)
        if scan.done:  # the file ended within what was read already
            return Received(path, size, sha.hexdigest())
        _write_all(fd, scan.held)  # raw bytes the scan judges once more arrive
        size = _scan_behind(
            _Splicer(body, fd, size + len(scan.held), idle), scan, sha, size
        )
        os.ftruncate(fd, size)  # drop the delimiter and whatever followed the file
    finally:
        os.close(fd)
    return Received(path, size, sha.hexdigest())


def _take_ready(scan: DelimiterScan, sha, fd: int) -> int:
    """Write and hash the data the scan released already; return its length."""
    size = 0
    while piece := scan.pop():
        sha.update(piece)
        _write_all(fd, piece)
        size += len(piece)
    return size


def _scan_behind(splicer: "_Splicer", scan: DelimiterScan, sha, size: int) -> int:
    """Scan and hash the file behind the splicer until the delimiter; return the size."""
    buffer = bytearray(STEP)
    view, offset = memoryview(buffer), splicer.written
    # Writeback is asked for behind this reader: the hint may drop clean pages, and
    # pages not read yet would then come back from the disk.
    writeback = Writeback(splicer.fd, offset)
    splicer.start()
    try:
        while not scan.done:
            ready = splicer.wait_for(offset, STEP)
            count = os.preadv(splicer.fd, [view[:ready]], offset)
            scan.feed(buffer if count == STEP else bytes(view[:count]))
            while piece := scan.pop():  # views of ``buffer``: hashed before reuse
                sha.update(piece)
                size += len(piece)
            offset += count
            writeback.wrote(count)
    except BaseException:
        splicer.stop.set()
        raise
    finally:
        splicer.join()
    return size


class _Splicer(threading.Thread):
    """Splice the rest of the body into a file, telling readers how far it got."""

    def __init__(self, body: SocketBody, fd: int, written: int, idle: float):
        """Append to ``fd``, which holds ``written`` bytes already."""
        super().__init__(daemon=True)
        self.body, self.fd, self.idle, self.written = body, fd, idle, written
        self.stop, self.error, self.finished = threading.Event(), None, False
        self._changed = threading.Condition()

    def run(self) -> None:
        """Move every remaining body byte, then wake the reader for good."""
        try:
            splice_body(
                self.body,
                self.fd,
                self.body.remaining,
                self.idle,
                self._moved,
                self.stop,
            )
        except BaseException as exc:  # handed to the request thread
            self.error = exc
        finally:
            with self._changed:
                self.finished = True
                self._changed.notify()

    def _moved(self, count: int) -> None:
        """Publish ``count`` more bytes in the file."""
        with self._changed:
            self.written += count
            self._changed.notify()

    def wait_for(self, offset: int, want: int) -> int:
        """Wait until ``want`` bytes past ``offset`` are in the file (or the end)."""
        with self._changed:
            self._changed.wait_for(
                lambda: self.finished or self.written - offset >= want
            )
            ready = min(want, self.written - offset)
        if ready > 0:
            return ready
        raise self.error or malformed()  # the body ended before the closing delimiter
