"""Read uploaded files into preview entries: items, drafts, problems, stored pictures."""

import io
import logging
import re
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _

import importers
from qti import PackageLimits, QtiError
from repo_server.errors import Invalid, RepoError
from repo_server.exchange.media import bring_home
from repo_server.files.checks import human_size
from repo_server.imports.metadata import question_data, too_long
from repo_server.imports.pictures import store_pictures

logger = logging.getLogger(__name__)
FORMATS = ".docx, .xlsx, .csv, Moodle XML, GIFT, Aiken (.txt), QTI (.xml, .zip)"


class UnsupportedFormat(RepoError):
    """A file in no format we read."""

    status, code = 415, "unsupported_media_type"


class FileTooLarge(RepoError):
    """One file is larger than IMPORT_MAX_FILE_BYTES."""

    status, code = 413, "too_large"


def read_upload(
    user, name: str, stream: BinaryIO, defaults: dict, first: int, keep_media=True
):
    """Return (format, entries, skipped) of one file; entries are numbered from ``first``.

    Embedded pictures are stored as question media of ``user`` (``keep_media``) and
    the items point at them; a picture that cannot be stored is noted on its questions.
    """
    _check_size(name, stream)
    reader = _reader(name, stream)
    try:
        result = reader.read(stream, name, _limits())
    except QtiError as exc:
        message = _("Không đọc được tệp %(f)s: %(e)s", f=name, e=exc.message)
        raise Invalid(message, {"files": [message]}) from exc
    notes, urls = [], {}
    if keep_media and reader.name.startswith(
        "qti"
    ):  # pictures first: text points at them
        result = bring_home(user, stream, result, _limits())
    elif keep_media:
        urls = store_pictures(user, getattr(result, "files", {}), notes)
    entries, skipped = _entries(name, result, defaults, first, urls)
    _note_media(entries, urls, notes)
    if not entries and not skipped:
        message = _(
            "Không tìm thấy câu hỏi nào trong tệp %(f)s. Hãy xem các mẫu trình bày "
            "được hỗ trợ (Câu 1: …, A. …, Đáp án: B) và tải mẫu .docx.",
            f=name,
        )
        raise Invalid(message, {"files": [message]})
    return reader.name, entries, skipped


def _note_media(entries: list[dict], urls: dict, notes: list[str]) -> None:
    """Put the failures to store a picture on the questions that show it."""
    for note in notes:
        for entry in entries:
            media = entry["data"]["item"].get("media", [])
            if any(m.get("src") not in urls.values() for m in media):
                entry["problems"].append(note)


def _check_size(name: str, stream: BinaryIO) -> None:
    limit = current_app.config["IMPORT_MAX_FILE_BYTES"]
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    if size > limit:
        message = _(
            "Tệp %(f)s quá lớn (%(n)s); giới hạn là %(m)s, hãy chia nhỏ tệp.",
            f=name,
            n=human_size(size),
            m=human_size(limit),
        )
        raise FileTooLarge(message, {"files": [message]})
    if size == 0:
        message = _("Tệp %(f)s rỗng.", f=name)
        raise Invalid(message, {"files": [message]})


def _reader(name: str, stream: BinaryIO):
    head = stream.read(importers.HEAD_BYTES)
    stream.seek(0)
    try:
        return importers.reader_for(name, head)
    except importers.UnknownFormat as exc:
        message = _(
            "Tệp %(f)s không thuộc định dạng được hỗ trợ (%(k)s).", f=name, k=FORMATS
        )
        raise UnsupportedFormat(message, {"files": [message]}) from exc


def _limits() -> PackageLimits:
    config = current_app.config
    return PackageLimits(
        max_total_bytes=config["IMPORT_MAX_ZIP_BYTES"],
        max_entries=config["IMPORT_MAX_ZIP_ENTRIES"],
        max_ratio=config["IMPORT_MAX_ZIP_RATIO"],
    )


def _entries(name, result, defaults, first, urls):
    """Entries of the items and drafts of one file; what was not read is skipped."""
    entries, labels = [], set()
    rows = [(i.to_dict(), m, False) for i, m in result.items]
    rows += [(d, m, True) for d, m in getattr(result, "drafts", [])]
    rows.sort(key=lambda row: row[1].get("position", 0))  # the order of the file
    for data, meta, blocking in rows:
        label = meta.get("label") or meta.get("href") or data.get("identifier") or ""
        labels.add(label)
        problems = list(meta.get("problems", []))
        data = _with_urls(data, urls)
        question = question_data(data, meta, defaults, problems)
        if reason := too_long(data):
            problems.append(reason)
            blocking = True
        entries.append(
            _entry(first + len(entries), name, label, question, problems, blocking)
        )
    skipped = []
    for label, reason in result.problems:
        owner = next((e for e in entries if e["label"] == label), None)
        if label == name and entries:  # a note on the whole file (its encoding …)
            for entry in entries:
                entry["problems"].append(reason)
        elif owner is None and label not in labels:
            skipped.append({"file": name, "item": label, "reason": reason})
        elif owner is not None and not owner["blocking"]:
            owner["problems"].append(reason)
    return entries, skipped


def _entry(index, name, label, question, problems, blocking) -> dict:
    return {
        "index": index,
        "file": name,
        "label": label,
        "data": question,
        "problems": list(dict.fromkeys(problems)),
        "blocking": blocking,
        "selected": not blocking,
        "duplicates": [],
    }


_SRC = re.compile(r'src="([^"]*)"')


def _with_urls(data: dict, urls: dict[str, str]) -> dict:
    """Point the item's pictures at their stored copies."""
    if not urls or not data.get("media"):
        return data

    def stored(match: re.Match) -> str:
        url = urls.get(match.group(1))
        return f'src="{url}"' if url else match.group(0)

    def fix(value: str) -> str:
        return _SRC.sub(stored, value) if 'src="' in value else value

    out = {**data, "stem": fix(data.get("stem", ""))}
    for key in ("explanation",):
        if key in data:
            out[key] = fix(data[key])
    for key in ("choices", "statements"):
        if key in data:
            out[key] = [{**c, "text": fix(c.get("text", ""))} for c in data[key]]
    out["media"] = [
        {**m, "src": urls.get(m.get("src"), m.get("src"))}
        for m in data.get("media", [])
    ]
    return out
