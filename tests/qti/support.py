"""Test helpers: where the shared standards and samples live, and XSD validation."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest
from lxml import etree

SHARED = Path(
    os.environ.get("REPO_SHARED_DIR")
    or Path(__file__).resolve().parents[2] / ".." / "shared"
).resolve()
STANDARDS = SHARED / "standards"
SAMPLES = SHARED / "samples"

#: Remote schema locations used by the official XSDs → local copies under STANDARDS.
REMOTE = {
    "http://www.w3.org/2001/xml.xsd": "qti/w3/xml.xsd",
    "http://www.w3.org/2001/03/xml.xsd": "qti/w3/xml.xsd",
    "https://www.imsglobal.org/xsd/w3/2001/XInclude.xsd": "qti/w3/XInclude.xsd",
    "https://purl.imsglobal.org/spec/w3/1999/schema/xsd/xlink.xsd": "qti/w3/xlink.xsd",
    "http://www.w3.org/1999/xlink.xsd": "qti/w3/xlink.xsd",
}
#: QTI 3 profile XSDs point at the QTI 2.2 MathML/SSML copies; use the QTI 3 ones.
QTI3_REWRITES = {
    "../w3/mathml3/mathml3.xsd": "../w3-qti3/mathml3.xsd",
    "../w3/ssml11/ssmlv1p1-core.xsd": "../w3-qti3/ssmlv1p1-core.xsd",
    "../w3/XInclude.xsd": "../w3-qti3/XInclude.xsd",
    "../w3/xml.xsd": "../w3-qti3/xml.xsd",
}
#: Top-level schema (relative to STANDARDS) and whether it needs the QTI 3 rewrites.
SCHEMAS = {
    "qti21": ("qti/qtiv2p1/imsqti_v2p1.xsd", False),
    "qti22": ("qti/qtiv2p2p4/imsqti_v2p2p4.xsd", False),
    "manifest2": ("qti/qti2_manifest_wrapper.xsd", False),
    "manifest3": ("qti/qtiv3p0/imsqtiv3p0_imscpv1p2_v1p0.xsd", True),
    "scorm12": ("scorm12/scorm12_manifest_wrapper.xsd", False),
    "scorm2004": ("scorm2004-4ed/scorm2004_manifest_wrapper.xsd", False),
}
#: SCORM 1.2's ims_xml.xsd binds the default namespace to the XML one (libxml2 refuses
#: it); the W3C xml.xsd declares the same attributes.
LOCAL_REDIRECT = {"scorm12/ims_xml.xsd": "qti/w3/xml.xsd"}
#: SCORM 1.2's imsmd_rootv1p2p1.xsd has a non-deterministic ``##any`` wildcard; every
#: copy in the wild has it, so it is patched in memory (see the standards README).
LOCAL_PATCHES = {
    "scorm12/imsmd_rootv1p2p1.xsd": (
        b'<xsd:any namespace="##any" processContents="strict"',
        b'<xsd:any namespace="##other" processContents="strict"',
    )
}


def require(path: Path) -> Path:
    """Skip the calling test when a shared folder is absent."""
    if not path.is_dir():
        pytest.skip(f"{path} not present")
    return path


class _LocalResolver(etree.Resolver):
    """Serve local copies of known remote schemas; refuse any other remote URL."""

    def resolve(self, url, pubid, context):
        if url in REMOTE:
            return self.resolve_filename(str(STANDARDS / REMOTE[url]), context)
        local = _local_name(url)
        if local in LOCAL_REDIRECT:
            return self.resolve_filename(
                str(STANDARDS / LOCAL_REDIRECT[local]), context
            )
        if local in LOCAL_PATCHES:
            old, new = LOCAL_PATCHES[local]
            data = (STANDARDS / local).read_bytes().replace(old, new)
            return self.resolve_string(data, context, base_url=url)
        if url.startswith(("http://", "https://")):
            raise etree.XMLSchemaParseError(f"remote schema not vendored: {url}")
        return None


def _local_name(url: str) -> str:
    """Return ``url`` relative to STANDARDS ("" when it lies elsewhere)."""
    path = Path(url.removeprefix("file://"))
    try:
        return path.resolve().relative_to(STANDARDS).as_posix()
    except ValueError:
        return ""


@functools.cache
def schema(name: str) -> etree.XMLSchema:
    """Compile (once) one of the ``SCHEMAS`` offline."""
    require(STANDARDS)
    relative, rewrite = SCHEMAS[name]
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    parser.resolvers.add(_LocalResolver())
    document = etree.parse(str(STANDARDS / relative), parser)
    if rewrite:
        for element in document.getroot():
            location = element.get("schemaLocation")
            if location in QTI3_REWRITES:
                element.set("schemaLocation", QTI3_REWRITES[location])
    return etree.XMLSchema(document)


def assert_valid(name: str, xml: bytes) -> None:
    """Assert that the document ``xml`` is valid against schema ``name``."""
    validator = schema(name)
    document = etree.fromstring(xml)
    if not validator.validate(document):
        errors = "\n".join(f"line {e.line}: {e.message}" for e in validator.error_log)
        raise AssertionError(f"{name} validation failed:\n{errors}\n{xml.decode()}")


def c14n(xml: bytes) -> bytes:
    """Return the canonical form (C14N 2.0) of an XML document."""
    return etree.canonicalize(xml.decode("utf-8")).encode("utf-8")
