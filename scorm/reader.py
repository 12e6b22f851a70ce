"""Read and validate a SCORM ``imsmanifest.xml``: version, metadata, organisation, SCOs.

Built on the IMS content-packaging reader of ``qti.manifest`` (resources, ``xml:base``,
LOM); this module adds what SCORM puts on top: the version, ``scormType``, the
organisation tree and the checks that make a package playable.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import replace

from lxml import etree

from qti.errors import QtiError
from qti.lom import read_lom
from qti.manifest import read_manifest as read_cp
from qti.ns import localname
from qti.parser import parse_xml
from qti.text import normalize
from scorm.errors import ScormError
from scorm.model import Asset, Package, TocItem
from scorm.paths import package_path, split_href, with_parameters
from scorm.versions import IMSSS, detect_version

#: Missing files named in one warning at most.
LISTED = 5


def parse_manifest(data: bytes) -> etree._Element:
    """Parse manifest bytes with the one hardened parser."""
    try:
        return parse_xml(data)
    except QtiError as exc:
        raise ScormError(f"imsmanifest.xml: {exc.message}", "manifest") from exc


def read_manifest(
    data: bytes,
    names: Collection[str] | None = None,
    open_file: Callable[[str], bytes | None] | None = None,
) -> Package:
    """Return the ``Package`` a manifest describes; raise ``ScormError`` why not.

    :param names: the files of the package; when given, launch pages must be among
        them and other missing files are warned about.
    :param open_file: reads a package file (for metadata kept in a separate file).
    """
    root = parse_manifest(data)
    version, warnings = detect_version(root)
    cp = read_cp(root)
    assets = {r.identifier: r for r in _assets(root, cp.resources)}
    toc, org_title = _organisation(root, assets, warnings)
    meta = cp.meta or _external_meta(root, open_file)
    package = Package(
        version=version,
        identifier=cp.identifier,
        title=normalize(meta.get("title") or org_title or cp.identifier),
        toc=toc,
        resources=tuple(assets.values()),
        description=normalize(meta.get("description", "")),
        language=meta.get("language", "")[:8],
        keywords=tuple(meta.get("keywords", ())),
        meta=meta,
    )
    if not package.launchables:
        raise ScormError("Gói không có SCO hay trang nào để mở (launch).", "manifest")
    warnings += _meta_warnings(meta) + _sequencing_warnings(root, version)
    if names is not None:
        warnings += _check_files(package, set(names))
    return _with_warnings(package, warnings)


def _with_warnings(package: Package, warnings: list[str]) -> Package:
    return replace(package, warnings=tuple(dict.fromkeys(warnings)))


def _assets(root, resources) -> list[Asset]:
    """Return the resources with their SCORM type and safe paths."""
    types = {
        element.get("identifier", ""): _scorm_type(element)
        for element in root.iter("{*}resource")
    }
    found = []
    for resource in resources:
        href = resource.href
        if href:
            path, rest = split_href(href)
            href = package_path(path, resource.identifier) + rest
        files = tuple(package_path(f, resource.identifier) for f in resource.files)
        kind = types.get(resource.identifier) or "asset"
        found.append(
            Asset(resource.identifier, href, kind, files, resource.dependencies)
        )
    return found


def _scorm_type(element) -> str:
    for name, value in element.attrib.items():
        if name.rpartition("}")[2].lower() == "scormtype":
            return value.strip().lower()
    return ""


def _organisation(root, assets: dict, warnings: list[str]):
    """Return (toc, title) of the default organisation (or a flat list of resources)."""
    holder = root.find("{*}organizations")
    organisations = [] if holder is None else holder.findall("{*}organization")
    if not organisations:
        warnings.append("Gói không có <organization>; mục lục lấy từ các tài nguyên.")
        return _flat_toc(assets), ""
    default = holder.get("default", "")
    chosen = next((o for o in organisations if o.get("identifier") == default), None)
    if chosen is None:
        if default:
            warnings.append(
                f"Không có tổ chức mặc định “{default}”; dùng tổ chức đầu tiên."
            )
        chosen = organisations[0]
    items = tuple(_item(e, assets) for e in chosen.findall("{*}item"))
    return items, _title(chosen)


def _flat_toc(assets: dict) -> tuple[TocItem, ...]:
    launchable = [a for a in assets.values() if a.href]
    launchable.sort(key=lambda a: a.scorm_type != "sco")
    return tuple(
        TocItem(
            a.identifier, a.identifier, a.href, a.identifier, a.scorm_type or "asset"
        )
        for a in launchable
    )


def _title(element) -> str:
    title = element.find("{*}title")
    return normalize(" ".join((title.text or "").split())) if title is not None else ""


def _item(element, assets: dict) -> TocItem:
    """Read one ``<item>`` and its children."""
    identifier = element.get("identifier", "")
    reference = element.get("identifierref", "")
    children = tuple(_item(e, assets) for e in element.findall("{*}item"))
    extra = _adl_values(element)
    href, kind = "", ""
    if reference:
        asset = assets.get(reference)
        if asset is None:
            raise ScormError(
                f"Mục “{identifier}” trỏ tới tài nguyên không có: {reference}.",
                "manifest",
            )
        if not asset.href:
            raise ScormError(
                f"Tài nguyên {reference} của mục “{identifier}” thiếu trang khởi chạy "
                "(thuộc tính href).",
                "manifest",
            )
        href = with_parameters(asset.href, element.get("parameters", ""))
        kind = asset.scorm_type or "asset"
    return TocItem(
        identifier=identifier,
        title=_title(element) or identifier,
        href=href,
        resource=reference,
        scorm_type=kind,
        children=children,
        visible=element.get("isvisible", "true").strip().lower() != "false",
        **extra,
    )


def _adl_values(element) -> dict:
    """Read the ADL extensions of an item that the runtime needs."""
    values: dict = {}
    for child in element:
        name = localname(child).lower()
        text = " ".join((child.text or "").split())
        if name == "masteryscore" and _number(text) is not None:
            values["mastery_score"] = _number(text)
        elif name == "completionthreshold":
            value = child.get("minProgressMeasure") or text
            if _number(value) is not None:
                values["completion_threshold"] = _number(value)
        elif name == "datafromlms":
            values["launch_data"] = text
    return values


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _external_meta(root, open_file) -> dict:
    """Read package metadata kept in a separate file (``adlcp:location``)."""
    location = root.find("{*}metadata/{*}location")
    if location is None or open_file is None or not (location.text or "").strip():
        return {}
    data = open_file(package_path(location.text.strip(), "metadata"))
    if data is None:
        return {}
    try:
        lom = parse_xml(data)
    except QtiError:
        return {}
    return read_lom(lom) if localname(lom) == "lom" else {}


def _meta_warnings(meta: dict) -> list[str]:
    if not meta:
        return [
            "Gói thiếu siêu dữ liệu (LOM): tiêu đề lấy từ mục lục; hãy bổ sung mô tả."
        ]
    if not meta.get("language"):
        return ["Siêu dữ liệu không ghi ngôn ngữ; coi là tiếng Việt."]
    return []


def _sequencing_warnings(root, version: str) -> list[str]:
    if version == "1.2" or root.find(f".//{{{IMSSS}}}sequencing") is None:
        return []
    return [
        "Gói có luật trình tự (sequencing) SCORM 2004: trình phát cho phép chọn mọi "
        "mục trong mục lục và không áp dụng luật này."
    ]


def _check_files(package: Package, names: set[str]) -> list[str]:
    """Refuse missing launch pages; warn about other listed files that are missing."""
    for item in package.launchables:
        path = split_href(item.href)[0]
        if path not in names:
            raise ScormError(
                f"Thiếu tệp khởi chạy {path} (mục “{item.title}”) trong gói.", "package"
            )
    listed = {f for asset in package.resources for f in asset.files}
    missing = sorted(listed - names)
    if not missing:
        return []
    shown = ", ".join(missing[:LISTED]) + (" …" if len(missing) > LISTED else "")
    return [f"imsmanifest.xml liệt kê {len(missing)} tệp không có trong gói: {shown}."]
