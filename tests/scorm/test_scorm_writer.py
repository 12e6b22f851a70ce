"""Written SCORM manifests validate against the official schemas and read back."""

import pytest

from scorm import TocItem, open_package, read_manifest
from scorm.model import Asset
from scorm.writer import write_manifest
from tests.qti.support import STANDARDS, assert_valid, require
from tests.scorm.factories import lecture

META = {
    "title": "Bài giảng Hàm số",
    "description": "Hàm số bậc nhất",
    "language": "vi",
    "keywords": ["hàm số"],
    "licence": "CC BY 4.0",
    "subject": {"code": "TOAN", "name": "Toán"},
    "grade": {"code": "9", "name": "Lớp 9"},
}
SCHEMA = {"1.2": "scorm12", "2004": "scorm2004"}


def _rich_manifest(version: str) -> bytes:
    child = TocItem("I2", "Phần 2", "b.html?x=1", "R2", "sco", mastery_score=80)
    toc = (
        TocItem("I1", "Phần 1", "a.html", "R1", "sco", launch_data="d"),
        TocItem("F", "Chương", children=(child,)),
    )
    if version == "2004":
        child = TocItem("I2", "Phần 2", "b.html?x=1", "R2", "sco")
        toc = (toc[0], TocItem("F", "Chương", children=(child,)))
    assets = (
        Asset("R1", "a.html", "sco", ("a.html", "s/c.css"), ("R3",)),
        Asset("R2", "b.html", "sco", ("b.html",)),
        Asset("R3", "", "asset", ("s/c.css",)),
    )
    return write_manifest(version, "MAN-1", "Khoá học", toc, assets, META)


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_written_manifest_is_schema_valid(version):
    require(STANDARDS)
    assert_valid(SCHEMA[version], _rich_manifest(version))


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_written_manifest_reads_back(version):
    found = read_manifest(_rich_manifest(version))
    assert found.version == ("1.2" if version == "1.2" else "2004 4th")
    assert [i.href for i in found.launchables] == ["a.html", "b.html?x=1"]
    assert found.toc[1].children[0].title == "Phần 2"
    assert found.meta["subject"] == META["subject"]
    assert found.meta["licence"] == "CC BY 4.0"
    assert (found.title, found.language) == (META["title"], "vi")
    assert found.warnings == ()


@pytest.mark.parametrize("source", ["1.2", "2004"])
@pytest.mark.parametrize("target", ["1.2", "2004"])
def test_imported_lecture_rewritten_in_either_version(source, target):
    package = open_package(lecture(source, pages=3)).package
    data = write_manifest(
        target,
        package.identifier,
        package.title,
        package.toc,
        package.resources,
        package.meta,
    )
    if STANDARDS.is_dir():
        assert_valid(SCHEMA[target], data)
    again = read_manifest(data)
    assert [i.href for i in again.scos] == [i.href for i in package.scos]
    assert again.title == package.title
