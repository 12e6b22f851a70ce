"""Resumable uploads are hashed as their chunks arrive; a finished part is not read again."""

import hashlib
import os
from datetime import timedelta

import pytest

from repo_server.extensions import db
from repo_server.files import maintenance, part_digest
from repo_server.files.models import Upload
from repo_server.files.uploads import part_path
from storage import sha256_state, streams
from tests.conftest import create_material, fetch_file
from tests.server.test_files_uploads import CHUNK, login, put, start, video


@pytest.fixture(scope="module")
def app(storage_app):
    """Every test here runs once per storage backend."""
    return storage_app


@pytest.fixture
def teacher(make_user):
    return make_user("teacher")


def send(client, upload: dict, data: bytes, start: int, stop: int):
    """PUT ``data[start:stop]`` in CHUNK pieces; return the last response."""
    for offset in range(start, stop, CHUNK):
        response = put(
            client,
            upload["url"],
            data[offset : min(offset + CHUNK, stop)],
            offset,
            len(data),
        )
        assert response.status_code in (200, 201), response.get_json()
    return response


def finished_file(client, response, data: bytes) -> dict:
    """Check the finished upload's file: its bytes and their SHA-256."""
    assert response.status_code == 201, response.get_json()
    created = response.get_json()["file"]
    assert created["sha256"] == hashlib.sha256(data).hexdigest()
    assert fetch_file(client, created["url"])[2] == data
    return created


def part_of(app, upload: dict) -> str:
    with app.test_request_context():
        return part_path(upload["id"])


@pytest.fixture
def no_second_read(monkeypatch):
    """Make hashing a whole file fail: a finished part must not need it."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("the finished part was read again to hash it")

    monkeypatch.setattr(streams.hashlib, "file_digest", refuse)


def test_each_chunk_is_hashed_as_it_arrives(app, teacher, no_second_read):
    client = login(app, teacher)
    data = video()
    upload = start(client, create_material(client), data)
    send(client, upload, data, 0, 2 * CHUNK)
    state = part_digest.state_path(part_of(app, upload))
    with open(state, "rb") as saved:
        assert sha256_state.ResumableSha256(saved.read()).size == 2 * CHUNK
    finished_file(client, send(client, upload, data, 2 * CHUNK, len(data)), data)
    assert not os.path.exists(state)  # dropped with the part


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda state, part: os.unlink(state), id="state lost"),
        pytest.param(
            lambda state, part: _write(state, b"\x00" * 10), id="state damaged"
        ),
        pytest.param(
            lambda state, part: os.truncate(part, CHUNK // 3), id="part shorter"
        ),
        pytest.param(lambda state, part: _grow(part, b"\x01" * 100), id="part longer"),
    ],
)
def test_a_state_out_of_step_with_its_part_is_made_good(
    app, teacher, spoil, no_second_read
):
    client = login(app, teacher)
    data = video()
    upload = start(client, create_material(client), data)
    send(client, upload, data, 0, 2 * CHUNK)
    path = part_of(app, upload)
    spoil(part_digest.state_path(path), path)
    offset = client.get(upload["url"]).get_json()["offset"]
    if offset > 2 * CHUNK:  # bytes nobody sent: the file is not this video any more
        data = data[: 2 * CHUNK] + b"\x01" * 100 + data[2 * CHUNK + 100 :]
    finished_file(client, send(client, upload, data, offset, len(data)), data)


def _write(path: str, content: bytes) -> None:
    with open(path, "wb") as out:
        out.write(content)


def _grow(path: str, content: bytes) -> None:
    """Append bytes behind the state's back (a request that died before saving it)."""
    with open(path, "ab") as out:
        out.write(content)


def test_without_libcrypto_the_part_is_hashed_when_complete(app, teacher, monkeypatch):
    monkeypatch.setattr(sha256_state, "available", lambda: False)
    client = login(app, teacher)
    data = video()
    upload = start(client, create_material(client), data)
    send(client, upload, data, 0, CHUNK)
    assert not os.path.exists(part_digest.state_path(part_of(app, upload)))
    finished_file(client, send(client, upload, data, CHUNK, len(data)), data)


def test_a_dropped_chunk_keeps_the_hash_of_what_arrived(app, teacher, no_second_read):
    client = login(app, teacher)
    data = video()
    upload = start(client, create_material(client), data)
    dropped = client._send(
        "PUT",
        upload["url"],
        data=data[: CHUNK // 2],
        headers={"Content-Range": f"bytes 0-{CHUNK - 1}/{len(data)}"},
        content_type="application/octet-stream",
        environ_overrides={"CONTENT_LENGTH": str(CHUNK)},
    )
    assert dropped.status_code == 400
    offset = client.get(upload["url"]).get_json()["offset"]
    assert offset == CHUNK // 2
    finished_file(client, send(client, upload, data, offset, len(data)), data)


def test_gc_keeps_the_state_of_a_live_upload_and_drops_stray_ones(app, teacher):
    client = login(app, teacher)
    data = video()
    upload = start(client, create_material(client), data)
    send(client, upload, data, 0, CHUNK)
    state = part_digest.state_path(part_of(app, upload))
    stray = os.path.join(os.path.dirname(state), "0" * 32 + part_digest.SUFFIX)
    _write(stray, b"old")
    for path in (state, stray):
        os.utime(path, (0, 0))  # both look days old
    with app.app_context():
        maintenance.collect_garbage(dry_run=False, min_age_hours=1)
        assert db.session.get(Upload, upload["id"]) is not None
    assert os.path.exists(state) and not os.path.exists(stray)
    finished_file(client, send(client, upload, data, CHUNK, len(data)), data)


def test_an_unchanged_expiry_is_not_written_for_every_chunk(app, teacher):
    client = login(app, teacher)
    data = video()
    upload = start(client, create_material(client), data)
    with app.app_context():
        row = db.session.get(Upload, upload["id"])
        row.expires_at -= timedelta(hours=1)  # as if the last chunk came an hour ago
        db.session.commit()
        old = row.expires_at
    send(client, upload, data, 0, CHUNK)
    with app.app_context():
        pushed = db.session.get(Upload, upload["id"]).expires_at
    assert pushed > old + timedelta(minutes=59)
    send(client, upload, data, CHUNK, 2 * CHUNK)
    with app.app_context():
        assert db.session.get(Upload, upload["id"]).expires_at == pushed
