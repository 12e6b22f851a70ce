"""The manifest read by repeated resource layouts equals the full reading, or declines."""

import io
import random
import zipfile

import pytest

from bench.synthetic import question
from qti import Item, QtiError, manifest_fast, write_package
from qti.manifest_fast import _FastReader, fast_manifest
from qti.manifest_stream import stream_manifest
from tests.qti.factories import make_items
from tests.qti.support import SAMPLES, require

_METAS = [
    {"subject": {"code": "TOAN", "name": "Toán"}, "grade": {"code": "6"}},
    {"subject": {"code": "TIN", "name": "Tin học"}, "licence": "CC0"},
    {"level": {"code": "VD", "name": "Vận dụng"}, "language": "vi"},
]


def _manifest(count=60, version="2.1", test=None, titled=False) -> bytes:
    rng = random.Random(11)
    items = [Item.from_dict(question(rng)["item"]) for _ in range(count)]
    items += list(make_items().values())
    entries = [(item, _METAS[n % 3]) for n, item in enumerate(items)]
    if titled:
        entries = [
            (i, {**m, "title": f"Câu  hỏi {n} "}) for n, (i, m) in enumerate(entries)
        ]
    buffer = io.BytesIO()
    write_package(entries, buffer, version, test_title=test)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        return archive.read("imsmanifest.xml")


def _full(data: bytes):
    try:
        return stream_manifest(io.BytesIO(data))
    except QtiError as exc:
        return exc


def _assert_same(fast, full) -> None:
    assert fast == full
    assert fast.meta == full.meta
    assert [r.meta for r in fast.resources] == [r.meta for r in full.resources]


def _declines_or_agrees(data: bytes) -> bool:
    """Return whether the fast path read ``data`` (it must then agree)."""
    fast, full = fast_manifest(io.BytesIO(data)), _full(data)
    if fast is None:
        return False
    assert not isinstance(full, QtiError), full
    _assert_same(fast, full)
    return True


@pytest.mark.parametrize(("version", "test"), [("2.1", None), ("3.0", "Đề thi")])
def test_our_manifests_read_fast_as_the_full_reading(version, test):
    data = _manifest(version=version, test=test)
    assert _declines_or_agrees(data)


def _counting_parses(monkeypatch) -> list:
    """Count the blocks (and probes) the fast reader parses from now on."""
    parsed = []
    full = _FastReader._parsed
    monkeypatch.setattr(
        _FastReader,
        "_parsed",
        lambda reader, block: parsed.append(1) or full(reader, block),
    )
    return parsed


def _parses(monkeypatch, data: bytes) -> int:
    """How many blocks (and probes) the fast reader parsed to read ``data``."""
    with monkeypatch.context() as patch:
        parsed = _counting_parses(patch)
        assert fast_manifest(io.BytesIO(data)) is not None
    return len(parsed)


@pytest.mark.parametrize("titled", [False, True])
def test_blocks_are_parsed_only_to_learn_their_shapes(monkeypatch, titled):
    few = _parses(monkeypatch, _manifest(300, titled=titled))
    many = _parses(monkeypatch, _manifest(900, titled=titled))
    assert few < 100 and many - few < 900 // 20  # one probe per text of a cut


def test_titled_items_read_fast_and_as_the_full_reading():
    data = _manifest(count=200, titled=True)
    assert data.count(b"<imsmd:title>") > 200
    assert _declines_or_agrees(data)
    for odd in (b"   ", b"a &amp; b", b"\xc3\xa1\xc2\xa0x"):  # blank, escaped, NBSP
        edited = data.replace("Câu  hỏi 150 ".encode(), odd)
        assert edited != data and _declines_or_agrees(edited)


def test_small_chunks_read_the_same(monkeypatch):
    data = _manifest(count=30, test="Đề")
    monkeypatch.setattr(manifest_fast, "CHUNK", 7)
    assert _declines_or_agrees(data)


def test_blocks_over_the_limit_decline(monkeypatch):
    monkeypatch.setattr(manifest_fast, "LIMIT", 512)
    assert fast_manifest(io.BytesIO(_manifest(count=5))) is None


def test_names_that_need_escaping_read_as_the_full_reading():
    data = _manifest(count=40)
    for odd in (b"&#273;&amp;", b"\xc4\x91>", b"&quot;'"):
        edited = data.replace(b'href="items/', b'href="items/' + odd, 9)
        assert _declines_or_agrees(edited)


