"""The same bytes are one blob wherever storage put them (S3 keeps long streams in place)."""

import io
import os

import pytest

from repo_server.backends import get_storage
from repo_server.extensions import db
from repo_server.files.blobs import discard_blob
from repo_server.files.models import Blob
from tests.conftest import create_material, fetch_file


@pytest.fixture(scope="module")
def app(storage_app):
    """Every test here runs once per storage backend."""
    return storage_app


def long_video() -> bytes:
    """A file longer than one S3 part (8 MiB): streamed, not hashed before sending."""
    return b"\x00\x00\x00\x18ftypmp42" + os.urandom(9 * 1024 * 1024)


def upload_file(client, material: int, data: bytes, name: str):
    """POST ``data`` as a multipart form built in memory (no spooled temp file)."""
    boundary = "----khls-test-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="{name}"\r\nContent-Type: video/mp4\r\n\r\n'
    )
    body = head.encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return client.post(
        f"/api/v1/materials/{material}/files",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def blob_keys(app) -> set[str]:
    with app.app_context():
        return set(get_storage().iter_keys("blobs/"))


def test_the_same_long_file_twice_is_one_blob_and_one_object(app, api):
    teacher = api("teacher")
    data, before = long_video(), blob_keys(app)
    first, second = create_material(teacher), create_material(teacher)
    made = [upload_file(teacher, m, data, "bài giảng.mp4") for m in (first, second)]
    assert [r.status_code for r in made] == [201, 201]
    files = [r.get_json() for r in made]
    assert files[0]["sha256"] == files[1]["sha256"]
    with app.app_context():
        blob = db.session.get(Blob, files[0]["sha256"])
        key = blob.storage_key
    if app.config["TEST_BACKEND"] == "s3":
        assert key.startswith("blobs/streamed/")  # where it was streamed: no copy
    assert blob_keys(app) - before == {key}  # the second copy was dropped
    for created in files:
        assert fetch_file(teacher, created["url"])[2] == data


def test_a_failed_upload_drops_its_copy_but_never_the_blobs(app, api):
    teacher = api("teacher")
    data = long_video()
    made = upload_file(teacher, create_material(teacher), data, "a.mp4")
    sha256 = made.get_json()["sha256"]
    with app.app_context():
        storage = get_storage()
        kept = db.session.get(Blob, sha256).storage_key
        extra = storage.save_by_hash(io.BytesIO(data)).key  # an upload that then failed
        discard_blob(sha256, extra)
        assert storage.exists(kept)
        assert storage.exists(extra) == (extra == kept)  # S3: another key, dropped
        discard_blob(sha256, kept)  # the blob's own key is never dropped
        assert storage.exists(kept)
