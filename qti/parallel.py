"""Run chunks of package work on worker processes (both cores), results in order.

Reading and writing a package is the same small job per item, thousands of times;
one Python process uses one core. ``Pool.map`` hands chunks of a few hundred items
to worker processes and yields their results in the order given, with at most
``IN_FLIGHT`` chunks per worker sent ahead (memory stays flat). Workers are fresh
interpreters started with ``subprocess`` (``python -c``, running ``serve``) and fed
pickled chunks through pipes: nothing of the caller is forked or re-imported, so
callers may run threads (the service's background jobs) and scripts need no
``__main__`` guard. An error raised in a worker reaches the caller as the same
exception; a worker that dies raises ``QtiError``.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pickle
import queue
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path

from qti.errors import QtiError

#: Items a package needs before its work goes to other processes (starting a
#: worker costs ~0.15 s of CPU; small packages stay in the calling process).
THRESHOLD = 2000
#: Items per chunk sent to a worker, and chunks per worker sent ahead at most.
CHUNK = 200
IN_FLIGHT = 2
_SIZE = 8
_ROOT = str(Path(__file__).resolve().parents[1])
#: The worker's program: this package first on the path, the current folder not on it.
_START = (
    "import sys; sys.path[:] = [sys.argv[1]] + [p for p in sys.path if p]; "
    "from qti.parallel import serve; serve()"
)


def default_workers() -> int:
    """The number of worker processes a large package uses (the usable cores)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class Pool:
    """``count`` worker processes, started at once (they boot while the caller works).

    ``submit`` sends a chunk to the next worker in turn; ``receive`` returns the
    result of the oldest chunk not yet received (results come back in order).
    """

    def __init__(self, count: int):
        self.workers: list[_Worker] = []
        try:
            for _ in range(count):
                self.workers.append(_Worker())
        except OSError:
            self.__exit__()  # the ones started end
            raise
        self.sent = 0
        self.waiting: deque[_Worker] = deque()
        self.window = count * IN_FLIGHT

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc_info) -> None:
        for worker in self.workers:
            worker.stop()

    def submit(self, function: str, chunk: list) -> None:
        """Send ``chunk`` to be run by ``function`` (``"qti.module:function"``)."""
        worker = self.workers[self.sent % len(self.workers)]
        self.sent += 1
        worker.send((function, chunk))
        self.waiting.append(worker)

    def receive(self):
        """Return the result of the oldest chunk sent (or raise its error)."""
        return self.waiting.popleft().receive()

    def map(self, function: str, chunks: Iterable[list]) -> Iterator:
        """Yield ``function(chunk)`` for each chunk, in order, ``window`` chunks ahead."""
        for chunk in chunks:
            self.submit(function, chunk)
            if len(self.waiting) >= self.window:
                yield self.receive()
        while self.waiting:
            yield self.receive()


class _Worker:
    """One worker process, with a thread writing its chunks and one reading results.

    The threads keep the pipes flowing while the caller does other work (reading
    the manifest), and pipes never deadlock.
    """

    def __init__(self):
        self.process = subprocess.Popen(
            [sys.executable, "-c", _START, _ROOT],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self.outbox: queue.Queue = queue.Queue()
        self.inbox: queue.Queue = queue.Queue()
        self.outstanding = 0
        self.threads = [
            threading.Thread(target=self._feed, daemon=True),
            threading.Thread(target=self._collect, daemon=True),
        ]
        for thread in self.threads:
            thread.start()

    def send(self, task) -> None:
        self.outbox.put(pickle.dumps(task, pickle.HIGHEST_PROTOCOL))
        self.outstanding += 1

    def _feed(self) -> None:
        while (data := self.outbox.get()) is not None:
            try:
                _write(self.process.stdin, data)
            except OSError:  # the worker died: receive() reports it
                return

    def _collect(self) -> None:
        while (data := _read(self.process.stdout)) is not None:
            self.inbox.put(data)
        self.inbox.put(None)

    def receive(self):
        """Return the result of the oldest chunk sent (or raise its error)."""
        data = self.inbox.get()
        if data is None:
            self.inbox.put(None)  # the worker has ended: so will later calls
            raise QtiError(
                "Tiến trình phụ xử lý gói đã dừng bất thường; hãy thử lại.", "package"
            )
        self.outstanding -= 1
        ok, value = pickle.loads(data)
        if not ok:
            raise value
        return value

    def stop(self) -> None:
        """End the worker: at once when results are left unread, else once it is idle."""
        if self.outstanding:
            self.process.kill()  # the caller stopped early or failed
        self.outbox.put(None)
        self.threads[0].join()
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.threads[1].join()
        self.process.stdout.close()


def _write(stream, data: bytes) -> None:
    stream.write(len(data).to_bytes(_SIZE, "little") + data)
    stream.flush()


def _read(stream) -> bytes | None:
    head = stream.read(_SIZE)
    if len(head) < _SIZE:
        return None
    data = stream.read(int.from_bytes(head, "little"))
    return data if len(data) == int.from_bytes(head, "little") else None


def serve() -> None:
    """The worker's loop: read a chunk, run it, write the result, until the pipe ends."""
    source, target = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the results
    while (data := _read(source)) is not None:
        function, chunk = pickle.loads(data)
        try:
            result = (True, _function(function)(chunk))
        except Exception as exc:  # handed to the caller, raised there
            result = (False, exc)
        try:
            data = pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # an error that cannot travel: its message does
            error = QtiError(f"Lỗi trong tiến trình phụ: {exc}", "package")
            data = pickle.dumps((False, error), pickle.HIGHEST_PROTOCOL)
        _write(target, data)


def _function(name: str):
    module, _, attribute = name.partition(":")
    if not module.startswith("qti."):
        raise QtiError(f"Không chạy được {name} trong tiến trình phụ.", "package")
    return getattr(importlib.import_module(module), attribute)
