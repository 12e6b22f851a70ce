"""Uploads through the service as it runs in production: `repo-server serve` (gunicorn).

The other upload tests use the Flask test client or werkzeug's server; only gunicorn
hands the body over through the socket reader (files/socket_body.py).
"""

import hashlib
import http.client
import json
import os
import random
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
def served(demo_cli, tmp_path, monkeypatch):
    """A gunicorn serving the demo instance; a teacher's token and two draft materials."""
    monkeypatch.setenv("REPO_UPLOAD_IDLE_SECONDS", "2")
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


def _head(port, token, path, ctype, length) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: {ctype}\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


def _no_files_left(port, token, path, tmp_path) -> None:
    status, answer = _request(port, token, "GET", path)
    assert status == 200 and json.loads(answer)["items"] == []
    uploads = tmp_path / "uploads"
    assert not uploads.exists() or not list(uploads.iterdir())  # no temp file left


def test_a_multipart_body_cut_short_leaves_no_file(served, tmp_path):
    port, token, (first, _second) = served
    body, ctype = _multipart(os.urandom(MIB))
    path = f"/api/v1/materials/{first}/files"
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(
            _head(port, token, path, ctype, len(body)) + body[: len(body) // 2]
        )
    time.sleep(0.5)
    _no_files_left(port, token, path, tmp_path)


def test_a_stalled_upload_is_answered_and_dropped(served, tmp_path):
    port, token, (first, _second) = served
    body, ctype = _multipart(os.urandom(2 * MIB))
    path = f"/api/v1/materials/{first}/files"
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(_head(port, token, path, ctype, len(body)) + body[:MIB])
        answer = b""  # the client sends nothing more; the server answers after 2 s
        while b"}\n" not in answer and (more := sock.recv(65536)):
            answer += more
    head, _, payload = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 422"), head
    assert "Quá lâu không nhận được dữ liệu" in json.loads(payload)["error"]["message"]
    _no_files_left(port, token, path, tmp_path)


@pytest.mark.parametrize("seed", range(3))
def test_delimiter_look_alikes_across_reads_come_out_exactly(served, seed):
    port, token, (first, _second) = served
    rng, boundary = random.Random(seed), "----kho-boundary"
    data = bytearray(os.urandom(3 * MIB))
    for step in (MIB, 2 * MIB):  # where the socket reads (1 MiB) end
        for near in rng.sample(range(-60, 60, 24), 3):  # 24 apart: no overlaps
            fake = rng.choice([b"\r\n--", b"\n--", b"\r\n-"]) + boundary.encode()
            fake += rng.choice([b"x-", b"-x", b"\x00\x00"])  # never "--" or a space
            data[step + near : step + near + len(fake)] = fake
    status, answer = _upload(port, token, first, bytes(data), boundary)
    assert status == 201, answer
    assert json.loads(answer)["sha256"] == hashlib.sha256(data).hexdigest()


def test_parts_after_the_file_are_not_part_of_it(served):
    port, token, (first, _second) = served
    data = os.urandom(2 * MIB + 7)
    body, ctype = _multipart(data)
    note = 'Content-Disposition: form-data; name="ghi_chu"\r\n\r\nGhi chú'
    body = body.replace(b"--\r\n", b"\r\n" + note.encode() + b"\r\n--x--\r\n")
    body = body.replace(b"--x--", b"------kho-boundary--")
    status, answer = _request(port, token, "POST", f"/api/v1/materials/{first}/files",
                              body, {"Content-Type": ctype})  # fmt: skip
    assert status == 201, answer
    assert json.loads(answer)["sha256"] == hashlib.sha256(data).hexdigest()


def test_a_body_without_its_closing_delimiter_is_refused(served, tmp_path):
    port, token, (first, _second) = served
    body, ctype = _multipart(os.urandom(2 * MIB))
    body = body[: -len("\r\n------kho-boundary--\r\n")]
    path = f"/api/v1/materials/{first}/files"
    status, answer = _request(port, token, "POST", path, body, {"Content-Type": ctype})
    assert status == 422, answer
    _no_files_left(port, token, path, tmp_path)


def test_a_program_is_refused_before_its_bytes_are_kept(served, tmp_path):
    port, token, (first, _second) = served
    data = (
        b"MZ" + bytes(58) + (64).to_bytes(4, "little") + b"PE\0\0" + os.urandom(2 * MIB)
    )
    status, answer = _upload(port, token, first, data, "----kho-boundary")
    assert status == 415, answer
    _no_files_left(port, token, f"/api/v1/materials/{first}/files", tmp_path)


def _upload(port, token, material, data, boundary):
    body, ctype = _multipart(data, boundary)
    path = f"/api/v1/materials/{material}/files"
    return _request(port, token, "POST", path, body, {"Content-Type": ctype})


def test_a_chunk_shorter_than_its_range_keeps_what_came(served):
    port, token, (_first, second) = served
    data = os.urandom(2 * MIB)
    start = {"material_id": second, "filename": "Phần.bin", "size": len(data)}
    status, answer = _request(port, token, "POST", "/api/v1/uploads",
                              json.dumps(start), {"Content-Type": "application/json"})  # fmt: skip
    url, full = json.loads(answer)["url"], f"bytes 0-{len(data) - 1}/{len(data)}"
    status, answer = _request(
        port, token, "PUT", url, data[:MIB], {"Content-Range": full}
    )
    assert (status, json.loads(answer)["offset"]) == (
        200,
        MIB,
    )  # not the next request's
    rest = {"Content-Range": f"bytes {MIB}-{len(data) - 1}/{len(data)}"}
    status, answer = _request(port, token, "PUT", url, data[MIB:], rest)
    assert status == 201, answer
    assert json.loads(answer)["file"]["sha256"] == hashlib.sha256(data).hexdigest()
