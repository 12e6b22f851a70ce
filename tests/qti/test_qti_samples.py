"""Real QTI files from other systems (…/shared/samples): imported or reported, never a crash."""

import io
import zipfile
from pathlib import Path

import pytest

from qti import QtiError, read_item_file, read_package
from tests.qti.support import SAMPLES, require

#: (file under samples/, outcome, detail): OK → detail is the imported item type;
#: NO → detail appears in the per-item "unsupported" reason; REFUSED → in the QtiError.
OK, NO, REFUSED = "imported", "unsupported", "refused"
TESTS21 = "qti21/ims-tests/"
SACHSEN = "qti21/interaction_mix_sachsen/"
P22 = "qti22/package_test_qti_2.2/"
CASE = "qti30/packaging/CASE/testitems/"
FB = "qti30/packaging/basicFeedbackTest/"
SV = "qti30/shared-vocabulary/Items/"
EXPECTED = [
    ("qti21/ims-items/associate.xml", NO, "associateInteraction"),
    ("qti21/ims-items/choice.xml", OK, "single_choice"),
    ("qti21/ims-items/choice_multiple.xml", OK, "multiple_response"),
    ("qti21/ims-items/extended_text.xml", NO, "extendedText"),
    ("qti21/ims-items/feedbackInline.xml", OK, "true_false"),
    ("qti21/ims-items/gap_match.xml", NO, "gapMatch"),
    ("qti21/ims-items/graphic_order.xml", NO, "graphicOrder"),
    ("qti21/ims-items/hotspot.xml", NO, "hotspotInteraction"),
    ("qti21/ims-items/hottext.xml", NO, "hottextInteraction"),
    ("qti21/ims-items/inline_choice.xml", NO, "inlineChoice"),
    ("qti21/ims-items/match.xml", NO, "matchInteraction"),
    ("qti21/ims-items/modalFeedback.xml", OK, "true_false"),
    ("qti21/ims-items/order.xml", NO, "orderInteraction"),
    ("qti21/ims-items/select_point.xml", NO, "selectPoint"),
    ("qti21/ims-items/slider.xml", NO, "sliderInteraction"),
    ("qti21/ims-items/template.xml", NO, "templateDeclaration"),
    ("qti21/ims-items/text_entry.xml", NO, "kiểu string"),
    (
        TESTS21 + "branching_based_on_the_response_to_an_assessmentitem.xml",
        REFUSED,
        "assessmentTest",
    ),
    (
        TESTS21 + "items_arranged_into_sections_within_tests.xml",
        REFUSED,
        "assessmentTest",
    ),
    (TESTS21 + "simple_feedback_test.xml", REFUSED, "assessmentTest"),
    (SACHSEN + "Choicesingle_853928446.xml", OK, "single_choice"),
    (SACHSEN + "Choicetruefalse_176040516.xml", OK, "true_false"),
    (SACHSEN + "Matchsingle_143114773.xml", NO, "matchInteraction"),
    (SACHSEN + "Order_913967682.xml", NO, "orderInteraction"),
    (SACHSEN + "TextEntry_883368511.xml", NO, "kiểu string"),
    ("qti21/package_shared/example/graphicOrder.xml", NO, "graphicOrder"),
    ("qti21/package_shared/example/hotspot.xml", NO, "hotspotInteraction"),
    ("qti21/package_shared/imsmanifest.xml", REFUSED, "manifest"),
    ("qti21/results/simple-assessment-result.xml", REFUSED, "assessmentResult"),
    ("qti22/items/choice_aria.xml", OK, "single_choice"),
    ("qti22/items/data-attributes.xml", NO, "gapMatch"),
    ("qti22/items/figures.xml", OK, "single_choice"),
    ("qti22/items/inline_choice_math.xml", NO, "inlineChoice"),
    (P22 + "assessment.xml", REFUSED, "assessmentTest"),
    (P22 + "essay/essay.xml", NO, "extendedText"),
    (P22 + "fib/fib.xml", NO, "gapMatch"),
    (P22 + "imsmanifest.xml", REFUSED, "manifest"),
    (P22 + "multiple-answer/multiple-answer.xml", OK, "multiple_response"),
    (P22 + "multiple-choice/multiple-choice.xml", OK, "single_choice"),
    (P22 + "text-entry/text-entry.xml", NO, "kiểu string"),
    (P22 + "true-false/true-false.xml", OK, "true_false"),
    ("qti30/BeginnersGuide/BGtest.xml", REFUSED, "qti-assessment-test"),
    ("qti30/BeginnersGuide/imsmanifest.xml", REFUSED, "manifest"),
    ("qti30/BeginnersGuide/items/BG007.xml", OK, "true_false"),
    ("qti30/BeginnersGuide/items/BG008.xml", OK, "multiple_response"),
    ("qti30/BeginnersGuide/items/BG009.xml", NO, "extendedText"),
    ("qti30/BeginnersGuide/items/BG010.xml", NO, "kiểu string"),
    ("qti30/BeginnersGuide/items/BG011.xml", NO, "extendedText"),
    ("qti30/BeginnersGuide/items/firstexample.xml", OK, "single_choice"),
    ("qti30/packaging/CASE/imsmanifest.xml", REFUSED, "manifest"),
    (CASE + "-TX_G06SAMP_000.xml", REFUSED, "qti-assessment-test"),
    (CASE + "-TX_G06SAMP_001.xml", OK, "single_choice"),
    (CASE + "-TX_G06SAMP_004.xml", OK, "single_choice"),
    (CASE + "-TX_G06SAMP_005.xml", OK, "single_choice"),
    (FB + "assessment.xml", REFUSED, "qti-assessment-test"),
    (FB + "id-53a79b001624/Example01-modalFeedback.xml", OK, "true_false"),
    (FB + "id-692fc07cc3e2/Example05-feedbackBlock-adaptive.xml", NO, "inlineChoice"),
    (FB + "id-a360e0fa63e6/Example03-feedbackBlock-solution.xml", OK, "numeric"),
    (FB + "id-b0dd9e732083/Example02-feedbackInline.xml", OK, "true_false"),
    (FB + "imsmanifest.xml", REFUSED, "manifest"),
    (SV + "Item_QTI3_Gap_Match_01/gap-match-qti3.xml", NO, "gapMatch"),
    (SV + "Item_QTI3_Hottext_01/hottext-qti3.xml", NO, "hottextInteraction"),
    (SV + "Item_QTI3_Luggage_01/unattended_luggage_qti3.xml", OK, "single_choice"),
    (SV + "Item_QTI3_Luggage_02/unattended_luggage_qti3.xml", NO, "7 tương tác"),
    (SV + "Item_QTI3_Luggage_03/unattended_luggage_qti3.xml", NO, "3 tương tác"),
    (SV + "Item_QTI3_Luggage_04/unattended_luggage_qti3.xml", NO, "2 tương tác"),
    (SV + "Item_QTI3_Luggage_05/unattended_luggage_qti3.xml", NO, "12 tương tác"),
    (SV + "Item_QTI3_Match_01/match_qti3.xml", NO, "matchInteraction"),
    (SV + "Item_QTI3_RichardTake3_01/text_entry_qti3.xml", NO, "11 tương tác"),
    (SV + "Item_QTI3_WritingPostcard_01/extended_text_qti3.xml", NO, "extendedText"),
]


