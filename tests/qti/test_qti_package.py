"""write_package / read_package: streaming, media, metadata and stable round trips."""

import io
import zipfile
from dataclasses import replace

import pytest
from lxml import etree

from qti import (
    QUESTION_TYPES,
    Item,
    Media,
    PackageLimits,
    QtiError,
    read_package,
    write_package,
)
from qti.lom import build_lom, read_lom
from qti.manifest import read_manifest
from qti.parser import parse_xml
from tests.qti.factories import make_items
from tests.qti.support import c14n

META = {
    "title": "Câu hỏi về hàm số",
    "description": "Nhận biết tính đơn điệu",
    "keywords": ["hàm số", "đồng biến"],
    "subject": {"code": "TOAN", "name": "Toán"},
    "grade": {"code": "10", "name": "Lớp 10"},
    "topic": {"code": "TOAN10-C2", "name": "Chương II. Hàm số bậc hai"},
    "level": {"code": "NB", "name": "Nhận biết"},
    "licence": "CC BY-SA 4.0",
}
MEDIA = {"media/do-thi.png": b"\x89PNG fake", "media/bai-doc.mp3": b"ID3 fake"}


def opener(media: Media) -> io.BytesIO:
    """Open media from the fake store above."""
    return io.BytesIO(MEDIA[media.src])


def _write(entries, version="2.1", **options) -> io.BytesIO:
    buffer = io.BytesIO()
    write_package(entries, buffer, version, **options)
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize("version", ["2.1", "3.0"])
def test_package_round_trip_gives_back_the_items_and_metadata(items, version):
    entries = [(item, META) for item in items.values()]
    result = read_package(_write(entries, version, media_opener=opener))
    assert result.problems == []
    assert [item for item, _ in result.items] == list(items.values())
    for _, meta in result.items:
        assert {k: meta[k] for k in META} == META


@pytest.mark.parametrize("version", ["2.1", "3.0"])
def test_export_import_export_package_is_identical(items, version):
    entries = [(item, META) for item in items.values()]
    first = _write(entries, version, test_title="Đề kiểm tra", media_opener=opener)
    archive = zipfile.ZipFile(first)
    result = read_package(first)

    def from_first(media: Media) -> bytes:
        return archive.read(media.src)

    second = _write(
        result.items, version, test_title="Đề kiểm tra", media_opener=from_first
    )
    again = zipfile.ZipFile(second)
    assert archive.namelist() == again.namelist()
    for name in archive.namelist():
        if name.endswith(".xml"):
            assert c14n(archive.read(name)) == c14n(again.read(name)), name
        else:
            assert archive.read(name) == again.read(name)
    assert first.getvalue() == second.getvalue()


def test_layout_and_manifest_last(items):
    archive = zipfile.ZipFile(
        _write(items.values(), test_title="Đề", media_opener=opener)
    )
    names = archive.namelist()
    assert names[-1] == "imsmanifest.xml" and names[-2] == "test.xml"
    assert "media/do-thi.png" in names and "items/Q-single.xml" in names
    item_xml = archive.read("items/Q-single.xml").decode()
    assert (
        'src="../media/do-thi.png"' in item_xml
        and 'data="../media/bai-doc.mp3"' in item_xml
    )
    manifest = read_manifest(parse_xml(archive.read("imsmanifest.xml")))
    types = {r.identifier: r.type for r in manifest.resources}
    assert (
        types["Q-single"] == "imsqti_item_xmlv2p1"
        and types["TEST"] == "imsqti_test_xmlv2p1"
    )
    single = next(r for r in manifest.resources if r.identifier == "Q-single")
    assert [types[d] for d in single.dependencies] == ["webcontent", "webcontent"]


def test_writing_streams_items_as_they_come(items):
    """Items reach the output while later ones are still being produced."""
    buffer = io.BytesIO()
    sizes = []

    def produce():
        for number in range(300):
            yield replace(items["true_false"], identifier=f"Q-{number}")
            sizes.append(len(buffer.getvalue()))

    assert write_package(produce(), buffer) == 300
    assert sizes[-1] > sizes[200] > sizes[100] > 0


