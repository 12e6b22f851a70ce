"""Packages read on worker processes give what reading in one process gives."""

import io
import pickle
import threading
import zipfile
from pathlib import Path

import pytest

from qti import QtiError, UnsupportedItem, iter_package, read_package
from qti.parallel import Pool
from tests.qti.support import SAMPLES, require
from tests.qti.test_qti_streaming import _package


def _same(data: bytes) -> None:
    alone = read_package(io.BytesIO(data), workers=0)
    pooled = read_package(io.BytesIO(data), workers=2)
    assert [(i.to_dict(), m) for i, m in pooled.items] == [
        (i.to_dict(), m) for i, m in alone.items
    ]
    assert pooled.problems == alone.problems


@pytest.mark.parametrize(("version", "test"), [("2.1", None), ("3.0", "Đề")])
def test_pooled_reading_equals_reading_in_process(version, test):
    _same(_package(300, version, test))


def test_sample_packages_read_the_same_on_workers():
    folders = [p.parent for p in sorted(require(SAMPLES).rglob("imsmanifest.xml"))]
    assert folders
    for folder in folders:
        _same(_zipped(folder))


def test_missing_broken_and_listed_files_read_the_same_on_workers():
    data = _package(20, test="Đề")
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        names = [n for n in source.namelist() if n.startswith("items/")]
        for name in source.namelist():
            if name == names[0]:
                continue  # declared in the manifest, missing from the package
            payload = source.read(name)
            if name == names[1]:
                payload = b"<assessmentItem><broken"
            target.writestr(
                name, payload, zipfile.ZIP_BZIP2 if name == names[2] else None
            )
    result = read_package(io.BytesIO(buffer.getvalue()), workers=2)
    assert {p for p, _ in result.problems} >= {names[0], names[1]}
    _same(buffer.getvalue())


def test_a_corrupted_entry_refuses_the_package_on_workers():
    data = bytearray(_package(20))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = next(i for i in archive.infolist() if i.filename.startswith("items/"))
    start = info.header_offset + 30 + len(info.filename.encode())
    data[start + 5] ^= 0xFF
    with pytest.raises(QtiError, match="Không đọc được") as error:
        read_package(io.BytesIO(bytes(data)), workers=2)
    assert error.value.field == "package"


@pytest.mark.parametrize("workers", [0, 2])
def test_a_local_name_unlike_the_directory_refuses_the_package(workers):
    data = bytearray(_package(20))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = next(i for i in archive.infolist() if i.filename.startswith("items/"))
    data[info.header_offset + 30] = ord("X")  # the "i" of "items/…" in its header
    with pytest.raises(QtiError, match="Không đọc được"):
        read_package(io.BytesIO(bytes(data)), workers=workers)


def test_leaving_early_ends_the_workers(started_threads):
    items = iter_package(io.BytesIO(_package(300)), workers=2)
    next(items)
    assert started_threads()  # the pipe threads are running
    items.close()
    assert not started_threads()


def test_reading_from_a_background_thread_works():
    data = _package(100)
    found = []
    thread = threading.Thread(
        target=lambda: found.append(read_package(io.BytesIO(data), workers=2))
    )
    thread.start()
    thread.join()
    assert len(found[0].items) == len(read_package(io.BytesIO(data)).items)


def test_errors_raised_in_a_worker_arrive_as_the_same_type():
    error = pickle.loads(pickle.dumps(UnsupportedItem("Không hỗ trợ.", "type")))
    assert type(error) is UnsupportedItem and error.field == "type"
    with Pool(2) as pool:
        chunks = [[("a.xml", 0, b"<a/>", 0, 4)]]  # a wrong CRC
        with pytest.raises(QtiError, match="CRC"):
            list(pool.map("qti.pooled:read_chunk", chunks))
    with Pool(2) as pool, pytest.raises(QtiError, match="tiến trình phụ"):
        list(pool.map("os:getcwd", [[]]))


def _zipped(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()