def test_sample_manifests_read_the_same_or_decline():
    paths = sorted(require(SAMPLES).rglob("imsmanifest.xml"))
    assert paths
    for path in paths:
        _declines_or_agrees(path.read_bytes())


_EDITS = [
    (b'<resource identifier="', b'<resource xml:base="x/" identifier="'),
    (b"<resources>", b"<resources xml:base='goc/'>"),
    (b"<resources>", b"<!-- <resources> --><resources>"),
    (b"<resources>", b"<resources/><resources>"),
    (b"<resources>", b"<resources/></manifest><manifest><resources>"),
    (b'<resource identifier="', b'<resource xmlns="urn:x" identifier="'),
    (b"<metadata>", b'<metadata><x xmlns="urn:x"><file href="zz"/></x>'),
    (b"<resources>", b"<?pi x?><resources>"),
    (b'<file href="', b'<!-- c --><file href="'),
    (b'<file href="', b'<file xmlns="urn:x" href="'),
    (b'"/>\n    </resource>', b'"/><resource identifier="N"/>\n    </resource>'),
    (b"</resources>", b'<resource identifier="Z" type="webcontent"/></resources>'),
    (b"</resources>", b"</resources><resources/>"),
    (b"</resource>", b"</resource >"),
    (b"</resource>", b"</resource>text"),
    (b"<metadata>", b"<metadata><![CDATA[</resource>]]>"),
    (b'type="', b"type='x' data-t=\""),
    (b'href="items/', b'href="items/\xc3'),
    (b'href="items/', b'href="items/\x01'),
    (b'href="items/', b'href="items/\tx'),
    (b'identifier="', b'identifier="&#65;'),
    (
        b"<?xml version='1.0' encoding='UTF-8'?>",
        b"<?xml version='1.0' encoding='latin-1'?>",
    ),
    (b"<?xml version='1.0' encoding='UTF-8'?>", b"<!DOCTYPE manifest>"),
    (b"<manifest ", b"<cp:manifest xmlns:cp='urn:other' "),
    (b"</manifest>", b"</manifest><extra/>"),
    (b"</manifest>", b""),
    (b"vn_gdpt2018:subject", b"other:subject"),
    (b"vn_gdpt2018:grade", b"vn_gdpt2018:subject"),
    (b">LOMv1.0<", ">LOMv1.0 khác<".encode()),
    (">Toán<".encode(), b"> To&#225;n <"),
    (">Toán<".encode(), b">   <"),
    (b">6<", b"><"),
    (b"<organizations/>", b"<organizations><resources/></organizations>"),
]


@pytest.mark.parametrize(("old", "new"), _EDITS)
def test_edited_manifests_read_the_same_or_decline(old, new):
    data = _manifest(count=12)
    assert old in data
    for count in (1, -1):  # the first occurrence, then every one
        _declines_or_agrees(data.replace(old, new, count))


def test_random_byte_edits_read_the_same_or_decline():
    data = _manifest(count=8)
    rng = random.Random(2018)
    alphabet = [b"<", b">", b"&", b'"', b"'", b" ", b"\n", b"\x00", b"/", b"!", b"?",
                b"\xc3\xa1", b"\xe2\x80\xa8", b"x", b":", b"=", b"-->"]  # fmt: skip
    fast_reads = 0
    for _ in range(600):
        position = rng.randrange(len(data))
        cut = rng.randrange(3)
        edited = data[:position] + rng.choice(alphabet) + data[position + cut :]
        fast_reads += _declines_or_agrees(edited)
    assert fast_reads > 100  # most edits land in names or text and still read fast


_CP = b'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"'


def _edit_nth(data: bytes, old: bytes, new: bytes, nth: int) -> bytes:
    """Replace the ``nth`` occurrence of ``old`` (0 is the first)."""
    at = -1
    for _ in range(nth + 1):
        at = data.index(old, at + 1)
    return data[:at] + new + data[at + len(old) :]


def test_a_prefixed_list_before_ours_is_the_one_the_full_reading_takes():
    data = _manifest(count=6).replace(_CP, _CP + b" xmlns:cp" + _CP[5:], 1)
    edited = data.replace(b"<resources>", b"<cp:resources/><resources>", 1)
    assert not stream_manifest(io.BytesIO(edited)).resources
    assert fast_manifest(io.BytesIO(edited)) is None


