"""Item → QTI XML → Item is lossless, and export → import → export is stable."""

import unicodedata
from dataclasses import replace

import pytest
from lxml import etree

from qti import Choice, Item, QtiError, read_item, write_item
from qti.ns import QTI_NS, XML_LANG
from tests.qti.factories import VIETNAMESE, make_items
from tests.qti.support import c14n

KINDS = list(make_items())
VERSIONS = ["2.1", "2.2", "3.0"]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("kind", KINDS)
def test_item_round_trip_is_equal(items, kind, version):
    item = items[kind]
    assert read_item(write_item(item, version)) == item


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("kind", KINDS)
def test_export_import_export_is_identical_after_c14n(items, kind, version):
    first = write_item(items[kind], version)
    second = write_item(read_item(first), version)
    assert c14n(first) == c14n(second)
    assert first == second


@pytest.mark.parametrize("version", VERSIONS)
def test_root_namespace_language_and_identifier(items, version):
    root = etree.fromstring(write_item(items["single_choice"], version))
    assert etree.QName(root).namespace == QTI_NS[version]
    assert root.get(XML_LANG) == "vi"
    assert root.get("identifier") == "Q-single"


@pytest.mark.parametrize("version", VERSIONS)
def test_vietnamese_text_is_written_exactly_in_nfc(items, version):
    xml = write_item(items["single_choice"], version)
    text = xml.decode("utf-8")
    assert VIETNAMESE in text
    assert unicodedata.is_normalized("NFC", text)
    assert read_item(xml).stem.startswith(f"<p>{VIETNAMESE}</p>")


def test_decomposed_input_is_stored_and_written_as_nfc():
    decomposed = unicodedata.normalize("NFD", "Phương trình bậc hai")
    item = Item(type="true_false", stem=decomposed, correct=("false",), identifier="Q")
    xml = write_item(item).decode("utf-8")
    assert "Phương trình bậc hai" in xml
    assert decomposed not in xml


@pytest.mark.parametrize("version", VERSIONS)
def test_mathml_is_kept_in_its_namespace(items, version):
    root = etree.fromstring(write_item(items["single_choice"], version))
    maths = root.findall(".//{http://www.w3.org/1998/Math/MathML}math")
    assert len(maths) == 1
    assert maths[0].find("{http://www.w3.org/1998/Math/MathML}mfrac") is not None
    assert "<math><mfrac>" in read_item(etree.tostring(root)).stem


def test_markup_is_built_not_escaped_by_hand():
    item = Item(
        type="true_false",
        stem='<p>a &lt; b &amp;&amp; c &gt; "d" &lt;/itemBody&gt;</p>',
        correct=("true",),
        identifier="Q",
    )
    xml = write_item(item)
    etree.fromstring(xml)
    assert read_item(xml).stem == item.stem


@pytest.mark.parametrize("version", VERSIONS)
def test_explanation_is_modal_feedback_shown_on_feedback_outcome(items, version):
    root = etree.fromstring(write_item(items["true_false"], version))
    names = ("modalFeedback", "qti-modal-feedback")
    feedback = [e for e in root if etree.QName(e).localname in names]
    assert len(feedback) == 1
    attributes = {k.replace("-", "").lower(): v for k, v in feedback[0].attrib.items()}
    assert attributes["showhide"] == "show"
    assert attributes["outcomeidentifier"] == "FEEDBACK"
    assert (
        read_item(etree.tostring(root)).explanation == items["true_false"].explanation
    )


def test_items_without_explanation_use_the_match_correct_template(items):
    xml = write_item(items["multiple_response"], "2.1").decode()
    assert (
        'template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct"'
        in xml
    )
    xml3 = write_item(items["multiple_response"], "3.0").decode()
    assert (
        'template="https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct"'
        in xml3
    )


def test_cluster_is_a_match_interaction_with_partial_credit(items):
    xml = write_item(items["true_false_cluster"], "2.1").decode()
    assert "<matchInteraction" in xml
    assert 'baseType="directedPair"' in xml
    for value in ("a true", "b false", "c false", "d true"):
        assert f"<value>{value}</value>" in xml
    for credit in ("1.0", "0.5", "0.25", "0.1"):
        assert f'<baseValue baseType="float">{credit}</baseValue>' in xml
    assert '<simpleAssociableChoice identifier="true" matchMax="4">Đúng<' in xml


def test_numeric_tolerance_is_an_absolute_equal(items):
    xml = write_item(items["numeric"], "2.1").decode()
    assert '<equal toleranceMode="absolute" tolerance="0.005 0.005">' in xml
    assert 'baseType="float"' in xml
    integer = write_item(items["numeric_integer"], "2.1").decode()
    assert 'baseType="integer"' in integer and "<value>3</value>" in integer


def test_title_defaults_to_the_stem_and_reads_back_empty(items):
    item = replace(items["true_false"], title="")
    root = etree.fromstring(write_item(item))
    assert root.get("title") == "Trái Đất quay quanh Mặt Trời."
    assert read_item(write_item(item)).title == ""


def test_item_without_identifier_gets_a_stable_derived_one(items):
    item = replace(items["numeric"], identifier="")
    first = etree.fromstring(write_item(item)).get("identifier")
    assert first == etree.fromstring(write_item(item)).get("identifier")
    assert first.startswith("item-")


def test_identifiers_that_are_not_ncnames_are_made_safe():
    item = Item(
        type="single_choice",
        identifier="câu 1",
        stem="Chọn",
        choices=(Choice("1", "một"), Choice("2", "hai")),
        correct=("2",),
    )
    xml = write_item(item)
    back = read_item(xml)
    assert back.identifier == "câu_1"
    assert back.choice_ids == ("C_1", "C_2") and back.correct == ("C_2",)


def test_unknown_version_is_refused(items):
    with pytest.raises(QtiError):
        write_item(items["true_false"], "1.2")


def test_media_hrefs_are_rewritten_for_packages(items):
    hrefs = {
        "media/do-thi.png": "../media/do-thi.png",
        "media/bai-doc.mp3": "../media/a.mp3",
    }
    root = etree.fromstring(write_item(items["single_choice"], "2.1", hrefs))
    namespaces = {"q": QTI_NS["2.1"]}
    assert root.xpath("//q:img/@src", namespaces=namespaces) == ["../media/do-thi.png"]
    assert root.xpath("//q:object/@data", namespaces=namespaces) == ["../media/a.mp3"]
