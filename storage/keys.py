"""Validation of storage keys and the content-addressed key layout."""

from __future__ import annotations

import re

#: One key segment: ASCII letters, digits and ``._~-``, never starting with a dot
#: (so no ``.``/``..``, no hidden files, and ``.tmp`` stays free for our own use);
#: ``..`` is refused anywhere in a key, not only as a whole segment. At most 255
#: characters, the usual file-system limit for one name.
_SEGMENT = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,254}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
#: S3 refuses keys longer than 1024 bytes; the base prefix needs some room too.
MAX_KEY_LENGTH = 900


def check_key(key: str) -> str:
    """Return ``key`` if it is a safe relative key, else raise ValueError."""
    if not isinstance(key, str) or not key or len(key) > MAX_KEY_LENGTH or ".." in key:
        raise ValueError("unsafe storage key")
    if not all(_SEGMENT.fullmatch(part) for part in key.split("/")):
        raise ValueError("unsafe storage key")
    return key


def check_prefix(prefix: str) -> str:
    """Return a key prefix (``""``, ``"a/"``, ``"a/b"``) if safe, else raise."""
    if prefix:
        check_key(prefix[:-1] if prefix.endswith("/") else prefix)
    return prefix


def is_key(key: str) -> bool:
    """Tell whether ``key`` passes check_key (used to skip foreign objects)."""
    try:
        check_key(key)
    except ValueError:
        return False
    return True


def blob_key(sha256: str, prefix: str = "blobs") -> str:
    """Return the content-addressed key ``prefix/aa/bb/<sha256>``."""
    if not _SHA256.fullmatch(sha256):
        raise ValueError("not a lowercase hex sha256 digest")
    return check_key(f"{prefix}/{sha256[:2]}/{sha256[2:4]}/{sha256}")
