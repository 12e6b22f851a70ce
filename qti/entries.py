"""Read a checked ZIP entry with zlib directly: one seek, one read, one inflate.

``ZipFile.open`` costs more than inflating a 2 KB item (a stream object, a shared
file wrapper, chunked reads with a running CRC). For stored and deflated entries
the bytes are read past the local header and inflated in one call, never past the
declared size, and the CRC is checked: what ``zipsafe.read_entry`` guarantees, with
its errors (``QtiError``). Other methods go through ``zipsafe.read_entry``.
"""

from __future__ import annotations

import struct
import zipfile
import zlib

from qti.errors import QtiError
from qti.zipsafe import read_entry

_HEADER = struct.Struct("<4s22xHH")


def read_direct(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """Return the checked bytes of one entry of ``archive`` (see the module)."""
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return read_entry(archive, info)
    raw = raw_bytes(archive, info)
    return inflate(info.filename, info.compress_type, raw, info.CRC, info.file_size)


def raw_bytes(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """Return the stored (compressed) bytes of an entry, read past its local header."""
    stream = archive.fp
    stream.seek(info.header_offset)
    header = stream.read(_HEADER.size)
    if len(header) != _HEADER.size or header[:4] != b"PK\3\4":
        raise unreadable(info.filename, "sai đầu mục")
    name_length, extra_length = _HEADER.unpack(header)[1:]
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    if stream.read(name_length) != info.orig_filename.encode(encoding):
        raise unreadable(info.filename, "tên trong đầu mục khác danh mục")  # as zipfile
    stream.seek(extra_length, 1)
    raw = stream.read(info.compress_size)
    if len(raw) != info.compress_size:
        raise unreadable(info.filename, "thiếu dữ liệu")
    return raw


def inflate(path: str, method: int, payload: bytes, crc: int, size: int) -> bytes:
    """Return the entry's bytes from its stored bytes: at most ``size`` + 1 inflated,
    exactly ``size`` accepted, and the CRC checked."""
    if method == zipfile.ZIP_STORED:
        data = payload
    else:
        try:
            data = zlib.decompressobj(-15).decompress(payload, size + 1)
        except zlib.error as exc:
            raise unreadable(path, str(exc)) from exc
    if len(data) > size:
        raise QtiError(f"Kích thước của {path} khác với khai báo.", "package")
    if len(data) != size:
        raise unreadable(path, "thiếu dữ liệu")
    if zlib.crc32(data) != crc:
        raise unreadable(path, "sai mã kiểm tra CRC")
    return data


def unreadable(name: str, reason: str) -> QtiError:
    return QtiError(f"Không đọc được {name} trong gói: {reason}.", "package")
