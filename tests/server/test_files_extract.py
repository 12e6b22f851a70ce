"""Text extraction for search: each format, the limits, failures kept out of the way."""

import io
import zipfile

import docx
import openpyxl
import pptx
import pytest

from repo_server.extensions import db
from repo_server.files.extract import extract_text
from repo_server.files.models import MaterialFile
from repo_server.files.zips import OOXML
from tests.conftest import create_material, upload_file

DOCX = f"{OOXML}.wordprocessingml.document"
PPTX = f"{OOXML}.presentationml.presentation"
XLSX = f"{OOXML}.spreadsheetml.sheet"


def tiny_pdf(text: str) -> bytes:
    """A one-page PDF showing ``text`` (ASCII) in Helvetica, built by hand."""
    content = f"BT /F1 12 Tf 20 150 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    trailer = b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
    out.write(trailer % (len(objects) + 1, xref))
    return out.getvalue()


def tiny_docx(*paragraphs: str, table: tuple[str, str] = ("", "")) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    cells = document.add_table(rows=1, cols=2).rows[0].cells
    cells[0].text, cells[1].text = table
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def tiny_pptx(title: str, notes: str) -> bytes:
    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = title
    slide.placeholders[1].text = "Ví dụ: A = {1; 2; 3}"
    slide.notes_slide.notes_text_frame.text = notes
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def tiny_xlsx() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Điểm lớp 6A1"
    sheet.append(["Họ và tên", "Điểm"])
    sheet.append(["Nguyễn Văn An", 9.5])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def extracted(data: bytes, content_type: str, **limits):
    return extract_text(io.BytesIO(data), content_type, **limits)


def test_pdf():
    result = extracted(tiny_pdf("Phan so va so thap phan"), "application/pdf")
    assert result.error is None and "Phan so va so thap phan" in result.text


def test_docx_with_a_table():
    data = tiny_docx("Bài 1. Tập hợp", "Mỗi phần tử", table=("Kí hiệu", "∈ thuộc"))
    result = extracted(data, DOCX)
    assert result.error is None
    assert result.text.split("\n") == [
        "Bài 1. Tập hợp",
        "Mỗi phần tử",
        "Kí hiệu",
        "∈ thuộc",
    ]


def test_pptx_with_notes():
    result = extracted(tiny_pptx("Tập hợp số tự nhiên", "Nhắc học sinh ghi bài"), PPTX)
    assert result.error is None
    assert "Tập hợp số tự nhiên" in result.text and "A = {1; 2; 3}" in result.text
    assert "Nhắc học sinh ghi bài" in result.text


def test_xlsx():
    result = extracted(tiny_xlsx(), XLSX)
    assert result.error is None
    assert "Điểm lớp 6A1" in result.text and "Nguyễn Văn An 9.5" in result.text


def test_html_drops_scripts_and_styles():
    page = (
        "<html><head><style>p{color:red}</style><script>alert('x')</script></head>"
        "<body><h1>Sự phản xạ ánh sáng</h1><!-- ghi chú --><p>Góc tới bằng góc phản xạ."
        "</p><noscript>bật JS</noscript></body></html>"
    ).encode()
    result = extracted(page, "text/html; charset=utf-8")
    assert result.text == "Sự phản xạ ánh sáng\nGóc tới bằng góc phản xạ."


def test_plain_text_in_utf8_and_utf16():
    assert extracted("Xin chào\n\nthế giới".encode(), "text/plain").text == (
        "Xin chào\nthế giới"
    )
    utf16 = "Tiếng Việt".encode("utf-16")
    assert extracted(utf16, "text/plain; charset=utf-16").text == "Tiếng Việt"


def test_other_types_have_no_text():
    result = extracted(b"\x89PNG\r\n\x1a\n", "image/png")
    assert result.text is None and result.error is None


def test_long_text_is_cut_with_a_note():
    result = extracted(("một dòng\n" * 1000).encode(), "text/plain", max_chars=50)
    assert len(result.text) <= 50 and "cắt" in result.error


def test_the_time_budget_stops_extraction():
    result = extracted(b"a\nb\nc\n", "text/plain", seconds=-1)
    assert result.text == "" and "giây" in result.error


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"%PDF-1.4\nnot really", "application/pdf"),
        (b"PK\x03\x04 broken", DOCX),
        (b"PK\x05\x06" + bytes(18), PPTX),
        (b"nothing", XLSX),
    ],
)
def test_unreadable_files_are_reported_not_raised(data, content_type):
    result = extracted(data, content_type)
    assert result.error.startswith("Không đọc được tệp")


def test_zip_bombs_are_not_parsed():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b" " * (65 * 1024 * 1024))
    result = extracted(buffer.getvalue(), DOCX)
    assert "quá lớn" in result.error


def test_text_is_stored_at_upload_and_reused_for_the_same_bytes(app, api):
    teacher = api("teacher")
    material = create_material(teacher)
    data = tiny_docx("Dấu hiệu chia hết cho 9")
    first = upload_file(teacher, material, data, "phiếu.docx").get_json()
    second = upload_file(teacher, create_material(teacher), data, "bản sao.docx")
    broken = upload_file(teacher, material, b"%PDF-1.4\nbroken", "hỏng.pdf").get_json()
    assert first["content_type"] == DOCX and first["extract_error"] is None
    assert broken["extract_error"].startswith("Không đọc được tệp")
    with app.app_context():
        texts = {
            row.id: row.extracted_text for row in db.session.query(MaterialFile).all()
        }
    assert texts[first["id"]] == "Dấu hiệu chia hết cho 9"
    assert texts[second.get_json()["id"]] == texts[first["id"]]
