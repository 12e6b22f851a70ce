"""Fixtures for the storage contract suite: one factory per backend."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest

from storage import Storage, from_url
from tests.storage.support import MINIO_URL, S3_URL, SKIP_MINIO, SKIP_S3

BACKENDS = [
    "local",
    pytest.param("s3", marks=SKIP_S3),
    pytest.param("minio", marks=SKIP_MINIO),
]
#: The S3 servers under test: SeaweedFS always in CI, MinIO when its binary is there.
S3_SERVERS = {"s3": S3_URL, "minio": MINIO_URL}


def _s3_url(base: str, prefix: str, params: dict[str, str]) -> str:
    """Return the server's ``base`` URL below ``prefix`` with extra query ``params``."""
    parts = urlsplit(base)
    query = dict(parse_qsl(parts.query)) | params
    path = f"{parts.path.rstrip('/')}/{prefix}"
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ""))


def _wipe_s3(storage) -> None:
    """Delete every object and open upload under the storage's prefix."""
    client, bucket, base = storage.client, storage.bucket, storage._name("")
    uploads = client.list_multipart_uploads(Bucket=bucket, Prefix=base)
    for upload in uploads.get("Uploads", []):
        client.abort_multipart_upload(
            Bucket=bucket, Key=upload["Key"], UploadId=upload["UploadId"]
        )
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=base)
    for page in pages:
        for item in page.get("Contents", []):
            client.delete_object(Bucket=bucket, Key=item["Key"])


@pytest.fixture(scope="session")
def s3_buckets() -> Callable[[str], None]:
    """Make sure a server's test bucket exists (once per server and session)."""
    ready: set[str] = set()

    def ensure(base: str) -> None:
        if base not in ready:
            from_url(base).ensure_bucket()
            ready.add(base)

    return ensure


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    """Name of the backend under test: "local", "s3" (SeaweedFS) or "minio"."""
    return request.param


@pytest.fixture
def make_storage(
    request, backend: str, tmp_path: Path
) -> Iterator[Callable[..., Storage]]:
    """Return a factory of storages under a prefix unique to this test."""
    made = []
    prefix = f"{request.node.name.split('[')[0][:40]}-{uuid.uuid4().hex[:12]}"

    def make(**s3_params: str) -> Storage:
        if backend == "local":
            return from_url((tmp_path / "files").as_uri())
        base = S3_SERVERS[backend]
        request.getfixturevalue("s3_buckets")(base)
        made.append(from_url(_s3_url(base, prefix, s3_params)))
        return made[-1]

    yield make
    for storage in made:
        _wipe_s3(storage)


@pytest.fixture
def storage(make_storage) -> Storage:
    """A storage with default settings under a unique prefix."""
    return make_storage()
