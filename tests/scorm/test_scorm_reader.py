"""Reading our own SCORM fixtures: metadata, TOC, launch pages, refusals, warnings."""

import io
import stat
import zipfile

import pytest

from qti import PackageLimits
from scorm import ScormError, open_package, read_manifest
from tests.scorm.factories import PAGE, lecture, manifest, package


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_lecture_metadata_toc_and_launch(version):
    opened = open_package(lecture(version, pages=3))
    found = opened.package
    assert found.version == ("1.2" if version == "1.2" else "2004 4th")
    assert found.launch == "sco0/index.html"
    assert [i.title for i in found.scos] == ["Phần 1", "Phần 2", "Phần 3"]
    assert found.language == "vi" and found.description
    assert found.title.startswith("Bài giảng")
    assert found.warnings == ()


def test_missing_metadata_is_a_warning_not_a_refusal():
    found = read_manifest(manifest(lom=False))
    assert found.title == "Khoá học"
    assert any("siêu dữ liệu" in w for w in found.warnings)


def test_item_parameters_join_the_launch_href():
    found = read_manifest(manifest(parameters=' parameters="?page=2"'))
    assert found.launch == "index.html?page=2"


def test_missing_launch_file_is_refused():
    with pytest.raises(ScormError, match="Thiếu tệp khởi chạy index.html"):
        open_package(package({"other.html": PAGE}))


def test_missing_listed_file_is_a_warning():
    opened = open_package(package({"index.html": PAGE}, extra_files=("gone.js",)))
    assert any("gone.js" in w for w in opened.package.warnings)


def test_no_manifest_is_refused():
    with pytest.raises(ScormError, match="không có tệp imsmanifest.xml"):
        open_package(package({"index.html": PAGE}, with_manifest=False))


def test_manifest_in_a_subfolder_says_how_to_fix_it():
    files = {"course/imsmanifest.xml": manifest(), "course/index.html": PAGE}
    with pytest.raises(ScormError, match="thư mục con"):
        open_package(package(files, with_manifest=False))


def test_invalid_xml_is_refused_with_the_line():
    with pytest.raises(ScormError, match="imsmanifest.xml: Tệp XML không hợp lệ"):
        open_package(package({"imsmanifest.xml": b"<manifest><oops></manifest>"}))


def test_entity_attack_in_manifest_is_refused():
    bomb = b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa">]><manifest>&a;</manifest>'
    with pytest.raises(ScormError, match="thực thể"):
        read_manifest(bomb)


def test_not_scorm_manifest_is_refused():
    qti = (
        b'<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="Q">'
        b"<metadata><schema>QTIv2.1 Package</schema><schemaversion>1.0.0</schemaversion>"
        b"</metadata><organizations/><resources/></manifest>"
    )
    with pytest.raises(ScormError, match="không phải SCORM"):
        read_manifest(qti)


def test_not_a_zip_is_refused():
    with pytest.raises(ScormError) as caught:
        open_package(io.BytesIO(b"PK\x03\x04 broken"))
    assert "ZIP" in caught.value.message


@pytest.mark.parametrize(
    "href", ["../../etc/passwd", "/etc/passwd", "http://evil.invalid/x.html"]
)
def test_launch_outside_the_package_is_refused(href):
    with pytest.raises(ScormError, match="không an toàn"):
        read_manifest(manifest(scos=(href,)))


def test_dangling_item_reference_is_refused():
    data = manifest().replace(b'identifierref="R0"', b'identifierref="NOPE"')
    with pytest.raises(ScormError, match="NOPE"):
        read_manifest(data)


def test_traversal_entry_is_refused():
    with pytest.raises(ScormError, match="không an toàn"):
        open_package(package({"index.html": PAGE, "../evil.html": PAGE}))


def test_symlink_entry_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("imsmanifest.xml", manifest())
        archive.writestr("index.html", PAGE)
        link = zipfile.ZipInfo("shared")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc")
    with pytest.raises(ScormError, match="symlink"):
        open_package(io.BytesIO(buffer.getvalue()))


def test_zip_bomb_is_refused_before_extraction():
    bomb = package({"index.html": PAGE, "video.mp4": bytes(50 * 1024 * 1024)})
    with pytest.raises(ScormError, match="bom ZIP"):
        open_package(bomb)


def test_total_size_limit_is_applied():
    limits = PackageLimits(max_total_bytes=1000)
    with pytest.raises(ScormError, match="vượt giới hạn"):
        open_package(package({"index.html": PAGE * 10}), limits)
