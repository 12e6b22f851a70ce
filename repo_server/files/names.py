"""File names of uploads: cleaned for display, and what their extension claims."""

import os

from storage.names import safe_filename

#: Extension → family of formats it may hold (see detect.FileType.family).
FAMILIES = {
    "pdf": ".pdf",
    "word": ".doc .docx .docm .dot .dotx .odt .rtf",
    "slides": ".ppt .pptx .pptm .pps .ppsx .odp",
    "sheet": ".xls .xlsx .xlsm .ods",
    "image": ".png .jpg .jpeg .jpe .jfif .gif .webp .bmp",
    "svg": ".svg",
    "media": ".mp4 .m4v .mov .webm .mkv .ogv .avi .mp3 .m4a .aac .ogg .oga .opus "
    ".wav .flac",
    "html": ".html .htm .xhtml",
    "text": ".txt .csv .tsv .md .vtt .srt .json .xml .tex",
    "zip": ".zip",
    "book": ".epub",
}
EXTENSION_FAMILY = {
    ext: family for family, exts in FAMILIES.items() for ext in exts.split()
}
#: Extensions a click runs as a program on some desktop; refused whatever the bytes.
DANGEROUS = frozenset(
    ".exe .dll .com .scr .msi .msp .msc .cpl .pif .lnk .reg .inf .hta .bat .cmd "
    ".ps1 .psm1 .vbs .vbe .js .jse .wsf .wsh .sh .bash .csh .ksh .zsh .command .app "
    ".jar .apk .deb .rpm .dmg .pkg .run .elf .so .dylib .gadget .scf".split()
)


def clean_filename(name: str) -> str:
    """Return the display name: NFC, Vietnamese kept, no path, no control characters."""
    return safe_filename(name or "", default="tep")


def extension(name: str) -> str:
    """Return the lowercase extension of ``name`` (``".pdf"``), or ``""``."""
    return os.path.splitext(name)[1].lower()


def extension_family(name: str) -> str | None:
    """Return the family of formats the name's extension claims, None if unknown."""
    return EXTENSION_FAMILY.get(extension(name))


def is_dangerous(name: str) -> bool:
    """Tell whether the name's extension runs as a program when opened."""
    return extension(name) in DANGEROUS


def with_extension(name: str, usual: str) -> str:
    """Add the format's usual extension to a name that has none."""
    if extension(name) or not usual:
        return name
    return safe_filename(name + usual, default="tep")
