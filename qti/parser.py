"""The one hardened lxml parser for untrusted XML, and the matching serializer."""

from __future__ import annotations

import threading
from typing import BinaryIO

from lxml import etree

from qti.errors import QtiError

#: No DTD loading, no entity expansion, no network, libxml2's default size limits.
HARDENED = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}
#: One parser per thread: lxml parses without the GIL, but a parser serves one call at a time.
_LOCAL = threading.local()


def _parser() -> etree.XMLParser:
    parser = getattr(_LOCAL, "parser", None)
    if parser is None:
        parser = _LOCAL.parser = etree.XMLParser(**HARDENED)
    return parser


def parse_xml(source: bytes | BinaryIO) -> etree._Element:
    """Parse untrusted XML bytes (or a binary stream) into its root element."""
    data = source if isinstance(source, bytes | bytearray) else source.read()
    if not isinstance(data, bytes | bytearray):
        raise QtiError("Nội dung XML phải là dữ liệu nhị phân (bytes).", "xml")
    if isinstance(data, bytearray):
        data = bytes(data)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise QtiError(
            f"Tệp XML không hợp lệ (dòng {exc.lineno}): {exc.msg}", "xml"
        ) from exc
    refuse_entities(root)
    return root


def refuse_entities(root: etree._Element) -> None:
    """Refuse documents that declare or use entities (billion laughs, XXE)."""
    docinfo = root.getroottree().docinfo
    if not docinfo.doctype:
        return  # without a DOCTYPE, an entity reference is a syntax error already
    dtd = docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.entities()):
        raise QtiError(
            "Tệp XML khai báo thực thể (DOCTYPE ENTITY); vì lý do an toàn không được chấp nhận.",
            "xml",
        )
    if any(True for _ in root.iter(etree.Entity)):
        raise QtiError(
            "Tệp XML dùng tham chiếu thực thể không xác định; không được chấp nhận.",
            "xml",
        )


def to_bytes(root: etree._Element) -> bytes:
    """Serialize ``root`` as a UTF-8 XML document with a declaration."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
