"""Moodle XML and GIFT export: what we write reads back as the same questions."""

import io

from importers.gift import read_gift
from importers.gift_write import write_gift
from importers.moodle import read_moodle_xml
from importers.moodle_write import write_moodle_xml
from qti import Choice, Item, Media, NumericAnswer, PackageLimits, Statement

ITEMS = [
    Item(
        "single_choice",
        "<p>Thủ đô: {Hà Nội} = 1#2 ~ x:y</p>",
        (Choice("A", "Huế"), Choice("B", "Hà <b>Nội</b>")),
        ("B",),
        explanation="<p>Vì thế.</p>",
        title="Thủ đô",
    ),
    Item(
        "multiple_response",
        "<p>Chẵn?</p>",
        tuple(Choice(c, t) for c, t in zip("ABC", ("2", "3", "4"), strict=True)),
        ("A", "C"),
        title="Chẵn",
    ),
    Item("true_false", "<p>Đúng không?</p>", correct=("false",), title="Đ/S"),
    Item("numeric", "<p>1,5 + 1</p>", numeric=NumericAnswer(2.5, 0.1), title="Số"),
]
CLUSTER = Item(
    "true_false_cluster",
    "<p>Cho x = 2.</p>",
    statements=tuple(
        Statement(i, f"mệnh đề {i}", t)
        for i, t in zip("abcd", (True, False, True, False), strict=True)
    ),
    title="Chùm",
)


def same(left: Item, right: Item) -> bool:
    keep = ("type", "stem", "choices", "correct", "numeric", "explanation", "title")
    return all(getattr(left, k) == getattr(right, k) for k in keep)


def test_moodle_xml_round_trip():
    out = io.BytesIO()
    meta = {"category": "Toán/Hàm số"}
    assert write_moodle_xml([(item, meta) for item in ITEMS], out) == 4
    result = read_moodle_xml(io.BytesIO(out.getvalue()), "x.xml", PackageLimits())
    assert [same(a, b) for a, (b, _m) in zip(ITEMS, result.items, strict=True)] == [
        True
    ] * 4
    assert result.items[0][1]["topic"] == {"code": "Hàm số", "name": "Hàm số"}
    assert result.problems == []


def test_gift_round_trip():
    out = io.StringIO()
    assert write_gift([(item, {"category": "Toán"}) for item in ITEMS], out) == 4
    text = out.getvalue()
    assert text.startswith(
        "$CATEGORY: Toán\n\n::Thủ đô::[html]<p>Thủ đô\\: \\{Hà Nội\\} \\= 1\\#2"
    )
    result = read_gift(io.BytesIO(text.encode()), "x.gift", PackageLimits())
    assert [same(a, b) for a, (b, _m) in zip(ITEMS, result.items, strict=True)] == [
        True
    ] * 4


def test_clusters_become_four_true_false_questions():
    out = io.StringIO()
    write_gift([CLUSTER], out)
    result = read_gift(io.BytesIO(out.getvalue().encode()), "x.gift", PackageLimits())
    assert [(i.title, i.correct) for i, _m in result.items] == [
        ("Chùm (a)", ("true",)), ("Chùm (b)", ("false",)),
        ("Chùm (c)", ("true",)), ("Chùm (d)", ("false",)),
    ]  # fmt: skip
    assert result.items[1][0].stem == "<p>Cho x = 2.</p><p>b) mệnh đề b</p>"
    xml = io.BytesIO()
    write_moodle_xml([CLUSTER], xml)
    back = read_moodle_xml(io.BytesIO(xml.getvalue()), "x.xml", PackageLimits())
    assert [i.correct for i, _m in back.items] == [
        ("true",),
        ("false",),
        ("true",),
        ("false",),
    ]


def test_moodle_xml_embeds_pictures():
    item = Item(
        "true_false",
        '<p>Hình <img src="media/h.png" alt=""></p>',
        correct=("true",),
        media=(Media("media/h.png", "image/png"),),
    )
    out = io.BytesIO()
    write_moodle_xml(
        [item], out, opener=lambda src: b"PNGDATA" if src == "media/h.png" else None
    )
    assert (
        b'<file name="h.png" path="/" encoding="base64">UE5HREFUQQ==</file>'
        in out.getvalue()
    )
    result = read_moodle_xml(io.BytesIO(out.getvalue()), "x.xml", PackageLimits())
    assert result.files == {"h.png": ("image/png", b"PNGDATA")}
    assert result.items[0][0].stem == '<p>Hình <img src="h.png" alt=""></p>'
