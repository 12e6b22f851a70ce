"""SCORM namespaces and how a manifest says which SCORM version it is."""

from __future__ import annotations

from lxml import etree

from qti.ns import NS, localname, namespace
from scorm.errors import ScormError

CP12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
CP2004 = NS["imscp"]
ADLCP12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
ADLCP13 = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
IMSMD12 = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
#: ``<schemaversion>`` values → our version names.
SCHEMA_VERSIONS = {
    "1.2": "1.2",
    "cam 1.3": "2004 2nd",
    "2004 3rd edition": "2004 3rd",
    "2004 4th edition": "2004 4th",
}


def detect_version(root: etree._Element) -> tuple[str, list[str]]:
    """Return the SCORM version of a manifest root and warnings about it."""
    if localname(root) != "manifest":
        raise ScormError(
            "Tệp imsmanifest.xml không có phần tử gốc <manifest>.", "manifest"
        )
    declared = _schemaversion(root)
    found = SCHEMA_VERSIONS.get(declared.lower())
    if found:
        return found, []
    uses = _namespaces(root)
    if namespace(root) == CP12 or ADLCP12 in uses:
        return "1.2", [_unknown(declared, "SCORM 1.2")]
    if ADLCP13 in uses or IMSSS in uses:
        return "2004 4th", [_unknown(declared, "SCORM 2004 (bản 4)")]
    raise ScormError(
        "Gói không phải SCORM: imsmanifest.xml không khai báo SCORM 1.2 hay 2004 "
        f"(schemaversion: {declared or 'trống'}).",
        "manifest",
    )


def _unknown(declared: str, assumed: str) -> str:
    if not declared:
        return f"imsmanifest.xml thiếu <schemaversion>; đọc gói như {assumed}."
    return f"schemaversion “{declared}” không chuẩn; đọc gói như {assumed}."


def _schemaversion(root: etree._Element) -> str:
    element = root.find("{*}metadata/{*}schemaversion")
    return " ".join((element.text or "").split()) if element is not None else ""


def _namespaces(root: etree._Element) -> set[str]:
    """Return every namespace used by an element or attribute of the manifest."""
    found = {namespace(e) for e in root.iter() if isinstance(e.tag, str)}
    for element in root.iter("{*}resource", "{*}item"):
        found.update(name[1:].partition("}")[0] for name in element.attrib)
    return found
