"""Pictures of question text in packages: copied out on export, stored back on import.

The pure part (finding ``<img src>``, rewriting them, manifest dependencies) is in
``qti.media`` and ``qti.package``; this module knows where the bytes live.
"""

from __future__ import annotations

import posixpath
from typing import BinaryIO

from flask_babel import gettext as _

from qti import ImportResult, Item, Media, PackageLimits, QtiError
from qti.conventions import is_external
from qti.media import rewrite_sources, with_shown_media
from qti.zipsafe import check_entries, open_zip, read_entry
from repo_server.backends import get_storage
from repo_server.errors import RepoError
from repo_server.extensions import db
from repo_server.media.models import QuestionMedia
from repo_server.media.service import media_url, sha_of, store_media_bytes

_ZIP = b"PK\x03\x04"


class ExportMedia:
    """Our pictures for one export: which sources are ours, and their bytes."""

    def __init__(self):
        self._types: dict[str, str | None] = {}

    def shown(self, item: Item) -> Item:
        """``item`` with the pictures of ours its text shows listed in ``media``."""
        return with_shown_media(item, self.mime)

    def mime(self, src: str) -> str | None:
        """The type of one of our pictures, None for any other source."""
        sha = sha_of(src)
        if sha is None:
            return None
        if sha not in self._types:
            row = db.session.get(QuestionMedia, sha)
            self._types[sha] = row.blob.content_type if row else None
        return self._types[sha]

    def open(self, media: Media) -> BinaryIO | None:
        """The bytes of one of our pictures (a stream); None leaves other sources as links."""
        sha = sha_of(media.src)
        row = db.session.get(QuestionMedia, sha) if sha else None
        return get_storage().open(row.blob.storage_key) if row else None


def bring_home(
    user, stream: BinaryIO, result: ImportResult, limits: PackageLimits
) -> ImportResult:
    """Store the package pictures the items show; point their text at the stored copies."""
    local = sorted(
        {m.src for item, _ in result.items for m in item.media if _in_package(m.src)}
    )
    if not local or not _is_zip(stream):
        return result
    mapping = {}
    with open_zip(stream) as archive:
        files = check_entries(archive, limits)
        for src in local:
            if src in files:  # a missing file is reported by the reader already
                stored = _store(user, archive, files[src], result)
                if stored:
                    mapping[src] = stored
    stream.seek(0)
    result.items = [(rewrite_sources(i, mapping), m) for i, m in result.items]
    return result


def _store(user, archive, info, result: ImportResult) -> str | None:
    """Store one package entry as a question picture; report it when it is not one."""
    try:
        data = read_entry(archive, info)
        row = store_media_bytes(user, data, posixpath.basename(info.filename))
    except (RepoError, QtiError) as exc:
        message = _("Không nhận tệp %(f)s: %(e)s", f=info.filename, e=exc.message)
        for item, meta in result.items:
            if any(m.src == info.filename for m in item.media):
                result.problems.append((meta.get("href", ""), message))
        return None
    return media_url(row.blob_sha256)


def _in_package(src: str) -> bool:
    return not is_external(src)


def _is_zip(stream: BinaryIO) -> bool:
    stream.seek(0)
    head = stream.read(len(_ZIP))
    stream.seek(0)
    return head == _ZIP
