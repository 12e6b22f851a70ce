"""Digest: the same SHA-256 whether hashed inline or on its helper thread."""

import hashlib
import os
import threading

import pytest

from storage import StorageLimitError
from storage.streams import Digest


def feed(digest: Digest, chunks: list[bytes]) -> None:
    for chunk in chunks:
        digest.update(chunk)


@pytest.mark.parametrize("inline_bytes", [0, 10, 10**9])
def test_digest_matches_hashlib_inline_or_threaded(monkeypatch, inline_bytes):
    monkeypatch.setattr(Digest, "INLINE_BYTES", inline_bytes)
    chunks = [os.urandom(size) for size in (1, 7, 5000, 0, 65536, 3)]
    with Digest() as digest:
        feed(digest, chunks)
        assert digest.hexdigest == hashlib.sha256(b"".join(chunks)).hexdigest()
    assert digest.size == sum(map(len, chunks))


def test_the_limit_stops_the_hashing_thread(monkeypatch):
    monkeypatch.setattr(Digest, "INLINE_BYTES", 0)
    before = threading.active_count()
    digest = Digest(max_size=100)
    digest.update(b"x" * 60)
    with pytest.raises(StorageLimitError):
        digest.update(b"x" * 60)
    assert threading.active_count() == before


def test_a_failed_stream_does_not_leave_a_thread_behind(monkeypatch):
    monkeypatch.setattr(Digest, "INLINE_BYTES", 0)
    before = threading.active_count()
    with pytest.raises(OSError), Digest() as digest:
        digest.update(b"abc")
        assert threading.active_count() == before + 1
        raise OSError("disk gone")
    assert threading.active_count() == before
