"""Readers of question files in other formats, chosen from a file's name and first bytes.

Pure like ``qti/``: a reader takes a binary stream and returns a ``qti.ImportResult``
(items with their metadata, and problems per item) — the readers of teachers' files
return its subclass ``importers.result.ReadResult``, which also carries drafts (questions
that need a fix) and embedded files; a file that cannot be read as a whole raises
``qti.QtiError``. The first reader in ``READERS`` whose ``detect`` accepts the file reads
it: Word, Excel, CSV, Moodle XML, GIFT, Aiken, then QTI. ``moodle_write`` and
``gift_write`` write the other way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from importers import aiken, excel, gift, moodle, qti_files, word
from qti import ImportResult, PackageLimits

#: How many bytes of a file ``reader_for`` looks at.
HEAD_BYTES = 4096


class UnknownFormat(ValueError):
    """No reader recognises the file."""


@dataclass(frozen=True)
class Reader:
    """One format: its name, how to recognise it, how to read it."""

    name: str
    detect: Callable[[str, bytes], bool]
    read: Callable[[BinaryIO, str, PackageLimits], ImportResult]


READERS: list[Reader] = [
    Reader("word", word.is_docx, word.read_word),
    Reader("excel", excel.is_xlsx, excel.read_xlsx),
    Reader("csv", excel.is_csv, excel.read_csv),
    Reader("moodle-xml", moodle.is_moodle_xml, moodle.read_moodle_xml),
    Reader("gift", gift.is_gift, gift.read_gift),
    Reader("aiken", aiken.is_aiken, aiken.read_aiken),
    Reader("qti-package", qti_files.is_package, qti_files.read_package_file),
    Reader("qti-item", qti_files.is_item, qti_files.read_item_xml),
]


def reader_for(name: str, head: bytes) -> Reader:
    """Return the reader of a file called ``name`` starting with the bytes ``head``."""
    for reader in READERS:
        if reader.detect(name, head):
            return reader
    raise UnknownFormat(name)
