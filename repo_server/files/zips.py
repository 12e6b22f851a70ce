"""ZIP-based formats (DOCX, PPTX, XLSX, ODF, EPUB, SCORM) told apart by entry names.

Only the end of the file is needed: the central directory lists every entry, so a
file's last bytes (kept while it streams by) usually suffice.
"""

import io
import struct
import zipfile

from repo_server.files.detect import ZIP, FileType, Rejected

OOXML = "application/vnd.openxmlformats-officedocument"
#: A part that only one OOXML format has → its type.
OOXML_PARTS = {
    "word/document.xml": FileType(
        f"{OOXML}.wordprocessingml.document", "word", ".docx"
    ),
    "ppt/presentation.xml": FileType(
        f"{OOXML}.presentationml.presentation", "slides", ".pptx"
    ),
    "xl/workbook.xml": FileType(f"{OOXML}.spreadsheetml.sheet", "sheet", ".xlsx"),
}
#: The ``mimetype`` entry of OpenDocument and EPUB files → type.
MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": FileType(
        "application/vnd.oasis.opendocument.text", "word", ".odt"
    ),
    b"application/vnd.oasis.opendocument.spreadsheet": FileType(
        "application/vnd.oasis.opendocument.spreadsheet", "sheet", ".ods"
    ),
    b"application/vnd.oasis.opendocument.presentation": FileType(
        "application/vnd.oasis.opendocument.presentation", "slides", ".odp"
    ),
    b"application/epub+zip": FileType("application/epub+zip", "book", ".epub"),
}
SCORM = FileType("application/zip", "scorm", ".zip")
LOCAL_HEADER = struct.Struct("<4s5H3I2H")


class NeedBytes(Exception):
    """The central directory starts before the bytes at hand, at ``offset``."""

    def __init__(self, offset: int):
        super().__init__(offset)
        self.offset = offset


class TailFile(io.RawIOBase):
    """A file of ``size`` bytes of which only the last ``len(tail)`` are known."""

    def __init__(self, tail: bytes, size: int):
        super().__init__()
        self.tail, self.size, self.start, self.pos = tail, size, size - len(tail), 0

    def readable(self) -> bool:
        """Tell io that this file reads."""
        return True

    def seekable(self) -> bool:
        """Tell zipfile that it may seek."""
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        """Move to ``offset`` (from the start, here or the end)."""
        base = {0: 0, 1: self.pos, 2: self.size}[whence]
        self.pos = max(0, base + offset)
        return self.pos

    def tell(self) -> int:
        """Return the current position."""
        return self.pos

    def readinto(self, buffer) -> int:
        """Copy known bytes; reading before the tail raises NeedBytes."""
        if self.pos < self.start:
            raise NeedBytes(self.pos)
        chunk = self.tail[self.pos - self.start : self.pos - self.start + len(buffer)]
        memoryview(buffer)[: len(chunk)] = chunk
        self.pos += len(chunk)
        return len(chunk)


def zip_type(head: bytes, tail: bytes, size: int) -> FileType:
    """Return the ZIP-based format; raise NeedBytes if the tail is too short."""
    if mimetype := _mimetype_entry(head):
        return MIMETYPES.get(mimetype, ZIP)
    try:
        names = zipfile.ZipFile(TailFile(tail, size)).namelist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        return ZIP
    return type_of_names(names)


def type_of_names(names: list[str]) -> FileType:
    """Name the format from the entries of a ZIP file."""
    entries = set(names)
    for part, found in OOXML_PARTS.items():
        if part in entries:
            return found
    if "imsmanifest.xml" in entries:
        return SCORM
    jar = "META-INF/MANIFEST.MF" in entries and any(n.endswith(".class") for n in names)
    if jar or "classes.dex" in entries:  # Java and Android programs
        raise Rejected("executable")
    return ZIP


def _mimetype_entry(head: bytes) -> bytes | None:
    """Return the stored ``mimetype`` first entry of ODF/EPUB files, if any."""
    if len(head) < LOCAL_HEADER.size:
        return None
    fields = LOCAL_HEADER.unpack_from(head)
    method, compressed, name_len, extra_len = (
        fields[3],
        fields[7],
        fields[9],
        fields[10],
    )
    start = LOCAL_HEADER.size
    if method != 0 or head[start : start + name_len] != b"mimetype":
        return None
    data = start + name_len + extra_len
    return head[data : data + min(compressed, 100)].strip()
