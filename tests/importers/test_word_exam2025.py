"""Word papers: the 2025 exam layout (parts I–III), groups, pictures, equations, tables."""

from tests.importers.docxbuild import Paper, summary


def exam_2025() -> Paper:
    paper = Paper()
    paper.lines(
        """SỞ GIÁO DỤC VÀ ĐÀO TẠO
ĐỀ THI THỬ TỐT NGHIỆP THPT NĂM 2025
PHẦN I. Câu trắc nghiệm nhiều phương án lựa chọn. Thí sinh trả lời từ câu 1 đến câu 2.
Câu 1. Một
A. x\tB. y\tC. z\tD. w
Câu 2. Hai
A. x\tB. y\tC. z\tD. w
PHẦN II. Câu trắc nghiệm đúng sai.
Câu 1. Cho hàm số y = x².
a) Hàm số đồng biến trên (0; +∞).
b) Hàm số nghịch biến trên ℝ.
c) Đồ thị đi qua gốc toạ độ.
d) Giá trị nhỏ nhất bằng 1.
PHẦN III. Câu trắc nghiệm trả lời ngắn.
Câu 1. Tính 1,25 + 1.
Câu 2. Tính 6 × 7.
--- HẾT ---
PHẦN I
1-C 2-A
PHẦN II
1. ĐSĐS
PHẦN III"""
    )
    paper.table([["Câu", "1", "2"], ["Đáp án", "2,25", "42"]])
    return paper


def test_the_2025_exam_parts_with_the_key_per_part():
    result = exam_2025().read()
    assert summary(result) == [
        ("Phần 1 – Câu 1", "single_choice", "C"),
        ("Phần 1 – Câu 2", "single_choice", "A"),
        ("Phần 2 – Câu 1", "true_false_cluster", "ĐSĐS"),
        ("Phần 3 – Câu 1", "numeric", 2.25),
        ("Phần 3 – Câu 2", "numeric", 42.0),
    ]
    cluster = result.items[2][0]
    assert [s.id for s in cluster.statements] == ["a", "b", "c", "d"]
    assert cluster.statements[0].text == "Hàm số đồng biến trên (0; +∞)."
    assert result.items[4][0].numeric.base_type == "integer"
    assert result.drafts == []


def test_a_key_without_part_headings_goes_to_the_questions_it_fits():
    paper = Paper()
    paper.lines(
        """PHẦN I
Câu 1. Một
A. x\tB. y\tC. z\tD. w
PHẦN II
Câu 1. Cụm
a) p\nb) q\nc) r\nd) s
PHẦN III
Câu 1. Số
ĐÁP ÁN
1-B 1-SSĐĐ 1. -0,5"""
    )
    result = paper.read()
    assert summary(result) == [
        ("Phần 1 – Câu 1", "single_choice", "B"),
        ("Phần 2 – Câu 1", "true_false_cluster", "SSĐĐ"),
        ("Phần 3 – Câu 1", "numeric", -0.5),
    ]


def test_cluster_truths_from_an_answer_line_or_from_marks():
    paper = Paper()
    paper.lines("PHẦN II. Trắc nghiệm đúng sai\nCâu 1. Một\na) p\nb) q\nc) r\nd) s")
    paper.p("Đáp án: a) Đ, b) Đ, c) S, d) S")
    paper.p("Câu 2. Hai")
    paper.p(("a) p", "r"))
    paper.p("b) q")
    paper.p(("c) r", "r"))
    paper.p("d) s")
    result = paper.read()
    assert summary(result) == [
        ("Phần 2 – Câu 1", "true_false_cluster", "ĐĐSS"),
        ("Phần 2 – Câu 2", "true_false_cluster", "ĐSĐS"),
    ]


def test_a_passage_shared_by_a_group_of_questions():
    paper = Paper()
    paper.lines(
        """Đọc đoạn văn sau và trả lời các câu từ 1 đến 2:
Ngày xưa có một cậu bé.
Câu 1: Cậu bé là ai?
A. x\tB. y
ĐA: A
Câu 2: Cậu ở đâu?
A. x\tB. y
ĐA: B
Câu 3: Không thuộc nhóm
A. x\tB. y
ĐA: B"""
    )
    result = paper.read()
    stems = [item.stem for item, _m in result.items]
    intro = "<p>Đọc đoạn văn sau và trả lời các câu từ 1 đến 2:</p><p>Ngày xưa có một cậu bé.</p>"
    assert stems == [
        intro + "<p>Cậu bé là ai?</p>",
        intro + "<p>Cậu ở đâu?</p>",
        "<p>Không thuộc nhóm</p>",
    ]
    assert [item.extra.get("group") for item, _m in result.items] == [
        "0:1-2",
        "0:1-2",
        None,
    ]


