"""Write SCORM 1.2 and SCORM 2004 4th edition ``imsmanifest.xml`` files.

The IMS content-packaging skeleton comes from ``qti.manifest.build_manifest``; this
module adds the SCORM profile: the ADL namespaces, ``scormType`` on resources and the
organisation tree of items.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from lxml import etree

from qti.lom import build_lom
from qti.manifest import Profile, Resource, build_manifest
from qti.ns import NS, clark
from qti.parser import to_bytes
from scorm.errors import ScormError
from scorm.lom12 import build_lom12
from scorm.model import Asset, TocItem
from scorm.paths import split_href
from scorm.versions import (
    ADLCP12,
    ADLCP13,
    ADLNAV,
    ADLSEQ,
    CP12,
    CP2004,
    IMSMD12,
    IMSSS,
)

PROFILES = {
    "1.2": Profile(
        CP12,
        "ADL SCORM",
        "1.2",
        schema_locations=(
            (CP12, "imscp_rootv1p1p2.xsd"),
            (IMSMD12, "imsmd_rootv1p2p1.xsd"),
            (ADLCP12, "adlcp_rootv1p2.xsd"),
        ),
        namespaces=(("adlcp", ADLCP12),),
        lom_namespace=IMSMD12,
    ),
    "2004": Profile(
        CP2004,
        "ADL SCORM",
        "2004 4th Edition",
        schema_locations=(
            (CP2004, "imscp_v1p1.xsd"),
            (ADLCP13, "adlcp_v1p3.xsd"),
            (ADLSEQ, "adlseq_v1p3.xsd"),
            (ADLNAV, "adlnav_v1p3.xsd"),
            (IMSSS, "imsss_v1p0.xsd"),
        ),
        namespaces=(
            ("adlcp", ADLCP13),
            ("adlseq", ADLSEQ),
            ("adlnav", ADLNAV),
            ("imsss", IMSSS),
        ),
        lom_namespace=NS["lom"],
    ),
}
#: The ``scormType`` attribute as each version spells it.
SCORM_TYPE = {"1.2": clark(ADLCP12, "scormtype"), "2004": clark(ADLCP13, "scormType")}


def write_manifest(
    version: str,
    identifier: str,
    title: str,
    toc: Sequence[TocItem],
    resources: Iterable[Asset],
    meta: Mapping,
) -> bytes:
    """Return ``imsmanifest.xml`` of a SCORM ``version`` ("1.2" or "2004") package."""
    if version not in PROFILES:
        raise ScormError(f"Phiên bản SCORM không hỗ trợ: {version}.", "version")
    profile = PROFILES[version]
    assets = {asset.identifier: asset for asset in resources}
    lom = build_lom12(meta) if version == "1.2" else build_lom(meta)
    root = build_manifest(
        identifier,
        (_resource(version, a) for a in assets.values()),
        profile,
        [lom],
        _organizations(version, title, toc, assets),
    )
    return to_bytes(root)


def _resource(version: str, asset: Asset) -> Resource:
    return Resource(
        identifier=asset.identifier,
        type="webcontent",
        href=asset.href,
        files=asset.files,
        dependencies=asset.dependencies,
        attributes=((SCORM_TYPE[version], asset.scorm_type or "asset"),),
    )


def _organizations(version, title, toc, assets) -> etree._Element:
    cp = PROFILES[version].namespace
    holder = etree.Element(clark(cp, "organizations"), default="ORG")
    organization = etree.SubElement(holder, clark(cp, "organization"), identifier="ORG")
    etree.SubElement(organization, clark(cp, "title")).text = title
    for item in toc:
        organization.append(_item(version, item, assets))
    return holder


def _item(version: str, item: TocItem, assets: Mapping[str, Asset]) -> etree._Element:
    """Return one ``<item>`` with its children and ADL values in schema order."""
    cp = PROFILES[version].namespace
    element = etree.Element(clark(cp, "item"), identifier=item.identifier)
    if item.resource:
        element.set("identifierref", item.resource)
        parameters = _parameters(item.href, assets[item.resource].href)
        if parameters:
            element.set("parameters", parameters)
    if not item.visible:
        element.set("isvisible", "false")
    etree.SubElement(element, clark(cp, "title")).text = item.title
    for child in item.children:
        element.append(_item(version, child, assets))
    _adl_values(version, item, element)
    return element


def _parameters(href: str, resource_href: str) -> str:
    """Return what an item adds to its resource's href (query or fragment)."""
    if href == resource_href or not href.startswith(split_href(resource_href)[0]):
        return ""
    return href[len(resource_href) :] or ""


def _adl_values(version: str, item: TocItem, element: etree._Element) -> None:
    if version == "1.2":
        if item.launch_data:
            _adl(element, ADLCP12, "datafromlms", item.launch_data)
        if item.mastery_score is not None:
            _adl(element, ADLCP12, "masteryscore", f"{item.mastery_score:g}")
        return
    if item.launch_data:
        _adl(element, ADLCP13, "dataFromLMS", item.launch_data)
    if item.completion_threshold is not None:
        threshold = _adl(element, ADLCP13, "completionThreshold", None)
        threshold.set("minProgressMeasure", f"{item.completion_threshold:g}")


def _adl(parent, uri: str, name: str, text: str | None) -> etree._Element:
    element = etree.SubElement(parent, clark(uri, name))
    element.text = text
    return element
