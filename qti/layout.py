"""Byte layouts: a document serialized once with markers, refilled by joining bytes.

Writers build the first document of a shape as a tree, serialize it with a unique marker
where each varying text goes, and keep the bytes between the markers. Later documents of
that shape whose texts need no escaping are the pieces joined with their own texts: the
same bytes the tree would serialize to, without building it.
"""

from __future__ import annotations

import secrets

#: (bytes between the places, which value goes in each place)
Layout = tuple[list[bytes], list[int]]


def markers(count: int) -> list[str]:
    """Return ``count`` markers no document will hold by chance."""
    marker = "m" + secrets.token_hex(8)
    return [f"{marker}{index}x" for index in range(count)]


def split_at(data: bytes, tokens: list[str]) -> Layout | None:
    """Cut ``data`` at each token; None unless every token occurs exactly once."""
    encoded = [token.encode() for token in tokens]
    if any(data.count(token) != 1 for token in encoded):
        return None  # the template happens to hold a marker: keep the tree path
    found = sorted((data.index(token), i) for i, token in enumerate(encoded))
    pieces, order, last = [], [], 0
    for position, index in found:
        pieces.append(data[last:position])
        order.append(index)
        last = position + len(encoded[index])
    return [*pieces, data[last:]], order


def join(layout: Layout, values: list[str]) -> bytes:
    """Join the pieces of a layout with one document's values."""
    pieces, order = layout
    out = [pieces[0]]
    for piece, index in zip(pieces[1:], order, strict=True):
        out += (values[index].encode("utf-8"), piece)
    return b"".join(out)
