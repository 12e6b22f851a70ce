"""Multipart upload for S3Storage, holding at most a few parts in memory."""

from __future__ import annotations

import logging
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import Any, BinaryIO

from botocore.exceptions import BotoCoreError, ClientError

from storage.streams import CHUNK_SIZE, Digest, undo_on_error

logger = logging.getLogger(__name__)

MAX_PARTS = 10_000
#: Parts being sent while the next one is read (each holds part_size bytes).
IN_FLIGHT = 1


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
    """Upload every part of ``parts`` to ``name``; abort the upload on any error.

    ``IN_FLIGHT`` parts are sent on a thread while the next part is read
    (botocore releases the GIL on the network), so memory stays at a few parts.
    """
    upload_id = client.create_multipart_upload(Bucket=bucket, Key=name, **extra)[
        "UploadId"
    ]
    send = partial(client.upload_part, Bucket=bucket, Key=name, UploadId=upload_id)
    sending: deque[Future] = deque()
    done: list[dict[str, Any]] = []
    with (
        ThreadPoolExecutor(IN_FLIGHT, thread_name_prefix="s3-part") as pool,
        undo_on_error(
            lambda: _abort_after(pool, sending, client, bucket, name, upload_id)
        ),
    ):
        number, part = 1, parts.take()
        while part:
            if number > MAX_PARTS:
                raise ValueError("stream has more parts than S3 allows")
            if len(sending) == IN_FLIGHT:
                done.append(sending.popleft().result())
            sending.append(pool.submit(_send_part, send, number, part))
            number, part = number + 1, bytearray()  # the thread holds it now
            part = parts.take()
        done.extend(future.result() for future in sending)
        complete(client, bucket, name, upload_id, done)


def _send_part(send, number: int, part: bytearray) -> dict[str, Any]:
    """Upload one part and return its entry for the completion request."""
    return {"ETag": send(PartNumber=number, Body=part)["ETag"], "PartNumber": number}


def _abort_after(pool, sending, client, bucket: str, name: str, upload_id: str):
    """Cancel or wait out the parts in flight, then abort the upload."""
    for future in sending:
        future.cancel()
    pool.shutdown(wait=True)
    abort(client, bucket, name, upload_id)


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
