"""Media a question's rich text shows: find its ``<img src>``, rewrite them, list them.

Exports list the pictures the text shows in ``Item.media`` so the package carries
them (files and manifest dependencies, see ``qti.package``); imports point the text
at wherever the service stored the files. Pure: the caller says which sources are
its own (``accept``) and where files went (``mapping``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from qti.conventions import guess_mime
from qti.items import Item, Media
from qti.text import map_image_sources


def image_sources(item: Item) -> list[str]:
    """Return the distinct ``<img src>`` of an item's rich text, in reading order."""
    found: dict[str, None] = {}

    def note(src: str) -> str:
        found.setdefault(src, None)
        return src

    for html in _texts(item):
        map_image_sources(html, note)
    return list(found)


def with_shown_media(item: Item, accept: Callable[[str], str | None]) -> Item:
    """Add to ``item.media`` each picture of its text that ``accept(src)`` names a type of.

    ``accept`` returns the MIME type of a source the caller can supply, else None.
    """
    known = {media.src for media in item.media}
    added = []
    for src in image_sources(item):
        mime = None if src in known else accept(src)
        if mime:
            added.append(Media(src, mime))
            known.add(src)
    return replace(item, media=item.media + tuple(added)) if added else item


def rewrite_sources(item: Item, mapping: Mapping[str, str]) -> Item:
    """Return ``item`` with the media sources in ``mapping`` replaced (text and media)."""
    if not mapping:
        return item

    def change(src: str) -> str:
        return mapping.get(src, src)

    media = tuple(
        Media(change(m.src), m.mime or guess_mime(m.src), m.alt) for m in item.media
    )
    return replace(
        item,
        stem=map_image_sources(item.stem, change),
        explanation=map_image_sources(item.explanation, change),
        choices=tuple(
            replace(c, text=map_image_sources(c.text, change)) for c in item.choices
        ),
        statements=tuple(
            replace(s, text=map_image_sources(s.text, change)) for s in item.statements
        ),
        media=media,
    )


def _texts(item: Item):
    yield item.stem
    yield from (choice.text for choice in item.choices)
    yield from (statement.text for statement in item.statements)
    yield item.explanation
