"""What a file really is, told from its first bytes (magic numbers), never from its name.

Pure: bytes and names in, a FileType or a Rejected out. ZIP-based formats are told
apart by their entry names (``files/zips.py``), known only once the whole file is seen.
"""

import codecs
import struct
from dataclasses import dataclass

from repo_server.files.names import extension_family


@dataclass(frozen=True)
class FileType:
    """A detected type: MIME type, family of compatible extensions, usual extension."""

    mime: str
    family: str
    extension: str

    @property
    def is_zip(self) -> bool:
        """Tell whether the entry names are still needed to know the format."""
        return self.family == "zip"


class Rejected(Exception):
    """The file may not be stored; ``reason`` is empty, executable or mislabelled."""

    def __init__(self, reason: str, detected: FileType | None = None):
        super().__init__(reason)
        self.reason, self.detected = reason, detected


OCTET = FileType("application/octet-stream", "other", "")
ZIP = FileType("application/zip", "zip", ".zip")
HTML = FileType("text/html", "html", ".html")
TEXT = FileType("text/plain", "text", ".txt")
#: Leading bytes → type; checked in order (the longest, most specific first).
MAGIC = (
    (b"%PDF-", FileType("application/pdf", "pdf", ".pdf")),
    (b"\x89PNG\r\n\x1a\n", FileType("image/png", "image", ".png")),
    (b"\xff\xd8\xff", FileType("image/jpeg", "image", ".jpg")),
    (b"GIF87a", FileType("image/gif", "image", ".gif")),
    (b"GIF89a", FileType("image/gif", "image", ".gif")),
    (b"BM", FileType("image/bmp", "image", ".bmp")),
    (b"PK\x03\x04", ZIP),
    (b"PK\x05\x06", ZIP),
    (b"OggS", FileType("audio/ogg", "media", ".ogg")),
    (b"fLaC", FileType("audio/flac", "media", ".flac")),
    (b"ID3", FileType("audio/mpeg", "media", ".mp3")),
    (b"{\\rtf", FileType("application/rtf", "word", ".rtf")),
)
RIFF = {
    b"WEBP": FileType("image/webp", "image", ".webp"),
    b"WAVE": FileType("audio/wav", "media", ".wav"),
    b"AVI ": FileType("video/x-msvideo", "media", ".avi"),
}
#: ISO base media brands that are not plain MP4 video.
FTYP = {
    b"M4A ": FileType("audio/mp4", "media", ".m4a"),
    b"M4B ": FileType("audio/mp4", "media", ".m4a"),
    b"qt  ": FileType("video/quicktime", "media", ".mov"),
}
MP4 = FileType("video/mp4", "media", ".mp4")
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Legacy Office files (OLE2) are named by their extension's family.
OLE_TYPES = {
    "word": FileType("application/msword", "word", ".doc"),
    "sheet": FileType("application/vnd.ms-excel", "sheet", ".xls"),
    "slides": FileType("application/vnd.ms-powerpoint", "slides", ".ppt"),
}
EXECUTABLE = (
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal binaries and Java classes
    b"#!",
    b"dex\n",
)
HTML_MARKS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<title")
#: Family pairs (detected, named) that differ but do no harm.
HARMLESS = {
    ("html", "text"),
    ("text", "html"),
    ("word", "zip"),
    ("slides", "zip"),
    ("sheet", "zip"),
    ("scorm", "zip"),
    ("book", "zip"),
}


def sniff(head: bytes, filename: str) -> FileType:
    """Return the type of a file from its first bytes (64 KiB are plenty)."""
    if not head:
        raise Rejected("empty")
    if _is_executable(head):
        raise Rejected("executable")
    return _binary_type(head, filename) or _text_type(head, filename)


def check_name(detected: FileType, filename: str) -> None:
    """Raise Rejected("mislabelled") if the name's extension says another format."""
    named = extension_family(filename)
    if named is None or named == detected.family:
        return
    if (detected.family, named) not in HARMLESS:
        raise Rejected("mislabelled", detected)


def _is_executable(head: bytes) -> bool:
    """ELF, Mach-O, Java, Android, scripts with #! and Windows PE programs."""
    if head.startswith(EXECUTABLE):
        return True
    return head.startswith(b"MZ") and _is_pe(head)


def _is_pe(head: bytes) -> bool:
    """A DOS header whose e_lfanew points at a PE signature, or the DOS stub text."""
    if b"This program cannot be run in DOS mode" in head[:512]:
        return True
    if len(head) < 64:
        return False
    (offset,) = struct.unpack_from("<I", head, 0x3C)
    return head[offset : offset + 4] == b"PE\0\0"


def _binary_type(head: bytes, filename: str) -> FileType | None:
    """Recognise the binary formats, or return None."""
    for magic, found in MAGIC:
        if head.startswith(magic):
            return found
    if head.startswith(b"RIFF") and head[8:12] in RIFF:
        return RIFF[head[8:12]]
    if head[4:8] == b"ftyp":
        return FTYP.get(head[8:12], MP4)
    if head.startswith(b"\x1a\x45\xdf\xa3"):  # EBML: WebM or Matroska
        webm = b"webm" in head[:64]
        return FileType(
            "video/webm" if webm else "video/x-matroska",
            "media",
            ".webm" if webm else ".mkv",
        )
    if head.startswith(OLE2):
        return OLE_TYPES.get(extension_family(filename) or "", OCTET)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None  # UTF-16 text, whose BOM looks like an MPEG frame sync
    return _mpeg_audio(head)


def _mpeg_audio(head: bytes) -> FileType | None:
    """MP3 and AAC (ADTS) streams start with an 11-bit frame sync."""
    if len(head) < 2 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return None
    if head[1] & 0x06 == 0:  # layer bits 00: AAC in ADTS
        return FileType("audio/aac", "media", ".aac")
    return FileType("audio/mpeg", "media", ".mp3")


def _text_type(head: bytes, filename: str) -> FileType:
    """HTML, SVG, WebVTT or plain text when the bytes read as text, else unknown."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return FileType("text/plain; charset=utf-16", "text", ".txt")
    text = head.removeprefix(codecs.BOM_UTF8)
    if not _looks_like_text(text):
        return OCTET
    found = _markup_type(text[:1024].lstrip().lower(), filename)
    if found.family != "svg" and is_utf8(text):
        return FileType(found.mime + "; charset=utf-8", found.family, found.extension)
    return found


def _markup_type(start: bytes, filename: str) -> FileType:
    """Tell HTML, SVG, WebVTT and CSV from plain text by their first line(s)."""
    if any(mark in start for mark in HTML_MARKS) or start.startswith(b"<!--"):
        return HTML
    if b"<svg" in start:
        return FileType("image/svg+xml", "svg", ".svg")
    if start.startswith(b"webvtt"):
        return FileType("text/vtt", "text", ".vtt")
    if filename.lower().endswith(".csv"):
        return FileType("text/csv", "text", ".csv")
    return TEXT


def _looks_like_text(data: bytes) -> bool:
    """No NUL and few control characters (UTF-8 or a legacy 8-bit encoding)."""
    if b"\0" in data:
        return False
    controls = sum(1 for byte in data if byte < 32 and byte not in b"\t\n\r\f\x1b")
    return controls * 100 <= len(data)


def is_utf8(data: bytes) -> bool:
    """Tell whether ``data`` is valid UTF-8, allowing a cut multi-byte tail."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
    except UnicodeDecodeError:
        return False
    return True
