"""Entries read with zlib directly keep every check of ``ZipFile.open``."""

import io
import zipfile

import pytest

from qti.entries import read_direct
from qti.errors import QtiError
from qti.zipsafe import read_entry


def _archive(method: int) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        archive.writestr("items/a.xml", "<a>Câu hỏi</a>" * 50)
        archive.writestr("empty.xml", b"")
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


@pytest.mark.parametrize("method", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_read_direct_gives_the_bytes_zipfile_gives(method):
    archive = _archive(method)
    for info in archive.infolist():
        assert read_direct(archive, info) == read_entry(archive, info)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"CRC": 1}, "CRC"),
        ({"file_size": 10}, "khác với khai báo"),  # more data than declared
        ({"file_size": 10_000}, "thiếu dữ liệu"),
        ({"header_offset": 3}, "sai đầu mục"),
        ({"compress_size": 5}, "Không đọc được"),
    ],
)
def test_a_lying_directory_entry_is_refused(change, message):
    archive = _archive(zipfile.ZIP_DEFLATED)
    info = archive.getinfo("items/a.xml")
    for name, value in change.items():
        setattr(info, name, value)
    with pytest.raises(QtiError, match=message):
        read_direct(archive, info)