@pytest.fixture(scope="module")
def samples() -> Path:
    """The shared samples folder (the module skips when it is absent)."""
    return require(SAMPLES)


def _read(samples: Path, name: str):
    path = samples / name
    with path.open("rb") as stream:
        return read_item_file(stream, path.name)


def test_the_table_covers_every_qti_sample(samples):
    found = {
        str(p.relative_to(samples))
        for folder in ("qti21", "qti22", "qti30")
        for p in (samples / folder).rglob("*.xml")
    }
    assert found == {name for name, _, _ in EXPECTED}


@pytest.mark.parametrize(("name", "outcome", "detail"), EXPECTED)
def test_sample_file(samples, name, outcome, detail):
    if outcome == "refused":
        with pytest.raises(QtiError, match=detail):
            _read(samples, name)
        return
    result = _read(samples, name)
    if outcome == "imported":
        assert [item.type for item, _ in result.items] == [detail]
        assert result.problems == []
    else:
        assert result.items == []
        [(where, reason)] = result.problems
        assert where == Path(name).name and detail in reason


def test_choice_keeps_key_media_and_identifier(samples):
    [(item, meta)] = _read(samples, "qti21/ims-items/choice.xml").items
    assert item.identifier == "choice" and item.title == "Unattended Luggage"
    assert item.correct == ("ChoiceA",) and len(item.choices) == 3
    assert [m.src for m in item.media] == ["images/sign.png"]
    assert '<img src="images/sign.png"' in item.stem
    assert item.stem.endswith("<p>What does it say?</p>")
    assert meta == {"href": "choice.xml"}


