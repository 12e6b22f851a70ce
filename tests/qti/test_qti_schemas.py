"""Everything we export validates against the official XSDs in …/shared/standards."""

import io
import zipfile

import pytest

from qti import write_item, write_package
from tests.qti.factories import make_items
from tests.qti.support import STANDARDS, assert_valid, require

KINDS = list(make_items())


@pytest.fixture(autouse=True)
def _standards():
    require(STANDARDS)


def _package(version: str) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    items = [
        (item, {"subject": {"code": "TOAN", "name": "Toán"}})
        for item in make_items().values()
    ]
    write_package(
        items,
        buffer,
        version,
        test_title="Đề kiểm tra 15 phút",
        media_opener=lambda m: b"x",
    )
    return zipfile.ZipFile(buffer)


@pytest.mark.parametrize("kind", KINDS)
def test_qti21_item_is_valid(items, kind):
    assert_valid("qti21", write_item(items[kind], "2.1"))


@pytest.mark.parametrize("kind", KINDS)
def test_qti22_item_is_valid(items, kind):
    assert_valid("qti22", write_item(items[kind], "2.2"))


def test_qti21_package_items_and_test_are_valid():
    archive = _package("2.1")
    names = [
        n for n in archive.namelist() if n.endswith(".xml") and n != "imsmanifest.xml"
    ]
    assert "test.xml" in names and len(names) == len(KINDS) + 1
    for name in names:
        assert_valid("qti21", archive.read(name))


def test_qti21_manifest_is_valid():
    assert_valid("manifest2", _package("2.1").read("imsmanifest.xml"))


def test_qti30_manifest_is_valid():
    assert_valid("manifest3", _package("3.0").read("imsmanifest.xml"))


def test_manifest_without_test_or_media_is_valid(items):
    for version, schema in (("2.1", "manifest2"), ("3.0", "manifest3")):
        buffer = io.BytesIO()
        write_package([items["true_false"]], buffer, version)
        assert_valid(schema, zipfile.ZipFile(buffer).read("imsmanifest.xml"))
