"""LocalStorage-only cases: the root is a hard boundary, writes are atomic."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import pytest

from storage import StorageError
from storage.local import LocalStorage
from tests.storage.support import GeneratedStream


@pytest.fixture
def local(tmp_path) -> LocalStorage:
    """A LocalStorage under tmp_path/files."""
    return LocalStorage(tmp_path / "files")


def test_root_must_be_absolute():
    with pytest.raises(ValueError):
        LocalStorage("relative/files")


def test_symlink_escaping_the_root_is_refused(local, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(b"secret")
    local.root.mkdir()
    os.symlink(outside, local.root / "link")
    for call in (
        lambda: local.open("link/secret.txt"),
        lambda: local.save("link/new.txt", io.BytesIO(b"x")),
        lambda: local.delete("link/secret.txt"),
    ):
        with pytest.raises(ValueError, match="unsafe storage key"):
            call()
    assert (outside / "secret.txt").read_bytes() == b"secret"
    assert not (outside / "new.txt").exists()
    assert list(local.iter_keys()) == []


def test_symlink_inside_the_root_is_followed(local):
    local.save("real/file.txt", io.BytesIO(b"x"))
    os.symlink(local.root / "real", local.root / "alias")
    with local.open("alias/file.txt") as file:
        assert file.read() == b"x"


def test_failed_write_keeps_the_old_file_and_no_temp(local):
    local.save("k/file", io.BytesIO(b"old"))

    class Broken(GeneratedStream):
        def readinto(self, buffer):
            if self.pos > 3 * 1024 * 1024:
                raise OSError("connection reset")
            return super().readinto(buffer)

    with pytest.raises(StorageError):
        local.save("k/file", Broken(10 * 1024 * 1024))
    with local.open("k/file") as file:
        assert file.read() == b"old"
    assert os.listdir(local.root / ".tmp") == []


def test_unwritable_root_is_a_storage_error(tmp_path):
    (tmp_path / "file").write_bytes(b"")
    storage = LocalStorage(tmp_path / "file" / "files")  # parent is a file
    with pytest.raises(StorageError, match="Không ghi được"):
        storage.save("k/f", io.BytesIO(b"x"))


def test_temp_files_are_not_keys(local):
    local.save("k/f", io.BytesIO(b"x"))
    (local.root / ".tmp" / "upload-stale").write_bytes(b"partial")
    assert list(local.iter_keys()) == ["k/f"]


def test_a_local_file_on_the_same_file_system_is_linked_not_copied(tmp_path):
    storage = LocalStorage(tmp_path / "root")
    source = tmp_path / "upload.part"
    source.write_bytes(os.urandom(10_000))
    stored = storage.save_file_by_hash(str(source))
    assert os.stat(storage.root / stored.key).st_ino == source.stat().st_ino
    source.unlink()  # the caller drops its name; the blob keeps the bytes
    assert (storage.root / stored.key).stat().st_size == 10_000


def test_a_local_file_on_another_file_system_is_copied(tmp_path):
    shm = Path("/dev/shm")
    if not shm.is_dir() or shm.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("needs /dev/shm on a file system of its own")
    storage = LocalStorage(tmp_path / "root")
    with tempfile.NamedTemporaryFile(dir=shm) as source:
        source.write(b"across file systems")
        source.flush()
        stored = storage.save_file_by_hash(source.name)
        assert os.stat(storage.root / stored.key).st_ino != os.stat(source.name).st_ino
    assert (storage.root / stored.key).read_bytes() == b"across file systems"
    assert not list((storage.root / ".tmp").iterdir())
