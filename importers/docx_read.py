"""Open a .docx safely and turn its body into rich lines and tables, in reading order."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import BinaryIO

from importers.docx_numbering import TYPED_MARKER, Numbering
from importers.docx_text import (
    BOLD,
    HIGHLIGHT,
    ITALIC,
    RED,
    SUB,
    SUP,
    UNDERLINE,
    Line,
    Objects,
)
from importers.omml import M, omml_to_mathml
from qti.errors import QtiError
from qti.parser import parse_xml
from qti.text import normalize
from qti.zipsafe import PackageLimits, check_entries, open_zip, read_entry

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
V = "urn:schemas-microsoft-com:vml"
OFFICE = "urn:schemas-microsoft-com:office:office"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_MIME = {
    "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
    "bmp": "image/bmp", "svg": "image/svg+xml", "webp": "image/webp",
    "wmf": "image/wmf", "emf": "image/emf", "tif": "image/tiff", "tiff": "image/tiff",
}  # fmt: skip
_CONTAINERS = {
    "hyperlink",
    "ins",
    "smartTag",
    "fldSimple",
    "sdt",
    "sdtContent",
    "customXml",
}


def w(name: str) -> str:
    """The Clark name of a WordprocessingML element."""
    return f"{{{W}}}{name}"


@dataclass
class Table:
    """A table: rows of cells, each cell a list of lines."""

    rows: list[list[list[Line]]] = field(default_factory=list)


@dataclass
class Document:
    """The body of a document as blocks, its objects and its embedded pictures."""

    blocks: list = field(default_factory=list)
    objects: Objects = field(default_factory=Objects)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)


def read_docx(stream: BinaryIO, limits: PackageLimits) -> Document:
    """Read the body of a Word document (a checked ZIP) into blocks."""
    try:
        archive = open_zip(stream)
    except QtiError as exc:
        raise QtiError(
            "Tệp Word bị hỏng, không mở được như .docx; hãy mở bằng Word và lưu lại.",
            "file",
        ) from exc
    with archive:
        entries = check_entries(archive, limits)
        if "word/document.xml" not in entries:
            raise QtiError("Tệp không phải tài liệu Word (.docx).", "file")
        part = _Part(archive, entries)
        body = parse_xml(read_entry(archive, entries["word/document.xml"])).find(
            w("body")
        )
        if body is None:
            raise QtiError("Tài liệu Word không có nội dung.", "file")
        part.blocks(body)
        return part.doc


class _Part:
    """The reading state of the main document part."""

    def __init__(self, archive, entries):
        self.archive, self.entries = archive, entries
        self.doc = Document()
        self.rels = self._rels()
        styles = self._xml("word/styles.xml")
        self.char_styles = self._styles(styles)
        self.numbering = Numbering(self._xml("word/numbering.xml"), styles)

    def _xml(self, name: str):
        info = self.entries.get(name)
        return parse_xml(read_entry(self.archive, info)) if info else None

    def _rels(self) -> dict[str, str]:
        root = self._xml("word/_rels/document.xml.rels")
        if root is None:
            return {}
        rels = {}
        for rel in root.iter(f"{{{_RELS}}}Relationship"):
            if rel.get("TargetMode") != "External":
                target = posixpath.normpath(
                    posixpath.join("word", rel.get("Target", ""))
                )
                rels[rel.get("Id")] = target.lstrip("/")
        return rels

    def _styles(self, root) -> dict[str, int]:
        if root is None:
            return {}
        styles = {}
        for style in root.iter(w("style")):
            if style.get(w("type")) == "character":
                styles[style.get(w("styleId"))] = run_style(style.find(w("rPr")), {})
        return styles

    def blocks(self, parent) -> None:
        """Append the paragraphs and tables under ``parent`` to the document."""
        for child in parent:
            tag = child.tag
            if tag == w("p"):
                self.doc.blocks += self.paragraph(child)
            elif tag == w("tbl"):
                self.doc.blocks.append(self.table(child))
            elif tag in (w("sdt"), w("sdtContent"), w("customXml")):
                self.blocks(child)

    def table(self, tbl) -> Table:
        """Read a table; nested tables become lines of their cells."""
        table = Table()
        for tr in tbl.iter(w("tr")):
            if tr.getparent() is not tbl:
                continue
            row = []
            for tc in tr.findall(w("tc")):
                lines = []
                for p in tc.iter(w("p")):
                    lines += self.paragraph(p)
                row.append(lines)
            table.rows.append(row)
        return table

    def paragraph(self, p) -> list[Line]:
        """Read a paragraph into lines (soft line breaks split it), list number first."""
        lines, shown = [Line()], self.numbering.label(p)
        self._content(p, lines)
        if shown and not TYPED_MARKER.match(lines[0].text):
            lines[0].prepend(normalize(shown[0]), run_style(shown[1], self.char_styles))
        return lines

    def _content(self, parent, lines: list[Line]) -> None:
        for child in parent:
            tag = child.tag
            if tag == w("r"):
                self._run(child, lines)
            elif tag == f"{{{M}}}oMathPara":
                for omath in child.iter(f"{{{M}}}oMath"):
                    self._math(omath, lines, True)
            elif tag == f"{{{M}}}oMath":
                self._math(child, lines, False)
            elif isinstance(tag, str) and tag.split("}")[-1] in _CONTAINERS:
                self._content(child, lines)

    def _math(self, omath, lines: list[Line], display: bool) -> None:
        mathml, text, unknown = omml_to_mathml(omath, display)
        note = ""
        if unknown:
            note = "Công thức có thành phần chưa đọc được: " + ", ".join(
                sorted(unknown)
            )
        lines[-1].append(self.doc.objects.add(mathml, text, note), 0)

    def _run(self, r, lines: list[Line]) -> None:
        style = run_style(r.find(w("rPr")), self.char_styles)
        for child in r:
            tag = child.tag
            if tag == w("t"):
                lines[-1].append(normalize(child.text or ""), style)
            elif tag in (w("tab"), w("ptab")):
                lines[-1].append("\t", style)
            elif tag in (w("br"), w("cr")):
                if child.get(w("type")) not in ("page", "column"):
                    lines.append(Line())
            elif tag == w("noBreakHyphen"):
                lines[-1].append("-", style)
            elif tag == w("sym"):
                lines[-1].append(_symbol(child), style)
            elif tag in (w("drawing"), w("pict"), w("object")):
                lines[-1].append(self._picture(child), style)

    def _picture(self, element) -> str:
        """Keep a picture (or the picture of a MathType equation) as an object."""
        blip = element.find(f".//{{{A}}}blip")
        rel = blip.get(f"{{{R}}}embed") if blip is not None else None
        if rel is None:
            data = element.find(f".//{{{V}}}imagedata")
            rel = data.get(f"{{{R}}}id") if data is not None else None
        target = self.rels.get(rel or "")
        if not target or target not in self.entries:
            return ""
        name = posixpath.basename(target)
        if name not in self.doc.files:
            mime = _MIME.get(
                name.rsplit(".", 1)[-1].lower(), "application/octet-stream"
            )
            self.doc.files[name] = (
                mime,
                read_entry(self.archive, self.entries[target]),
            )
        return self.doc.objects.add(
            f'<img src="{name}" alt="">', "[ảnh]", _picture_note(element, name), name
        )


def _picture_note(element, name: str) -> str:
    ole = element.find(f".//{{{OFFICE}}}OLEObject")
    if ole is not None and (ole.get("ProgID") or "").startswith("Equation"):
        return "Công thức MathType được giữ dạng ảnh; nên gõ lại bằng công cụ Equation."
    if name.lower().endswith((".wmf", ".emf")):
        return f"Ảnh {name} ở định dạng WMF/EMF, trình duyệt không hiển thị được."
    return ""


def _symbol(sym) -> str:
    try:
        code = int(sym.get(w("char"), ""), 16)
    except ValueError:
        return ""
    return chr(code - 0xF000) if code >= 0xF000 else chr(code)


def _on(element) -> bool:
    return element is not None and element.get(w("val"), "true") not in (
        "0",
        "false",
        "off",
    )


def run_style(rpr, char_styles: dict[str, int]) -> int:
    """The style bits of a run's properties (its character style included)."""
    if rpr is None:
        return 0
    ref = rpr.find(w("rStyle"))
    style = char_styles.get(ref.get(w("val")), 0) if ref is not None else 0
    for tag, bit in (("b", BOLD), ("i", ITALIC)):
        if rpr.find(w(tag)) is not None:
            style = style | bit if _on(rpr.find(w(tag))) else style & ~bit
    underline = rpr.find(w("u"))
    if underline is not None:
        none = underline.get(w("val"), "single") == "none"
        style = style & ~UNDERLINE if none else style | UNDERLINE
    if is_red(rpr.find(w("color"))):
        style |= RED
    highlight = rpr.find(w("highlight"))
    if highlight is not None and highlight.get(w("val"), "none") != "none":
        style |= HIGHLIGHT
    align = rpr.find(w("vertAlign"))
    if align is not None:
        style |= {"subscript": SUB, "superscript": SUP}.get(align.get(w("val")), 0)
    return style


def is_red(color) -> bool:
    """Tell whether a ``w:color`` is a red (FF0000, C00000 …)."""
    value = (color.get(w("val")) or "") if color is not None else ""
    if len(value) != 6:
        return False
    try:
        red, green, blue = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return False
    return red >= 0xB0 and green <= 0x60 and blue <= 0x60
