"""Blob storage behind one Protocol: local files by default, S3 by URL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO, Protocol, runtime_checkable
from urllib.parse import parse_qsl, unquote, urlsplit

if TYPE_CHECKING:
    from storage.local import LocalStorage
    from storage.s3 import S3Storage

__all__ = [
    "StorageError",
    "StorageLimitError",
    "StoredFile",
    "Storage",
    "from_url",
]


class StorageError(Exception):
    """The storage backend is unreachable or failed; the service answers 503."""


class StorageLimitError(ValueError):
    """A stream was larger than the max_size given to save; nothing was kept."""

    def __init__(self, max_size: int) -> None:
        """Remember the limit that was exceeded."""
        super().__init__(f"file exceeds the size limit of {max_size} bytes")
        self.max_size = max_size


@dataclass(frozen=True)
class StoredFile:
    """What a backend knows about one stored blob."""

    key: str
    size: int
    sha256: str  # hex digest, or "" when the backend does not know it
    content_type: str
    modified: float | None = None  # seconds since the epoch (stat only)


@runtime_checkable
class Storage(Protocol):
    """A dumb blob store addressed by validated, '/'-separated ASCII keys."""

    def save(
        self,
        key: str,
        stream: BinaryIO,
        content_type: str = "application/octet-stream",
        max_size: int | None = None,
    ) -> StoredFile:
        """Stream ``stream`` to ``key`` (replacing it), hashing while writing."""
        ...

    def save_by_hash(
        self,
        stream: BinaryIO,
        content_type: str = "application/octet-stream",
        max_size: int | None = None,
        prefix: str = "blobs",
    ) -> StoredFile:
        """Store by SHA-256 under ``prefix/aa/bb/<sha256>``, keeping an existing copy.

        S3 keeps a stream of more than one part where it was streamed, under
        ``prefix/streamed/<random>`` (copying it would write every byte again), unless
        the same bytes are already under their hash key: the key returned is where
        the bytes are, and the caller records it with the hash.
        """
        ...

    def save_file_by_hash(
        self,
        path: str,
        content_type: str = "application/octet-stream",
        max_size: int | None = None,
        prefix: str = "blobs",
        sha256: str | None = None,
    ) -> StoredFile:
        """Store a complete local file like ``save_by_hash``; the file stays in place.

        A backend may take the bytes without copying them (a hard link on the same
        file system), so the caller must not change the file afterwards. ``sha256``
        is the file's digest when the caller hashed it as it was written: trusted,
        the file is then not read again to hash it.
        """
        ...

    def open(self, key: str) -> BinaryIO:
        """Open a blob for reading; FileNotFoundError when missing."""
        ...

    def open_range(self, key: str, start: int, end: int | None = None) -> BinaryIO:
        """Open bytes ``start..end`` (inclusive, as in HTTP Range) of a blob."""
        ...

    def stat(self, key: str) -> StoredFile:
        """Describe a blob; FileNotFoundError when missing."""
        ...

    def exists(self, key: str) -> bool:
        """Tell whether a blob exists."""
        ...

    def delete(self, key: str) -> None:
        """Delete a blob; a missing blob is not an error."""
        ...

    def iter_keys(self, prefix: str = "") -> Iterator[str]:
        """Yield every stored key starting with ``prefix``, in no set order."""
        ...

    def download_url(
        self,
        key: str,
        filename: str,
        content_type: str,
        expires: int = 300,
        inline: bool = False,
    ) -> str | None:
        """Return a short-lived direct download URL, or None to stream it."""
        ...


def from_url(url: str) -> LocalStorage | S3Storage:
    """Build the backend named by ``url``: ``file:///abs/path`` or ``s3://bucket``."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        return _local_from_url(parts.netloc, parts.path, parts.query)
    if parts.scheme == "s3":
        return _s3_from_url(parts.netloc, parts.path, parts.query)
    raise ValueError(f"unknown storage URL scheme: {parts.scheme!r}")


def _local_from_url(netloc: str, path: str, query: str) -> LocalStorage:
    """Build LocalStorage from the parts of a file:// URL."""
    from storage.local import LocalStorage

    if netloc not in ("", "localhost") or query or not path.startswith("/"):
        raise ValueError("storage URL must look like file:///absolute/path")
    return LocalStorage(unquote(path))


def _s3_from_url(bucket: str, path: str, query: str) -> S3Storage:
    """Build S3Storage from the parts of an s3:// URL."""
    try:
        from storage.s3 import S3Storage
    except ModuleNotFoundError as exc:  # boto3 is the optional "s3" extra
        raise ImportError("s3:// storage needs boto3 (the 's3' extra)") from exc
    if not bucket:
        raise ValueError("storage URL must look like s3://bucket/prefix?endpoint=...")
    params = dict(parse_qsl(query, keep_blank_values=True, strict_parsing=False))
    unknown = set(params) - {"endpoint", "region", "part_size"}
    if unknown:
        raise ValueError(f"unknown s3 storage URL parameters: {sorted(unknown)}")
    part_size = params.get("part_size")
    return S3Storage(
        bucket,
        prefix=unquote(path).strip("/"),
        endpoint=params.get("endpoint") or None,
        region=params.get("region") or None,
        part_size=int(part_size) if part_size else None,
    )
