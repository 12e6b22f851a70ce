"""Reading a request body straight from gunicorn's socket, under a real gunicorn."""

import hashlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from repo_server.files.socket_body import direct_body

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server():
    """A gunicorn (gthread, as `repo-server serve`) serving socket_body_app."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "gunicorn", "--worker-class", "gthread"]
    command += ["--threads", "2", "-b", f"127.0.0.1:{port}"]
    process = subprocess.Popen(
        [*command, "tests.server.socket_body_app:app"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(port)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_for(port: int) -> None:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("gunicorn did not start")


def _post(path: str, body: bytes) -> bytes:
    head = f"POST {path} HTTP/1.1\r\nHost: t\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


def _answers(sock: socket.socket, count: int) -> list[bytes]:
    """Read ``count`` HTTP answers from a keep-alive connection; return the bodies."""
    data, bodies = b"", []
    while len(bodies) < count:
        while b"\r\n\r\n" not in data:
            data += sock.recv(65536) or _closed()
        head, _, data = data.partition(b"\r\n\r\n")
        length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
        while len(data) < length:
            data += sock.recv(65536) or _closed()
        bodies.append(data[:length])
        data = data[length:]
    return bodies


def _closed() -> bytes:
    raise AssertionError("the server closed the connection")


def _expect(body: bytes) -> bytes:
    return f"direct {len(body)} {hashlib.sha256(body).hexdigest()}".encode()


def test_a_large_body_arrives_exactly(server):
    body = os.urandom(5 * 1024 * 1024 + 17)
    with socket.create_connection(("127.0.0.1", server)) as sock:
        sock.sendall(_post("/", body))
        assert _answers(sock, 1) == [_expect(body)]


def test_pipelined_requests_after_a_body_stay_intact(server):
    first, second = os.urandom(3000), b"second body"
    with socket.create_connection(("127.0.0.1", server)) as sock:
        sock.sendall(_post("/", first) + _post("/", second))
        assert _answers(sock, 2) == [_expect(first), _expect(second)]


def test_a_body_read_in_part_is_drained_by_gunicorn(server):
    body = os.urandom(20_000)  # the rest is under gunicorn's 64 KiB drain limit
    with socket.create_connection(("127.0.0.1", server)) as sock:
        sock.sendall(_post("/?1500", body) + _post("/", b"next"))
        first, second = _answers(sock, 2)
    assert first.split()[:2] == [b"direct", b"1500"]
    assert second == _expect(b"next")


def test_a_large_unread_rest_closes_the_connection(server):
    body = os.urandom(300_000)  # never parsed as a request: the connection closes
    with socket.create_connection(("127.0.0.1", server), timeout=30) as sock:
        sock.sendall(_post("/?1500", body) + _post("/", b"next"))
        assert _answers(sock, 1)[0].split()[:2] == [b"direct", b"1500"]
        with pytest.raises(AssertionError, match="closed"):
            _answers(sock, 1)


def test_a_client_gone_mid_body_leaves_the_server_serving(server):
    with socket.create_connection(("127.0.0.1", server)) as sock:
        sock.sendall(_post("/", b"x" * 100_000)[:50_000])
    with socket.create_connection(("127.0.0.1", server)) as sock:
        sock.sendall(_post("/", b"after"))
        assert _answers(sock, 1) == [_expect(b"after")]


def test_other_servers_keep_their_own_reader():
    assert direct_body({"wsgi.input": object()}) is None
