"""The export formats: one entry each (name → label and writer), used by every door.

The API schema, the CLI's ``--format`` choice and the export page's list all read
``FORMATS``; adding a format is one more entry here. A format without ``write`` is
written by the feature that registers it in ``exchange.service.WRITERS`` (SCORM: a
lecture, or questions as one quiz SCO), since it needs more than a list of items.
Moodle XML and GIFT let a department move a bank into Moodle (``importers`` writes them).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import BinaryIO

from flask_babel import lazy_gettext as _l

from importers.gift_write import write_gift
from importers.moodle_write import write_moodle_xml
from qti import Media, write_package

#: writer(items_with_meta, fileobj, media_opener) → number of items written.
Writer = Callable[[Iterable, BinaryIO, Callable], int]


@dataclass(frozen=True)
class ExportFormat:
    """How one format is shown and written."""

    label: str
    write: Writer | None
    #: "2.1" or "3.0" for the QTI formats (a quiz's assessmentTest needs it).
    qti_version: str | None = None
    #: The file written: its extension and type.
    extension: str = ".zip"
    mime: str = "application/zip"


def _qti(version: str) -> Writer:
    def write(items, fileobj, media_opener) -> int:
        return write_package(items, fileobj, version, media_opener=media_opener)

    return write


def _with_categories(items):
    """Moodle categories from the taxonomy: "Toán/Lớp 6/Tập hợp"."""
    for item, meta in items:
        names = [
            (meta.get(key) or {}).get("name") for key in ("subject", "grade", "topic")
        ]
        yield item, {**meta, "category": "/".join(n for n in names if n)}


def _moodle_xml(items, fileobj, media_opener) -> int:
    def read(src: str) -> bytes | None:
        stream = media_opener(Media(src))
        if stream is None:
            return None
        with stream:
            return stream.read()

    return write_moodle_xml(_with_categories(items), fileobj, read)


def _gift(items, fileobj, media_opener) -> int:
    text = io.TextIOWrapper(fileobj, encoding="utf-8", newline="\n")
    try:
        return write_gift(_with_categories(items), text)
    finally:
        text.flush()
        text.detach()  # the caller owns (and closes) fileobj


FORMATS: dict[str, ExportFormat] = {
    "qti21": ExportFormat("QTI 2.1", _qti("2.1"), "2.1"),
    "qti30": ExportFormat("QTI 3.0", _qti("3.0"), "3.0"),
    "scorm12": ExportFormat(_l("SCORM 1.2 (một bài kiểm tra)"), None),
    "scorm2004": ExportFormat(_l("SCORM 2004 (một bài kiểm tra)"), None),
    "moodle-xml": ExportFormat(
        "Moodle XML", _moodle_xml, extension=".xml", mime="application/xml"
    ),
    "gift": ExportFormat(
        "GIFT (Moodle)", _gift, extension=".txt", mime="text/plain; charset=utf-8"
    ),
}
__all__ = ["FORMATS", "ExportFormat"]
