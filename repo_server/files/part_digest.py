"""The running SHA-256 of a resumable upload, saved beside its part file between chunks.

Each chunk is hashed while it is written, and the hash state (``storage.sha256_state``)
is saved as ``<id>.sha256`` next to ``<id>.part``, so a finished part is stored without
being read again. The state is trusted only when it covers exactly the part's length:
otherwise (a request that died between writing and saving, a crash that lost unsynced
bytes, an upload begun before states were kept) the bytes it lacks are hashed from the
part file first, from the start if the state is ahead of the file.
"""

import logging
import os
from contextlib import suppress

from storage import sha256_state
from storage.sha256_state import ResumableSha256, StateError

logger = logging.getLogger(__name__)
#: Name ending of a saved state, beside the upload's ``.part`` file.
SUFFIX = ".sha256"
READ_SIZE = 1024 * 1024


def state_path(part_path: str) -> str:
    """Return where the hash state of ``part_path`` is kept."""
    return part_path.removesuffix(".part") + SUFFIX


def resume(part_path: str, size: int) -> ResumableSha256 | None:
    """Return the hash of the part's first ``size`` bytes (None: hash at the end)."""
    if not sha256_state.available():
        return None
    sha = _saved(part_path)
    if sha is None or sha.size > size:
        sha = ResumableSha256()
    if sha.size < size:
        logger.info("hashing %d bytes of %s again", size - sha.size, part_path)
        _catch_up(sha, part_path, size)
    return sha


def _saved(part_path: str) -> ResumableSha256 | None:
    """Return the saved state, or None when there is none or it is damaged."""
    try:
        with open(state_path(part_path), "rb") as saved:
            return ResumableSha256(saved.read())
    except (FileNotFoundError, StateError):
        return None


def _catch_up(sha: ResumableSha256, part_path: str, size: int) -> None:
    """Hash the part's bytes from ``sha.size`` up to ``size``."""
    with open(part_path, "rb") as part:
        part.seek(sha.size)
        while sha.size < size and (chunk := part.read(min(READ_SIZE, size - sha.size))):
            sha.update(chunk)


def save(part_path: str, sha: ResumableSha256 | None) -> None:
    """Keep ``sha`` for the next chunk, overwriting the last state in place.

    One small write at offset 0, no rename: a rename per chunk made the file system
    flush and cost milliseconds. A state torn by a crash fails its check when read,
    and the bytes are then hashed from the part file.
    """
    if sha is None:
        return
    fd = os.open(state_path(part_path), os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        os.pwrite(fd, sha.state(), 0)  # always the same length: nothing to truncate
    finally:
        os.close(fd)


def finished(part_path: str, size: int) -> str | None:
    """Return the hex digest of a complete part of ``size`` bytes, if it is known."""
    sha = _saved(part_path) if sha256_state.available() else None
    return sha.hexdigest() if sha is not None and sha.size == size else None


def discard(part_path: str) -> None:
    """Remove the saved state of a part, if any."""
    with suppress(FileNotFoundError):
        os.unlink(state_path(part_path))
