"""Items parsed straight into the neutral tree read exactly as renamed ones."""

import random
from pathlib import Path

import pytest
from lxml import etree

from bench.synthetic import question
from qti import Item, QtiError, write_item
from qti.dialect import normalize
from qti.neutral import parse_item
from qti.parser import parse_xml
from qti.reader import read_parsed_item
from tests.qti.factories import make_items
from tests.qti.support import SAMPLES

QTI21 = "http://www.imsglobal.org/xsd/imsqti_v2p1"
OURS = Path(__file__).parent / "samples"


def _bank() -> list[Item]:
    rng = random.Random(11)
    items = [Item.from_dict(question(rng)["item"]) for _ in range(60)]
    return items + list(make_items().values())


def _renamed(data: bytes) -> bytes:
    """The neutral tree of ``data`` the old way: parse, then rename every element."""
    root = parse_xml(data)
    normalize(root)
    return etree.tostring(root)


def _outcome(root, version):
    """The item read from a tree, or the error's type and message."""
    try:
        return read_parsed_item(root, "items", version)
    except QtiError as exc:
        return type(exc).__name__, exc.message, exc.field


def _assert_same(data: bytes, fast: bool) -> None:
    """``parse_item`` gives the renamed tree and reading it gives the same outcome."""
    root, version = parse_item(data)
    assert (version is not None) is fast
    if fast:
        assert etree.tostring(root) == _renamed(data)
    else:
        assert etree.tostring(root) == etree.tostring(parse_xml(data))
    assert _outcome(root, version) == _outcome(parse_xml(data), None)


@pytest.mark.parametrize("version", ["2.1", "2.2", "3.0"])
def test_written_items_take_the_fast_path_and_read_the_same(version):
    for item in _bank():
        _assert_same(write_item(item, version), fast=True)


def _sample_files() -> list:
    found = sorted(OURS.glob("*.xml"))
    for folder in ("qti21", "qti22", "qti30"):
        found += sorted((SAMPLES / folder).rglob("*.xml"))
    return found


def test_sample_files_read_the_same_either_way():
    files = _sample_files()
    if not files:
        pytest.skip(f"{SAMPLES} not present")
    fast = 0
    for path in files:
        data = path.read_bytes()
        try:
            root, version = parse_item(data)
        except QtiError as exc:  # the same error as the plain parser's
            with pytest.raises(QtiError) as plain:
                parse_xml(data)
            assert plain.value.message == exc.message
            continue
        fast += version is not None
        _assert_same(data, fast=version is not None)
    assert fast > 20  # real items from other systems take the fast path too


def _item(root_attributes: str, body: str = "<p>Câu hỏi</p>", head: str = "") -> bytes:
    return (
        f"{head}<assessmentItem {root_attributes} identifier='Q' title='T' "
        f"adaptive='false' timeDependent='false'>"
        "<responseDeclaration identifier='RESPONSE' cardinality='single' "
        "baseType='identifier'><correctResponse><value>A</value></correctResponse>"
        "</responseDeclaration><itemBody>"
        f"{body}<choiceInteraction responseIdentifier='RESPONSE' maxChoices='1'>"
        "<simpleChoice identifier='A'>Một</simpleChoice>"
        "<simpleChoice identifier='B'>Hai</simpleChoice></choiceInteraction>"
        "</itemBody><responseProcessing template='http://www.imsglobal.org/question/"
        "qti_v2p1/rptemplates/match_correct'/></assessmentItem>"
    ).encode()


DEFAULT = f'xmlns="{QTI21}"'


@pytest.mark.parametrize(
    ("data", "fast"),
    [
        (_item(DEFAULT), True),
        (_item(DEFAULT, head="<?xml version='1.0' encoding='UTF-8'?>\n"), True),
        (_item(DEFAULT, "<p>x</p><qti-value-x a-b='1'/>"), True),  # renamed as before
        (_item(DEFAULT, "<math xmlns='http://www.w3.org/1998/Math/MathML'/>"), True),
        # Files the fast path does not fit: parsed and renamed as before.
        (
            _item(f'xmlns:q="{QTI21}"').replace(b"<", b"<q:").replace(b"<q:/", b"</q:"),
            False,
        ),
        (_item(DEFAULT, "<p xmlns=''>ngoài</p>"), False),
        (_item(DEFAULT, "<p xmlns='http://www.w3.org/1999/xhtml'>x</p>"), False),
        (_item(DEFAULT, f"<div xmlns='{QTI21}'>x</div>"), False),
        (_item(DEFAULT, head="<!-- trước -->"), False),
        (_item(DEFAULT, head="<?xml version='1.0' encoding='ISO-8859-1'?>"), False),
        (_item(DEFAULT + " xmlns:m='http://www.w3.org/1998/Math/MathML'"), True),
        (_item(""), False),  # no QTI namespace: refused as before
        (_item('xmlns="http://example.org/other"'), False),
    ],
)
def test_fast_path_fits_only_where_it_gives_the_same_tree(data, fast):
    _assert_same(data, fast)


