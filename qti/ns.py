"""XML namespaces of the QTI, content-packaging and metadata formats, and ``qn()``."""

#: Prefix → namespace URI for every vocabulary the package reads or writes.
NS = {
    "qti21": "http://www.imsglobal.org/xsd/imsqti_v2p1",
    "qti22": "http://www.imsglobal.org/xsd/imsqti_v2p2",
    "qti30": "http://www.imsglobal.org/xsd/imsqtiasi_v3p0",
    "m": "http://www.w3.org/1998/Math/MathML",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "xml": "http://www.w3.org/XML/1998/namespace",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "imscp": "http://www.imsglobal.org/xsd/imscp_v1p1",
    "imscp3": "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1",
    "lom": "http://ltsc.ieee.org/xsd/LOM",
    "imsmd": "http://www.imsglobal.org/xsd/imsmd_v1p2",
    "qtimd21": "http://www.imsglobal.org/xsd/imsqti_metadata_v2p1",
    "qtimd30": "http://www.imsglobal.org/xsd/imsqti_metadata_v3p0",
}

#: QTI version → namespace of its assessment items and tests.
QTI_NS = {"2.1": NS["qti21"], "2.2": NS["qti22"], "3.0": NS["qti30"]}
#: Namespace → QTI version (the inverse of ``QTI_NS``).
QTI_VERSION = {uri: version for version, uri in QTI_NS.items()}

#: Where each QTI version's schema is published (for ``xsi:schemaLocation``).
SCHEMA_LOCATION = {
    "2.1": "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd",
    "2.2": "http://www.imsglobal.org/xsd/qti/qtiv2p2/imsqti_v2p2.xsd",
    "3.0": "https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_asiv3p0_v1p0.xsd",
}


def clark(uri: str, local: str) -> str:
    """Return the Clark name ``{uri}local`` lxml uses for namespaced tags."""
    return f"{{{uri}}}{local}" if uri else local


XML_LANG = clark(NS["xml"], "lang")
XML_BASE = clark(NS["xml"], "base")
XSI_SCHEMA_LOCATION = clark(NS["xsi"], "schemaLocation")


def qn(name: str) -> str:
    """Return the Clark name of ``"prefix:local"`` (``qn("qti21:prompt")``)."""
    prefix, _, local = name.partition(":")
    if not local:
        return prefix
    return clark(NS[prefix], local)


def child(element, tag: str):
    """Return the first child ``tag`` of ``element`` or None (C-level, unlike ``find``)."""
    return next(element.iterchildren(tag), None)


def localname(element) -> str:
    """Return the tag of ``element`` without its namespace ("" for comments and PIs)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def namespace(element) -> str:
    """Return the namespace URI of ``element`` ("" when it has none)."""
    tag = element.tag
    if not isinstance(tag, str) or not tag.startswith("{"):
        return ""
    return tag[1 : tag.index("}")]
