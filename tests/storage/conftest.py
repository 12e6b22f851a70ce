"""Fixtures for the storage contract suite: one factory per backend."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest

from storage import Storage, from_url
from tests.storage.support import S3_URL, SKIP_S3

BACKENDS = ["local", pytest.param("s3", marks=SKIP_S3)]


def _s3_url(prefix: str, params: dict[str, str]) -> str:
    """Return REPO_TEST_S3_URL below a unique ``prefix`` with extra query ``params``."""
    parts = urlsplit(S3_URL)
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
def s3_bucket() -> None:
    """Make sure the test bucket exists (once per session)."""
    from_url(S3_URL).ensure_bucket()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    """Name of the backend under test: "local" or "s3"."""
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
        request.getfixturevalue("s3_bucket")
        made.append(from_url(_s3_url(prefix, s3_params)))
        return made[-1]

    yield make
    for storage in made:
        _wipe_s3(storage)


@pytest.fixture
def storage(make_storage) -> Storage:
    """A storage with default settings under a unique prefix."""
    return make_storage()
