"""The export formats: one entry each (name → label and writer), used by every door.

The API schema, the CLI's ``--format`` choice and the export page's list all read
``FORMATS``; adding a format is one more entry here. A format without ``write`` is
written by the feature that registers it in ``exchange.service.WRITERS`` (SCORM: a
lecture, or questions as one quiz SCO), since it needs more than a list of items.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import BinaryIO

from flask_babel import lazy_gettext as _l

from qti import write_package

#: writer(items_with_meta, fileobj, media_opener) → number of items written.
Writer = Callable[[Iterable, BinaryIO, Callable], int]


@dataclass(frozen=True)
class ExportFormat:
    """How one format is shown and written."""

    label: str
    write: Writer | None
    #: "2.1" or "3.0" for the QTI formats (a quiz's assessmentTest needs it).
    qti_version: str | None = None


def _qti(version: str) -> Writer:
    def write(items, fileobj, media_opener) -> int:
        return write_package(items, fileobj, version, media_opener=media_opener)

    return write


FORMATS: dict[str, ExportFormat] = {
    "qti21": ExportFormat("QTI 2.1", _qti("2.1"), "2.1"),
    "qti30": ExportFormat("QTI 3.0", _qti("3.0"), "3.0"),
    "scorm12": ExportFormat(_l("SCORM 1.2 (một bài kiểm tra)"), None),
    "scorm2004": ExportFormat(_l("SCORM 2004 (một bài kiểm tra)"), None),
}
__all__ = ["FORMATS", "ExportFormat"]
