"""Excel (.xlsx) and CSV question tables → items (see ``importers.sheet``)."""

from __future__ import annotations

import csv
import io
import itertools
import warnings
from typing import BinaryIO

from importers.result import ReadResult
from importers.sheet import NO_HEADER, read_rows
from importers.sniff import refuse_legacy
from importers.textcodec import decode
from qti import PackageLimits, QtiError
from qti.zipsafe import check_entries, open_zip

#: Rows read from one sheet or file at most.
MAX_ROWS = 20_000


def is_xlsx(name: str, head: bytes) -> bool:
    """An Excel workbook by name (old .xls files are refused with a message later)."""
    return name.lower().endswith((".xlsx", ".xlsm", ".xls"))


def is_csv(name: str, head: bytes) -> bool:
    """A CSV or tab-separated text file by name."""
    return name.lower().endswith((".csv", ".tsv"))


def read_xlsx(stream: BinaryIO, name: str, limits: PackageLimits) -> ReadResult:
    """Read the questions of every sheet of a workbook."""
    refuse_legacy(stream, name)
    try:
        archive = open_zip(stream)
    except QtiError as exc:
        raise QtiError(
            "Tệp Excel bị hỏng, không mở được như .xlsx; hãy mở bằng Excel và lưu lại.",
            "file",
        ) from exc
    with archive:
        check_entries(archive, limits)
    stream.seek(0)
    import openpyxl  # imported late: only workbooks need it

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unknown extensions
            book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise QtiError(f"Không mở được bảng tính {name}: {exc}.", "file") from exc
    result = ReadResult()
    try:
        for sheet in book.worksheets:
            rows = [
                ["" if v is None else _text(v) for v in row]
                for row in itertools.islice(sheet.iter_rows(values_only=True), MAX_ROWS)
            ]
            try:
                _merge(result, read_rows(rows, f"{name}/{sheet.title}"), sheet.title)
            except QtiError as exc:  # a sheet of instructions, say
                result.problems.append((sheet.title, exc.message))
    finally:
        book.close()
    if not result.items and not result.drafts:
        raise QtiError(NO_HEADER, "file")
    return result


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _merge(result: ReadResult, part: ReadResult, sheet: str) -> None:
    for _item, meta in part.items + part.drafts:
        meta["label"] = f"{sheet} – {meta['label']}"
    result.items += part.items
    result.drafts += part.drafts
    result.problems += [(f"{sheet} – {label}", why) for label, why in part.problems]


def read_csv(stream: BinaryIO, name: str, limits: PackageLimits) -> ReadResult:
    """Read the questions of a CSV file in any of the encodings teachers' tools write."""
    text, _encoding, notes = decode(stream.read())
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel_tab if name.lower().endswith(".tsv") else csv.excel
    rows = itertools.islice(csv.reader(io.StringIO(text), dialect), MAX_ROWS)
    result = read_rows(list(rows), name)
    result.problems += [(name, note) for note in notes]
    return result
