"""from_url: the URL scheme picks the backend; bad URLs are refused."""

from __future__ import annotations

import pytest

from storage import from_url
from tests.storage.support import MIB


def test_from_url_file(tmp_path):
    from storage.local import LocalStorage

    storage = from_url((tmp_path / "Kho files").as_uri())
    assert isinstance(storage, LocalStorage)
    assert storage.root == tmp_path / "Kho files"


def test_from_url_s3():
    pytest.importorskip("boto3")
    from storage.s3 import S3Storage

    url = "s3://bucket/a/b?endpoint=http://127.0.0.1:8333&region=eu-west-1&part_size=6291456"
    storage = from_url(url)
    assert isinstance(storage, S3Storage)
    assert (storage.bucket, storage.prefix, storage.part_size) == (
        "bucket",
        "a/b",
        6 * MIB,
    )
    assert storage.client.meta.endpoint_url == "http://127.0.0.1:8333"
    assert storage.client.meta.region_name == "eu-west-1"


@pytest.mark.parametrize(
    "url",
    [
        "ftp://host/x",
        "relative/path",
        "file://host/x",
        "file:relative",
        "s3:///prefix",
        "s3://b?endpoint=http://h&colour=red",
        "s3://b?part_size=1024",
        "s3://b/../x",
    ],
)
def test_from_url_refuses_bad_urls(url):
    if url.startswith("s3"):
        pytest.importorskip("boto3")
    with pytest.raises(ValueError):
        from_url(url)
