"""The resource shapes one manifest has taught ``manifest_fast``, found for a block fast.

A shape is the bytes of a learned ``<resource>`` block between its names (each name
a double-quoted attribute value, so every piece after a name starts with ``"``), the
role of each name, and what the block read as (type and shared LOM dict). ``get``
finds a shape by the cut of a block; ``find`` finds one without cutting: by the first
two pieces, then the third, sliced up to its last bytes. Either way the block is the
shape's pieces around quote-free names, so it reads as the learned block with those
names (see ``manifest_fast``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qti.manifest import Resource, _join

#: Bytes at the end of a third piece that ``find`` looks for to slice it.
_TAIL = 16
_NOT_PLAIN = re.compile("[<>&\"'\x00-\x1f\x7f\ufffe\uffff]")


@dataclass(frozen=True)
class Shape:
    """A learned block: its pieces, the roles of its names, what it read as."""

    pieces: tuple[bytes, ...]
    roles: tuple[str, ...]
    kind: str
    meta: dict

    def resource(self, names: list[str], base: str) -> Resource:
        """The resource of a block of this shape with these (plain) names."""
        named = list(zip(self.roles, names, strict=True))
        single = dict(named)  # identifier and href: at most one each
        href = single.get("href", "")
        return Resource(
            identifier=single.get("identifier", ""),
            type=self.kind,
            href=_join(base, href) if href else "",
            files=tuple(_join(base, n) for role, n in named if role == "file"),
            dependencies=tuple(n for role, n in named if role == "dep"),
            meta=self.meta,
        )


class Shapes:
    """The shapes learned from one manifest."""

    def __init__(self):
        self.by_cut: dict[tuple, Shape] = {}
        #: (first, second piece) → last bytes of the third → third piece → shape.
        self.groups: dict[tuple[bytes, bytes], dict[bytes, dict[bytes, Shape]]] = {}

    def add(self, shape: Shape) -> None:
        """Keep ``shape``; index it for ``find`` when it has two names or more."""
        self.by_cut[shape.pieces, shape.roles] = shape
        pieces = shape.pieces
        if len(pieces) >= 3:
            tails = self.groups.setdefault(pieces[:2], {})
            tails.setdefault(pieces[2][-_TAIL:], {})[pieces[2]] = shape

    def get(self, pieces: tuple, roles: tuple) -> Shape | None:
        """The shape of these pieces and roles (a block's cut), or None."""
        return self.by_cut.get((pieces, roles))

    def find(self, block: bytes) -> tuple[Shape, list[bytes]] | None:
        """Return the shape ``block`` is of, with its names, or None."""
        for (first, second), tails in self.groups.items():
            if not block.startswith(first):
                continue
            end = block.find(b'"', len(first))
            if end < 0 or not block.startswith(second, end):
                continue
            end = block.find(b'"', end + len(second))
            for tail, thirds in tails.items():
                stop = block.find(tail, end)
                shape = thirds.get(block[end : stop + len(tail)]) if stop >= 0 else None
                if shape is not None and (names := _names(shape, block)) is not None:
                    return shape, names
        return None


def _names(shape: Shape, block: bytes) -> list[bytes] | None:
    """The names of ``block`` when it is the shape's pieces around them, else None."""
    pieces, position, names = shape.pieces, len(shape.pieces[0]), []
    for piece in pieces[1:]:
        end = block.find(b'"', position)
        if end < 0 or not block.startswith(piece, end):
            return None
        names.append(block[position:end])
        position = end + len(piece)
    return names if position == len(block) else None


def plain(name: bytes) -> str:
    """The name as text when it is plain (valid UTF-8, no quote, ``<``, ``>``, ``&``
    or control character: it parses to itself), else ''."""
    try:
        text = name.decode("utf-8")
    except UnicodeDecodeError:
        return ""
    return "" if _NOT_PLAIN.search(text) else text