def _hand_made(blocks: list[bytes], root=b"manifest", default=_CP) -> bytes:
    """A manifest of our head (its root renamed, ``cp`` declared) around ``blocks``."""
    head = _manifest(count=1).split(b"<resources>")[0]
    head = head.replace(b"<manifest " + _CP, b"<" + root + b" " + default, 1)
    head = head.replace(default, default + b" xmlns:cp" + _CP[5:], 1)
    resources = b"<resources>" + b"".join(blocks) + b"</resources>"
    return head + resources + b"</" + root + b">"


def _block(number: int, inside: bytes = b"", attributes: bytes = b"") -> bytes:
    return (
        b'<resource%s identifier="R%d" type="imsqti_item_xmlv2p1" href="q%d.xml">'
        b'<file href="q%d.xml"/>%s</resource>'
        % (attributes, number, number, number, inside)
    )


def test_hand_made_blocks_read_fast():
    assert _declines_or_agrees(_hand_made([_block(n) for n in range(5)]))


def test_a_list_outside_the_content_packaging_namespace_declines():
    blocks = [_block(n, attributes=b" " + _CP) for n in range(5)]
    edited = _hand_made(blocks, root=b"cp:manifest", default=b'xmlns="urn:x"')
    assert isinstance(_full(edited), QtiError)  # no resource list of the CP
    assert fast_manifest(io.BytesIO(edited)) is None


def test_a_root_that_is_no_manifest_declines():
    edited = _hand_made([_block(n) for n in range(5)], root=b"package")
    assert isinstance(_full(edited), QtiError)
    assert fast_manifest(io.BytesIO(edited)) is None


def test_resources_nested_in_a_foreign_element_decline():
    inner = b'<cp:resource identifier="I" type="webcontent"/>'
    blocks = [_block(n, inner, b' xmlns="urn:x"') for n in range(5)]
    edited = _hand_made(blocks)
    assert [r.identifier for r in stream_manifest(io.BytesIO(edited)).resources] == [
        "I"
    ] * 5
    assert fast_manifest(io.BytesIO(edited)) is None


def test_a_file_hidden_in_a_comment_is_never_taken_for_the_real_one():
    head = (
        _manifest(count=1)
        .split(b"<resources>")[0]
        .replace(_CP, _CP + b" xmlns:cp" + _CP[5:], 1)
    )
    blocks = [  # the comment names the real file in the first block only
        b'<resource identifier="R%d" type="imsqti_item_xmlv2p1" href="items/a.xml">'
        b'<cp:file href="items/a.xml"/><!-- <file href="items/%s.xml"/> --></resource>'
        % (n, b"a" if n == 0 else b"b%d" % n)
        for n in range(5)
    ]
    data = head + b"<resources>" + b"".join(blocks) + b"</resources></manifest>"
    assert _declines_or_agrees(data)
    assert {r.files for r in stream_manifest(io.BytesIO(data)).resources} == {
        ("items/a.xml",)
    }


def test_names_are_read_as_utf8_only_when_the_manifest_is():
    data = _manifest(count=12)
    for nth in range(4, 20):
        data = _edit_nth(data, b'href="items/', b'href="items/\xc3\xa1', nth)
    latin = data.replace(b"encoding='UTF-8'", b"encoding='ISO-8859-1'", 1)
    assert _declines_or_agrees(data)
    assert not _declines_or_agrees(latin)
    assert stream_manifest(io.BytesIO(latin)) != stream_manifest(io.BytesIO(data))


def test_a_head_without_its_list_stops_reading_at_the_limit(monkeypatch):
    monkeypatch.setattr(manifest_fast, "LIMIT", 1024)
    monkeypatch.setattr(manifest_fast, "CHUNK", 256)
    stream = io.BytesIO(b"<manifest>" + b" " * 10**6)
    assert fast_manifest(stream) is None
    assert stream.tell() < 4096


def test_blocks_that_all_differ_give_up_after_a_few(monkeypatch):
    monkeypatch.setattr(manifest_fast, "PARSED_FREE", 64)
    parsed = _counting_parses(monkeypatch)
    titled = [_block(n, b"<metadata><t>%d</t></metadata>" % n) for n in range(400)]
    assert fast_manifest(io.BytesIO(_hand_made(titled))) is None
    assert len(parsed) == 65
