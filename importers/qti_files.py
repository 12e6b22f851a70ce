"""QTI item files and content packages (the ``qti`` package does the reading)."""

from __future__ import annotations

import re
from typing import BinaryIO

from qti import ImportResult, PackageLimits, read_item_file, read_package

_ZIP = b"PK\x03\x04"
#: Root elements (any prefix) of QTI 2.x and 3.0 items.
_ITEM_ROOT = re.compile(rb"<(?:[\w.-]+:)?(?:assessmentItem|qti-assessment-item)[\s>/]")


def is_package(name: str, head: bytes) -> bool:
    """A ZIP file: QTI content packages are the only zipped format read so far."""
    return head.startswith(_ZIP)


def is_item(name: str, head: bytes) -> bool:
    """An XML file whose root is a QTI item."""
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") and bool(
        _ITEM_ROOT.search(head)
    )


def read_package_file(
    stream: BinaryIO, name: str, limits: PackageLimits
) -> ImportResult:
    """Read every item of a QTI package."""
    return read_package(stream, limits)


def read_item_xml(stream: BinaryIO, name: str, limits: PackageLimits) -> ImportResult:
    """Read one bare QTI item file."""
    return read_item_file(stream, name, limits)
