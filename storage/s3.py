"""S3Storage: blobs in an S3 bucket (AWS, MinIO, SeaweedFS) through boto3."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO

import boto3
from boto3.exceptions import S3UploadFailedError
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from storage import StorageError, StoredFile
from storage.http import content_disposition
from storage.keys import blob_key, check_key, check_prefix, is_key
from storage.s3_parts import PartReader, upload_parts
from storage.streams import Digest, check_range

logger = logging.getLogger(__name__)

MIB = 1024 * 1024
DEFAULT_PART_SIZE = 8 * MIB
#: S3 refuses parts below 5 MiB (except the last) and above 5 GiB.
MIN_PART_SIZE, MAX_PART_SIZE = 5 * MIB, 5 * 1024 * MIB
#: Streams of more than one part are stored under ``<prefix>/streamed/<random>``.
STREAMED = "streamed"
_MISSING = {"NoSuchKey", "404", "NotFound"}


def _client_config() -> Config:
    """Return a boto3 config that fails fast when the server is unreachable."""
    return Config(
        connect_timeout=3,
        read_timeout=30,
        retries={"max_attempts": 2, "mode": "standard"},
        s3={"addressing_style": "path"},
        signature_version="s3v4",
        # Only send/verify checksums S3 requires: S3-compatible servers vary.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )


def _headers(digest: Digest, content_type: str) -> dict[str, Any]:
    """The headers of a blob: its type and its SHA-256, for `storage check`."""
    return {"ContentType": content_type, "Metadata": {"sha256": digest.hexdigest}}


class S3Storage:
    """Store each key as ``prefix/key`` in one bucket; big streams go multipart."""

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        endpoint: str | None = None,
        region: str | None = None,
        part_size: int | None = None,
        client: Any = None,
    ) -> None:
        """Use ``bucket`` via ``endpoint``; credentials come from boto3's usual chain."""
        self.bucket = bucket
        self.prefix = check_key(prefix) if prefix else ""
        self.part_size = part_size or DEFAULT_PART_SIZE
        if not MIN_PART_SIZE <= self.part_size <= MAX_PART_SIZE:
            raise ValueError("part_size must be between 5 MiB and 5 GiB")
        self.client = client or boto3.session.Session().client(
            "s3", endpoint_url=endpoint, region_name=region, config=_client_config()
        )

    def __repr__(self) -> str:
        """Show bucket and prefix, for logs."""
        return f"S3Storage({self.bucket!r}, prefix={self.prefix!r})"

    def _name(self, key: str) -> str:
        """Return the object name of ``key`` inside the bucket."""
        return f"{self.prefix}/{key}" if self.prefix else key

    @contextmanager
    def _errors(self, key: str = "") -> Iterator[None]:
        """Translate botocore errors into FileNotFoundError/StorageError."""
        try:
            yield
        except ClientError as exc:
            raise self._translate(exc, key) from exc
        except (BotoCoreError, S3UploadFailedError) as exc:
            raise StorageError(
                f"Không kết nối được kho lưu trữ S3 "
                f"({self.client.meta.endpoint_url}): {exc}"
            ) from exc

    def _translate(self, exc: ClientError, key: str) -> Exception:
        """Return our exception for one S3 error response."""
        code = exc.response.get("Error", {}).get("Code", "")
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        if code in _MISSING:
            return FileNotFoundError(key)
        if code == "InvalidRange" or status == 416:
            return ValueError("range not satisfiable")
        if code == "NoSuchBucket":
            return StorageError(
                f"Bucket S3 {self.bucket!r} không tồn tại; hãy tạo nó (ensure_bucket)"
            )
        return StorageError(
            f"Không kết nối được kho lưu trữ S3 ({code or status}): {exc}"
        )

    def ensure_bucket(self) -> None:
        """Create the bucket if it does not exist yet (for tests and the CLI)."""
        try:
            with self._errors(self.bucket):
                self.client.head_bucket(Bucket=self.bucket)
        except FileNotFoundError:
            region = self.client.meta.region_name
            extra: dict[str, Any] = {}
            if region and region != "us-east-1":
                extra["CreateBucketConfiguration"] = {"LocationConstraint": region}
            with self._errors(self.bucket):
                self.client.create_bucket(Bucket=self.bucket, **extra)
            logger.info("created bucket %s", self.bucket)

    def save(
        self,
        key: str,
        stream: BinaryIO,
        content_type: str = "application/octet-stream",
        max_size: int | None = None,
    ) -> StoredFile:
        """Stream ``stream`` to ``key``: one PUT if small, multipart otherwise."""
        name = self._name(check_key(key))
        with Digest(max_size) as digest:
            self._upload(name, PartReader(stream, digest, self.part_size), content_type)
        logger.info("stored %s (%d bytes)", key, digest.size)
        return digest.stored(key, content_type)

    def save_by_hash(
        self,
        stream: BinaryIO,
        content_type: str = "application/octet-stream",
        max_size: int | None = None,
        prefix: str = "blobs",
    ) -> StoredFile:
        """Store by SHA-256, keeping an existing copy (see ``Storage.save_by_hash``).

        A stream of one part is hashed before it is sent, straight to its hash key. A
        longer one is sent as it arrives to ``prefix/streamed/<random>`` and stays
        there: S3 has no rename, and copying it to its hash key would write every byte
        a second time (SeaweedFS: 3–8 s per GiB). The caller's database maps the hash
        to the key returned.
        """
        check_key(prefix)
        with Digest(max_size) as digest:
            parts = PartReader(stream, digest, self.part_size)
            if parts.single:  # hash known before upload: sent to its hash key
                key = blob_key(digest.hexdigest, prefix)
                if not self.exists(key):
                    self._upload(self._name(key), parts, content_type)
            else:
                streamed = f"{prefix}/{STREAMED}/{uuid.uuid4().hex}"
                self._upload(self._name(streamed), parts, content_type)
                key = self._one_copy(streamed, blob_key(digest.hexdigest, prefix))
        logger.info("stored blob %s (%d bytes)", key, digest.size)
        return digest.stored(key, content_type)

    def _one_copy(self, streamed: str, hashed: str) -> str:
        """Return ``hashed`` (dropping ``streamed``) if those bytes are there already."""
        if not self.exists(hashed):
            return streamed
        self.delete(streamed)
        return hashed

    def save_file_by_hash(
        self,
        path: str,
        content_type: str = "application/octet-stream",
        max_size: int | None = None,
        prefix: str = "blobs",
        sha256: str | None = None,
    ) -> StoredFile:
        """Store a local file under its hash: hashed first, so sent straight to its key."""
        check_key(prefix)
        digest = Digest.of_file(path, max_size, sha256)
        key = blob_key(digest.hexdigest, prefix)
        if not self.exists(key):  # no temp object and no server-side copy
            extra, name = _headers(digest, content_type), self._name(key)
            config = TransferConfig(multipart_chunksize=self.part_size)
            with self._errors(key):
                self.client.upload_file(path, self.bucket, name, extra, None, config)
        logger.info("stored blob %s (%d bytes) from a local file", key, digest.size)
        return digest.stored(key, content_type)

    def _upload(self, name: str, parts: PartReader, content_type: str) -> None:
        """Upload all of ``parts`` to ``name`` in one PUT or as a multipart."""
        with self._errors(name):
            if not parts.single:
                upload_parts(
                    self.client, self.bucket, name, parts, {"ContentType": content_type}
                )
                return
            body = parts.take()
            self.client.put_object(
                Bucket=self.bucket,
                Key=name,
                Body=body,
                ContentType=content_type,
                Metadata={"sha256": parts.digest.hexdigest},
            )

    def open(self, key: str) -> BinaryIO:
        """Open a blob for streaming; FileNotFoundError when missing."""
        name = self._name(check_key(key))
        with self._errors(key):
            return self.client.get_object(Bucket=self.bucket, Key=name)["Body"]

    def open_range(self, key: str, start: int, end: int | None = None) -> BinaryIO:
        """Open bytes ``start..end`` (inclusive, as in HTTP Range) of a blob."""
        check_range(start, end)
        name = self._name(check_key(key))
        byte_range = f"bytes={start}-{'' if end is None else end}"
        with self._errors(key):
            response = self.client.get_object(
                Bucket=self.bucket, Key=name, Range=byte_range
            )
        return response["Body"]

    def stat(self, key: str) -> StoredFile:
        """Describe a blob from its headers; FileNotFoundError when missing."""
        name = self._name(check_key(key))
        with self._errors(key):
            head = self.client.head_object(Bucket=self.bucket, Key=name)
        sha256 = head.get("Metadata", {}).get("sha256", "")
        ctype = head.get("ContentType") or "application/octet-stream"
        modified = head["LastModified"].timestamp()
        return StoredFile(key, head["ContentLength"], sha256, ctype, modified)

    def exists(self, key: str) -> bool:
        """Tell whether a blob exists."""
        try:
            self.stat(key)
        except FileNotFoundError:
            return False
        return True

    def delete(self, key: str) -> None:
        """Delete a blob; a missing blob is not an error."""
        name = self._name(check_key(key))
        with self._errors(key):
            self.client.delete_object(Bucket=self.bucket, Key=name)
        logger.info("deleted %s", key)

    def iter_keys(self, prefix: str = "") -> Iterator[str]:
        """Yield every stored key starting with ``prefix`` (temp objects skipped)."""
        base = self._name("")
        paginator = self.client.get_paginator("list_objects_v2")
        pages = paginator.paginate(
            Bucket=self.bucket, Prefix=base + check_prefix(prefix)
        )
        with self._errors(prefix):
            for page in pages:
                for item in page.get("Contents", []):
                    key = item["Key"][len(base) :]
                    if is_key(key):
                        yield key

    def download_url(
        self,
        key: str,
        filename: str,
        content_type: str,
        expires: int = 300,
        inline: bool = False,
    ) -> str | None:
        """Return a presigned GET URL that names the file (RFC 5987) on download."""
        params = {
            "Bucket": self.bucket,
            "Key": self._name(check_key(key)),
            "ResponseContentDisposition": content_disposition(filename, inline),
            "ResponseContentType": content_type,
        }
        with self._errors(key):
            return self.client.generate_presigned_url(
                "get_object", Params=params, ExpiresIn=expires
            )
