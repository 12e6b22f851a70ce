"""Names and conventions the QTI reader and writer share (ids, titles, paths, media)."""

from __future__ import annotations

import hashlib
import json
import mimetypes
import posixpath
import re
from urllib.parse import unquote

from qti.text import plain_text

RESPONSE = "RESPONSE"
SCORE = "SCORE"
#: Outcome and modalFeedback identifier that carry the explanation of an item.
FEEDBACK = "FEEDBACK"
EXPLANATION = "EXPLANATION"
TITLE_LENGTH = 80
_NCNAME = re.compile(r"[^\W\d][\w.\-]*")
_NOT_NAME = re.compile(r"[^\w.\-]+")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_MEDIA_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
    ".mp3": "audio/mpeg",
    ".ogg": "audio/ogg",
    ".wav": "audio/wav",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".vtt": "text/vtt",
}


def default_title(stem: str, identifier: str) -> str:
    """Return the title written for an item that has none (start of the stem)."""
    return plain_text(stem)[:TITLE_LENGTH].strip() or identifier


def is_ncname(value: str) -> bool:
    """Tell whether ``value`` is usable as a QTI identifier (an XML NCName)."""
    return bool(_NCNAME.fullmatch(value or ""))


def safe_identifier(value: str, prefix: str = "ID") -> str:
    """Return ``value`` as an NCName, replacing what an identifier cannot hold."""
    if is_ncname(value):
        return value
    cleaned = _NOT_NAME.sub("_", value or "").strip("_")
    return cleaned if is_ncname(cleaned) else f"{prefix}_{cleaned}"


def content_identifier(data: dict) -> str:
    """Return a stable identifier derived from the JSON form of an item."""
    data = {k: v for k, v in data.items() if k != "extra"}
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return "item-" + hashlib.sha256(blob).hexdigest()[:16]


def is_external(href: str) -> bool:
    """Tell whether ``href`` is a URL (http:, data: …) rather than a package path."""
    return bool(_SCHEME.match(href)) or href.startswith(("/", "//"))


#: A relative path normalising and unquoting leave as it is (no ``%``, ``.`` or
#: ``..`` segment, empty segment or scheme): most hrefs of a package.
_SIMPLE_PATH = re.compile(r"(?:[\w-][\w.-]*/)*[\w-][\w.-]*")


def resolve_href(base: str, href: str) -> str:
    """Return ``href`` (relative to the folder ``base``) as a package path."""
    if _SIMPLE_PATH.fullmatch(href) and (not base or _SIMPLE_PATH.fullmatch(base)):
        return f"{base}/{href}" if base else href  # what the full way gives
    if is_external(href):
        return href
    joined = posixpath.normpath(posixpath.join(base, unquote(href)))
    return href if joined.startswith("../") or joined == ".." else joined


def relative_href(base: str, path: str) -> str:
    """Return the package path ``path`` relative to the folder ``base``."""
    return posixpath.relpath(path, base or ".")


def guess_mime(path: str) -> str:
    """Return the media type of a file name ("" when unknown)."""
    extension = posixpath.splitext(path.lower())[1]
    if extension in _MEDIA_TYPES:
        return _MEDIA_TYPES[extension]
    return mimetypes.guess_type(path, strict=True)[0] or ""
