"""Decode teachers' text files: UTF-8 (± BOM), UTF-16, Windows-1258, and mixtures."""

from __future__ import annotations

from qti.text import normalize

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def decode(data: bytes) -> tuple[str, str, list[str]]:
    """Return (NFC text, encoding name, notes) of a text file's bytes."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom) :], encoding)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _strict(data, utf16)
    try:
        return normalize(data.decode("utf-8")), "utf-8", []
    except UnicodeDecodeError:
        pass
    if _looks_utf8_somewhere(data):
        lines = [_line(line) for line in data.split(b"\n")]
        note = "Tệp trộn nhiều bảng mã (UTF-8 và Windows-1258); đã đọc theo từng dòng."
        return normalize("\n".join(lines)), "mixed", [note]
    return normalize(data.decode("cp1258", errors="replace")), "windows-1258", []


def _strict(data: bytes, encoding: str) -> tuple[str, str, list[str]]:
    text = data.decode(encoding, errors="replace")
    notes = []
    if "\ufffd" in text:
        notes.append(f"Một số ký tự không đọc được theo bảng mã {encoding}.")
    return normalize(text), encoding, notes


def _utf16_without_bom(data: bytes) -> str:
    """UTF-16 without a BOM: most ASCII characters come with a zero byte."""
    sample = data[:4000]
    if len(sample) < 4:
        return ""
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.3 and even < half * 0.05:
        return "utf-16-le"
    if even > half * 0.3 and odd < half * 0.05:
        return "utf-16-be"
    return ""


def _looks_utf8_somewhere(data: bytes) -> bool:
    for line in data.split(b"\n"):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if any(byte >= 0x80 for byte in line):
            return True
    return False


def _line(line: bytes) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode("cp1258", errors="replace")
