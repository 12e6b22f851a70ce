"""Multipart upload and copy for S3Storage, holding at most one part in memory."""

from __future__ import annotations

import logging
import math
from typing import Any, BinaryIO

from botocore.exceptions import BotoCoreError, ClientError

from storage.streams import CHUNK_SIZE, Digest, undo_on_error

logger = logging.getLogger(__name__)

MAX_PARTS = 10_000


class PartReader:
    """Read a stream in part-sized buffers while feeding a Digest."""

    def __init__(self, stream: BinaryIO, digest: Digest, part_size: int) -> None:
        """Read the first part at once so ``single`` can be answered."""
        self._stream, self.digest, self.part_size = stream, digest, part_size
        self._next: bytearray | None = self._read()

    @property
    def single(self) -> bool:
        """Tell whether the whole stream fits in the first part."""
        return self._next is not None and len(self._next) < self.part_size

    def take(self) -> bytearray:
        """Return the next part (empty at the end), keeping no reference to it."""
        part = self._next if self._next is not None else self._read()
        self._next = None
        return part

    def _read(self) -> bytearray:
        """Read up to part_size bytes into one preallocated buffer."""
        buffer = bytearray(self.part_size)
        filled = 0
        while filled < self.part_size:
            chunk = self._stream.read(min(CHUNK_SIZE, self.part_size - filled))
            if not chunk:
                break
            self.digest.update(chunk)
            buffer[filled : filled + len(chunk)] = chunk
            filled += len(chunk)
        del buffer[filled:]
        return buffer


def upload_parts(
    client: Any, bucket: str, name: str, parts: PartReader, extra: dict[str, Any]
) -> None:
    """Upload every part of ``parts`` to ``name``; abort the upload on any error."""
    upload_id = client.create_multipart_upload(Bucket=bucket, Key=name, **extra)[
        "UploadId"
    ]
    done: list[dict[str, Any]] = []
    with undo_on_error(lambda: abort(client, bucket, name, upload_id)):
        part = parts.take()
        while part:
            if len(done) == MAX_PARTS:
                raise ValueError("stream has more parts than S3 allows")
            number = len(done) + 1
            response = client.upload_part(
                Bucket=bucket,
                Key=name,
                UploadId=upload_id,
                PartNumber=number,
                Body=part,
            )
            done.append({"ETag": response["ETag"], "PartNumber": number})
            part = bytearray()  # free this part before the next one is read
            part = parts.take()
        complete(client, bucket, name, upload_id, done)


def copy_parts(
    client: Any,
    bucket: str,
    source: str,
    target: str,
    size: int,
    part_size: int,
    extra: dict[str, Any],
) -> None:
    """Copy ``source`` to ``target`` server-side in ranges (objects above 5 GiB)."""
    step = max(part_size, math.ceil(size / MAX_PARTS))
    upload_id = client.create_multipart_upload(Bucket=bucket, Key=target, **extra)[
        "UploadId"
    ]
    done: list[dict[str, Any]] = []
    with undo_on_error(lambda: abort(client, bucket, target, upload_id)):
        for start in range(0, size, step):
            number = len(done) + 1
            response = client.upload_part_copy(
                Bucket=bucket,
                Key=target,
                UploadId=upload_id,
                PartNumber=number,
                CopySource={"Bucket": bucket, "Key": source},
                CopySourceRange=f"bytes={start}-{min(start + step, size) - 1}",
            )
            done.append(
                {"ETag": response["CopyPartResult"]["ETag"], "PartNumber": number}
            )
        complete(client, bucket, target, upload_id, done)


def complete(
    client: Any, bucket: str, name: str, upload_id: str, parts: list[dict[str, Any]]
) -> None:
    """Finish a multipart upload from its list of parts."""
    client.complete_multipart_upload(
        Bucket=bucket, Key=name, UploadId=upload_id, MultipartUpload={"Parts": parts}
    )


def abort(client: Any, bucket: str, name: str, upload_id: str) -> None:
    """Abort a multipart upload, logging (not raising) when that fails too."""
    try:
        client.abort_multipart_upload(Bucket=bucket, Key=name, UploadId=upload_id)
    except (BotoCoreError, ClientError):
        logger.warning("could not abort multipart upload %s of %s", upload_id, name)