def test_true_false_from_german_words_and_modal_feedback(samples):
    name = "qti21/interaction_mix_sachsen/Choicetruefalse_176040516.xml"
    [(item, _)] = _read(samples, name).items
    assert item.choice_ids == ("true", "false") and item.correct == ("true",)
    assert [c.text for c in item.choices] == ["Richtig", "Falsch"]
    assert "1949" in item.explanation


def test_mapped_multiple_response_notes_lost_partial_credit(samples):
    [(item, _)] = _read(samples, "qti21/ims-items/choice_multiple.xml").items
    assert item.correct == ("H", "O") and item.shuffle is True
    assert item.extra["import_notes"]


def test_qti3_numeric_with_rounding_and_solution_block(samples):
    name = "qti30/packaging/basicFeedbackTest/id-a360e0fa63e6/Example03-feedbackBlock-solution.xml"
    [(item, _)] = _read(samples, name).items
    assert item.numeric.value == pytest.approx(7.389)
    assert item.numeric.tolerance == pytest.approx(0.0005)
    assert "<math" in item.stem and "<math" in item.explanation
    assert "Show Solution" not in item.stem
    assert "adaptive" in item.extra["import_notes"][0]


def test_qti3_multiple_response_with_block_prompt(samples):
    [(item, _)] = _read(samples, "qti30/BeginnersGuide/items/BG008.xml").items
    assert item.correct == ("A", "C", "D") and item.lang == "en-US"
    assert "<strong>new</strong>" in item.stem


def _zip_folder(folder: Path) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    buffer.seek(0)
    return buffer


def _summary(result) -> tuple[list[str], list[str]]:
    return [m["href"] for _, m in result.items], [p for p, _ in result.problems]


def test_package_case_zip(samples):
    with (samples / "qti30/packaging/CASE/CASE.zip").open("rb") as stream:
        result = read_package(stream)
    imported, problems = _summary(result)
    assert imported == [f"testitems/-TX_G06SAMP_00{n}.xml" for n in (1, 4, 5)]
    assert problems == []
    meta = result.items[0][1]
    assert meta["resource"] == "res_-TX_G06SAMP_001"
    assert meta["classifications"][0]["name"] == "Mathematics"


def test_package_basic_feedback_zip(samples):
    with (samples / "qti30/packaging/basicFeedbackTest/basicFeedbackTest.zip").open(
        "rb"
    ) as stream:
        result = read_package(stream)
    imported, problems = _summary(result)
    assert [item.type for item, _ in result.items] == [
        "true_false",
        "true_false",
        "numeric",
    ]
    assert problems == ["id-692fc07cc3e2/Example05-feedbackBlock-adaptive.xml"]


def test_package_where_items_are_only_files_of_the_test(samples):
    result = read_package(_zip_folder(samples / "qti22/package_test_qti_2.2"))
    imported, problems = _summary(result)
    assert imported == [
        "multiple-answer/multiple-answer.xml",
        "multiple-choice/multiple-choice.xml",
        "true-false/true-false.xml",
    ]
    reasons = dict(result.problems)
    assert "images/sign.png" in reasons["multiple-choice/multiple-choice.xml"]
    assert "kiểu string" in reasons["text-entry/text-entry.xml"]
    assert "extendedTextInteraction" in reasons["essay/essay.xml"]
    assert "gapMatchInteraction" in reasons["fib/fib.xml"]


def test_package_with_items_in_a_folder_and_a_test(samples):
    result = read_package(_zip_folder(samples / "qti30/BeginnersGuide"))
    imported, problems = _summary(result)
    assert imported == ["items/firstexample.xml", "items/BG007.xml", "items/BG008.xml"]
    assert problems == ["items/BG009.xml", "items/BG010.xml", "items/BG011.xml"]


def test_package_whose_manifest_names_a_missing_file(samples):
    result = read_package(_zip_folder(samples / "qti21/package_shared"))
    assert result.items == []
    reasons = dict(result.problems)
    assert "không có trong gói" in reasons["example/graphic_order.xml"]
    assert "hotspotInteraction" in reasons["example/hotspot.xml"]
