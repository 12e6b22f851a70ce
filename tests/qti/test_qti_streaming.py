"""Reading packages as streams: the manifest read piece by piece, entries parsed ahead."""

import io
import random
import zipfile

import pytest
from lxml import etree

from bench.synthetic import question
from qti import (
    Item,
    PackageLimits,
    QtiError,
    iter_package,
    parse_xml,
    read_package,
    write_package,
)
from qti.lom import build_lom
from qti.manifest import read_manifest
from qti.manifest_stream import stream_manifest
from qti.prefetch import parsed_entries
from qti.zipsafe import check_entries, open_zip
from tests.qti.factories import make_items
from tests.qti.support import SAMPLES, require


def _package(count: int = 60, version: str = "2.1", test: str | None = None) -> bytes:
    rng = random.Random(5)
    items = [Item.from_dict(question(rng)["item"]) for _ in range(count)]
    meta = {"subject": {"code": "TOAN", "name": "Toán"}, "licence": "CC0"}
    buffer = io.BytesIO()
    entries = [(item, meta) for item in items + list(make_items().values())]
    write_package(entries, buffer, version, test_title=test)
    return buffer.getvalue()


@pytest.mark.parametrize(("version", "test"), [("2.1", None), ("3.0", "Đề thi thử")])
def test_streamed_manifest_equals_the_tree_reading(version, test):
    with zipfile.ZipFile(io.BytesIO(_package(version=version, test=test))) as archive:
        data = archive.read("imsmanifest.xml")
    streamed = stream_manifest(io.BytesIO(data))
    whole = read_manifest(parse_xml(data))
    assert streamed == whole and streamed.meta == whole.meta
    assert [r.meta for r in streamed.resources] == [r.meta for r in whole.resources]


def test_streamed_manifest_keeps_xml_base_and_package_metadata():
    cp = "http://www.imsglobal.org/xsd/imscp_v1p1"
    root = etree.Element(f"{{{cp}}}manifest", identifier="M", nsmap={None: cp})
    resources = etree.SubElement(root, f"{{{cp}}}resources")
    resources.set("{http://www.w3.org/XML/1998/namespace}base", "goi/")
    resource = etree.SubElement(
        resources, f"{{{cp}}}resource", identifier="R", type="imsqti_item_xmlv2p1"
    )
    resource.set("href", "q.xml")
    top = etree.SubElement(root, f"{{{cp}}}metadata")  # after the resources
    top.append(build_lom({"licence": "CC0"}))
    data = etree.tostring(root)
    streamed = stream_manifest(io.BytesIO(data))
    assert streamed == read_manifest(parse_xml(data))
    assert streamed.resources[0].href == "goi/q.xml"
    assert streamed.meta["licence"] == "CC0"


def test_streamed_manifest_reads_files_dependencies_and_the_last_package_metadata():
    cp = "http://www.imsglobal.org/xsd/imscp_v1p1"
    data = f"""<manifest xmlns="{cp}" identifier="M">
      <metadata><lom><general><language>en</language></general></lom></metadata>
      <resources><resource identifier="R" type="imsqti_item_xmlv2p1" href="q.xml">
        <file href="q.xml"/><dependency identifierref="D1"/><file href="a.png"/>
        <metadata><x/><lom><general><language>fr</language></general></lom></metadata>
        <dependency identifierref="D2"/><file/></resource></resources>
      <metadata><lom><general><language>vi</language></general></lom></metadata>
    </manifest>""".encode()
    streamed = stream_manifest(io.BytesIO(data))
    resource = streamed.resources[0]
    assert resource.files == ("q.xml", "a.png")
    assert resource.dependencies == ("D1", "D2")
    assert resource.meta == {"language": "fr"}
    assert streamed.meta == {"language": "vi"}  # the last package metadata


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<x/>", "<manifest>"),
        (b"<x><manifest><resources/></manifest></x>", "<manifest>"),
        (b'<manifest xmlns="urn:cp"><organizations/></manifest>', "tài nguyên"),
        (b"<manifest><resources>", "không hợp lệ"),
    ],
)
def test_streamed_manifest_refuses_what_the_tree_reading_refuses(data, message):
    with pytest.raises(QtiError, match=message):
        stream_manifest(io.BytesIO(data))


def test_sample_manifests_read_the_same_streamed():
    require(SAMPLES)
    manifests = sorted(SAMPLES.rglob("imsmanifest.xml"))
    assert manifests
    for path in manifests:
        data = path.read_bytes()
        assert stream_manifest(io.BytesIO(data)) == read_manifest(parse_xml(data))


def test_entries_parsed_ahead_equal_entries_parsed_in_turn():
    with open_zip(io.BytesIO(_package(test="Đề"))) as archive:
        files = check_entries(archive, _limits())
        paths = [*files, "missing.xml", "imsmanifest.xml"]
        ahead = list(parsed_entries(archive, files, paths, depth=4))
        in_turn = list(parsed_entries(archive, files, paths, threads=False))
    assert [p for p, _ in ahead] == paths == [p for p, _ in in_turn]
    for (_, one), (_, other) in zip(ahead, in_turn, strict=True):
        assert _serialized(one) == _serialized(other)


def test_leaving_early_stops_the_worker(started_threads):
    with open_zip(io.BytesIO(_package())) as archive:
        files = check_entries(archive, _limits())
        entries = parsed_entries(archive, files, list(files), depth=2)
        next(entries)
        entries.close()
    assert not started_threads()


def test_a_corrupted_entry_refuses_the_package_from_the_worker():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("a.xml", b"<a>" + b"x" * 100 + b"</a>")
    data = bytearray(buffer.getvalue())
    data[data.index(b"xxxx")] = ord("y")
    with open_zip(io.BytesIO(bytes(data))) as archive:
        files = check_entries(archive, _limits())
        with pytest.raises(QtiError, match="Không đọc được"):
            list(parsed_entries(archive, files, ["a.xml"]))


def test_leaving_iter_package_early_stops_the_worker(started_threads):
    items = iter_package(io.BytesIO(_package()))
    next(items)
    items.close()
    assert not started_threads()


def test_iter_package_yields_what_read_package_returns():
    data = _package(test="Đề")
    problems: list = []
    streamed = list(iter_package(io.BytesIO(data), problems=problems))
    whole = read_package(io.BytesIO(data))
    assert [(i.to_dict(), m) for i, m in streamed] == [
        (i.to_dict(), m) for i, m in whole.items
    ]
    assert problems == whole.problems


def _limits() -> PackageLimits:
    return PackageLimits()


def _serialized(parsed):
    if parsed is None or isinstance(parsed, QtiError):
        return repr(parsed)
    return etree.tostring(parsed)