QTI30 = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0"


def _item3(body: str, choice: str = "max-choices='1'") -> bytes:
    return (
        f"<qti-assessment-item xmlns='{QTI30}' identifier='Q' time-dependent='false'>"
        "<qti-response-declaration identifier='RESPONSE' cardinality='single' "
        "base-type='identifier'><qti-correct-response><qti-value>A</qti-value>"
        "</qti-correct-response></qti-response-declaration><qti-item-body>"
        f"{body}<qti-choice-interaction response-identifier='RESPONSE' {choice}>"
        "<qti-simple-choice identifier='A'>Một</qti-simple-choice>"
        "<qti-simple-choice identifier='B' data-x-y='1'>Hai</qti-simple-choice>"
        "</qti-choice-interaction></qti-item-body><qti-modal-feedback "
        "outcome-identifier='FEEDBACK' identifier='E' show-hide='show'>"
        "<qti-content-body>Lời <b>giải</b></qti-content-body></qti-modal-feedback>"
        "</qti-assessment-item>"
    ).encode()


@pytest.mark.parametrize(
    ("data", "fast"),
    [
        (_item3("<p>Câu hỏi</p>"), True),
        (_item3("<p>a &gt; b</p>", "max-choices='1' title='a > b'"), True),
        (_item3("<p>x</p><!-- chú thích --><![CDATA[<qti-x>]]>"), True),
        (_item3("<p>x</p>", "max-choices='1' maxChoices='2'"), False),
        (_item3("<p>x</p>", "max-choices = \"1\"\n  xml:lang='vi'"), True),
        (_item3("<p xmlns:m='http://www.w3.org/1998/Math/MathML'>x</p>"), True),
        (
            _item3(
                "<math xmlns='http://www.w3.org/1998/Math/MathML'><mi>x</mi></math>"
            ),
            True,
        ),
        (
            _item3("<qti-unknown-thing a-b='1' c='2' d-e='3'>x</qti-unknown-thing>"),
            True,
        ),
        (_item3("<p>x</p>").replace(b"M\xe1\xbb\x99t", b"M\xff"), False),
        (_item3("<p>x</p>", "max-choices='1' max-choices='2'"), False),
    ],
)
def test_qti3_names_renamed_in_the_bytes_or_on_the_tree_alike(data, fast):
    try:
        parse_xml(data)
    except QtiError as plain:  # broken: the fast path raises the same error
        with pytest.raises(QtiError) as exc:
            parse_item(data)
        assert exc.value.message == plain.message
        return
    _assert_same(data, fast)


@pytest.mark.parametrize(
    "data",
    [
        _item(DEFAULT + ' xmlns="http://example.org/other"'),  # declared twice
        _item(DEFAULT, "<p>không đóng"),
        _item(DEFAULT, "<p>&undefined;</p>"),
        _item(DEFAULT, head="<!DOCTYPE x [<!ENTITY e 'e'>]>"),
    ],
)
def test_broken_files_raise_the_plain_parsers_error(data):
    with pytest.raises(QtiError) as plain:
        parse_xml(data)
    with pytest.raises(QtiError) as fast:
        parse_item(data)
    assert (fast.value.message, fast.value.field) == (
        plain.value.message,
        plain.value.field,
    )


def test_qti3_names_and_content_bodies_are_neutral():
    item = make_items()["single_choice"]
    root, version = parse_item(write_item(item, "3.0"))
    assert version == "3.0"
    assert root.tag == "assessmentItem"
    assert not any(e.tag.startswith("qti-") for e in root.iter(tag=etree.Element))
    assert root.find("itemBody/choiceInteraction").get("maxChoices") == "1"
    assert not root.findall(".//contentBody")
