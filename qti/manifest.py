"""IMS Content Packaging ``imsmanifest.xml``: written for QTI packages, read from any.

The writer is shared with SCORM: it takes a ``Profile`` (CP namespace, schema name
and version) and resources whose ``metadata`` are ready-made elements (LOM, QTI
metadata). The reader accepts any CP namespace and returns resources with their LOM
read into ``Resource.meta`` (see ``qti.lom``).
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field

from lxml import etree

from qti.errors import QtiError
from qti.lom import read_lom
from qti.ns import (
    NS,
    XML_BASE,
    XSI_SCHEMA_LOCATION,
    child,
    clark,
    localname,
    namespace,
)
from qti.parser import parse_xml

LOM_LOCATION = "http://www.imsglobal.org/xsd/imsmd_loose_v1p3p2.xsd"
LOM3_LOCATION = (
    "https://purl.imsglobal.org/spec/md/v1p3/schema/xsd/imsmd_loose_v1p3p2.xsd"
)


@dataclass(frozen=True)
class Profile:
    """How one kind of package names its manifest and its resources."""

    namespace: str
    schema: str
    schemaversion: str
    item_type: str = ""
    test_type: str = ""
    metadata_namespace: str = ""
    schema_locations: tuple[tuple[str, str], ...] = ()
    #: Extra (prefix, namespace) pairs declared on the root (SCORM's ``adlcp`` …).
    namespaces: tuple[tuple[str, str], ...] = ()
    #: Namespace of the package metadata the ``imsmd`` prefix names (IEEE LOM by default).
    lom_namespace: str = NS["lom"]


#: QTI package profiles by QTI version (IMS CP 1.1.4 for 2.1, the QTI 3 CP profile for 3.0).
PROFILES = {
    "2.1": Profile(
        NS["imscp"],
        "QTIv2.1 Package",
        "1.0.0",
        "imsqti_item_xmlv2p1",
        "imsqti_test_xmlv2p1",
        NS["qtimd21"],
        (
            (NS["imscp"], "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"),
            (NS["lom"], LOM_LOCATION),
            (
                NS["qtimd21"],
                "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_metadata_v2p1.xsd",
            ),
        ),
    ),
    "3.0": Profile(
        NS["imscp3"],
        "QTI Package",
        "3.0.0",
        "imsqti_item_xmlv3p0",
        "imsqti_test_xmlv3p0",
        NS["qtimd30"],
        (
            (
                NS["imscp3"],
                "https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqtiv3p0_imscpv1p2_v1p0.xsd",
            ),
            (NS["lom"], LOM3_LOCATION),
            (
                NS["qtimd30"],
                "https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_metadatav3p0_v1p0.xsd",
            ),
        ),
    ),
}


@dataclass(frozen=True)
class Resource:
    """One ``<resource>``: its files, dependencies and metadata."""

    identifier: str
    type: str
    href: str = ""
    files: tuple[str, ...] = ()
    dependencies: tuple[str, ...] = ()
    #: Elements written inside ``<metadata>`` (writer side).
    metadata: tuple[etree._Element, ...] = field(default=(), compare=False)
    #: The resource's LOM as a dict (reader side).
    meta: dict = field(default_factory=dict, compare=False)
    #: Extra attributes as (Clark name, value) pairs, e.g. SCORM's ``adlcp:scormType``.
    attributes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Manifest:
    """A parsed manifest: identifier, package-level metadata and resources."""

    identifier: str
    resources: tuple[Resource, ...]
    meta: dict = field(default_factory=dict, compare=False)


def manifest_nsmap(profile: Profile) -> dict:
    """Return the namespaces a manifest of ``profile`` declares on its root."""
    nsmap = {None: profile.namespace, "imsmd": profile.lom_namespace}
    if profile.metadata_namespace:
        nsmap["imsqti"] = profile.metadata_namespace
    nsmap.update(profile.namespaces)
    nsmap["xsi"] = NS["xsi"]
    return nsmap


def build_manifest(
    identifier: str,
    resources: Iterable[Resource],
    profile: Profile,
    metadata: Iterable[etree._Element] = (),
    organizations: etree._Element | None = None,
) -> etree._Element:
    """Return an ``imsmanifest.xml`` root for ``resources``."""
    cp = profile.namespace
    root = etree.Element(clark(cp, "manifest"), nsmap={None: cp}, identifier=identifier)
    top = _sub(root, cp, "metadata")
    _sub(top, cp, "schema", profile.schema)
    _sub(top, cp, "schemaversion", profile.schemaversion)
    top.extend(metadata)
    root.append(
        organizations if organizations is not None else _element(cp, "organizations")
    )
    holder = _sub(root, cp, "resources")
    for resource in resources:
        holder.append(resource_element(cp, resource))
    nsmap = manifest_nsmap(profile)
    prefixes = [prefix for prefix in nsmap if prefix]
    etree.cleanup_namespaces(root, top_nsmap=nsmap, keep_ns_prefixes=prefixes)
    locations = " ".join(f"{ns} {url}" for ns, url in profile.schema_locations)
    if locations:
        root.set(XSI_SCHEMA_LOCATION, locations)
    etree.indent(root)
    return root


def _element(cp: str, name: str, text: str | None = None) -> etree._Element:
    element = etree.Element(clark(cp, name))
    element.text = text
    return element


def _sub(parent, cp: str, name: str, text: str | None = None) -> etree._Element:
    element = _element(cp, name, text)
    parent.append(element)
    return element


def resource_element(cp: str, resource: Resource, nsmap=None) -> etree._Element:
    """Return the ``<resource>`` element of ``resource``."""
    element = etree.Element(clark(cp, "resource"), nsmap=nsmap)
    element.set("identifier", resource.identifier)
    element.set("type", resource.type)
    for name, value in resource.attributes:
        element.set(name, value)
    if resource.href:
        element.set("href", resource.href)
    if resource.metadata:
        _sub(element, cp, "metadata").extend(resource.metadata)
    for path in resource.files:
        _sub(element, cp, "file").set("href", path)
    for reference in resource.dependencies:
        _sub(element, cp, "dependency").set("identifierref", reference)
    return element


def read_manifest(root: etree._Element) -> Manifest:
    """Read a parsed ``imsmanifest.xml`` (paths resolved against ``xml:base``)."""
    if localname(root) != "manifest":
        raise QtiError(
            "Tệp imsmanifest.xml không có phần tử gốc <manifest>.", "manifest"
        )
    cp = namespace(root)
    resources_element = root.find(_tag(cp, "resources"))
    if resources_element is None:
        raise QtiError("Tệp imsmanifest.xml thiếu danh sách tài nguyên.", "manifest")
    base = _base("", root)
    base = _base(base, resources_element)
    resources = tuple(
        _read_resource(cp, r, base)
        for r in resources_element.iter(_tag(cp, "resource"))
    )
    top = root.find(_tag(cp, "metadata"))
    return Manifest(root.get("identifier", ""), resources, _read_meta(top))


def _tag(cp: str, name: str) -> str:
    return clark(cp, name) if cp else name


def _base(base: str, element: etree._Element) -> str:
    own = element.get(XML_BASE) or ""
    return posixpath.join(base, own) if own else base


def _join(base: str, href: str) -> str:
    return posixpath.join(base, href) if base else href


def _read_resource(
    cp: str, element: etree._Element, base: str, shared: bool = False
) -> Resource:
    """Read one ``<resource>`` (``shared``: its meta is the cached dict, not a copy)."""
    base = _base(base, element)
    href = element.get("href") or ""
    file_tag, dependency_tag, metadata_tag = _resource_tags(cp)
    files, dependencies = [], []
    for found in element.iter(file_tag, dependency_tag):  # one walk for both
        if found.tag == file_tag:
            if path := found.get("href"):
                files.append(_join(base, path))
        else:
            dependencies.append(found.get("identifierref", ""))
    return Resource(
        identifier=element.get("identifier", ""),
        type=element.get("type", ""),
        href=_join(base, href) if href else "",
        files=tuple(files),
        dependencies=tuple(dependencies),
        meta=_read_meta(child(element, metadata_tag), shared),
    )


@functools.cache
def _resource_tags(cp: str) -> tuple[str, str, str]:
    return _tag(cp, "file"), _tag(cp, "dependency"), _tag(cp, "metadata")


def _read_meta(metadata: etree._Element | None, shared: bool = False) -> dict:
    """Return the LOM of ``metadata`` as a dict (``shared``: the cached one; do not
    change it)."""
    if metadata is None:
        return {}
    lom = child(metadata, "{*}lom")  # in any namespace or none
    if lom is None:
        return {}
    # UTF-8, not the default ASCII: no character references to write for Vietnamese.
    return _cached_lom(
        etree.tostring(lom, encoding="UTF-8", xml_declaration=False), shared
    )


#: Serialized LOM → its dict: packages repeat the same few descriptions many times.
_LOM_CACHE: dict[bytes, dict] = {}
_LOM_CACHE_SIZE = 1024


def _cached_lom(serialized: bytes, shared: bool = False) -> dict:
    """Return (a copy of) the dict of a serialized LOM element, read once."""
    meta = _LOM_CACHE.get(serialized)
    if meta is None:
        meta = read_lom(parse_xml(serialized))
        if len(_LOM_CACHE) >= _LOM_CACHE_SIZE:
            _LOM_CACHE.clear()
        _LOM_CACHE[serialized] = meta
    return meta if shared else copy_meta(meta)


def copy_meta(meta: dict) -> dict:
    """Copy a metadata dict two levels deep (all it nests), cheaper than deepcopy."""
    out = {}
    for key, value in meta.items():
        if isinstance(value, dict):
            value = dict(value)
        elif isinstance(value, list):
            value = [dict(v) if isinstance(v, dict) else v for v in value]
        out[key] = value
    return out
