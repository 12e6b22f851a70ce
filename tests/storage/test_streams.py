"""Digest (the same SHA-256 inline or on its helper thread) and the writeback hint."""

import hashlib
import os
import shutil
import subprocess

import pytest

from storage import StorageLimitError, streams
from storage.streams import Digest, Writeback


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


def test_the_limit_stops_the_hashing_thread(monkeypatch, started_threads):
    monkeypatch.setattr(Digest, "INLINE_BYTES", 0)
    digest = Digest(max_size=100)
    digest.update(b"x" * 60)
    with pytest.raises(StorageLimitError):
        digest.update(b"x" * 60)
    assert not started_threads()


def test_a_failed_stream_does_not_leave_a_thread_behind(monkeypatch, started_threads):
    monkeypatch.setattr(Digest, "INLINE_BYTES", 0)
    with pytest.raises(OSError), Digest() as digest:
        digest.update(b"abc")
        assert len(started_threads()) == 1
        raise OSError("disk gone")
    assert not started_threads()


@pytest.fixture
def fadvise_calls(monkeypatch) -> list:
    """The (offset, length) of every writeback request, still made for real."""
    calls, real = [], streams.start_writeback
    monkeypatch.setattr(
        streams, "start_writeback", lambda *args: calls.append(args[1:3]) or real(*args)
    )
    return calls


def test_writeback_is_asked_for_each_window_of_new_bytes(tmp_path, fadvise_calls):
    with open(tmp_path / "part", "wb", buffering=0) as out:
        writeback = Writeback(out.fileno(), start=10, every=100)
        for size in (60, 60, 30, 90, 5):
            out.write(b"x" * size)
            writeback.wrote(size)
    assert fadvise_calls == [
        (10, 120),
        (130, 120),
    ]  # the last 5 bytes wait for the fsync


def test_writeback_can_be_asked_for_what_is_pending(tmp_path, fadvise_calls):
    with open(tmp_path / "part", "wb", buffering=0) as out:
        writeback = Writeback(out.fileno(), start=8, every=1000)
        out.write(b"x" * 30)
        writeback.wrote(30)
        writeback.start_now()
        writeback.start_now()  # nothing new: no second request
    assert fadvise_calls == [(8, 30)]


@pytest.mark.skipif(not shutil.which("fincore"), reason="fincore (util-linux) missing")
@pytest.mark.skipif(streams._SYNC_FILE_RANGE is None, reason="no sync_file_range here")
def test_writeback_keeps_the_pages_cached(tmp_path):
    path = tmp_path / "part"
    with open(path, "wb", buffering=0) as out:
        writeback = Writeback(out.fileno(), every=4 * 1024 * 1024)
        for _ in range(32):
            writeback.wrote(out.write(os.urandom(1024 * 1024)))
        os.fsync(out.fileno())
    resident = subprocess.run(
        ["fincore", "--bytes", "--noheadings", "--output", "RES", str(path)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert int(resident.stdout) == 32 * 1024 * 1024  # read back from memory, not disk
