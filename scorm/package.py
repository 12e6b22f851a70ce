"""Open an untrusted SCORM zip: the shared zip limits, then the manifest checks."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from qti.errors import QtiError
from qti.zipsafe import PackageLimits, check_entries, open_zip, read_entry
from scorm.errors import ScormError
from scorm.model import Package
from scorm.reader import read_manifest

MANIFEST = "imsmanifest.xml"
#: Largest manifest parsed (a DOM takes several times the bytes).
MAX_MANIFEST_BYTES = 32 * 1024 * 1024


@dataclass
class OpenedPackage:
    """A checked package: what the manifest says and the zip entries to copy."""

    package: Package
    archive: zipfile.ZipFile
    entries: dict[str, zipfile.ZipInfo]

    def read(self, path: str) -> bytes:
        """Return the bytes of one entry (bounded by its checked size)."""
        return read_entry(self.archive, self.entries[path])

    def files(self) -> Iterator[tuple[str, zipfile.ZipInfo]]:
        """Yield (path, entry) of every file, in archive order."""
        yield from self.entries.items()

    def close(self) -> None:
        """Close the archive."""
        self.archive.close()


def open_package(
    fileobj: BinaryIO, limits: PackageLimits | None = None
) -> OpenedPackage:
    """Check a SCORM zip (paths, symlinks, bombs, manifest); raise ``ScormError`` why not."""
    archive = _as_scorm(open_zip, fileobj)
    try:
        entries = _as_scorm(check_entries, archive, limits or PackageLimits())
        manifest = entries.get(MANIFEST)
        if manifest is None:
            raise _no_manifest(entries)
        if manifest.file_size > MAX_MANIFEST_BYTES:
            raise ScormError("imsmanifest.xml quá lớn.", "manifest")
        data = _as_scorm(read_entry, archive, manifest)
        package = read_manifest(data, entries.keys(), _opener(archive, entries))
    except BaseException:
        archive.close()
        raise
    return OpenedPackage(package, archive, entries)


def _as_scorm(function, *args):
    """Call a shared zip check; its ``QtiError`` becomes a ``ScormError``."""
    try:
        return function(*args)
    except ScormError:
        raise
    except QtiError as exc:
        raise ScormError(exc.message, exc.field) from exc


def _opener(archive, entries):
    def open_file(path: str) -> bytes | None:
        info = entries.get(path)
        return None if info is None else read_entry(archive, info)

    return open_file


def _no_manifest(entries: dict) -> ScormError:
    nested = sorted(n for n in entries if n.endswith("/" + MANIFEST))
    if nested:
        return ScormError(
            f"imsmanifest.xml nằm trong thư mục con ({nested[0]}); hãy nén lại từ "
            "bên trong thư mục bài giảng để tệp này ở gốc gói.",
            "package",
        )
    return ScormError(
        "Gói không có tệp imsmanifest.xml ở gốc: không phải gói SCORM.", "package"
    )


def is_scorm(fileobj: BinaryIO) -> bool:
    """Tell whether ``fileobj`` is a zip whose root manifest declares SCORM."""
    from scorm.reader import parse_manifest
    from scorm.versions import detect_version

    try:
        with zipfile.ZipFile(fileobj) as archive:
            info = archive.getinfo(MANIFEST)
            if info.file_size > MAX_MANIFEST_BYTES:
                return False
            detect_version(parse_manifest(archive.read(info)))
    except (zipfile.BadZipFile, KeyError, OSError, QtiError):
        return False
    finally:
        fileobj.seek(0)
    return True
