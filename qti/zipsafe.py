"""Open untrusted ZIP packages safely: size, entry-count, ratio and path limits."""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from qti.errors import QtiError

_DRIVE = re.compile(r"[A-Za-z]:")


@dataclass(frozen=True)
class PackageLimits:
    """Limits applied to an uploaded package before anything is extracted."""

    #: Sum of the uncompressed sizes of all entries.
    max_total_bytes: int = 200 * 1024 * 1024
    #: Number of entries (files and folders).
    max_entries: int = 100_000
    #: Uncompressed / compressed size of one entry …
    max_ratio: float = 100.0
    #: … checked for entries at least this large (small files compress oddly).
    ratio_min_bytes: int = 1024 * 1024


def open_zip(fileobj: BinaryIO) -> zipfile.ZipFile:
    """Open ``fileobj`` as a ZIP archive or raise ``QtiError``."""
    try:
        return zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise QtiError(f"Tệp không phải gói ZIP hợp lệ: {exc}.", "package") from exc


def check_entries(
    archive: zipfile.ZipFile, limits: PackageLimits
) -> dict[str, zipfile.ZipInfo]:
    """Check every entry against ``limits``; return the files by name."""
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        raise QtiError(
            f"Gói có {len(infos)} mục, vượt giới hạn {limits.max_entries}.", "package"
        )
    files: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        _check_entry(info, limits)
        if info.is_dir():
            continue
        if info.filename in files:
            raise QtiError(f"Gói có hai mục trùng tên: {info.filename}.", "package")
        total += info.file_size
        if total > limits.max_total_bytes:
            raise QtiError(
                f"Dung lượng giải nén của gói vượt giới hạn {limits.max_total_bytes} byte.",
                "package",
            )
        files[info.filename] = info
    return files


def _check_entry(info: zipfile.ZipInfo, limits: PackageLimits) -> None:
    name = info.orig_filename
    if not is_safe_path(name) or not is_safe_path(info.filename):
        raise QtiError(f"Đường dẫn không an toàn trong gói: {name!r}.", "package")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise QtiError(f"Gói chứa liên kết tượng trưng (symlink): {name}.", "package")
    if info.flag_bits & 0x1:
        raise QtiError(f"Gói chứa tệp được mã hoá: {name}.", "package")
    ratio_checked = info.file_size >= limits.ratio_min_bytes
    if ratio_checked and info.file_size > limits.max_ratio * max(info.compress_size, 1):
        raise QtiError(
            f"Tỉ lệ nén của {name} vượt {limits.max_ratio:g} lần (nghi ngờ bom ZIP).",
            "package",
        )


def is_safe_path(name: str) -> bool:
    """Tell whether a package path stays inside the package (no ``..``, ``/``, ``\\``)."""
    if not name or "\\" in name or "\x00" in name:
        return False
    if name.startswith("/") or _DRIVE.match(name):
        return False
    return ".." not in name.split("/")


def read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """Return the bytes of one checked entry, never more than its declared size."""
    try:
        with archive.open(info) as stream:
            data = stream.read(info.file_size + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise QtiError(
            f"Không đọc được {info.filename} trong gói: {exc}.", "package"
        ) from exc
    if len(data) > info.file_size:
        raise QtiError(f"Kích thước của {info.filename} khác với khai báo.", "package")
    return data
