"""The writer's fast paths give exactly the bytes of the plain ones."""

import io
import posixpath
import random
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

import pytest
from lxml import etree

from bench.synthetic import question
from qti import Item, read_package, write_package
from qti.conventions import is_external, resolve_href
from qti.lom import build_lom, free_texts, with_texts
from qti.manifest_writer import ManifestWriter
from qti.parallel import Pool
from qti.writer import _skeletons, item_document
from qti.zipwriter import ZipWriter
from tests.qti.factories import make_items


def _bank(count: int = 200) -> list[Item]:
    rng = random.Random(7)
    items = [Item.from_dict(question(rng)["item"]) for _ in range(count)]
    return items + list(make_items().values())


@pytest.mark.parametrize("version", ["2.1", "2.2", "3.0"])
def test_items_from_skeletons_equal_items_built_in_full(version):
    for item in _bank():
        _skeletons.known.clear()
        full = item_document(item, version, {}, "Q-1")
        from_skeleton = item_document(item, version, {}, "Q-1")
        other = replace(item, stem=item.stem + " <b>khác</b>", identifier="Q-2")
        _skeletons.known.clear()
        other_full = item_document(other, version, {}, "Q-2")
        item_document(item, version, {}, "Q-1")  # learn the shape again
        assert from_skeleton == full
        assert item_document(other, version, {}, "Q-2") == other_full


@pytest.mark.parametrize(
    "title", ['Đề "A"', "Lý & Hoá", "a < b", "tab\there", "dòng\nmới"]
)
def test_titles_that_need_escaping_equal_items_built_in_full(title):
    item = replace(_bank(1)[0], title=title)
    _skeletons.known.clear()
    full = item_document(item, "2.1", {}, "Q-1")
    assert item_document(item, "2.1", {}, "Q-1") == full  # the skeleton is known now


def test_zip_writer_on_worker_processes_writes_the_same_bytes(monkeypatch):
    entries = [(f"f{n}.xml", b"<a>%d</a>" % n * (n % 7 + 1)) for n in range(700)]
    outputs, chunks = [], []
    submit = Pool.submit
    monkeypatch.setattr(
        Pool, "submit", lambda pool, *task: chunks.append(task) or submit(pool, *task)
    )
    for workers in (0, 2):
        buffer = io.BytesIO()
        with ZipWriter(buffer, workers=workers, pool_after=50) as archive:
            for name, data in entries[:400]:
                archive.write(name, data)
            archive.write_stream("big.bin", io.BytesIO(b"x" * 1000))
            for name, data in entries[400:]:
                archive.write(name, data)
        outputs.append(buffer.getvalue())
    assert len(chunks) == 4  # the 651 entries after the first 50, 200 at a time
    assert outputs[0] == outputs[1]
    with zipfile.ZipFile(io.BytesIO(outputs[0])) as archive:
        assert archive.testzip() is None
        assert [archive.read(n) for n, _ in entries] == [d for _, d in entries]


def test_a_compressing_worker_starts_without_lxml():
    code = "import sys, qti.zipwriter; print(sorted(m for m in sys.modules if 'lxml' in m))"
    root = str(Path(__file__).resolve().parents[2])
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "[]"


def test_many_entries_use_zip64_end_records(tmp_path):
    path = tmp_path / "many.zip"
    with open(path, "wb") as target, ZipWriter(target) as archive:
        for number in range(70_000):
            archive.write(f"e/{number}", b"")
    with zipfile.ZipFile(path) as archive:
        assert len(archive.infolist()) == 70_000


def test_a_package_of_repeated_metadata_reads_back_every_description():
    items = _bank(60)
    metas = [
        {"subject": {"code": "TOAN", "name": "Toán"}, "grade": {"code": str(n % 3 + 1)}}
        for n in range(len(items))
    ]
    buffer = io.BytesIO()
    write_package(zip(items, metas, strict=True), buffer, "3.0")
    result = read_package(io.BytesIO(buffer.getvalue()))
    grades = [meta["grade"]["code"] for _, meta in result.items]
    assert grades == [m["grade"]["code"] for m in metas]
    result.items[0][1]["grade"]["code"] = "changed"  # copies: the cache is untouched
    again = read_package(io.BytesIO(buffer.getvalue()))
    assert again.items[0][1]["grade"]["code"] == metas[0]["grade"]["code"]


def test_plain_text_skips_the_sanitizer_without_changing_the_result():
    from qti.text import _CLEANER, _NOT_PLAIN, clean_html, normalize

    rng = random.Random(11)
    alphabet = list("ab xy\t\n\x0b\x0c\x01\x7f\x85\u2028\ufffd\"'=/;#?-Đđàạằỏúýỳọệư")
    alphabet += ["\u0300", "o\u0300a", "<", "&", "\xa0", "\r", "\ufeff", "\x00"]
    checked = 0
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        expected = _CLEANER.clean(normalize(text)).strip()
        assert clean_html(text) == expected, repr(text)
        checked += not _NOT_PLAIN.search(normalize(text))
    assert checked > 5_000  # the fast path itself was exercised


