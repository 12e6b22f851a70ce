"""SCORM 1.2 and 2004 packages: read and validate, write manifests, build quiz SCOs."""

from scorm.errors import ScormError
from scorm.model import VERSIONS, Asset, Package, TocItem, walk
from scorm.package import MANIFEST, OpenedPackage, is_scorm, open_package
from scorm.reader import read_manifest

__all__ = [
    "MANIFEST",
    "VERSIONS",
    "Asset",
    "OpenedPackage",
    "Package",
    "ScormError",
    "TocItem",
    "is_scorm",
    "open_package",
    "read_manifest",
    "walk",
]
