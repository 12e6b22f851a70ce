"""Type detection from bytes and ZIP entry names, and what names claim (pure code)."""

import io
import os
import zipfile

import pytest

from repo_server.files import detect, zips
from repo_server.files.detect import Rejected
from repo_server.files.names import clean_filename, extension_family, with_extension


def zip_bytes(names, first=None, comment=b"") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if first:
            archive.writestr(zipfile.ZipInfo(first[0]), first[1])  # stored, first
        for name in names:
            archive.writestr(name, b"<x/>")
        archive.comment = comment
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("head", "mime"),
    [
        (b"%PDF-1.7\n", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n....", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"GIF89a..", "image/gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", "audio/wav"),
        (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00", "video/mp4"),
        (b"\x00\x00\x00\x20ftypM4A \x00\x00\x02\x00", "audio/mp4"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm", "video/webm"),
        (
            b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska",
            "video/x-matroska",
        ),
        (b"ID3\x04\x00\x00\x00", "audio/mpeg"),
        (b"\xff\xfb\x90\x64\x00", "audio/mpeg"),
        (b"\xff\xf1\x50\x80", "audio/aac"),
        (b"OggS\x00\x02", "audio/ogg"),
        (b"fLaC\x00\x00", "audio/flac"),
        (b"PK\x03\x04\x14\x00", "application/zip"),
        (b"{\\rtf1\\ansi", "application/rtf"),
        (b"<!DOCTYPE html><html>", "text/html; charset=utf-8"),
        (b"\xef\xbb\xbf  <html lang='vi'>", "text/html; charset=utf-8"),
        (b"<?xml version='1.0'?><svg xmlns='...'>", "image/svg+xml"),
        (
            b"WEBVTT\n\n00:00.000 --> 00:01.000\nXin ch\xc3\xa0o",
            "text/vtt; charset=utf-8",
        ),
        ("Bài học hôm nay".encode(), "text/plain; charset=utf-8"),
        ("Bài".encode("cp1258"), "text/plain"),
        ("Bài".encode("utf-16"), "text/plain; charset=utf-16"),
        (b"MZ is a text file too", "text/plain; charset=utf-8"),
        (os.urandom(100) + b"\0", "application/octet-stream"),
    ],
)
def test_sniff(head, mime):
    assert detect.sniff(head, "x").mime == mime


def test_cut_utf8_at_the_end_of_the_head_is_still_text():
    head = "Tiếng Việt".encode()[:-1]
    assert detect.sniff(head, "a.txt").family == "text"


@pytest.mark.parametrize(
    "head",
    [
        b"\x7fELF\x02\x01",
        b"\xcf\xfa\xed\xfe\x07\x00",
        b"\xca\xfe\xba\xbe\x00\x00",
        b"#!/usr/bin/env python\n",
        b"MZ\x90\x00" + bytes(56) + (64).to_bytes(4, "little") + b"PE\0\0",
        b"MZ\x90\x00This program cannot be run in DOS mode.",
        b"dex\n035\0",
    ],
)
def test_programs_are_rejected(head):
    with pytest.raises(Rejected) as caught:
        detect.sniff(head, "a.pdf")
    assert caught.value.reason == "executable"


def test_empty_is_rejected():
    with pytest.raises(Rejected, match="empty"):
        detect.sniff(b"", "a.pdf")


@pytest.mark.parametrize(
    ("head", "name", "mislabelled"),
    [
        (b"%PDF-1.4", "a.pdf", False),
        (b"%PDF-1.4", "a.PDF", False),
        (b"%PDF-1.4", "a.docx", True),
        (b"%PDF-1.4", "a.ggb", False),  # unknown extension: nothing claimed
        (b"\xff\xd8\xff", "a.png", False),  # another image: browsers cope
        (b"\x89PNG\r\n\x1a\n", "a.mp4", True),
        (b"<html>", "a.txt", False),
        (b"Xin chao", "a.html", False),
        (b"Xin chao", "a.pdf", True),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a.doc", False),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a.pdf", True),
    ],
)
def test_names_must_not_claim_another_format(head, name, mislabelled):
    found = detect.sniff(head, name)
    if mislabelled:
        with pytest.raises(Rejected, match="mislabelled"):
            detect.check_name(found, name)
    else:
        detect.check_name(found, name)


@pytest.mark.parametrize(
    ("names", "extension"),
    [
        (["[Content_Types].xml", "word/document.xml"], ".docx"),
        (["docProps/app.xml", "ppt/presentation.xml", "[Content_Types].xml"], ".pptx"),
        (["xl/workbook.xml"], ".xlsx"),
        (["imsmanifest.xml", "index.html"], ".zip"),
        (["a/imsmanifest.xml"], ".zip"),
        (["photo.jpg"], ".zip"),
    ],
)
def test_zip_formats_from_the_central_directory(names, extension):
    data = zip_bytes(names)
    found = zips.zip_type(data[:64], data, len(data))
    assert found.extension == extension
    family = {".docx": "word", ".pptx": "slides", ".xlsx": "sheet"}.get(extension)
    if names[0] == "imsmanifest.xml":
        family = "scorm"
    assert found.family == (family or "zip")


@pytest.mark.parametrize(
    ("mimetype", "extension"),
    [
        (b"application/vnd.oasis.opendocument.text", ".odt"),
        (b"application/vnd.oasis.opendocument.presentation", ".odp"),
        (b"application/epub+zip", ".epub"),
    ],
)
def test_odf_and_epub_from_their_mimetype_entry(mimetype, extension):
    data = zip_bytes(["content.xml"], first=("mimetype", mimetype))
    assert zips.zip_type(data[:1000], data[-100:], len(data)).extension == extension


def test_programs_in_zip_clothing_are_rejected():
    with pytest.raises(Rejected):
        zips.type_of_names(["META-INF/MANIFEST.MF", "a/Main.class"])
    with pytest.raises(Rejected):
        zips.type_of_names(["AndroidManifest.xml", "classes.dex"])


def test_a_short_tail_asks_for_the_central_directory():
    data = zip_bytes(
        [f"word/media/image{i}.png" for i in range(200)] + ["word/document.xml"]
    )
    with pytest.raises(zips.NeedBytes) as need:
        zips.zip_type(data[:64], data[-1000:], len(data))
    directory = data[need.value.offset :]
    assert zips.zip_type(data[:64], directory, len(data)).extension == ".docx"


def test_broken_zips_are_just_zips():
    data = b"PK\x03\x04" + os.urandom(500)
    assert zips.zip_type(data[:64], data, len(data)) is detect.ZIP


@pytest.mark.parametrize(
    ("name", "cleaned"),
    [
        ("Bài giảng.pdf", "Bài giảng.pdf"),
        ("../../x.pdf", "x.pdf"),
        ("  .hidden ", "hidden"),
        ("", "tep"),
        ("CON.txt", "_CON.txt"),
    ],
)
def test_clean_filename(name, cleaned):
    assert clean_filename(name) == cleaned


def test_extensions():
    assert extension_family("A.DOCX") == "word" and extension_family("a.ggb") is None
    assert with_extension("bai", ".pdf") == "bai.pdf"
    assert with_extension("bai.ggb", ".zip") == "bai.ggb"