@pytest.mark.parametrize("version", ["2.1", "3.0"])
def test_manifest_written_from_layouts_equals_the_whole_tree(version):
    from lxml import etree

    from qti.lom import build_lom
    from qti.manifest import PROFILES, Resource, build_manifest
    from qti.manifest_writer import ManifestWriter

    profile = PROFILES[version]
    names = [f"Q-{number}" for number in range(16)]
    names[7], names[9], names[10], names[12] = "Q&7", 'Q"9', "Q-ồ10", "Q\t12"
    resources = []
    for number, name in enumerate(names):
        lom = {"title": "Câu <1>" if number % 3 else "", "language": "vi"}
        path = f"items/{name}.xml"
        dependencies = (f"MEDIA-{number}",) * (number % 2)
        resources.append(
            Resource(
                name, profile.item_type, path, (path,), dependencies, (build_lom(lom),)
            )
        )
    buffer = io.BytesIO()
    with ManifestWriter(profile) as writer:
        for number, resource in enumerate(resources):
            metadata = resource.metadata
            writer.add(
                replace(resource, metadata=()), lambda _, m=metadata: m, number % 3
            )
        writer.write_to(buffer, "M-1")
    whole = build_manifest("M-1", resources, profile)
    assert buffer.getvalue() == etree.tostring(
        whole, xml_declaration=True, encoding="UTF-8"
    )
    assert len(writer.layouts) == 6  # one per template and dependency count, reused


def _resolved_the_full_way(base: str, href: str) -> str:
    if is_external(href):
        return href
    joined = posixpath.normpath(posixpath.join(base, unquote(href)))
    return href if joined.startswith("../") or joined == ".." else joined


def test_simple_hrefs_resolve_as_the_full_way_does():
    rng = random.Random(3)
    parts = ["a", "ả", "1", "-", "_", ".", "..", "/", "%20", ":", "x.xml", "//", " "]
    cases = [("", "items/KHLS-1.xml"), ("goi", "items/a.b.xml"), ("", "a..b/c")]
    for _ in range(5000):
        base = "".join(rng.choice(parts) for _ in range(rng.randrange(3)))
        href = "".join(rng.choice(parts) for _ in range(rng.randrange(1, 6)))
        cases.append((base, href))
    for base, href in cases:
        assert resolve_href(base, href) == _resolved_the_full_way(base, href), (
            base,
            href,
        )


def _odd_metas(count: int) -> list[dict]:
    """Metadata with titles and every field; one text in each needs escaping or is
    empty or blank (every other one is plain)."""
    rng = random.Random(9)
    odd = ["Hàm số & đồ thị", "a < b > c", "dòng\r\nmới", "tab\tx", "", "  "]
    metas = []
    for number in range(count):
        term = {"code": rng.choice(["TOAN", 7, "6"]), "name": "Toán"}
        meta = {"title": f"Câu {number}", "licence": "CC-BY-4.0", "keywords": ["x"]}
        meta[rng.choice(["subject", "grade", "topic", "level"])] = term
        if number % 4 == 0:
            meta.update(description="Mô tả", language="en")
        field = rng.choice(["title", "licence", "keywords", "name", "code"])
        text = rng.choice(odd)
        if field == "keywords":
            meta["keywords"] = ["y", text]
        elif field in ("name", "code"):
            term[field] = text
        else:
            meta[field] = meta[field] + text
        metas.append(meta)
    return metas


@pytest.mark.parametrize("version", ["2.1", "3.0"])
def test_manifests_with_every_metadata_text_equal_the_tree_path(version, monkeypatch):
    items = _bank(40)
    entries = list(zip(items, _odd_metas(len(items)), strict=True))
    written = []
    for layouts in (True, False):
        if not layouts:
            monkeypatch.setattr(ManifestWriter, "_layout", lambda *args: None)
        buffer = io.BytesIO()
        write_package(entries, buffer, version, test_title="Đề & kiểm tra")
        with zipfile.ZipFile(buffer) as archive:
            written.append(archive.read("imsmanifest.xml"))
    assert written[0] == written[1]
    assert written[0].count("Hàm số &amp; đồ thị".encode()) > 3
    assert written[0].count(b"&#13;") > 3


def test_a_control_character_in_metadata_is_never_written_as_it_is():
    item = _bank(1)[0]
    entries = [(item, {"title": "Câu 1"}), (item, {"title": "Câu\x01 2"})]
    with pytest.raises(ValueError, match="XML compatible"):  # as the tree refuses it
        write_package(entries, io.BytesIO(), "2.1")


def test_characters_xml_cannot_hold_are_dropped_from_items_and_they_export():
    payload = {"type": "single_choice", "correct": ["A"], "title": "Câu\x01 1\ufffe"}
    payload["stem"] = "Đề\x00 bài\x0b"
    payload["choices"] = [
        {"id": "A", "text": "một\x1f"},
        {"id": "B", "text": "hai\ud800"},
    ]
    item = Item.from_dict(payload)
    assert (item.title, item.stem) == ("Câu 1", "Đề bài")
    assert [c.text for c in item.choices] == ["một", "hai"]
    buffer = io.BytesIO()
    write_package([item], buffer, "2.1")
    back = read_package(io.BytesIO(buffer.getvalue())).items[0][0]
    assert replace(back, identifier="") == item


def test_free_texts_give_back_the_same_lom():
    for meta in _odd_metas(200) + [{}, {"keywords": ["x"]}, {"grade": {"code": 5}}]:
        shape, texts = free_texts(meta)
        again = etree.tostring(build_lom(with_texts(shape, texts)))
        assert again == etree.tostring(build_lom(meta))
