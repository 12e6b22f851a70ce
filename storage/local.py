"""LocalStorage: blobs as files under one root directory (the default backend)."""

from __future__ import annotations

import errno
import io
import logging
import mimetypes
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from storage import StorageError, StoredFile
from storage.keys import blob_key, check_key, check_prefix, is_key
from storage.streams import (
    Digest,
    RangeReader,
    Writeback,
    check_range,
    iter_chunks,
    undo_on_error,
)

logger = logging.getLogger(__name__)

#: Uploads in progress live here, on the same file system as their final place.
TMP_DIR = ".tmp"


@contextmanager
def _os_errors(action: str) -> Iterator[None]:
    """Turn an OSError from the file system into StorageError."""
    try:
        yield
    except OSError as exc:
        raise StorageError(
            f"Không ghi được kho lưu trữ cục bộ ({action}): {exc}"
        ) from exc


def _unlink(path: str | Path) -> None:
    """Remove a file if it is there."""
    with suppress(FileNotFoundError):
        os.unlink(path)


def _write_all(out, chunk) -> int:
    """Write all of ``chunk`` to an unbuffered file; return its length."""
    view, written = memoryview(chunk), 0
    while written < len(view):
        written += out.write(view[written:])
    return written


class LocalStorage:
    """Store each key as a file under ``root``; writes are temp file + rename."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        """Use the absolute directory ``root`` (created on first write)."""
        self.root = Path(root)
        if not self.root.is_absolute():
            raise ValueError("local storage root must be an absolute path")

    def __repr__(self) -> str:
        """Show the root, for logs."""
        return f"LocalStorage({str(self.root)!r})"

    def _path(self, key: str) -> Path:
        """Return the real path for ``key``, refusing anything outside the root."""
        check_key(key)
        root = self.root.resolve()
        path = (root / key).resolve()
        if path == root or not path.is_relative_to(root):
            raise ValueError("unsafe storage key")
        return path

    def save(
        self,
        key: str,
        stream: BinaryIO,
        content_type: str = "application/octet-stream",
        max_size: int | None = None,
    ) -> StoredFile:
        """Stream ``stream`` to ``key`` atomically, hashing while writing."""
        path = self._path(key)
        with Digest(max_size) as digest:
            self._commit(self._write_temp(stream, digest), path)
        logger.info("stored %s (%d bytes)", key, digest.size)
        return digest.stored(key, content_type)

    def save_by_hash(
        self,
        stream: BinaryIO,
        content_type: str = "application/octet-stream",
        max_size: int | None = None,
        prefix: str = "blobs",
    ) -> StoredFile:
        """Store under ``prefix/aa/bb/<sha256>``, keeping an existing copy."""
        check_key(prefix)
        with Digest(max_size) as digest:
            tmp = self._write_temp(stream, digest)
            key = blob_key(digest.hexdigest, prefix)
        path = self._path(key)
        if path.is_file():
            _unlink(tmp)
            logger.info("blob %s already stored", key)
        else:
            self._commit(tmp, path)
            logger.info("stored blob %s (%d bytes)", key, digest.size)
        return digest.stored(key, content_type)

    def save_file_by_hash(
        self,
        path: str,
        content_type: str = "application/octet-stream",
        max_size: int | None = None,
        prefix: str = "blobs",
        sha256: str | None = None,
    ) -> StoredFile:
        """Store a local file under its hash: hard-linked when on our file system."""
        check_key(prefix)
        digest = Digest.of_file(path, max_size, sha256)
        key = blob_key(digest.hexdigest, prefix)
        target = self._path(key)
        if not target.is_file() and not self._link(path, target):
            with open(path, "rb") as source:
                self._commit(self._write_temp(source, Digest()), target)
        logger.info("stored blob %s (%d bytes) from a local file", key, digest.size)
        return digest.stored(key, content_type)

    def _link(self, path: str, target: Path) -> bool:
        """Link ``path`` in as ``target`` (no copy); False if on another file system."""
        with _os_errors("liên kết tệp"):
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "rb") as source:
                os.fsync(source.fileno())  # the blob must survive a crash once listed
            try:
                os.link(path, target)
            except FileExistsError:
                pass  # the same bytes arrived at the same time: theirs are complete
            except OSError as exc:
                if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK):
                    raise
                return False
        return True

    def _write_temp(self, stream: BinaryIO, digest: Digest) -> Path:
        """Copy ``stream`` to a new temp file under the root and return its path."""
        tmp_dir = self.root / TMP_DIR
        with _os_errors("tạo thư mục tạm"):
            tmp_dir.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=tmp_dir, prefix="upload-")
        with undo_on_error(lambda: _unlink(name)), _os_errors("ghi tệp tạm"):
            with os.fdopen(fd, "wb", buffering=0) as out:
                writeback = Writeback(fd)
                for chunk in iter_chunks(stream, digest):
                    writeback.wrote(_write_all(out, chunk))
                os.fsync(fd)
        return Path(name)

    def _commit(self, tmp: Path, path: Path) -> None:
        """Move a finished temp file to its final ``path`` (atomic replace)."""
        with undo_on_error(lambda: _unlink(tmp)), _os_errors("đổi tên tệp"):
            path.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, path)

    def open(self, key: str) -> BinaryIO:
        """Open a blob for reading; FileNotFoundError when missing."""
        path = self._path(key)
        try:
            return path.open("rb")
        except (IsADirectoryError, NotADirectoryError) as exc:
            raise FileNotFoundError(key) from exc

    def open_range(self, key: str, start: int, end: int | None = None) -> BinaryIO:
        """Open bytes ``start..end`` (inclusive, as in HTTP Range) of a blob."""
        check_range(start, end)
        file = self.open(key)
        size = os.fstat(file.fileno()).st_size
        if start >= size:
            file.close()
            raise ValueError("range not satisfiable")
        last = size - 1 if end is None else min(end, size - 1)
        file.seek(start)
        return io.BufferedReader(RangeReader(file, last - start + 1))  # type: ignore[return-value]

    def stat(self, key: str) -> StoredFile:
        """Describe a blob (sha256 is "" here); FileNotFoundError when missing."""
        path = self._path(key)
        try:
            info = path.stat()
        except NotADirectoryError as exc:
            raise FileNotFoundError(key) from exc
        if not stat.S_ISREG(info.st_mode):
            raise FileNotFoundError(key)
        content_type = mimetypes.guess_type(key)[0] or "application/octet-stream"
        return StoredFile(key, info.st_size, "", content_type, info.st_mtime)

    def exists(self, key: str) -> bool:
        """Tell whether a blob exists."""
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        """Delete a blob; a missing blob is not an error."""
        path = self._path(key)
        with suppress(FileNotFoundError, IsADirectoryError, NotADirectoryError):
            path.unlink()
            logger.info("deleted %s", key)

    def iter_keys(self, prefix: str = "") -> Iterator[str]:
        """Yield every stored key starting with ``prefix`` (temp files skipped)."""
        check_prefix(prefix)
        start = self.root / prefix.rpartition("/")[0]
        for dirpath, dirnames, filenames in os.walk(start):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                key = Path(path).relative_to(self.root).as_posix()
                if key.startswith(prefix) and is_key(key) and not os.path.islink(path):
                    yield key

    def download_url(
        self,
        key: str,
        filename: str,
        content_type: str,
        expires: int = 300,
        inline: bool = False,
    ) -> str | None:
        """Return None: local blobs are streamed by the application."""
        check_key(key)
        return None
