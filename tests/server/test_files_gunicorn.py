"""Uploads through the service as it runs in production: `repo-server serve` (gunicorn).

The other upload tests use the Flask test client or werkzeug's server; only gunicorn
hands the body over through the socket reader (files/socket_body.py).
"""

import hashlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

TEACHER = "teacher1@demo.khohoclieu.vn"
MIB = 1024 * 1024


@pytest.fixture
def served(demo_cli, tmp_path):
    """A gunicorn serving the demo instance; a teacher's token and two draft materials."""
    token, materials = _token_and_materials()
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    serve = [str(Path(sys.executable).parent / "repo-server"), "serve"]
    process = subprocess.Popen(
        [*serve, "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _wait_for(port)
        yield port, token, materials
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def _token_and_materials() -> tuple[str, list[int]]:
    from repo_server import create_app
    from repo_server.accounts.service import create_token, find_user
    from repo_server.materials.service import create_material

    app = create_app()
    with app.app_context(), app.test_request_context():
        teacher = find_user(TEACHER)
        _token, secret = create_token(teacher, "test")
        data = {"title": "Bài giảng", "kind": "video"}
        return secret, [create_material(teacher, data).id for _ in range(2)]


def _wait_for(port: int) -> None:
    for _ in range(300):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", "/api/v1/health")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
        finally:
            connection.close()
    raise RuntimeError("repo-server serve did not start")


def _request(port, token, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(
        method, path, body, {"Authorization": f"Bearer {token}", **(headers or {})}
    )
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data


def _multipart(data: bytes, boundary: str = "----kho-boundary") -> tuple[bytes, str]:
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        'filename="Bài giảng.bin"\r\nContent-Type: application/octet-stream\r\n\r\n'
    ).encode()
    body = head + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_multipart_and_resumable_uploads_through_gunicorn(served):
    port, token, (first, second) = served
    data = os.urandom(3 * MIB + 11)
    body, ctype = _multipart(data)
    path = f"/api/v1/materials/{first}/files"
    status, answer = _request(port, token, "POST", path, body, {"Content-Type": ctype})
    assert status == 201, answer
    stored = json.loads(answer)
    assert stored["size"] == len(data)
    assert stored["sha256"] == hashlib.sha256(data).hexdigest()
    status, back = _request(port, token, "GET", f"/api/v1/files/{stored['id']}")
    assert (status, back) == (200, data)

    other = os.urandom(2 * MIB + 5)
    start = {"material_id": second, "filename": "Phần 2.bin", "size": len(other)}
    status, answer = _request(port, token, "POST", "/api/v1/uploads",
                              json.dumps(start), {"Content-Type": "application/json"})  # fmt: skip
    assert status == 201, answer
    url, half = json.loads(answer)["url"], MIB + 3
    for begin, end in ((0, half), (half, len(other))):
        span = {"Content-Range": f"bytes {begin}-{end - 1}/{len(other)}"}
        status, answer = _request(port, token, "PUT", url, other[begin:end], span)
    assert status == 201, answer
    row = json.loads(answer)["file"]
    assert row["sha256"] == hashlib.sha256(other).hexdigest()
    status, back = _request(port, token, "GET", f"/api/v1/files/{row['id']}")
    assert (status, back) == (200, other)


def test_a_multipart_body_cut_short_leaves_no_file(served):
    port, token, (first, _second) = served
    body, ctype = _multipart(os.urandom(MIB))
    path = f"/api/v1/materials/{first}/files"
    head = (
        f"POST {path} HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(head + body[: len(body) // 2])
    time.sleep(0.5)
    status, answer = _request(port, token, "GET", path)
    assert status == 200 and json.loads(answer)["items"] == []
