"""Bad question files: each one refused (or read) with a clear Vietnamese message."""

import io
import unicodedata
import zipfile

import pytest

from tests.importers.docxbuild import Paper
from tests.importers.test_sheets import cp1258

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def upload(client, name: str, body: bytes, **form):
    data = {"files": [(io.BytesIO(body), name)], "preview": "1", **form}
    return client.post("/api/v1/imports", data=data, content_type="multipart/form-data")


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (20 * 1024 * 1024))
    return out.getvalue()


def prose() -> bytes:
    paper = Paper()
    paper.lines("Biên bản họp tổ chuyên môn\nNội dung: phân công dạy thay.\nHết.")
    return paper.bytes()


CASES = [
    ("de-cu.doc", OLE + b"\0" * 600, 422, "định dạng Word/Excel cũ (.doc/.xls)"),
    ("bang.xls", OLE + b"\0" * 600, 422, "lưu lại dưới dạng .docx/.xlsx"),
    (
        "mat-khau.docx",
        OLE + "EncryptedPackage".encode("utf-16-le"),
        422,
        "đặt mật khẩu",
    ),
    ("hong.docx", b"PK\x03\x04 broken" * 10, 422, "Tệp Word bị hỏng"),
    ("hong.xlsx", b"PK\x03\x04 broken" * 10, 422, "Tệp Excel bị hỏng"),
    ("khong-phai.docx", b"%PDF-1.4 not word", 422, "không phải tệp Office"),
    ("bom.docx", zip_bomb(), 422, "nghi ngờ bom ZIP"),
    ("van-ban.docx", prose(), 422, "Không tìm thấy câu hỏi nào trong tệp van-ban.docx"),
    ("rong.csv", b"x;y\n1;2\n", 422, "Không tìm thấy dòng tiêu đề"),
    (
        "anh.pdf",
        b"%PDF-1.4\n%%EOF\n",
        415,
        "không thuộc định dạng được hỗ trợ (.docx, .xlsx",
    ),
    ("rong.docx", b"", 422, "Tệp rong.docx rỗng."),
]


@pytest.mark.parametrize(
    ("name", "body", "status", "words"), CASES, ids=[c[0] for c in CASES]
)
def test_bad_files_are_refused_with_a_vietnamese_message(
    api, name, body, status, words
):
    response = upload(api("teacher"), name, body)
    assert response.status_code == status, response.get_json()
    assert words in response.get_json()["error"]["message"]


def test_huge_files_are_refused_before_reading(api, app):
    app.config["IMPORT_MAX_FILE_BYTES"] = (
        4096  # small: the test client spools big bodies
    )
    try:
        with upload(api("teacher"), "lon.csv", b"a" * 4097) as response:
            assert response.status_code == 413
            assert "quá lớn" in response.get_json()["error"]["message"]
    finally:
        app.config["IMPORT_MAX_FILE_BYTES"] = 50 * 1024 * 1024


def test_nothing_is_kept_when_one_file_of_many_is_bad(api):
    teacher = api("teacher")
    good = Paper()
    good.lines("Câu 1: Một\nA. x\tB. y\nĐáp án: A")
    data = {
        "files": [(io.BytesIO(good.bytes()), "tot.docx"), (io.BytesIO(OLE), "cu.doc")],
    }
    response = teacher.post(
        "/api/v1/imports", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert teacher.get("/api/v1/imports").get_json()["items"] == []
    assert teacher.get("/api/v1/questions?status=draft").get_json()["total"] == 0


def test_mixed_encodings_are_read_and_noted_on_each_question(api):
    body = "Câu hỏi,A,B,Đáp án\n".encode() + cp1258("Thủ đô?,Huế,Hà Nội,B\n")
    record = upload(api("teacher"), "tron.csv", body).get_json()
    entry = record["entries"][0]
    assert entry["data"]["item"]["stem"] == "Thủ đô?"
    assert entry["problems"][-1].startswith("Tệp trộn nhiều bảng mã")


def test_nfd_and_old_tone_placement_are_stored_in_one_form(api):
    paper = Paper()
    stem = unicodedata.normalize("NFD", "Câu 1: Hoà tan và hòa tan, thủy và thuỷ")
    paper.lines(f"{stem}\nA. hòa\tB. hoà\nĐáp án: A")
    record = upload(api("teacher"), "nfd.docx", paper.bytes()).get_json()
    item = record["entries"][0]["data"]["item"]
    assert item["stem"] == "<p>Hoà tan và hoà tan, thuỷ và thuỷ</p>"
    assert unicodedata.is_normalized("NFC", item["stem"])
    assert [c["text"] for c in item["choices"]] == ["hoà", "hoà"]
