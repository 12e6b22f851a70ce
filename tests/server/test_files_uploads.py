"""Resumable uploads: chunks, a dropped connection, resuming, and the finished file."""

import io
import os
from datetime import timedelta

import pytest

from repo_server.extensions import db
from repo_server.files.models import Upload
from repo_server.timeutil import utcnow
from tests.conftest import ApiClient, create_material, fetch_file

CHUNK = 64 * 1024


@pytest.fixture(scope="module")
def app(storage_app):
    """Every test here runs once per storage backend."""
    return storage_app


@pytest.fixture
def teacher(make_user):
    return make_user("teacher")


def login(app, user) -> ApiClient:
    """A new browser session: what a client has after its connection dropped."""
    return ApiClient(app.test_client(), user)


def start(client, material: int, data: bytes, name: str = "Video bài giảng.mp4"):
    response = client.post(
        "/api/v1/uploads",
        {"material_id": material, "filename": name, "size": len(data)},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def put(client, url: str, data: bytes, start: int, total: int, **kwargs):
    """PUT ``data`` as the chunk starting at ``start``."""
    end = start + len(data) - 1
    headers = {
        "Content-Range": f"bytes {start}-{end}/{total}",
        **kwargs.pop("headers", {}),
    }
    return client._send(
        "PUT",
        url,
        data=data,
        headers=headers,
        content_type="application/octet-stream",
        **kwargs,
    )


def video(size: int = 5 * CHUNK + 1234) -> bytes:
    return b"\x00\x00\x00\x18ftypmp42" + os.urandom(size - 12)


def test_a_dropped_connection_resumes_where_it_stopped(app, teacher):
    data = video()
    first = login(app, teacher)
    material = create_material(first)
    upload = start(first, material, data)
    assert upload["offset"] == 0 and upload["chunk_size"] == 32 * 1024 * 1024
    for offset in (0, CHUNK):
        sent = put(
            first, upload["url"], data[offset : offset + CHUNK], offset, len(data)
        )
        assert sent.status_code == 200 and sent.get_json()["offset"] == offset + CHUNK
    # the third chunk: half of it arrives, then the connection drops
    chunk = data[2 * CHUNK : 3 * CHUNK]
    dropped = first._send(
        "PUT",
        upload["url"],
        input_stream=io.BytesIO(chunk[: CHUNK // 2]),
        headers={"Content-Range": f"bytes {2 * CHUNK}-{3 * CHUNK - 1}/{len(data)}"},
        content_type="application/octet-stream",
        environ_overrides={"CONTENT_LENGTH": str(CHUNK)},
    )
    assert dropped.status_code == 400
    again = login(app, teacher)  # reconnect: ask how far it got, continue from there
    offset = again.get(upload["url"]).get_json()["offset"]
    assert offset == 2 * CHUNK + CHUNK // 2
    while offset < len(data):
        response = put(
            again, upload["url"], data[offset : offset + CHUNK], offset, len(data)
        )
        offset = response.get_json()["offset"]
    assert response.status_code == 201
    created = response.get_json()["file"]
    assert created["filename"] == "Video bài giảng.mp4"
    assert created["content_type"] == "video/mp4" and created["size"] == len(data)
    assert fetch_file(again, created["url"])[2] == data
    assert again.get(upload["url"]).status_code == 404  # the upload is gone
    with app.app_context():
        assert not os.listdir(app.config["UPLOAD_DIR"])


def test_a_chunk_sent_twice_is_taken_once_and_gaps_are_refused(app, teacher):
    client = login(app, teacher)
    data = video(3 * CHUNK)
    upload = start(client, create_material(client), data)
    put(client, upload["url"], data[:CHUNK], 0, len(data))
    repeat = put(
        client, upload["url"], data[:CHUNK], 0, len(data)
    )  # its answer was lost
    assert repeat.status_code == 200 and repeat.get_json()["offset"] == CHUNK
    overlap = put(
        client, upload["url"], data[CHUNK // 2 : 2 * CHUNK], CHUNK // 2, len(data)
    )
    assert overlap.get_json()["offset"] == 2 * CHUNK
    gap = put(client, upload["url"], data[-10:], len(data) - 10, len(data))
    assert gap.status_code == 409
    assert gap.get_json()["error"]["fields"]["offset"] == [str(2 * CHUNK)]
    done = put(client, upload["url"], data[2 * CHUNK :], 2 * CHUNK, len(data))
    assert done.status_code == 201
    assert fetch_file(client, done.get_json()["file"]["url"])[2] == data


@pytest.mark.parametrize(
    "header",
    [None, "bytes 0-9/999", "bytes 0-99/100", "bytes 0-100/100", "items 0-9/100", "x"],
)
def test_bad_content_ranges_get_422(app, teacher, header):
    client = login(app, teacher)
    upload = start(client, create_material(client), video(100))
    headers = {"Content-Range": header} if header else {}
    response = client._send("PUT", upload["url"], data=b"x" * 10, headers=headers)
    if header == "bytes 0-99/100":  # a short body: what arrived is kept
        assert response.status_code == 200 and response.get_json()["offset"] == 10
        return
    assert response.status_code == 422, response.get_json()


def test_finishing_again_and_asking_without_bytes(app, teacher):
    client = login(app, teacher)
    data = video(2 * CHUNK)
    upload = start(client, create_material(client), data)
    put(client, upload["url"], data[:CHUNK], 0, len(data))
    asked = client._send(
        "PUT", upload["url"], headers={"Content-Range": f"bytes */{len(data)}"}
    )
    assert asked.status_code == 200 and asked.get_json()["offset"] == CHUNK


def test_uploads_belong_to_their_user_and_expire(app, teacher, make_user):
    client = login(app, teacher)
    material = create_material(client)
    upload = start(client, material, video(100))
    other = login(app, make_user("teacher"))
    assert other.get(upload["url"]).status_code == 404
    assert put(other, upload["url"], b"x", 0, 100).status_code == 404
    assert (
        other.post(
            "/api/v1/uploads", {"material_id": material, "filename": "x.mp4", "size": 5}
        ).status_code
        == 404
    )
    with app.app_context():
        row = db.session.get(Upload, upload["id"])
        row.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert client.get(upload["url"]).status_code == 404


def test_cancelling_removes_the_part(app, teacher):
    client = login(app, teacher)
    upload = start(client, create_material(client), video(100))
    assert client.delete(upload["url"]).status_code == 204
    assert client.get(upload["url"]).status_code == 404
    with app.app_context():
        assert not os.path.exists(os.path.join(app.config["UPLOAD_DIR"], upload["id"]))


def test_a_finished_upload_that_is_a_program_is_refused_and_dropped(app, teacher):
    client = login(app, teacher)
    data = b"\x7fELF" + os.urandom(200)
    upload = start(client, create_material(client), data, "bai-giang.mp4")
    response = put(client, upload["url"], data, 0, len(data))
    assert response.status_code == 415
    assert client.get(upload["url"]).status_code == 404


def test_dangerous_names_and_bad_requests_are_refused_at_the_start(app, teacher):
    client = login(app, teacher)
    material = create_material(client)
    body = {"material_id": material, "filename": "setup.exe", "size": 10}
    assert client.post("/api/v1/uploads", body).status_code == 415
    assert client.post("/api/v1/uploads", {**body, "size": -1}).status_code == 422
    assert client.post("/api/v1/uploads", {"filename": "a.pdf"}).status_code == 422
