"""Item files read from a learned byte layout give exactly what reading the tree gives."""

import io
import random
from dataclasses import replace

import pytest

from bench.synthetic import question
from qti import Choice, Item, NumericAnswer, read_package, write_package
from qti.errors import QtiError
from qti.neutral import parse_item
from qti.pooled import read_root
from qti.responses import declaration, tolerance_is_fixed
from qti.templates import Templates
from qti.writer import item_document
from tests.qti.factories import make_items

EDGE_TEXTS = [
    "  Câu hỏi có khoảng trắng ở hai đầu  ",
    "Nước hòa tan muối? Thủy ngân",  # tone marks moved by normalize
    "Cafe\u0301 chưa chuẩn NFC",
    "Câu có \"ngoặc kép\" và 'nháy'",
    "Dòng một\nDòng hai\tcó tab",
    "Ký tự ngoài BMP 𝔸 và ]] ngoặc",
    "x" * 130,
]


def _tree_outcome(data: bytes) -> tuple:
    try:
        parsed = parse_item(data)
    except QtiError as exc:
        return "problem", exc.message
    return read_root(parsed, "items/q.xml", True)


def _same(fast: tuple, tree: tuple) -> None:
    assert fast == tree
    if fast[0] == "item":
        assert fast[1].extra == tree[1].extra


def _bank() -> list[Item]:
    rng = random.Random(11)
    items = [Item.from_dict(question(rng)["item"]) for _ in range(300)]
    for number, text in enumerate(EDGE_TEXTS):
        for item in items[number * 6 : number * 6 + 6]:  # one of each type at least
            options = tuple(replace(c, text=text) for c in item.choices)
            items.append(replace(item, stem=text, explanation=text, choices=options))
    return items + list(make_items().values())


def _read_all(documents: list[bytes]) -> tuple[Templates, int]:
    """Read every document both ways (learning as the readers do); count fast reads."""
    templates, fast = Templates(), 0
    for data in documents:
        tree = _tree_outcome(data)
        known = templates.read(data)
        if known is not None:
            fast += 1
            _same(known, tree)
        elif tree[0] == "item":
            templates.learn(data, tree[1], parse_item(data)[1])
    return templates, fast


@pytest.mark.parametrize("version", ["2.1", "3.0"])
def test_learned_layouts_read_items_as_the_tree_does(version):
    documents = [
        item_document(item, version, {}, f"Q-{number}")
        for number, item in enumerate(_bank())
    ]
    templates, fast = _read_all(documents)
    assert fast > len(documents) // 2  # choices, true/false and clusters
    assert templates.layouts  # (files with escaped texts fail to teach one)


def _learned(version: str = "2.1") -> tuple[Templates, bytes]:
    item = Item(
        type="single_choice",
        stem="STEMSLOT",
        choices=make_items()["multiple_response"].choices,
        correct=("A",),
        explanation="Giải thích",
    )
    data = item_document(item, version, {}, "Q-1")
    templates = Templates()
    templates.learn(data, _tree_outcome(data)[1], version)
    assert templates.read(data) is not None
    return templates, data


@pytest.mark.parametrize(
    "stem",
    [
        b"   ",  # an empty stem: the same problem either way
        b"e\xcc\x81 NFC",
        b"a\rb",  # CR: the parser changes it
        b"a &amp; b",
        b"<b>x</b>",
        b"\xc3(",  # not UTF-8
        b"\x01",  # not an XML character
        b"\xef\xbf\xbe",  # U+FFFE
        b"",
        b"x" * 300_000,  # larger than the layouts are used for
    ],
)
def test_odd_texts_in_a_slot_read_as_the_tree_does_or_take_the_tree(stem):
    templates, data = _learned()
    changed = data.replace(b"STEMSLOT", stem)
    known = templates.read(changed)
    if known is not None:
        _same(known, _tree_outcome(changed))
    else:
        assert stem not in (b"e\xcc\x81 NFC",)  # plain text takes the fast path


@pytest.mark.parametrize("kind", ["multiple_response", "true_false_cluster"])
@pytest.mark.parametrize(
    "text",
    [b"   ", b"e\xcc\x81 NFC", "hòa thủy".encode(), b" a ", "Tiếng Việt".encode()],
)
def test_odd_option_and_explanation_texts_read_as_the_tree_does(kind, text):
    model = make_items()[kind]
    marked = [f"OPT{i}SLOT" for i in range(len(model.statements or model.choices))]
    options = model.statements or model.choices
    changes = {"stem": "Chọn các ý đúng.", "explanation": "EXPLSLOT", "title": "Tên"}
    field = "statements" if model.statements else "choices"
    changes[field] = tuple(
        replace(o, text=m) for o, m in zip(options, marked, strict=True)
    )
    data = item_document(replace(model, **changes), "2.1", {}, "Q-1")
    templates = Templates()
    templates.learn(data, _tree_outcome(data)[1], "2.1")
    for slot in [m.encode() for m in marked[1:2]] + [b"EXPLSLOT"]:
        changed = data.replace(slot, text)
        known = templates.read(changed)
        assert known is not None
        _same(known, _tree_outcome(changed))


