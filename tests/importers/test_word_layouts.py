"""Word papers: question markers, option layouts and answer markings, asserted exactly."""

from tests.importers.docxbuild import Paper, summary


def test_every_question_marker_starts_a_question():
    paper = Paper()
    for marker in ("Câu 1:", "Câu 2.", "Câu 3 :", "Câu4:", "Bài 5.", "Question 6."):
        paper.p(f"{marker} Hỏi {marker[-2]}?")
        paper.p("A. một", "\t", ("B. hai", "u"))
    result = paper.read()
    assert [m["label"] for _i, m in result.items] == [f"Câu {n}" for n in range(1, 7)]
    assert {item.stem for item, _m in result.items} >= {
        "<p>Hỏi 1?</p>",
        "<p>Hỏi 6?</p>",
    }
    assert all(item.correct == ("B",) for item, _m in result.items)


def test_lines_starting_with_cau_inside_a_stem_are_not_questions():
    paper = Paper()
    paper.lines(
        """Câu 1: Đọc hai câu thơ sau:
Câu thơ thứ nhất nói về mùa xuân.
Câu 1 trong bài là câu mở đầu.
Câu nào sau đây đúng?
A. Mùa xuân
B. Mùa hạ
Đáp án: A"""
    )
    result = paper.read()
    assert summary(result) == [("Câu 1", "single_choice", "A")]
    item = result.items[0][0]
    assert item.stem == (
        "<p>Đọc hai câu thơ sau:</p><p>Câu thơ thứ nhất nói về mùa xuân.</p>"
        "<p>Câu 1 trong bài là câu mở đầu.</p><p>Câu nào sau đây đúng?</p>"
    )


def test_a_number_going_back_inside_a_part_is_text():
    paper = Paper()
    paper.lines(
        "Câu 1: Một\nA. x\nB. y\nĐA: A\nCâu 2: Hai\nCâu 1. trích dẫn\nA. x\nB. y\nĐA: B"
    )
    result = paper.read()
    assert summary(result) == [
        ("Câu 1", "single_choice", "A"),
        ("Câu 2", "single_choice", "B"),
    ]
    assert result.items[1][0].stem == "<p>Hai</p><p>Câu 1. trích dẫn</p>"


def test_option_layouts_one_per_line_tabs_spaces_and_parentheses():
    paper = Paper()
    paper.lines(
        """Câu 1: Theo dòng
A. một
B. hai
C. ba
D. bốn
Đáp án: D
Câu 2: Cách bằng tab
A) một\tB) hai\tC) ba\tD) bốn
Đáp án: C
Câu 3: Cách bằng dấu cách
a) một    b) hai  c) ba d) bốn
Đáp án: b
Câu 4: Hai dòng
A. 1,5\tB. 2
C. 3\tD. −4
Đáp án: A"""
    )
    result = paper.read()
    assert summary(result) == [
        ("Câu 1", "single_choice", "D"),
        ("Câu 2", "single_choice", "C"),
        ("Câu 3", "single_choice", "B"),
        ("Câu 4", "single_choice", "A"),
    ]
    for item, _meta in result.items[:3]:
        assert [c.text for c in item.choices] == ["một", "hai", "ba", "bốn"]
    assert [c.text for c in result.items[3][0].choices] == ["1,5", "2", "3", "−4"]


def test_two_to_eight_options():
    paper = Paper()
    paper.lines("Câu 1: Hai\nA. có\nB. không\nĐáp án: A")
    paper.p("Câu 2: Tám")
    paper.p("\t".join(f"{letter}. {letter.lower()}" for letter in "ABCDEFGH"))
    paper.p("Đáp án: H")
    result = paper.read()
    assert summary(result) == [
        ("Câu 1", "single_choice", "A"),
        ("Câu 2", "single_choice", "H"),
    ]
    assert len(result.items[1][0].choices) == 8


