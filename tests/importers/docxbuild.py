"""Build small Word papers in tests with python-docx (runs with underline, colour …)."""

from __future__ import annotations

import io
import struct
import zlib

import docx
from docx.oxml import parse_xml
from docx.shared import RGBColor

from importers.word import read_word
from qti import PackageLimits

M_NS = 'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"'
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def tiny_png(shade: int = 0) -> bytes:
    """A valid 1×1 PNG (``shade`` changes its bytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(bytes([0, shade]))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


class Paper:
    """A document under construction; ``p("A. x", ("B. y", "u"))`` adds a paragraph.

    A run is a string or (text, styles) where styles holds u (underline), b (bold),
    r (red), i (italic), sub, sup.
    """

    def __init__(self):
        self.doc = docx.Document()

    def p(self, *runs):
        """Add a paragraph of runs; return it."""
        paragraph = self.doc.add_paragraph()
        for run in runs:
            text, styles = (run, "") if isinstance(run, str) else run
            self.run(paragraph, text, styles)
        return paragraph

    def lines(self, text: str) -> None:
        """Add one plain paragraph per line of ``text``."""
        for line in text.strip("\n").split("\n"):
            self.p(line)

    @staticmethod
    def run(paragraph, text: str, styles: str = ""):
        """Add one run in ``styles`` to ``paragraph``."""
        run = paragraph.add_run(text)
        flags = styles.split()
        for flag, attribute in (("u", "underline"), ("b", "bold"), ("i", "italic")):
            if flag in flags:
                setattr(run, attribute, True)
        if "sub" in flags:
            run.font.subscript = True
        if "sup" in flags:
            run.font.superscript = True
        if "r" in flags:
            run.font.color.rgb = RGBColor(0xFF, 0x00, 0x00)
        return run

    def math(self, paragraph, omml_inner: str) -> None:
        """Append an equation (the inside of ``m:oMath``) to ``paragraph``."""
        paragraph._p.append(parse_xml(f"<m:oMath {M_NS} {W_NS}>{omml_inner}</m:oMath>"))

    def picture(self, paragraph, shade: int = 0):
        """Append a small PNG to ``paragraph``; return the run."""
        run = paragraph.add_run()
        run.add_picture(io.BytesIO(tiny_png(shade)))
        return run

    def mathtype(self, paragraph) -> None:
        """Append a legacy MathType object (an OLE object shown as its picture)."""
        run = self.picture(paragraph, 7)
        blip = run._r.xpath(".//a:blip")[0]
        rid = blip.get(
            "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
        )
        drawing = run._r.xpath(".//w:drawing")[0]
        run._r.remove(drawing)
        run._r.append(
            parse_xml(
                f'<w:object {W_NS} xmlns:v="urn:schemas-microsoft-com:vml" '
                'xmlns:o="urn:schemas-microsoft-com:office:office" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                f'<v:shape id="e1"><v:imagedata r:id="{rid}"/></v:shape>'
                '<o:OLEObject Type="Embed" ProgID="Equation.DSMT4" ShapeID="e1"/></w:object>'
            )
        )

    def table(self, rows: list[list[str]]):
        """Add a table of plain cells."""
        table = self.doc.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
        return table

    def bytes(self) -> bytes:
        """The .docx file."""
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()

    def read(self):
        """Read the paper with the Word reader."""
        return read_word(io.BytesIO(self.bytes()), "de.docx", PackageLimits())


def summary(result) -> list[tuple]:
    """(label, type, correct or truths or value) of every item, for short assertions."""
    out = []
    for item, meta in result.items:
        if item.type == "true_false_cluster":
            key = "".join("Đ" if s.correct else "S" for s in item.statements)
        elif item.type == "numeric":
            key = item.numeric.value
        else:
            key = "".join(item.correct)
        out.append((meta["label"], item.type, key))
    return out
