"""Text of uploaded documents for the search index: PDF, DOCX, PPTX, XLSX, HTML, text.

Pure: a seekable binary stream and its detected type in, text out. Extraction never
fails an upload: limits and unreadable files end in ``Extracted.error``.
"""

import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

import docx
import lxml.etree
import lxml.html
import openpyxl
import pptx
import pypdf
from docx.opc.exceptions import PackageNotFoundError as DocxPackageError
from openpyxl.utils.exceptions import InvalidFileException
from pptx.exc import PackageNotFoundError as PptxPackageError

from repo_server.files.zips import OOXML

#: Largest XML inside an Office file we parse (its DOM takes several times that).
MAX_XML_BYTES = 64 * 1024 * 1024
#: What malformed files make these libraries raise; anything else is a bug.
UNREADABLE = (
    pypdf.errors.PyPdfError,
    zipfile.BadZipFile,
    lxml.etree.LxmlError,
    DocxPackageError,
    PptxPackageError,
    InvalidFileException,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    EOFError,
    OSError,
)
WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/main"
#: HTML elements that end a line of text.
BLOCKS = (
    "title p div br li tr td th h1 h2 h3 h4 h5 h6 section article header footer "
    "blockquote pre table ul ol dt dd figcaption caption"
).split()


@dataclass(frozen=True)
class Extracted:
    """The text found (None when the type has none) and why it stopped, if it did."""

    text: str | None
    error: str | None = None


class Budget:
    """Collects text pieces; stops the reader past ``max_chars`` or its deadline."""

    class Spent(Exception):
        """Raised inside a reader when the budget is used up."""

    def __init__(self, max_chars: int, seconds: float):
        self.max_chars, self.deadline = max_chars, time.monotonic() + seconds
        self.seconds, self.pieces, self.length = seconds, [], 0

    def add(self, text: str | None) -> None:
        """Keep ``text`` (cut at the limit); raise Spent when time or room is gone."""
        if time.monotonic() > self.deadline:
            raise Budget.Spent(f"Quá {self.seconds:g} giây: chỉ giữ phần văn bản đầu.")
        text = " ".join((text or "").split())
        if not text:
            return
        self.pieces.append(text[: self.max_chars - self.length])
        self.length += len(text) + 1
        if self.length > self.max_chars:
            raise Budget.Spent(f"Văn bản dài quá {self.max_chars} ký tự: đã cắt bớt.")

    def text(self) -> str:
        """Return the text collected, one piece per line."""
        return "\n".join(self.pieces)


def extract_text(
    stream: BinaryIO, content_type: str, max_chars: int = 1_000_000, seconds=20.0
) -> Extracted:
    """Return the text of ``stream`` of type ``content_type`` within the limits."""
    mime, _, params = content_type.partition(";")
    reader = READERS.get(mime.strip())
    if reader is None:
        return Extracted(None)
    budget = Budget(max_chars, seconds)
    try:
        reader(stream, budget, params)
    except Budget.Spent as stop:
        return Extracted(budget.text(), str(stop))
    except UNREADABLE as exc:
        return Extracted(
            budget.text(), f"Không đọc được tệp: {type(exc).__name__}: {exc}"[:500]
        )
    return Extracted(budget.text())


def read_pdf(stream: BinaryIO, budget: Budget, _params: str) -> None:
    """Each page's text, in order."""
    reader = pypdf.PdfReader(stream)
    if reader.is_encrypted and not reader.decrypt(""):
        raise ValueError("PDF được bảo vệ bằng mật khẩu")
    for page in reader.pages:
        budget.add(page.extract_text())


def read_docx(stream: BinaryIO, budget: Budget, _params: str) -> None:
    """Every paragraph of the body, tables and text boxes included."""
    _check_xml_sizes(stream)
    body = docx.Document(stream).element.body
    for paragraph in body.iter(f"{{{WORD}}}p"):
        budget.add("".join(t.text or "" for t in paragraph.iter(f"{{{WORD}}}t")))


def read_pptx(stream: BinaryIO, budget: Budget, _params: str) -> None:
    """Every paragraph of every slide, then the slide's notes."""
    _check_xml_sizes(stream)
    for slide in pptx.Presentation(stream).slides:
        elements = [slide.element]
        if slide.has_notes_slide:
            elements.append(slide.notes_slide.element)
        for element in elements:
            for paragraph in element.iter(f"{{{DRAWING}}}p"):
                budget.add(
                    "".join(t.text or "" for t in paragraph.iter(f"{{{DRAWING}}}t"))
                )


def read_xlsx(stream: BinaryIO, budget: Budget, _params: str) -> None:
    """Sheet names and cell values, row by row (streamed, read-only)."""
    _check_xml_sizes(stream)
    book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            budget.add(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                budget.add(" ".join(str(v) for v in row if v is not None))
    finally:
        book.close()


def read_html(stream: BinaryIO, budget: Budget, params: str) -> None:
    """The visible text, a line per block: scripts, styles and comments dropped."""
    encoding = "utf-8" if "utf-8" in params else None  # else the page's <meta> says
    parser = lxml.html.HTMLParser(
        encoding=encoding, no_network=True, remove_comments=True
    )
    root = lxml.html.document_fromstring(stream.read(budget.max_chars * 8), parser)
    for element in list(root.iter("script", "style", "noscript", "template")):
        element.drop_tree()
    for element in root.iter(*BLOCKS):
        element.tail = "\n" + (element.tail or "")
    for line in root.text_content().splitlines():
        budget.add(line)


def read_text(stream: BinaryIO, budget: Budget, params: str) -> None:
    """Plain text, UTF-8 unless the type says UTF-16."""
    encoding = "utf-16" if "utf-16" in params else "utf-8"
    data = stream.read(budget.max_chars * 4)
    for line in data.decode(encoding, errors="replace").splitlines():
        budget.add(line)


def _check_xml_sizes(stream: BinaryIO) -> None:
    """Refuse Office files whose XML would unpack to more than MAX_XML_BYTES."""
    with zipfile.ZipFile(stream) as archive:
        total = sum(
            i.file_size for i in archive.infolist() if i.filename.endswith(".xml")
        )
    stream.seek(0)
    if total > MAX_XML_BYTES:
        raise ValueError(f"nội dung XML giải nén quá lớn ({total} byte)")


READERS: dict[str, Callable[[BinaryIO, Budget, str], None]] = {
    "application/pdf": read_pdf,
    f"{OOXML}.wordprocessingml.document": read_docx,
    f"{OOXML}.presentationml.presentation": read_pptx,
    f"{OOXML}.spreadsheetml.sheet": read_xlsx,
    "text/html": read_html,
    "text/plain": read_text,
    "text/csv": read_text,
    "text/vtt": read_text,
}
