"""Reading QTI items written by other tools (our own small samples in ./samples)."""

from pathlib import Path

import pytest
from lxml import etree

from qti import Item, QtiError, UnsupportedItem, read_item, read_item_file, write_item
from qti.dialect import camel, kebab
from qti.ns import qn

SAMPLES = Path(__file__).parent / "samples"
ITEM = (
    '<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="x" '
    'title="t"><responseDeclaration identifier="R" cardinality="{card}" baseType="identifier">'
    "<correctResponse>{key}</correctResponse></responseDeclaration><itemBody>{body}"
    "</itemBody>{after}</assessmentItem>"
)


def _item(
    body: str, key: str = "<value>A</value>", card: str = "single", after: str = ""
):
    xml = ITEM.format(body=body, key=key, card=card, after=after)
    return read_item(xml.encode("utf-8"))


def _choices(*pairs: tuple[str, str], prompt: str = "", max_choices: str = "1") -> str:
    options = "".join(
        f'<simpleChoice identifier="{i}">{t}</simpleChoice>' for i, t in pairs
    )
    inner = f"<prompt>{prompt}</prompt>" if prompt else ""
    return (
        f'<choiceInteraction responseIdentifier="R" shuffle="false" maxChoices="{max_choices}">'
        f"{inner}{options}</choiceInteraction>"
    )


def _feedback(identifier: str, content: str) -> str:
    return (
        f'<modalFeedback outcomeIdentifier="F" identifier="{identifier}" showHide="show">'
        f"{content}</modalFeedback>"
    )


def read_sample(name: str, base: str = "") -> Item:
    """Read one of our own sample files."""
    return read_item((SAMPLES / name).read_bytes(), base=base)


def test_four_true_false_choices_read_as_a_cluster():
    item = read_sample("cluster_four_choices.qti21.xml")
    assert item.type == "true_false_cluster"
    assert [s.correct for s in item.statements] == [True, False, True, False]
    assert [s.id for s in item.statements] == ["a", "b", "c", "d"]
    assert item.statements[2].text == "c) AB² + AC² = BC²."
    assert item.stem == "<p>Cho tam giác ABC vuông tại A.</p>"


def test_qti3_match_with_reversed_sets_reads_as_a_cluster():
    item = read_sample("cluster_match_reversed.qti30.xml")
    assert item.type == "true_false_cluster" and item.shuffle
    assert [(s.id, s.correct) for s in item.statements] == [
        ("s1", True),
        ("s2", False),
        ("s3", False),
        ("s4", True),
    ]
    assert item.statements[2].text == "u<sub>1</sub> = 1."
    assert item.explanation == "<p>u<sub>n+1</sub> − u<sub>n</sub> = 2.</p>"
    assert "Chọn Đúng hoặc Sai" in item.stem


def test_numeric_in_a_sentence_keyed_by_mapping_with_relative_tolerance():
    item = read_sample("numeric_in_sentence.qti22.xml", base="bai/cau")
    assert item.numeric.value == 1000 and item.numeric.tolerance == pytest.approx(10)
    assert "Khối lượng riêng của nước là …… kg/m³." in item.stem
    assert [m.src for m in item.media] == ["bai/hinh/nuoc.png"]
    assert '<img src="bai/hinh/nuoc.png" alt="Cốc nước">' in item.stem


def test_choice_without_key_is_unsupported():
    with pytest.raises(UnsupportedItem, match="đáp án"):
        read_sample("choice_without_key.qti21.xml")


def test_vietnamese_true_false_options_become_true_false_in_model_order():
    item = _item(
        _choices(("S", "Sai"), ("D", "Đúng"), prompt="Số 7 là số nguyên tố."),
        "<value>D</value>",
    )
    assert item.type == "true_false"
    assert item.choices[0].id == "true" and item.choices[0].text == "Đúng"
    assert item.correct == ("true",)


def test_two_ordinary_options_stay_single_choice():
    item = _item(_choices(("A", "Hà Nội"), ("B", "Huế"), prompt="Thủ đô?"))
    assert item.type == "single_choice" and item.correct == ("A",)


def test_multiple_cardinality_wins_over_max_choices():
    body = _choices(("A", "1"), ("B", "2"), ("C", "3"), prompt="Chọn", max_choices="1")
    item = _item(body, card="multiple")
    assert item.type == "multiple_response" and item.correct == ("A",)


