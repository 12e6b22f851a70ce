"""Helpers for the storage tests: generated streams and leftover listings."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest

S3_URL = os.environ.get("REPO_TEST_S3_URL", "")
SKIP_S3 = pytest.mark.skipif(
    not S3_URL, reason="S3 cases need REPO_TEST_S3_URL (see .ci/services/seaweedfs.sh)"
)
MINIO_URL = os.environ.get("REPO_TEST_MINIO_URL", "")
SKIP_MINIO = pytest.mark.skipif(
    not MINIO_URL,
    reason="MinIO cases need a `minio` binary on PATH (see .ci/services/minio.sh)",
)
MIB = 1024 * 1024


class GeneratedStream(io.RawIOBase):
    """``size`` bytes of deterministic data, made on demand and never held whole."""

    BLOCK = 64 * 1024

    def __init__(self, size: int, seed: bytes = b"") -> None:
        """Produce ``size`` bytes that depend on ``seed``."""
        super().__init__()
        self.size, self.seed, self.pos = size, seed, 0
        self._index, self._block = -1, b""

    def readable(self) -> bool:
        """Tell io that this stream can read."""
        return True

    def _block_at(self, index: int) -> bytes:
        """Return block ``index`` (cached while it is being read)."""
        if index != self._index:
            digest = hashlib.sha256(self.seed + index.to_bytes(8, "big")).digest()
            self._index, self._block = index, digest * (self.BLOCK // len(digest))
        return self._block

    def readinto(self, buffer) -> int:
        """Copy the next bytes of the stream into ``buffer``."""
        count = min(len(buffer), self.size - self.pos)
        if count <= 0:
            return 0
        offset = self.pos % self.BLOCK
        count = min(count, self.BLOCK - offset)
        block = self._block_at(self.pos // self.BLOCK)
        memoryview(buffer)[:count] = block[offset : offset + count]
        self.pos += count
        return count


def sha256_of(stream, chunk_size: int = MIB) -> tuple[int, str]:
    """Return size and SHA-256 of a stream, read in chunks, then close it."""
    sha, size = hashlib.sha256(), 0
    with stream:
        while chunk := stream.read(chunk_size):
            sha.update(chunk)
            size += len(chunk)
    return size, sha.hexdigest()


def leftovers(storage) -> list[str]:
    """List everything under the storage's root, temp files and open uploads too."""
    if hasattr(storage, "root"):
        root = Path(storage.root)
        return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    base = storage._name("")
    client, bucket = storage.client, storage.bucket
    objects = client.list_objects_v2(Bucket=bucket, Prefix=base).get("Contents", [])
    uploads = client.list_multipart_uploads(Bucket=bucket, Prefix=base)
    return sorted(
        [o["Key"] for o in objects] + [u["Key"] for u in uploads.get("Uploads", [])]
    )
