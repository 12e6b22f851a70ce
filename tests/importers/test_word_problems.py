"""Word papers: each question's problems are reported; drafts keep what was read."""

import unicodedata

from tests.importers.docxbuild import Paper, summary


def test_no_answer_marked_makes_a_draft_with_the_reason():
    paper = Paper()
    paper.lines(
        "Câu 1: Chưa có đáp án\nA. x\tB. y\tC. z\tD. w\nCâu 2: Có\nA. x\tB. y\nĐA: B"
    )
    result = paper.read()
    assert summary(result) == [("Câu 2", "single_choice", "B")]
    data, meta = result.drafts[0]
    assert meta["label"] == "Câu 1"
    assert meta["problems"] == ["Chưa đánh dấu đáp án đúng."]
    assert [c["text"] for c in data["choices"]] == ["x", "y", "z", "w"]
    assert result.problems == [("Câu 1", "Chưa đánh dấu đáp án đúng.")]


def test_two_answers_marked_in_a_single_choice_part_are_reported():
    paper = Paper()
    paper.p("PHẦN I. Câu trắc nghiệm nhiều phương án lựa chọn")
    paper.p("Câu 1. Hai đáp án")
    paper.p(("A. x", "u"), "\tB. y\t", ("C. z", "u"), "\tD. w")
    result = paper.read()
    assert summary(result) == [("Phần 1 – Câu 1", "multiple_response", "AC")]
    assert result.items[0][1]["problems"] == [
        "Có nhiều hơn một phương án được đánh dấu là đáp án."
    ]


def test_a_missing_option_is_reported():
    paper = Paper()
    paper.lines("Câu 1: Thiếu C\nA. x\nB. y\nD. w\nĐA: A")
    result = paper.read()
    item, meta = result.items[0]
    # "D. w" does not continue A, B: it stays text of option B, and the gap is reported.
    assert [c.text for c in item.choices] == ["x", "y<br>D. w"]
    paper = Paper()
    paper.lines("Câu 1: Một phương án\nA. x\nĐA: A")
    _data, meta = paper.read().drafts[0]
    assert meta["problems"] == [
        "Thiếu phương án hoặc sai thứ tự (cần A, B, C … liên tiếp).",
        "Cần từ 2 đến 8 phương án.",
    ]


def test_essay_and_unanswerable_questions_are_reported():
    paper = Paper()
    paper.lines(
        "PHẦN II. TỰ LUẬN\nCâu 1. Trình bày suy nghĩ.\nPHẦN III\nCâu 1. Không có đáp án"
    )
    result = paper.read()
    assert result.items == []
    assert result.problems == [
        ("Phần 2 – Câu 1", "Câu tự luận: chưa hỗ trợ, không nhập."),
        ("Phần 3 – Câu 1", "Không có phương án."),
    ]


def test_level_tags_after_the_number_are_kept():
    paper = Paper()
    paper.lines("Câu 1 (NB): Một\nA. x\tB. y\nĐA: A")
    assert paper.read().items[0][1]["tag"] == "NB"


def test_nfd_text_and_old_tone_placement_are_normalised():
    paper = Paper()
    stem = unicodedata.normalize("NFD", "Câu 1: Nước hòa tan muối, thủy triều")
    paper.lines(f"{stem}\nA. hoà\tB. hòa\nĐA: A")
    item = paper.read().items[0][0]
    assert item.stem == "<p>Nước hoà tan muối, thuỷ triều</p>"
    assert [c.text for c in item.choices] == ["hoà", "hoà"]