def test_pictures_are_kept_as_media_files():
    paper = Paper()
    stem = paper.p("Câu 1: Hình nào? ")
    paper.picture(stem, 1)
    option = paper.p("A. ")
    paper.picture(option, 2)
    paper.p("B. không")
    paper.p("ĐA: A")
    result = paper.read()
    item = result.items[0][0]
    assert item.stem == '<p>Hình nào? <img src="image1.png" alt=""></p>'
    assert item.choices[0].text == '<img src="image2.png" alt="">'
    assert [m.src for m in item.media] == ["image1.png", "image2.png"]
    assert sorted(result.files) == ["image1.png", "image2.png"]
    assert result.files["image1.png"][0] == "image/png"
    assert result.files["image1.png"][1].startswith(b"\x89PNG")


def test_word_equations_become_mathml():
    paper = Paper()
    stem = paper.p("Câu 1: Tính ")
    paper.math(
        stem,
        "<m:f><m:num><m:r><m:t>1</m:t></m:r></m:num><m:den><m:r><m:t>2</m:t></m:r></m:den></m:f>"
        "<m:r><m:t>+</m:t></m:r>"
        "<m:sSup><m:e><m:r><m:t>x</m:t></m:r></m:e><m:sup><m:r><m:t>2</m:t></m:r></m:sup></m:sSup>"
        "<m:r><m:t>+</m:t></m:r>"
        '<m:rad><m:radPr><m:degHide m:val="1"/></m:radPr><m:deg/>'
        "<m:e><m:r><m:t>y</m:t></m:r></m:e></m:rad>",
    )
    paper.lines("A. 1\tB. 2\nĐA: B")
    item, meta = paper.read().items[0]
    assert item.stem == (
        '<p>Tính <math xmlns="http://www.w3.org/1998/Math/MathML">'
        "<mfrac><mrow><mn>1</mn></mrow><mrow><mn>2</mn></mrow></mfrac><mo>+</mo>"
        "<msup><mrow><mi>x</mi></mrow><mrow><mn>2</mn></mrow></msup><mo>+</mo>"
        "<msqrt><mrow><mi>y</mi></mrow></msqrt></math></p>"
    )
    assert meta["problems"] == []


def test_unreadable_equation_parts_are_reported():
    paper = Paper()
    stem = paper.p("Câu 1: Lạ ")
    paper.math(stem, "<m:strange><m:r><m:t>z</m:t></m:r></m:strange>")
    paper.lines("A. 1\tB. 2\nĐA: B")
    item, meta = paper.read().items[0]
    assert "<mi>z</mi>" in item.stem
    assert meta["problems"] == ["Công thức có thành phần chưa đọc được: strange"]


def test_mathtype_objects_are_kept_as_their_picture_and_flagged():
    paper = Paper()
    stem = paper.p("Câu 1: Giải ")
    paper.mathtype(stem)
    paper.lines("A. 1\tB. 2\nĐA: A")
    result = paper.read()
    item, meta = result.items[0]
    assert item.stem == '<p>Giải <img src="image1.png" alt=""></p>'
    assert meta["problems"] == [
        "Công thức MathType được giữ dạng ảnh; nên gõ lại bằng công cụ Equation."
    ]


def test_sub_and_superscripts_and_tables_inside_questions():
    paper = Paper()
    paper.p(
        "Câu 1: Công thức của nước là H", ("2", "sub"), "O và 10", ("3", "sup"), " = ?"
    )
    paper.table([["x", "1"], ["y", "2"]])
    paper.lines("A. 1000\tB. 100\nĐA: A")
    item = paper.read().items[0][0]
    assert item.stem == (
        "<p>Công thức của nước là H<sub>2</sub>O và 10<sup>3</sup> = ?</p>"
        "<table><tbody><tr><td>x</td><td>1</td></tr><tr><td>y</td><td>2</td></tr>"
        "</tbody></table>"
    )
