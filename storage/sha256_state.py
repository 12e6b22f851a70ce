"""A SHA-256 whose running state can be saved and resumed later, in another process.

``hashlib`` cannot export a hash's state, so a resumable upload had to read its whole
part file again after the last chunk to hash it (about a second per GiB here, after
the upload itself). OpenSSL's low-level ``SHA256_CTX`` is a plain, self-contained
struct declared in ``openssl/sha.h``; keeping its bytes between requests lets each
chunk be hashed while it is written. Where libcrypto cannot be loaded, or fails the
self-test at import, ``available()`` is False and callers hash the file at the end.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import struct
import sys
import zlib

#: sizeof(SHA256_CTX): h[8], Nl, Nh, data[16], num, md_len — 32-bit words, unchanged
#: from OpenSSL 0.9.8 to 3.x.
CTX_SIZE = 112
#: Saved states start with this tag, naming the format and the machine's byte order.
TAG = b"KHS256" + (b"<" if sys.byteorder == "little" else b">") + b"1"
_HEADER = struct.Struct("=8sQ")  # tag, bytes hashed so far
_CHECK = struct.Struct("=I")  # CRC-32 of the rest: a torn or damaged state is refused
#: Length of a saved state.
STATE_SIZE = _HEADER.size + CTX_SIZE + _CHECK.size


class StateError(ValueError):
    """A saved state is damaged or was written by another kind of machine."""


def _load_libcrypto():
    """Return libcrypto with the SHA-256 functions typed, or None."""
    name = ctypes.util.find_library("crypto")
    try:
        library = ctypes.CDLL(name) if name else None
        functions = [library.SHA256_Init, library.SHA256_Update, library.SHA256_Final]
    except (OSError, AttributeError):
        return None
    init, update, final = functions
    init.argtypes = [ctypes.c_void_p]
    update.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
    final.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    return library  # CDLL calls release the GIL: a helper thread hashes in parallel


_LIBCRYPTO = _load_libcrypto()


class ResumableSha256:
    """SHA-256 of a stream fed in pieces, whose state survives between processes."""

    def __init__(self, state: bytes | None = None) -> None:
        """Start empty, or continue from a ``state()`` saved earlier."""
        if _LIBCRYPTO is None:
            raise RuntimeError("libcrypto is not available")
        self._ctx = ctypes.create_string_buffer(CTX_SIZE)
        self.size = 0
        if state is None:
            _LIBCRYPTO.SHA256_Init(self._ctx)
        else:
            self._restore(state)

    def _restore(self, state: bytes) -> None:
        """Load a saved state, refusing anything that is not one."""
        if len(state) != STATE_SIZE:
            raise StateError("saved SHA-256 state has the wrong length")
        body, (check,) = state[: -_CHECK.size], _CHECK.unpack(state[-_CHECK.size :])
        if zlib.crc32(body) != check:
            raise StateError("saved SHA-256 state is damaged")
        tag, self.size = _HEADER.unpack_from(body)
        if tag != TAG:
            raise StateError("saved SHA-256 state is from another format or machine")
        self._ctx.raw = body[_HEADER.size :]

    def update(self, data: bytes) -> None:
        """Hash ``data`` (bytes: ctypes passes them without a copy)."""
        if not isinstance(data, bytes):
            data = bytes(data)
        _LIBCRYPTO.SHA256_Update(self._ctx, data, len(data))
        self.size += len(data)

    def state(self) -> bytes:
        """Return the state to save: ``ResumableSha256(state)`` continues from here."""
        body = _HEADER.pack(TAG, self.size) + self._ctx.raw
        return body + _CHECK.pack(zlib.crc32(body))

    def hexdigest(self) -> str:
        """Return the digest of everything fed so far (the state is left as it is)."""
        ctx = ctypes.create_string_buffer(self._ctx.raw, CTX_SIZE)
        out = ctypes.create_string_buffer(32)
        _LIBCRYPTO.SHA256_Final(out, ctx)
        return out.raw.hex()


def _self_test() -> bool:
    """Tell whether saving and resuming gives hashlib's digest on this machine."""
    data = bytes(range(256)) * 5
    try:
        first = ResumableSha256()
        first.update(data[:77])
        second = ResumableSha256(first.state())
        second.update(data[77:])
    except (RuntimeError, StateError):
        return False
    return second.hexdigest() == hashlib.sha256(data).hexdigest()


_WORKS = _LIBCRYPTO is not None and _self_test()


def available() -> bool:
    """Tell whether resumable hashing works here (else hash files when complete)."""
    return _WORKS
