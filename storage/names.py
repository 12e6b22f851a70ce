"""File-name cleaning that keeps Vietnamese letters (and ASCII forms of them)."""

from __future__ import annotations

import re
import unicodedata

#: Longest cleaned name in UTF-8 bytes (most file systems allow 255).
MAX_NAME_BYTES = 200
#: Longest tail still treated as an extension (".pdf", ".docx", ".tar.gz"-like).
MAX_EXTENSION_BYTES = 16
_RESERVED = set('<>:"/\\|?*')
_WINDOWS_DEVICES = re.compile(r"(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\..*)?", re.I)
#: Typographic punctuation that NFKD leaves alone but has a plain ASCII form.
_ASCII_PUNCTUATION = str.maketrans(
    {"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "đ": "d"}
    | {"Đ": "D", "\u00a0": " "}
)
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _keep(char: str) -> bool:
    """Tell whether ``char`` may stay in a file name."""
    category = unicodedata.category(char)
    # Cc control, Cf format (bidi overrides, zero-width), Cs/Co/Cn unassigned etc.
    return category[0] != "C" and char not in _RESERVED


def _split_extension(name: str) -> tuple[str, str]:
    """Split ``name`` into stem and a short extension such as ``.pdf``."""
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext.encode()) > MAX_EXTENSION_BYTES or " " in ext:
        return name, ""
    return stem, "." + ext


def _truncate(text: str, max_bytes: int) -> str:
    """Cut ``text`` to at most ``max_bytes`` UTF-8 bytes at a character boundary."""
    return text.encode()[:max_bytes].decode(errors="ignore")


def safe_filename(name: str, default: str = "file") -> str:
    """Return a display-safe file name: NFC, no path, no control or reserved chars."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(char if _keep(char) else " " for char in name)
    name = " ".join(name.split()).lstrip(". ").rstrip(". ")
    if not name:
        return default
    if _WINDOWS_DEVICES.fullmatch(name):
        name = "_" + name
    stem, ext = _split_extension(name)
    stem = _truncate(stem, MAX_NAME_BYTES - len(ext.encode())).rstrip(". ")
    return (stem or default) + ext


def ascii_filename(name: str, default: str = "file") -> str:
    """Return safe_filename folded to printable ASCII ("Bài giảng" → "Bai giang")."""
    name = safe_filename(name, default).translate(_ASCII_PUNCTUATION)
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = folded.encode("ascii", "replace").decode().replace("?", "_")
    return safe_filename(folded, default)


def key_filename(name: str, default: str = "file") -> str:
    """Return a name usable as one storage key segment (``[A-Za-z0-9._-]``)."""
    name = _KEY_UNSAFE.sub("-", ascii_filename(name, default))
    name = re.sub(r"[-.]*\.[-.]*", ".", name)  # no "..", no "-.-"
    name = re.sub(r"-+", "-", name).strip("-.")
    return name or default
