"""HTTP header helpers shared by S3 presigned URLs and the download view."""

from __future__ import annotations

from urllib.parse import quote

from storage.names import ascii_filename, safe_filename

#: RFC 5987 attr-char punctuation that may stay unencoded (quote keeps "_.-~").
_ATTR_CHAR_SAFE = "!#$&+^`|"


def content_disposition(filename: str, inline: bool = False) -> str:
    """Return a Content-Disposition value with an ASCII and an RFC 5987 name."""
    name = safe_filename(filename)
    fallback = ascii_filename(name).replace("\\", "_").replace('"', "_")
    encoded = quote(name, safe=_ATTR_CHAR_SAFE, encoding="utf-8")
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"
