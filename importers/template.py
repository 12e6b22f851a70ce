"""The downloadable Word template: the accepted layouts, each shown once, readable by us."""

from __future__ import annotations

import io

LINES = (
    ("h", "MẪU NHẬP CÂU HỎI – KHO HỌC LIỆU SỐ"),
    ("i", "Giữ nguyên cách trình bày: mỗi câu bắt đầu bằng “Câu 1:”, phương án "
          "“A.”, “B.” …; đánh dấu đáp án bằng dòng “Đáp án: B”, gạch chân, chữ đỏ "
          "hoặc dấu * trước chữ cái. Lời giải sau dòng “Lời giải:”."),
    ("h", "PHẦN I. Câu trắc nghiệm nhiều phương án lựa chọn"),
    ("p", "Câu 1: Thủ đô của Việt Nam là"),
    ("p", "A. Huế\tB. Hà Nội\tC. Đà Nẵng\tD. Cần Thơ"),
    ("p", "Đáp án: B"),
    ("p", "Lời giải: Hà Nội là thủ đô của nước Cộng hoà xã hội chủ nghĩa Việt Nam."),
    ("p", "Câu 2: Những số nào là số chẵn?"),
    ("p", "A. 2"),
    ("p", "B. 3"),
    ("p", "C. 4"),
    ("p", "D. 5"),
    ("p", "Đáp án: A, C"),
    ("h", "PHẦN II. Câu trắc nghiệm đúng sai"),
    ("p", "Câu 1: Cho hàm số y = 2x + 1."),
    ("p", "a) Hàm số đồng biến trên ℝ."),
    ("p", "b) Đồ thị đi qua điểm (0; 2)."),
    ("p", "c) Khi x = 1 thì y = 3."),
    ("p", "d) Hệ số góc bằng 1."),
    ("p", "Đáp án: a) Đ, b) S, c) Đ, d) S"),
    ("h", "PHẦN III. Câu trắc nghiệm trả lời ngắn"),
    ("p", "Câu 1: Tính 1,25 + 2."),
    ("p", "Đáp án: 3,25"),
)  # fmt: skip


def template_docx() -> bytes:
    """Return the template as .docx bytes."""
    import docx  # imported late: only the download needs it

    document = docx.Document()
    for kind, text in LINES:
        paragraph = document.add_paragraph()
        run = paragraph.add_run(text)
        run.bold = kind == "h" or None
        run.italic = kind == "i" or None
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
