"""Excel and CSV question tables: our template, Quizizz's, and text encodings."""

import io
import unicodedata

import openpyxl
import pytest

from importers.excel import read_csv, read_xlsx
from importers.textcodec import decode
from qti import PackageLimits, QtiError
from tests.importers.docxbuild import summary

HEADER = ["Loại", "Câu hỏi", "A", "B", "C", "D", "Đáp án", "Lời giải", "Môn", "Lớp"]
ROWS = [
    [
        "Một lựa chọn",
        "Thủ đô của Việt Nam?",
        "Huế",
        "Hà Nội",
        "",
        "",
        "B",
        "",
        "toan",
        "10",
    ],
    ["", "Số chẵn?", "1", "2", "3", "4", "B, D", "2 và 4", "", ""],
    ["Đúng sai", "Nước sôi ở 100 °C.", "", "", "", "", "Đúng", "", "", ""],
    [
        "Đúng sai chùm",
        "Cho x = 2.",
        "x > 1",
        "x < 0",
        "x² = 4",
        "x = 3",
        "ĐSĐS",
        "",
        "",
        "",
    ],
    ["Trả lời ngắn", "1,5 + 1 = ?", "", "", "", "", "2,5", "", "", ""],
    ["", "Chưa có đáp án", "p", "q", "", "", "", "", "", ""],
]
EXPECTED = [
    ("Dòng 2", "single_choice", "B"),
    ("Dòng 3", "multiple_response", "BD"),
    ("Dòng 4", "true_false", "true"),
    ("Dòng 5", "true_false_cluster", "ĐSĐS"),
    ("Dòng 6", "numeric", 2.5),
]


def workbook(rows: list[list]) -> io.BytesIO:
    book = openpyxl.Workbook()
    book.active.title = "De"
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese tools write it: tone marks as combining characters."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in parts if c in TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


def csv_bytes(rows: list[list], encoding: str, sep: str = ",") -> bytes:
    lines = [sep.join(f'"{cell}"' for cell in row) for row in rows]
    text = "\r\n".join(lines) + "\r\n"
    return cp1258(text) if encoding == "cp1258" else text.encode(encoding)


def test_our_template_in_excel():
    result = read_xlsx(workbook([HEADER, *ROWS]), "de.xlsx", PackageLimits())
    assert summary(result) == [(f"De – {label}", t, k) for label, t, k in EXPECTED]
    first, meta = result.items[0]
    assert [c.text for c in first.choices] == ["Huế", "Hà Nội"]
    assert meta["subject"] == {"code": "toan", "name": "toan"}
    assert result.items[1][0].explanation == "2 và 4"
    cluster = result.items[3][0]
    assert [s.text for s in cluster.statements] == [
        "x &gt; 1",
        "x &lt; 0",
        "x² = 4",
        "x = 3",
    ]
    assert result.problems == [
        ("De – Dòng 7", "Chưa có đáp án (cột Đáp án: A, B, … hoặc A,C).")
    ]


def test_quizizz_template_with_its_instruction_row():
    header = [
        "Question Text", "Question Type", "Option 1", "Option 2", "Option 3", "Option 4",
        "Option 5", "Correct Answer", "Time in seconds", "Image Link", "Answer explanation",
    ]  # fmt: skip
    rows = [
        ["Câu hỏi mẫu"],
        header,
        ["2 + 2 = ?", "Multiple Choice", "3", "4", "5", "", "", 2, 30, "", "Cộng"],
        ["Số nguyên tố?", "Checkbox", "2", "4", "5", "9", "", "1,3", 30, "", ""],
        ["10 : 4 = ?", "Fill-in-the-Blank", "", "", "", "", "", "2,5", 30, "", ""],
        ["Vẽ tranh", "Open-Ended", "", "", "", "", "", "", 30, "", ""],
    ]
    result = read_xlsx(workbook(rows), "quizizz.xlsx", PackageLimits())
    assert summary(result) == [
        ("De – Dòng 3", "single_choice", "B"),
        ("De – Dòng 4", "multiple_response", "AC"),
        ("De – Dòng 5", "numeric", 2.5),
    ]
    assert result.items[0][0].explanation == "Cộng"
    assert result.problems == [
        ("De – Dòng 6", "Loại câu hỏi không hỗ trợ: Open-Ended.")
    ]


@pytest.mark.parametrize(
    ("encoding", "prefix", "sep"),
    [
        ("utf-8", b"", ","),
        ("utf-8", b"\xef\xbb\xbf", ";"),
        ("utf-16-le", b"\xff\xfe", "\t"),
        ("utf-16-le", b"", ","),
        ("cp1258", b"", ","),
    ],
)
def test_csv_in_every_encoding_teachers_save(encoding, prefix, sep):
    data = prefix + csv_bytes([HEADER, *ROWS], encoding, sep)
    result = read_csv(io.BytesIO(data), "de.csv", PackageLimits())
    assert summary(result) == EXPECTED
    assert result.items[0][0].stem == "Thủ đô của Việt Nam?"


def test_mixed_encodings_are_read_line_by_line_and_reported():
    data = csv_bytes([HEADER], "utf-8") + csv_bytes(ROWS[:1], "cp1258")
    data += csv_bytes(ROWS[1:2], "utf-8")
    text, encoding, notes = decode(data)
    assert encoding == "mixed" and "Thủ đô của Việt Nam?" in text and "2 và 4" in text
    result = read_csv(io.BytesIO(data), "de.csv", PackageLimits())
    assert summary(result) == EXPECTED[:2]
    assert result.problems == [
        (
            "de.csv",
            "Tệp trộn nhiều bảng mã (UTF-8 và Windows-1258); đã đọc theo từng dòng.",
        )
    ]


def test_a_table_without_a_known_header_is_refused():
    with pytest.raises(QtiError, match="Không tìm thấy dòng tiêu đề của mẫu"):
        read_csv(io.BytesIO(b"x,y\n1,2\n"), "lung-tung.csv", PackageLimits())
    with pytest.raises(QtiError, match="Không tìm thấy dòng tiêu đề của mẫu"):
        read_xlsx(workbook([["x", "y"]]), "lung-tung.xlsx", PackageLimits())


def test_a_sheet_of_instructions_next_to_the_questions_is_noted():
    book = openpyxl.Workbook()
    book.active.title = "Hướng dẫn"
    book.active.append(["Điền mỗi câu một dòng"])
    questions = book.create_sheet("Câu hỏi")
    for row in [HEADER, *ROWS[:1]]:
        questions.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    result = read_xlsx(out, "de.xlsx", PackageLimits())
    assert summary(result) == [("Câu hỏi – Dòng 2", "single_choice", "B")]
    assert result.problems == [
        ("Hướng dẫn", "Không tìm thấy dòng tiêu đề của mẫu (Câu hỏi, A, B, …, Đáp án).")
    ]