def test_answer_marked_by_underline_bold_red_or_star_is_not_kept_in_the_text():
    paper = Paper()
    paper.p("Câu 1: Gạch chân")
    paper.p("A. x\t", ("B.", "u"), " y\tC. z\tD. w")
    paper.p("Câu 2: In đậm")
    paper.p(
        ("A.", "b"),
        " x\t",
        ("B.", "b"),
        " y\t",
        ("C. z", "b u"),
        "\t",
        ("D.", "b"),
        " w",
    )
    paper.p("Câu 3: Chữ đỏ")
    paper.p("A. x")
    paper.p("B. y")
    paper.p(("C. z", "r"))
    paper.p("D. w")
    paper.p("Câu 4: Dấu sao")
    paper.p("*A. x\tB. y\tC. z\tD. w")
    paper.p("Câu 5: Chỉ in đậm một phương án")
    paper.p("A. x\tB. y\tC. z\t", ("D. w", "b"))
    result = paper.read()
    assert summary(result) == [
        ("Câu 1", "single_choice", "B"),
        ("Câu 2", "single_choice", "C"),
        ("Câu 3", "single_choice", "C"),
        ("Câu 4", "single_choice", "A"),
        ("Câu 5", "single_choice", "D"),
    ]
    texts = [[c.text for c in item.choices] for item, _m in result.items]
    assert texts[0] == ["x", "y", "z", "w"]
    # Bold on every letter is style, kept; the underline that marked C is dropped.
    assert texts[1] == ["x", "y", "<b>z</b>", "w"]
    assert texts[2] == ["x", "y", "z", "w"]
    assert texts[4] == ["x", "y", "z", "w"]


def test_underline_on_every_option_is_content_not_a_mark():
    paper = Paper()
    paper.p("Câu 1: Choose the word whose underlined part is pronounced differently.")
    paper.p(
        "A. ",
        ("c", "u"),
        "at\tB. ",
        ("c", "u"),
        "ity\tC. ",
        ("c", "u"),
        "ake\tD. ",
        ("c", "u"),
        "ow",
    )
    paper.p("Đáp án: B")
    result = paper.read()
    assert summary(result) == [("Câu 1", "single_choice", "B")]
    assert result.items[0][0].choices[1].text == "<u>c</u>ity"


def test_answer_lines_and_explanations():
    paper = Paper()
    paper.lines(
        """Câu 1: Một
A. x
B. y
Đáp án: B
Lời giải: Vì y đúng.
Dòng hai của lời giải.
Câu 2: Hai
A. x
B. y
ĐA: A
Hướng dẫn giải
Chọn A."""
    )
    result = paper.read()
    assert summary(result) == [
        ("Câu 1", "single_choice", "B"),
        ("Câu 2", "single_choice", "A"),
    ]
    assert (
        result.items[0][0].explanation
        == "<p>Vì y đúng.</p><p>Dòng hai của lời giải.</p>"
    )
    assert result.items[1][0].explanation == "<p>Chọn A.</p>"


def test_answer_key_list_after_het():
    paper = Paper()
    for n in range(1, 5):
        paper.lines(f"Câu {n}: Hỏi {n}\nA. x\tB. y\tC. z\tD. w")
    paper.lines("----- HẾT -----\n1-B 2-A 3.C\n4: D")
    assert [key for _l, _t, key in summary(paper.read())] == ["B", "A", "C", "D"]


def test_answer_key_tables_in_rows_and_columns():
    paper = Paper()
    for n in range(1, 4):
        paper.lines(f"Câu {n}: Hỏi {n}\nA. x\tB. y\tC. z\tD. w")
    paper.p("ĐÁP ÁN")
    paper.table([["Câu", "1", "2"], ["Đáp án", "D", "C"]])
    paper.table([["Câu", "Đáp án"], ["3", "A"]])
    assert [key for _l, _t, key in summary(paper.read())] == ["D", "C", "A"]


def test_multiple_answers_in_an_answer_line_make_a_multiple_response_question():
    paper = Paper()
    paper.lines("Câu 1: Chọn các số chẵn\nA. 1\nB. 2\nC. 3\nD. 4\nĐáp án: B, D")
    result = paper.read()
    assert summary(result) == [("Câu 1", "multiple_response", "BD")]
    assert result.items[0][1]["problems"] == []


def test_true_false_question_with_two_options():
    paper = Paper()
    paper.lines("Câu 1: Trái Đất quay quanh Mặt Trời.\nA. Đúng\nB. Sai\nĐáp án: A")
    assert summary(paper.read()) == [("Câu 1", "true_false", "true")]
