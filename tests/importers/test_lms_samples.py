"""Moodle XML, GIFT and Aiken: the real files in ../shared/samples, file by file."""

from pathlib import Path

import pytest

from importers import reader_for
from qti import PackageLimits

SAMPLES = Path("/work/shared/samples")
pytestmark = pytest.mark.skipif(
    not SAMPLES.is_dir(),
    reason="/work/shared/samples is absent (real Moodle/GIFT/Aiken files)",
)


def read(relative: str):
    path = SAMPLES / relative
    with open(path, "rb") as stream:
        reader = reader_for(path.name, stream.read(4096))
        stream.seek(0)
        return reader.name, reader.read(stream, path.name, PackageLimits())


def keys(result) -> list[tuple]:
    out = []
    for item, meta in result.items:
        key = item.numeric and (item.numeric.value, item.numeric.tolerance)
        out.append((meta["label"], item.type, key or "".join(item.correct)))
    return out


MOODLE = {
    "format-xml-fixtures/category_with_description.xml": (
        [("Alpha Question", "true_false", "true")], []),
    "format-xml-fixtures/error_invalid_grades.xml": (
        [("Question with <strong>invalid grades</strong> : x > 1 & x < 2",
          "multiple_response", "BCE")], []),
    "format-xml-fixtures/multichoice.xml": ([("Greeting", "single_choice", "B")], []),
    "format-xml-fixtures/nested_categories.xml": ([("Zeta Question", "true_false", "true")], []),
    "format-xml-fixtures/nested_categories_with_questions.xml": (
        [(f"{n} Question", "true_false", "true") for n in ("Iota", "Kappa", "Lambda", "Mu")],
        [("Kappa Essay Question", "Loại câu hỏi Moodle chưa hỗ trợ: essay.")]),
    "qas-editor/calculated.xml": (
        [], [("Calculée", "Loại câu hỏi Moodle chưa hỗ trợ: calculatedmulti.")]),
    "qas-editor/cloze.xml": ([], [("Cloze", "Loại câu hỏi Moodle chưa hỗ trợ: cloze.")]),
    "qas-editor/description.xml": (
        [], [("ProblemDescription", "Loại câu hỏi Moodle chưa hỗ trợ: description.")]),
    "qas-editor/gapselect.xml": ([], [("MW Test", "Loại câu hỏi Moodle chưa hỗ trợ: gapselect.")]),
    "qtype-essay/testquestion.moodle.xml": (
        [], [("essay-001", "Loại câu hỏi Moodle chưa hỗ trợ: essay.")]),
    "qtype-match/testquestion.moodle.xml": (
        [], [("matching-001", "Loại câu hỏi Moodle chưa hỗ trợ: matching.")]),
    "qtype-multichoice/testquestion.moodle.xml": (
        [("Multi-choice-001", "multiple_response", "CE")], []),
    "qtype-numerical/testquestion.moodle.xml": (
        [("Numerical-001", "numeric", (6.25, 0.05))], []),
    "qtype-shortanswer/testquestion.moodle.xml": ([], [(
        "shortanswer-001", "Câu trả lời ngắn dạng chữ chưa được hỗ trợ (chỉ đáp án là số).")]),
    "qtype-truefalse/testquestion.moodle.xml": (
        [("true-false-001", "true_false", "true")], []),
}  # fmt: skip


@pytest.mark.parametrize("relative", sorted(MOODLE))
def test_moodle_xml_samples(relative):
    name, result = read(f"moodle-xml/{relative}")
    assert name == "moodle-xml"
    assert (keys(result), result.problems) == MOODLE[relative]


def test_moodle_categories_become_topics_and_files_are_kept():
    _name, result = read(
        "moodle-xml/format-xml-fixtures/nested_categories_with_questions.xml"
    )
    assert [m.get("topic", {}).get("name") for _i, m in result.items] == [
        "Iota", "Kappa", "Lambda", "Mu"
    ]  # fmt: skip
    _name, result = read("moodle-xml/format-xml-fixtures/multichoice.xml")
    assert result.files["bonjour.mp3"][0] == "audio/mpeg"
    assert '<a href="bonjour.mp3">' not in result.items[0][0].stem  # links are not kept
    _name, result = read("moodle-xml/qtype-multichoice/testquestion.moodle.xml")
    assert (
        "topic" not in result.items[0][1]
    )  # "Default for C1" is Moodle's, not a topic


GIFT = {
    "questions.gift.txt": (
        [
            ("Q2", "single_choice", "A"),
            ("colours", "multiple_response", "AC"),
            ("Q5", "numeric", (3.0, 2.0)),
            ("Q1", "true_false", "false"),
            ("2-08 TSL", "true_false", "true"),
            ("2-08 TSL", "true_false", "true"),
        ],
        [
            ("Q8", "Câu tự luận (GIFT {}) chưa được hỗ trợ."),
            ("Moodle activities", "Câu ghép đôi (matching) chưa được hỗ trợ."),
            ("Shortanswer", "Câu trả lời ngắn dạng chữ chưa được hỗ trợ (chỉ đáp án là số)."),
        ],
    ),
    "ordering_testimport.gift.txt": ([], [("Moodle", "Câu sắp xếp thứ tự chưa được hỗ trợ.")]),
    "qas-editor/multichoice.gift": (
        [
            ("Multichoice1", "multiple_response", "ABC"),
            ("Multichoice2", "single_choice", "A"),
            ("Multichoice3", "single_choice", "B"),
            ("Multichoice4", "multiple_response", "ACF"),
        ],
        [],
    ),
    "qas-editor/true_false.gift": (
        [(f"TrueFalse {n}", "true_false", t)
         for n, t in ((1, "true"), (2, "false"), (3, "true"), (4, "false"))],
        [],
    ),
}  # fmt: skip


@pytest.mark.parametrize("relative", sorted(GIFT))
def test_gift_samples(relative):
    name, result = read(f"gift/{relative}")
    assert name == "gift"
    assert (keys(result), result.problems) == GIFT[relative]


def test_gift_texts_formats_and_feedback():
    _name, result = read("gift/questions.gift.txt")
    q2, colours, _q5, q1 = (item for item, _m in result.items[:4])
    assert q2.stem == "What's between orange and green in the spectrum?"
    assert [c.text for c in q2.choices] == ["yellow", "red", "blue"]
    assert [c.text for c in colours.choices] == ["yellow", "red", "off-beige", "blue"]
    assert (
        q1.explanation
        == "This is, of course, a Hitchiker's Guide to the Galaxy reference."
    )


def test_aiken_sample():
    name, result = read("aiken/questions.aiken.txt")
    assert name == "aiken"
    assert keys(result) == [
        ("Câu 1", "single_choice", "B"),
        ("Câu 2", "single_choice", "A"),
    ]
    first, second = (item for item, _m in result.items)
    assert [c.text for c in first.choices] == [
        "Petr Skoda", "Martin Dougiamas", "Eloy Lafuente", "Tim Hunt"
    ]  # fmt: skip
    # Aiken is plain text: markup in it is shown, not obeyed.
    assert second.stem == (
        "Moodle's abilities include handling user input that includes "
        '&lt;html class="cool"&gt; &amp; images:'
    )
    assert result.problems == []
