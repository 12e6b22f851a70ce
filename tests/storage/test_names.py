"""safe_filename and friends keep Vietnamese names readable and harmless."""

from __future__ import annotations

import pytest

from storage.http import content_disposition
from storage.keys import check_key
from storage.names import ascii_filename, key_filename, safe_filename

LESSON = "Bài giảng Toán 6 – Tập hợp.pdf"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (LESSON, LESSON),
        ("Đề kiểm tra 15 phút.docx", "Đề kiểm tra 15 phút.docx"),
        ("Ba\u0300i gia\u0309ng.pdf", "Bài giảng.pdf"),  # NFD from macOS → NFC
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\An\\Giáo án.docx", "Giáo án.docx"),
        ("...hidden", "hidden"),
        ("a\0b\nc\t.txt", "a b c .txt".replace(" .", ".")),
        ("evil\u202eFDP.exe", "evil FDP.exe"),
        ('a:b*?<>|"c.pdf', "a b c.pdf"),
        ("  Toán   lớp 6 . ", "Toán lớp 6"),
        ("con.txt", "_con.txt"),
        ("", "file"),
        ("...", "file"),
        ("/", "file"),
    ],
)
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


def test_safe_filename_limits_bytes_and_keeps_the_extension():
    name = safe_filename("Tập hợp " * 60 + ".docx")
    assert name.endswith(".docx")
    assert len(name.encode()) <= 200
    assert name.startswith("Tập hợp")
    long_letters = safe_filename("ễ" * 100 + ".pdf")
    assert long_letters.endswith(".pdf") and len(long_letters.encode()) <= 200
    assert set(long_letters[:-4]) == {"ễ"}  # cut between letters, never inside one


def test_a_long_tail_is_not_an_extension():
    name = safe_filename("a" * 150 + "." + "b" * 100)
    assert len(name.encode()) <= 200
    assert name.startswith("a" * 150)


def test_ascii_filename_folds_vietnamese():
    assert ascii_filename(LESSON) == "Bai giang Toan 6 - Tap hop.pdf"
    assert ascii_filename("Đường đi ngắn nhất.pptx") == "Duong di ngan nhat.pptx"
    assert ascii_filename("中文.pdf") == "__.pdf"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (LESSON, "Bai-giang-Toan-6-Tap-hop.pdf"),
        ("Đề thi (lần 2).docx", "De-thi-lan-2.docx"),
        ("a...b.pdf", "a.b.pdf"),
        ("…", "file"),
    ],
)
def test_key_filename_is_a_valid_key_segment(name, expected):
    assert key_filename(name) == expected
    assert check_key(f"lessons/123/{key_filename(name)}")


def test_content_disposition_for_a_vietnamese_name():
    assert content_disposition(LESSON) == (
        'attachment; filename="Bai giang Toan 6 - Tap hop.pdf"; '
        "filename*=UTF-8''B%C3%A0i%20gi%E1%BA%A3ng%20To%C3%A1n%206%20"
        "%E2%80%93%20T%E1%BA%ADp%20h%E1%BB%A3p.pdf"
    )


def test_content_disposition_inline_and_hostile_names():
    value = content_disposition('x"; filename=evil.exe\r\nSet-Cookie: a=b', inline=True)
    assert value.startswith('inline; filename="')
    assert "\r" not in value and "\n" not in value
    assert value.count('"') == 2
    assert value.isascii()


def test_content_disposition_decodes_back():
    from email.utils import decode_rfc2231

    encoded = content_disposition(LESSON).split("filename*=")[1]
    charset, _, text = decode_rfc2231(encoded)
    assert charset == "UTF-8"
    from urllib.parse import unquote

    assert unquote(text, encoding="utf-8") == LESSON