def test_shared_media_is_stored_once_and_external_media_is_linked(items):
    first = items["single_choice"]
    second = replace(first, identifier="Q-again")
    web = replace(
        items["true_false"], media=(Media("https://example.org/a.png", "image/png"),)
    )
    archive = zipfile.ZipFile(_write([first, second, web], media_opener=opener))
    assert sorted(n for n in archive.namelist() if n.startswith("media/")) == [
        "media/bai-doc.mp3",
        "media/do-thi.png",
    ]
    assert b'data="https://example.org/a.png"' in archive.read("items/Q-tf.xml")


def test_without_opener_media_stay_external_references(items):
    archive = zipfile.ZipFile(_write([items["single_choice"]]))
    assert not [n for n in archive.namelist() if n.startswith("media/")]
    assert b'src="media/do-thi.png"' in archive.read("items/Q-single.xml")


def test_missing_media_raises(items):
    def missing(media: Media):
        raise FileNotFoundError(media.src)

    with pytest.raises(QtiError, match="Không mở được"):
        _write([items["single_choice"]], media_opener=missing)


def test_duplicate_and_missing_identifiers_are_made_unique(items):
    tf = items["true_false"]
    anonymous = replace(tf, identifier="")
    archive = zipfile.ZipFile(_write([tf, tf, anonymous, anonymous]))
    names = [n for n in archive.namelist() if n.startswith("items/")]
    assert names[:2] == ["items/Q-tf.xml", "items/Q-tf-2.xml"]
    assert len(set(names)) == 4
    read = [
        item.identifier
        for item, _ in read_package(io.BytesIO(archive.fp.getvalue())).items
    ]
    assert read[:2] == ["Q-tf", "Q-tf-2"]


def test_only_qti21_and_qti30_packages(items):
    with pytest.raises(QtiError, match="2.1 hoặc 3.0"):
        _write([items["true_false"]], "2.2")


def test_items_inherit_package_metadata_and_manifest_may_sit_in_a_folder(items):
    inner = zipfile.ZipFile(_write([items["true_false"]]))
    manifest = parse_xml(inner.read("imsmanifest.xml"))
    top = manifest[0]
    top.append(
        build_lom({"subject": {"code": "VL", "name": "Vật lí"}, "licence": "CC0"})
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("goi/imsmanifest.xml", etree.tostring(manifest))
        archive.writestr("goi/items/Q-tf.xml", inner.read("items/Q-tf.xml"))
    [(item, meta)] = read_package(buffer).items
    assert item.identifier == "Q-tf"
    assert (
        meta["subject"] == {"code": "VL", "name": "Vật lí"} and meta["licence"] == "CC0"
    )
    assert meta["href"] == "goi/items/Q-tf.xml"


def test_lom_round_trip_and_foreign_classifications():
    lom = build_lom(META)
    assert read_lom(lom) == {**META, "language": "vi"}
    foreign = parse_xml(
        b'<lom xmlns="http://ltsc.ieee.org/xsd/LOM"><classification><purpose><value>discipline'
        b"</value></purpose><taxonPath><source><string>jacs</string></source><taxon><id>G1</id>"
        b"<entry><string>Mathematics</string></entry></taxon></taxonPath></classification></lom>"
    )
    assert read_lom(foreign) == {
        "classifications": [
            {
                "purpose": "discipline",
                "source": "jacs",
                "code": "G1",
                "name": "Mathematics",
            }
        ]
    }


def test_limits_apply_to_our_own_packages_too(items):
    limits = PackageLimits(max_entries=2)
    with pytest.raises(QtiError):
        read_package(_write(items.values()), limits)


def test_plain_items_and_pairs_can_be_mixed(items):
    entries = [items["true_false"], (items["numeric"], {"title": "Số π"})]
    result = read_package(_write(entries))
    assert [meta.get("title") for _, meta in result.items] == [None, "Số π"]
    assert all(isinstance(item, Item) for item, _ in result.items)


def test_make_items_covers_every_type():
    assert {item.type for item in make_items().values()} == set(QUESTION_TYPES)