def test_options_that_decide_the_type_stay_in_the_layout():
    options = (Choice("A", "Phương án một"), Choice("B", "Phương án hai"))
    two = Item(type="single_choice", stem="Chọn?", choices=options, correct=("A",))
    data = item_document(two, "2.1", {}, "Q-1")
    templates = Templates()
    templates.learn(data, _tree_outcome(data)[1], "2.1")
    texts = [c.text.encode() for c in two.choices]
    as_true_false = data.replace(texts[0], "Đúng".encode()).replace(texts[1], b"Sai")
    assert templates.read(as_true_false) is None
    assert _tree_outcome(as_true_false)[1].type == "true_false"


def test_learning_stops_when_files_are_not_our_layout():
    templates = Templates()
    item = make_items()["multiple_response"]
    data = item_document(item, "2.1", {}, "Q-1")
    foreign = data.replace(b"<itemBody>", b"<itemBody>\n    ")  # other spacing
    for _ in range(40):
        templates.learn(foreign, _tree_outcome(foreign)[1], "2.1")
    assert templates.failures == 16 and not templates.layouts


@pytest.mark.parametrize("workers", [0, 2])
def test_packages_read_the_same_with_and_without_layouts(workers, monkeypatch):
    rng = random.Random(5)
    items = [Item.from_dict(question(rng)["item"]) for _ in range(120)]
    buffer = io.BytesIO()
    write_package(items, buffer, "3.0")
    fast = read_package(io.BytesIO(buffer.getvalue()), workers=workers)
    monkeypatch.setattr(Templates, "read", lambda self, data: None)
    tree = read_package(io.BytesIO(buffer.getvalue()), workers=0)
    assert fast.items == tree.items and fast.problems == tree.problems
    assert [i.extra for i, _ in fast.items] == [i.extra for i, _ in tree.items]


def _numeric_file(base_type: str = "float") -> tuple[Item, bytes]:
    value = 12.5 if base_type == "float" else 7
    item = Item(
        type="numeric",
        stem="Tính?",
        numeric=NumericAnswer(value, 0.5 if base_type == "float" else 0, base_type),
    )
    return item, item_document(item, "2.1", {}, "Q-1")


@pytest.mark.parametrize("base_type", ["float", "integer"])
@pytest.mark.parametrize(
    "value", ["  3.25 ", "-0.0", "1_000", "1e3", "nan", "1e400", "abc", "4.0"]
)
def test_numeric_values_read_as_the_tree_does_or_take_the_tree(base_type, value):
    item, data = _numeric_file(base_type)
    templates = Templates()
    templates.learn(data, _tree_outcome(data)[1], "2.1")
    assert templates.read(data) is not None
    written = str(item.numeric.value).encode()
    changed = data.replace(b">" + written + b"<", b">" + value.encode() + b"<")
    assert changed != data
    known = templates.read(changed)
    if known is not None:
        _same(known, _tree_outcome(changed))


@pytest.mark.parametrize(
    ("test", "fixed"),
    [
        (b'<equal toleranceMode="relative" tolerance="1 1">', False),
        (b'<equalRounded roundingMode="significantFigures" figures="2">', False),
        (b'<equalRounded roundingMode="decimalPlaces" figures="1">', True),
        (b'<equal toleranceMode="exact">', True),
        (b'<equal toleranceMode="absolute" tolerance="0.5 0.5">', True),
    ],
)
def test_only_tolerances_fixed_by_the_layout_are_learned(test, fixed):
    _, data = _numeric_file()
    old = b'<equal toleranceMode="absolute" tolerance="0.5 0.5">'
    changed = data.replace(old, test)
    if test.startswith(b"<equalRounded"):
        changed = changed.replace(b"</equal>", b"</equalRounded>")
    root, _ = parse_item(changed)
    assert tolerance_is_fixed(root, declaration(root, "RESPONSE")) is fixed
    templates = Templates()
    templates.learn(changed, _tree_outcome(changed)[1], "2.1")
    assert bool(templates.layouts) is (changed == data)  # only our writer's form
