"""Pictures a quiz SCO shows, copied into the package so it works offline."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from typing import BinaryIO

from qti.items import Item, Media
from qti.media import rewrite_sources
from qti.zipwriter import ZipWriter

#: opener(media) → the bytes or a binary stream of one picture, None to leave it a link.
MediaOpener = Callable[[Media], bytes | BinaryIO | None]


class QuizMedia:
    """Copy each picture once into ``media/`` and point the items' text at the copy."""

    def __init__(self, archive: ZipWriter, opener: MediaOpener | None) -> None:
        """Write into ``archive``; without ``opener`` every source stays as it is."""
        self.archive, self.opener = archive, opener
        self.paths: dict[str, str] = {}

    def localise(self, item: Item) -> Item:
        """Return ``item`` with its site pictures (``/…``) served from the package."""
        mapping = {}
        for media in item.media:
            path = self._copy(media)
            if path:
                mapping[media.src] = path
        return rewrite_sources(item, mapping)

    def _copy(self, media: Media) -> str | None:
        """Store one picture (once); return its package path, None to keep the link."""
        if self.opener is None or not media.src.startswith("/"):
            return None
        if media.src not in self.paths:
            source = self.opener(media)
            if source is None:
                return None
            path = f"media/{len(self.paths) + 1}{_extension(media)}"
            if isinstance(source, bytes | bytearray):
                self.archive.write(path, bytes(source))
            else:
                with source:
                    self.archive.write_stream(path, source)
            self.paths[media.src] = path
        return self.paths[media.src]


def _extension(media: Media) -> str:
    """The file extension of a picture, from its type (``.bin`` when unknown)."""
    return mimetypes.guess_extension(media.mime or "") or ".bin"