def test_key_from_mapping_when_there_is_no_correct_response():
    decl_after = ""
    xml = ITEM.format(
        body=_choices(("A", "x"), ("B", "y"), prompt="?"),
        key="",
        card="single",
        after=decl_after,
    )
    xml = xml.replace(
        "<correctResponse></correctResponse>",
        '<mapping><mapEntry mapKey="A" mappedValue="0.5"/>'
        '<mapEntry mapKey="B" mappedValue="1"/></mapping>',
    )
    assert read_item(xml.encode()).correct == ("B",)


def test_key_that_is_not_an_option_is_an_error():
    with pytest.raises(QtiError, match="Đáp án"):
        _item(_choices(("A", "x"), ("B", "y"), prompt="?"), "<value>Z</value>")


def test_solution_feedback_is_preferred_over_right_wrong_messages():
    after = _feedback("correct", "Giỏi!") + _feedback("SOLUTION", "<p>Lời giải</p>")
    item = _item(_choices(("A", "x"), ("B", "y"), prompt="?"), after=after)
    assert item.explanation == "<p>Lời giải</p>"


def test_several_feedback_messages_are_kept_one_block_each():
    after = _feedback("ok", "Giỏi!") + _feedback("ko", "Chưa đúng.")
    item = _item(_choices(("A", "x"), ("B", "y"), prompt="?"), after=after)
    assert item.explanation == "<div>Giỏi!</div><div>Chưa đúng.</div>"


def test_inline_feedback_is_not_part_of_options():
    option = 'x<feedbackInline outcomeIdentifier="F" identifier="A">!</feedbackInline>'
    item = _item(_choices(("A", option), ("B", "y"), prompt="?"))
    assert item.choices[0].text == "x"


def test_external_and_data_urls_are_left_alone():
    body = '<p><img src="https://example.org/a.png" alt=""/></p>' + _choices(
        ("A", "x"), ("B", "y")
    )
    item = read_item(
        ITEM.format(
            body=body, key="<value>A</value>", card="single", after=""
        ).encode(),
        base="q",
    )
    assert item.media[0].src == "https://example.org/a.png"


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        (b"<assessmentItem/>", "QTI 2.1, 2.2"),
        (
            b'<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"/>',
            "QTI 2.1, 2.2",
        ),
        (
            b'<assessmentTest xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="t"/>',
            "assessmentTest",
        ),
    ],
)
def test_documents_that_are_not_items_are_refused(xml, message):
    with pytest.raises(QtiError, match=message):
        read_item(xml)


def test_item_without_body_or_interaction_is_unsupported():
    with pytest.raises(UnsupportedItem, match="tương tác"):
        _item("<p>Chỉ có chữ.</p>")


def test_read_item_does_not_change_the_element_it_is_given(items):
    root = etree.fromstring(write_item(items["true_false"], "3.0"))
    before = etree.tostring(root)
    read_item(root)
    assert etree.tostring(root) == before


def test_read_item_file_reports_unsupported_items():
    result = read_item_file(
        (SAMPLES / "choice_without_key.qti21.xml").read_bytes(), "k.xml"
    )
    assert result.items == [] and result.problems == [
        ("k.xml", "Câu hỏi không khai báo đáp án đúng.")
    ]


@pytest.mark.parametrize(
    ("camel_name", "kebab_name"),
    [
        ("maxChoices", "max-choices"),
        ("choiceInteraction", "choice-interaction"),
        ("assessmentItemRef", "assessment-item-ref"),
        ("value", "value"),
    ],
)
def test_qti3_names(camel_name, kebab_name):
    assert kebab(camel_name) == kebab_name and camel(kebab_name) == camel_name


def test_xhtml_namespaced_content_is_read_like_qti_content():
    body = (
        '<p xmlns="http://www.w3.org/1999/xhtml">Ảnh <img src="a.png" alt="A"/></p>'
        + _choices(("A", "x"), ("B", "y"))
    )
    item = _item(body)
    assert item.stem == '<p>Ảnh <img src="a.png" alt="A"></p>'
    assert item.media[0].src == "a.png"


@pytest.mark.parametrize(
    ("options", "kind"),
    [
        ((("S", "Sắt"), ("T", "Thép")), "single_choice"),
        ((("A", "Đ"), ("B", "S")), "true_false"),
        ((("true", "Có"), ("false", "Không")), "true_false"),
        ((("A", "Đúng."), ("B", "Đúng")), "single_choice"),
    ],
)
def test_true_false_detection(options, kind):
    key = f"<value>{options[0][0]}</value>"
    assert _item(_choices(*options, prompt="?"), key).type == kind


def test_qn_builds_clark_names():
    assert (
        qn("qti21:choiceInteraction")
        == "{http://www.imsglobal.org/xsd/imsqti_v2p1}choiceInteraction"
    )
    assert qn("m:math") == "{http://www.w3.org/1998/Math/MathML}math"
