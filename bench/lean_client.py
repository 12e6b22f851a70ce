"""An HTTP client that moves file bytes in the kernel, for the storage benchmark.

The benchmark's client runs on the same two cores as the server; in production it is
another machine. curl spends ~0.5 s of CPU per GiB copying the file through user
space, which the server then lacks. This client sends a file with ``sendfile`` and
writes a download with ``splice``, so the figures show the server, not the client.
Plain HTTP/1.1 with Content-Length only (what the service and S3 answer).
"""

import json
import os
import socket
import threading
from pathlib import Path
from urllib.parse import urlsplit

STEP = 1024 * 1024
BOUNDARY = "----bench-lean-boundary"


class Connection:
    """One keep-alive HTTP/1.1 connection to ``host:port``."""

    def __init__(self, host: str, port: int, headers: dict | None = None):
        self.sock = socket.create_connection((host, port))
        self.sock.settimeout(None)  # blocking: splice needs a blocking descriptor
        self.host, self.headers, self._held = f"{host}:{port}", headers or {}, b""

    def send_file(
        self, method, path, file, offset, count, headers=None, before=b"", after=b""
    ):
        """Send ``before`` + ``count`` bytes of ``file`` from ``offset`` + ``after``."""
        self._send_head(method, path, len(before) + count + len(after), headers)
        self.sock.sendall(before)
        sent = self.sock.sendfile(file, offset, count)
        assert sent == count, f"sent {sent} of {count} bytes"
        self.sock.sendall(after)
        return self.answer()

    def get_to_file(self, path: str, target: Path) -> tuple[int, dict]:
        """GET ``path``; splice its body into ``target``. Return status and headers."""
        self._send_head("GET", path, None)
        status, headers = self._read_head()
        length = int(headers.get("content-length", 0))
        with open(target, "wb") as out:
            out.write(self._held[:length])
            left, self._held = length - len(self._held[:length]), self._held[length:]
            _splice_into(self.sock, out.fileno(), left)
        return status, headers

    def answer(self) -> tuple[int, dict, bytes]:
        """Read one answer with a Content-Length body."""
        status, headers = self._read_head()
        length = int(headers.get("content-length", 0))
        while len(self._held) < length:
            self._held += self.sock.recv(STEP) or _closed()
        body, self._held = self._held[:length], self._held[length:]
        return status, headers, body

    def _send_head(self, method, path, length, headers=None) -> None:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}"]
        fields = {**self.headers, **(headers or {})}
        if length is not None:
            fields["Content-Length"] = str(length)
        lines += [f"{name}: {value}" for name, value in fields.items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def _read_head(self) -> tuple[int, dict]:
        while b"\r\n\r\n" not in self._held:
            self._held += self.sock.recv(65536) or _closed()
        head, _, self._held = self._held.partition(b"\r\n\r\n")
        status_line, *lines = head.decode("latin-1").split("\r\n")
        fields = dict(line.split(":", 1) for line in lines)
        headers = {
            name.strip().lower(): value.strip() for name, value in fields.items()
        }
        return int(status_line.split()[1]), headers

    def close(self) -> None:
        self.sock.close()


def _splice_into(sock: socket.socket, fd: int, count: int) -> None:
    """Move ``count`` bytes from the socket to ``fd`` through a pipe."""
    pipe_out, pipe_in = os.pipe()
    try:
        while count > 0:
            moved = os.splice(sock.fileno(), pipe_in, min(count, STEP))
            if not moved:
                _closed()
            count -= moved
            while moved > 0:
                moved -= os.splice(pipe_out, fd, moved)
    finally:
        os.close(pipe_out), os.close(pipe_in)


def _closed():
    raise ConnectionError("the server closed the connection")


def upload(port: int, token: str, material: int, source: Path, first: bytes) -> int:
    """POST ``first`` + the rest of ``source`` as the multipart field ``file``.

    ``first`` replaces the file's first bytes, so its content differs from another
    run's (nothing is deduplicated). Return the new file's id.
    """
    before = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
        'filename="bench.bin"\r\nContent-Type: application/octet-stream\r\n\r\n'
    ).encode() + first
    after = f"\r\n--{BOUNDARY}--\r\n".encode()
    kind = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    connection = Connection("127.0.0.1", port, {"Authorization": f"Bearer {token}"})
    with open(source, "rb") as file:
        size = os.fstat(file.fileno()).st_size
        path = f"/api/v1/materials/{material}/files"
        status, _headers, body = connection.send_file(
            "POST", path, file, len(first), size - len(first), kind, before, after
        )
    connection.close()
    assert status == 201, body[:300]
    return json.loads(body)["id"]


def chunked_upload(
    port, token, url: str, source: Path, chunk: int, first: bytes
) -> None:
    """PUT ``first`` + the rest of ``source`` to a resumable upload in ``chunk`` pieces."""
    connection = Connection("127.0.0.1", port, {"Authorization": f"Bearer {token}"})
    with open(source, "rb") as file:
        size = os.fstat(file.fileno()).st_size
        for start in range(0, size, chunk):
            count = min(chunk, size - start)
            span = {"Content-Range": f"bytes {start}-{start + count - 1}/{size}"}
            before = first if start == 0 else b""
            status, _headers, body = connection.send_file(
                "PUT", url, file, start + len(before), count - len(before), span, before
            )
            assert status in (200, 201), body[:300]
    connection.close()


def download(port: int, token: str, file_id: int, target: Path) -> None:
    """GET a file into ``target``, following a redirect to a presigned URL."""
    connection = Connection("127.0.0.1", port, {"Authorization": f"Bearer {token}"})
    status, headers = connection.get_to_file(f"/api/v1/files/{file_id}", target)
    connection.close()
    if status in (301, 302, 303, 307):
        place = urlsplit(headers["location"])
        other = Connection(place.hostname, place.port or 80)
        status, _headers = other.get_to_file(f"{place.path}?{place.query}", target)
        other.close()
    assert status == 200, status


def loopback_copy(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` through a bare loopback TCP socket (no HTTP).

    ``sendfile`` on one end, ``splice`` into the file on the other, as the server and
    this client do: the most any HTTP download can reach on this machine.
    """
    size = source.stat().st_size
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        sender = threading.Thread(target=_send_all, args=(listener, source, size))
        sender.start()
        with (
            socket.create_connection(("127.0.0.1", port)) as sock,
            open(target, "wb") as out,
        ):
            _splice_into(sock, out.fileno(), size)
        sender.join()


def _send_all(listener: socket.socket, source: Path, size: int) -> None:
    """Accept one connection and send it the whole of ``source``."""
    connection, _address = listener.accept()
    with connection, open(source, "rb") as file:
        connection.sendfile(file, 0, size)
