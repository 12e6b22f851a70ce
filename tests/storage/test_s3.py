"""S3-only cases: multipart paths, missing bucket, unreachable endpoint."""

from __future__ import annotations

import io
import time
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

from storage import StorageError, from_url
from storage.keys import blob_key
from tests.storage.support import (
    MIB,
    S3_URL,
    SKIP_S3,
    GeneratedStream,
    leftovers,
    sha256_of,
)


def etag(storage, key: str) -> str:
    """Return the ETag S3 reports for ``key`` ("...-N" after N parts)."""
    head = storage.client.head_object(Bucket=storage.bucket, Key=storage._name(key))
    return head["ETag"]


@SKIP_S3
@pytest.mark.parametrize("backend", ["s3"])
def test_s3_multipart_upload_and_streams_kept_where_streamed(make_storage):
    storage = make_storage(part_size=str(5 * MIB))
    size = 12 * MIB + 123  # three parts
    expected = sha256_of(GeneratedStream(size, b"parts"))
    stored = storage.save("multi/part.bin", GeneratedStream(size, b"parts"))
    assert (stored.size, stored.sha256) == expected
    assert sha256_of(storage.open("multi/part.bin")) == expected
    assert storage.stat("multi/part.bin").size == size
    assert etag(storage, "multi/part.bin").endswith('-3"')  # really three parts
    began = time.time()
    big = storage.save_by_hash(GeneratedStream(size, b"other"))
    assert (
        big.key.startswith("blobs/streamed/")
        and big.sha256 == sha256_of(GeneratedStream(size, b"other"))[1]
    )
    assert sha256_of(storage.open(big.key)) == (size, big.sha256)
    assert etag(storage, big.key).endswith('-3"')  # uploaded once, never copied
    assert abs(storage.stat(big.key).modified - began) < 300
    again = storage.save_by_hash(GeneratedStream(size, b"other"))
    assert again.sha256 == big.sha256 and again.key != big.key  # the caller's to drop
    hashed = blob_key(expected[1])
    storage.save(hashed, GeneratedStream(size, b"parts"))  # the same bytes by hash
    found = storage.save_by_hash(GeneratedStream(size, b"parts"))
    assert found.key == hashed and found.sha256 == expected[1]  # its stream dropped
    assert sorted(leftovers(storage)) == sorted(
        storage._name(k) for k in ["multi/part.bin", big.key, again.key, hashed]
    )


@SKIP_S3
def test_s3_missing_bucket_is_a_storage_error():
    parts = urlsplit(S3_URL)
    missing = f"no-such-bucket-{uuid.uuid4().hex[:12]}"
    storage = from_url(urlunsplit(parts._replace(netloc=missing)))
    calls = [
        lambda: storage.save("k/f", io.BytesIO(b"x")),
        lambda: storage.open("k/f"),
        lambda: list(storage.iter_keys()),
    ]
    for call in calls:
        with pytest.raises(StorageError, match=f"Bucket S3 '{missing}' không tồn tại"):
            call()


def test_s3_unreachable_endpoint_fails_fast(monkeypatch):
    pytest.importorskip("boto3")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "ci")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "ci-secret")
    storage = from_url("s3://b?endpoint=http://127.0.0.1:9")
    began = time.monotonic()
    calls = [
        lambda: storage.save("k/f", io.BytesIO(b"x")),
        lambda: storage.save_by_hash(io.BytesIO(b"x")),
        lambda: storage.open("k/f"),
        lambda: storage.stat("k/f"),
        lambda: storage.exists("k/f"),
        lambda: storage.delete("k/f"),
        lambda: list(storage.iter_keys()),
    ]
    for call in calls:
        with pytest.raises(StorageError, match="Không kết nối được kho lưu trữ S3"):
            call()
    assert time.monotonic() - began < 20


@pytest.mark.parametrize(
    ("code", "status", "error"),
    [
        ("SlowDown", 503, StorageError),
        ("InternalError", 500, StorageError),
        ("AccessDenied", 403, StorageError),
        ("NoSuchKey", 404, FileNotFoundError),
        ("InvalidRange", 416, ValueError),
    ],
)
def test_s3_errors_are_translated(monkeypatch, code, status, error):
    stub = pytest.importorskip("botocore.stub")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "ci")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "ci-secret")
    storage = from_url("s3://b?endpoint=http://127.0.0.1:9")
    with stub.Stubber(storage.client) as stubber:
        stubber.add_client_error(
            "get_object", service_error_code=code, http_status_code=status
        )
        with pytest.raises(error):
            storage.open_range("k/f", 10, None)
