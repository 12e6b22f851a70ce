"""Word's automatic list numbering: "Câu 1." and "A." made by numbering.xml, not typed."""

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml

from importers.docx_numbering import FORMATS
from tests.importers.docxbuild import W_NS, Paper, summary


def _level(ilvl: int, fmt: str, text: str, suffix: str = "tab", rpr: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:suff w:val="{suffix}"/>{rpr}</w:lvl>'
    )


#: abstract 90: "Câu %1." (bold number); 91: "%1." capital letters, then "%2)" small.
ABSTRACTS = (
    f'<w:abstractNum {W_NS} w:abstractNumId="90">'
    + _level(0, "decimal", "Câu %1.", "space", "<w:rPr><w:b/></w:rPr>")
    + "</w:abstractNum>",
    f'<w:abstractNum {W_NS} w:abstractNumId="91">'
    + _level(0, "upperLetter", "%1.")
    + _level(1, "lowerLetter", "%2)")
    + "</w:abstractNum>",
)


def _num(num_id: int, abstract: int, restart: bool = False) -> str:
    override = (
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
        if restart
        else ""
    )
    return (
        f'<w:num {W_NS} w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/>'
        f"{override}</w:num>"
    )


class NumberedPaper(Paper):
    """A paper whose numbering part defines lists 90 (questions) and 91+ (options)."""

    def __init__(self, *nums: str):
        super().__init__()
        numbering = self.doc.part.numbering_part.element
        first_num = numbering.find(f"{{{numbering.nsmap['w']}}}num")
        for abstract in ABSTRACTS:
            first_num.addprevious(parse_xml(abstract))
        for num in (_num(90, 90), _num(91, 91), *nums):
            numbering.append(parse_xml(num))

    def n(self, num_id: int, *runs, ilvl: int = 0):
        """A paragraph numbered by list ``num_id`` at level ``ilvl``."""
        paragraph = self.p(*runs)
        paragraph._p.get_or_add_pPr().append(
            parse_xml(
                f'<w:numPr {W_NS}><w:ilvl w:val="{ilvl}"/>'
                f'<w:numId w:val="{num_id}"/></w:numPr>'
            )
        )
        return paragraph


def test_numbered_questions_and_options_read_like_typed_markers():
    paper = NumberedPaper(_num(92, 91, restart=True))
    paper.n(90, "Tập hợp nào rỗng?")
    for text, style in (("{0}", ""), ("∅", "u"), ("{∅}", ""), ("ℕ", "")):
        paper.n(91, (text, style))
    paper.n(90, "Số nào chẵn?")
    for text in ("1", "2", "3"):
        paper.n(92, text)  # a list restarted at A
    paper.p("Đáp án: B")
    result = paper.read()
    assert summary(result) == [
        ("Câu 1", "single_choice", "B"),
        ("Câu 2", "single_choice", "B"),
    ]
    first, second = (item for item, _meta in result.items)
    assert first.stem == "<p>Tập hợp nào rỗng?</p>"
    assert [c.text for c in first.choices] == ["{0}", "∅", "{∅}", "ℕ"]
    assert [c.id for c in second.choices] == ["A", "B", "C"]


STATEMENTS = ("Đồng biến.", "Nghịch biến trên ℝ.", "Qua gốc toạ độ.", "Nhỏ nhất là 1.")


def test_a_restarted_list_numbers_each_part_from_one():
    paper = NumberedPaper(_num(93, 90, restart=True), _num(94, 91, restart=True))
    paper.p("PHẦN I. Trắc nghiệm nhiều phương án.")
    paper.n(90, "Hỏi một?")
    paper.p("A. x", "\t", ("B. y", "u"))
    paper.n(90, "Hỏi hai?")
    paper.p(("A. x", "u"), "\t", "B. y")
    paper.p("PHẦN II. Câu trắc nghiệm đúng sai.")
    paper.n(93, "Cho hàm số y = x².")
    for text in STATEMENTS:
        paper.n(94, text, ilvl=1)
    paper.p("Đáp án: ĐSĐS")
    result = paper.read()
    assert summary(result) == [
        ("Phần 1 – Câu 1", "single_choice", "B"),
        ("Phần 1 – Câu 2", "single_choice", "A"),
        ("Phần 2 – Câu 1", "true_false_cluster", "ĐSĐS"),
    ]
    cluster = result.items[2][0]
    assert [(s.id, s.text) for s in cluster.statements] == list(
        zip("abcd", STATEMENTS, strict=True)
    )


def test_numbering_through_a_paragraph_style_and_bullets_left_out():
    paper = NumberedPaper()
    style = paper.doc.styles.add_style("CauHoi", WD_STYLE_TYPE.PARAGRAPH)
    style.element.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W_NS}><w:numId w:val="90"/></w:numPr>')
    )
    for stem in ("Một?", "Hai?"):
        paper.doc.add_paragraph(stem, style="CauHoi")
        paper.doc.add_paragraph("Ghi chú", style="List Bullet")
        paper.p("A. một", "\t", "B. hai")
        paper.p("Đáp án: A")
    result = paper.read()
    assert summary(result) == [
        ("Câu 1", "single_choice", "A"),
        ("Câu 2", "single_choice", "A"),
    ]
    assert result.items[0][0].stem == "<p>Một?</p><p>Ghi chú</p>"


def test_a_typed_marker_wins_over_the_list_number_before_it():
    paper = NumberedPaper(
        f'<w:abstractNum {W_NS} w:abstractNumId="95">'
        + _level(0, "decimal", "%1.")
        + "</w:abstractNum>",
        _num(95, 95),
    )
    paper.n(95, "Câu 1: Hỏi một?")
    paper.n(95, "A. x")
    paper.n(95, ("B. y", "u"))
    paper.n(95, "Cho biết thêm.")
    result = paper.read()
    assert summary(result) == [("Câu 1", "single_choice", "B")]
    assert result.items[0][0].choices[1].text == "y<br>4. Cho biết thêm."


def test_number_formats():
    assert [FORMATS["upperLetter"](n) for n in (1, 4, 26, 27)] == ["A", "D", "Z", "AA"]
    assert [FORMATS["lowerRoman"](n) for n in (1, 4, 9, 14)] == ["i", "iv", "ix", "xiv"]
    assert FORMATS["upperRoman"](2026) == "MMXXVI"
    assert FORMATS["decimalZero"](7) == "07"
