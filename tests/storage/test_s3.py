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
def test_s3_multipart_upload_and_copy(make_storage):
    storage = make_storage(part_size=str(5 * MIB))
    size = 12 * MIB + 123  # three parts
    expected = sha256_of(GeneratedStream(size, b"parts"))
    stored = storage.save("multi/part.bin", GeneratedStream(size, b"parts"))
    assert (stored.size, stored.sha256) == expected
    assert sha256_of(storage.open("multi/part.bin")) == expected
    assert storage.stat("multi/part.bin").size == size
    assert etag(storage, "multi/part.bin").endswith('-3"')  # really three parts
    blob = storage.save_by_hash(GeneratedStream(size, b"parts"))
    assert blob.key == blob_key(expected[1])
    assert storage.stat(blob.key).sha256 == expected[1]
    storage.copy_limit = storage.copy_part_size = 5 * MIB  # copy as above 5 GiB
    big = storage.save_by_hash(GeneratedStream(size, b"other"))
    assert sha256_of(storage.open(big.key)) == (size, big.sha256)
    assert storage.stat(big.key).sha256 == big.sha256
    assert etag(storage, big.key).endswith('-3"')  # copied in three ranges
    again = storage.save_by_hash(GeneratedStream(size, b"other"))
    assert again == big
    assert sorted(leftovers(storage)) == sorted(
        storage._name(k) for k in ["multi/part.bin", blob.key, big.key]
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
