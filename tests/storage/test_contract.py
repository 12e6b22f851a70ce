"""One contract for every Storage backend: local always, S3 with REPO_TEST_S3_URL."""

from __future__ import annotations

import hashlib
import io
import tracemalloc
import urllib.request

import pytest

from storage import Storage, StorageLimitError, StoredFile
from storage.http import content_disposition
from storage.keys import blob_key
from tests.storage.support import MIB, GeneratedStream, leftovers, sha256_of

PDF = "application/pdf"


def sha(data: bytes) -> str:
    """Return the hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def read_all(storage: Storage, key: str) -> bytes:
    """Read one whole (small) blob."""
    with storage.open(key) as file:
        return file.read()


def test_backend_implements_the_protocol(storage):
    assert isinstance(storage, Storage)


def test_save_and_open_roundtrip(storage):
    data = "Bài giảng Toán 6\n".encode() * 100
    stored = storage.save("lessons/abc/bai-giang.pdf", io.BytesIO(data), PDF)
    assert stored == StoredFile("lessons/abc/bai-giang.pdf", len(data), sha(data), PDF)
    assert read_all(storage, "lessons/abc/bai-giang.pdf") == data
    assert storage.exists("lessons/abc/bai-giang.pdf")


def test_save_replaces_an_existing_key(storage):
    storage.save("k/file.txt", io.BytesIO(b"old"))
    storage.save("k/file.txt", io.BytesIO(b"new content"))
    assert read_all(storage, "k/file.txt") == b"new content"


def test_empty_file(storage):
    stored = storage.save("k/empty", io.BytesIO(b""))
    assert (stored.size, stored.sha256) == (0, sha(b""))
    assert read_all(storage, "k/empty") == b""


def test_streams_50_mib_without_holding_it_in_memory(storage):
    size = 50 * MIB
    expected = sha256_of(GeneratedStream(size, b"big"))
    storage.save("warm/up", io.BytesIO(b"x"))  # load lazy client state first
    tracemalloc.start()
    try:
        stored = storage.save("big/file.bin", GeneratedStream(size, b"big"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    print(f"peak {peak / MIB:.1f} MiB")
    assert peak < 20 * MIB, f"peak {peak / MIB:.1f} MiB"
    assert (stored.size, stored.sha256) == expected
    assert storage.stat("big/file.bin").size == size
    assert sha256_of(storage.open("big/file.bin")) == expected


def test_save_by_hash_deduplicates(storage):
    first = storage.save_by_hash(io.BytesIO(b"same bytes"), "text/plain")
    second = storage.save_by_hash(io.BytesIO(b"same bytes"), "text/plain")
    other = storage.save_by_hash(io.BytesIO(b"other bytes"), "text/plain")
    digest = sha(b"same bytes")
    assert first == second
    assert first.key == f"blobs/{digest[:2]}/{digest[2:4]}/{digest}"
    assert first.key == blob_key(digest)
    assert other.key == blob_key(sha(b"other bytes"))
    assert sorted(storage.iter_keys()) == sorted([first.key, other.key])
    assert read_all(storage, first.key) == b"same bytes"
    assert len(leftovers(storage)) == 2  # no temp files or open uploads


def test_save_by_hash_uses_the_prefix(storage):
    stored = storage.save_by_hash(io.BytesIO(b"x"), prefix="imports/blobs")
    assert stored.key == blob_key(sha(b"x"), "imports/blobs")
    assert list(storage.iter_keys("imports/")) == [stored.key]


def test_save_file_by_hash_matches_save_by_hash(storage, tmp_path):
    source = tmp_path / "upload.part"
    source.write_bytes(b"bytes of a finished upload")
    stored = storage.save_file_by_hash(str(source), "text/plain")
    again = storage.save_by_hash(
        io.BytesIO(b"bytes of a finished upload"), "text/plain"
    )
    assert stored == again
    assert stored.key == blob_key(sha(b"bytes of a finished upload"))
    assert read_all(storage, stored.key) == b"bytes of a finished upload"
    assert source.read_bytes() == b"bytes of a finished upload"  # the caller's
    assert storage.save_file_by_hash(str(source), "text/plain") == stored  # kept
    assert len(leftovers(storage)) == 1


def test_save_file_by_hash_refuses_an_oversize_file(storage, tmp_path):
    source = tmp_path / "big.part"
    source.write_bytes(b"x" * 101)
    with pytest.raises(StorageLimitError):
        storage.save_file_by_hash(str(source), max_size=100)
    assert leftovers(storage) == []


@pytest.mark.parametrize("size", [100, 12 * MIB + 5])
@pytest.mark.parametrize("by_hash", [False, True], ids=["save", "save_by_hash"])
def test_max_size_exceeded_leaves_nothing(make_storage, size, by_hash):
    storage = make_storage(part_size=str(5 * MIB))
    storage.save("keep/me", io.BytesIO(b"old"))
    stream = GeneratedStream(size, b"limit")
    with pytest.raises(StorageLimitError) as raised:
        if by_hash:
            storage.save_by_hash(stream, max_size=size - 1)
        else:
            storage.save("keep/me", stream, max_size=size - 1)
    assert raised.value.max_size == size - 1
    assert isinstance(raised.value, ValueError)
    assert list(storage.iter_keys()) == ["keep/me"]
    assert len(leftovers(storage)) == 1
    assert read_all(storage, "keep/me") == b"old"


def test_max_size_equal_to_size_is_fine(storage):
    assert storage.save("k/f", io.BytesIO(b"12345"), max_size=5).size == 5


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (0, 9, slice(0, 10)),
        (10, None, slice(10, None)),
        (1000, 5000, slice(1000, None)),
        (5, 5, slice(5, 6)),
        (1023, 1023, slice(1023, 1024)),
    ],
)
def test_open_range(storage, start, end, expected):
    data = bytes(range(256)) * 4
    storage.save("r/data.bin", io.BytesIO(data))
    with storage.open_range("r/data.bin", start, end) as file:
        assert file.read() == data[expected]


@pytest.mark.parametrize(("start", "end"), [(-1, None), (5, 4), (1024, None)])
def test_open_range_refuses_bad_ranges(storage, start, end):
    storage.save("r/data.bin", io.BytesIO(bytes(1024)))
    with pytest.raises(ValueError):
        storage.open_range("r/data.bin", start, end).close()


def test_stat(storage):
    data = b"%PDF-1.7 ..."
    storage.save("docs/report.pdf", io.BytesIO(data), PDF)
    info = storage.stat("docs/report.pdf")
    assert (info.key, info.size, info.content_type) == (
        "docs/report.pdf",
        len(data),
        PDF,
    )
    assert info.sha256 in ("", sha(data))


def test_missing_key(storage):
    storage.save("present/file", io.BytesIO(b"x"))
    for key in ("missing/file", "present"):
        with pytest.raises(FileNotFoundError):
            storage.open(key)
        with pytest.raises(FileNotFoundError):
            storage.open_range(key, 0, None)
        with pytest.raises(FileNotFoundError):
            storage.stat(key)
        assert not storage.exists(key)


def test_delete_is_idempotent(storage):
    storage.save("d/file", io.BytesIO(b"x"))
    storage.delete("d/file")
    storage.delete("d/file")
    storage.delete("never/was")
    assert not storage.exists("d/file")
    assert list(storage.iter_keys()) == []


def test_iter_keys(storage):
    keys = ["a/1", "a/2", "a/sub/3", "ab/x", "b/1"]
    for key in keys:
        storage.save(key, io.BytesIO(key.encode()))
    assert sorted(storage.iter_keys()) == keys
    assert sorted(storage.iter_keys("a/")) == ["a/1", "a/2", "a/sub/3"]
    assert sorted(storage.iter_keys("a")) == ["a/1", "a/2", "a/sub/3", "ab/x"]
    assert sorted(storage.iter_keys("a/sub/")) == ["a/sub/3"]
    assert list(storage.iter_keys("zzz/")) == []


def test_download_url(storage, backend):
    name = "Bài giảng Toán 6 – Tập hợp.pdf"
    data = b"%PDF-1.7 bai giang"
    storage.save("lessons/1/bai-giang.pdf", io.BytesIO(data), PDF)
    url = storage.download_url("lessons/1/bai-giang.pdf", name, PDF, expires=60)
    if backend == "local":
        assert url is None
        return
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=10) as response:
        assert response.read() == data
        assert response.headers["Content-Disposition"] == content_disposition(name)
        assert response.headers["Content-Type"] == PDF


BAD_KEYS = [
    "",
    "/abs/path",
    "a//b",
    "a/",
    "../etc/passwd",
    "a/../../b",
    "a/./b",
    ".hidden",
    "a/.tmp/x",
    "a\\b",
    "a\0b",
    "C:\\x",
    "bài-giảng.pdf",
    "a b",
    "a?b",
    "a#b",
    "a%2e%2e",
    "~/x:y",
    "/".join(["x" * 255] * 4),
    "x" * 256,
    "\n",
    "a..b",
    "a/b/",
    "a/\u0301",
]


@pytest.mark.parametrize("key", BAD_KEYS)
def test_unsafe_keys_are_refused(storage, key):
    calls = [
        lambda: storage.save(key, io.BytesIO(b"x")),
        lambda: storage.open(key),
        lambda: storage.open_range(key, 0, None),
        lambda: storage.stat(key),
        lambda: storage.exists(key),
        lambda: storage.delete(key),
        lambda: storage.download_url(key, "f.pdf", PDF),
    ]
    for call in calls:
        with pytest.raises(ValueError, match="unsafe storage key"):
            call()
    assert list(storage.iter_keys()) == []


@pytest.mark.parametrize(
    "key", ["a", "A/0", "a/b-c_d.e~f", "/".join(["x" * 255] * 3), "-/_/~"]
)
def test_safe_keys_are_accepted(storage, key):
    assert storage.save(key, io.BytesIO(b"ok")).key == key
    assert storage.exists(key)
    assert list(storage.iter_keys()) == [key]


@pytest.mark.parametrize("prefix", ["", "/abs", "../up", "a//b", "a b"])
def test_unsafe_prefixes_are_refused(storage, prefix):
    with pytest.raises(ValueError, match="unsafe storage key"):
        storage.save_by_hash(io.BytesIO(b"x"), prefix=prefix)
    if prefix:
        with pytest.raises(ValueError, match="unsafe storage key"):
            list(storage.iter_keys(prefix))
