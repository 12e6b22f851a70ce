"""The resource shapes one manifest has taught ``manifest_fast``, found for a block fast.

A shape is the bytes of a learned ``<resource>`` block between its values (see
``manifest_cut``), what each value is (``identifier``, ``href``, ``file``, ``dep``, or
``("meta", path)``: a text read into the resource's LOM dict at ``path``), and what
the block read as (type and LOM dict). ``get`` finds a shape by the cut of a block;
``find`` without cutting: by the first two pieces, then the third, sliced up to its
last bytes, then every piece compared in place. A block of a shape is its pieces
around plain values, so it reads as the learned block with those values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qti.manifest import Resource, _join, copy_meta

#: Bytes at the end of a third piece that ``find`` looks for to slice it, and
#: shapes kept per cut at most.
_TAIL = 16
SHAPES_PER_CUT = 64
METAS_PER_SHAPE = 1024
_NOT_PLAIN_BUT_SEPARATOR = re.compile("[<>&\"'\x00-\x1d\x1f\x7f\ufffe\uffff]")


@dataclass(frozen=True)
class Shape:
    """A learned block: its pieces, the role of each value, what it read as."""

    pieces: tuple[bytes, ...]
    roles: tuple
    kind: str
    meta: dict
    #: The byte each value ends at: a quote (attribute) or ``<`` (text).
    ends: tuple[bytes, ...] = field(init=False, compare=False)

    #: LOM dicts already made for the texts of this shape (shared, as the stream
    #: reader shares them: callers copy before changing one).
    metas: dict = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "ends", tuple(p[:1] for p in self.pieces[1:]))
        object.__setattr__(self, "metas", {})

    def accepts(self, values: list[str]) -> bool:
        """Tell whether plain ``values`` read as themselves (no name empty, no text
        blank: the reader leaves those out)."""
        pairs = zip(self.roles, values, strict=True)
        return all(v if isinstance(r, str) else v.split() for r, v in pairs)

    def resource(self, values: list[str], base: str) -> Resource:
        """The resource of a block of this shape with these (accepted) values."""
        named = list(zip(self.roles, values, strict=True))
        single = {r: v for r, v in named if isinstance(r, str)}  # identifier, href …
        texts = tuple((r[1], v) for r, v in named if not isinstance(r, str))
        meta = self.metas.get(texts) if texts else self.meta
        if meta is None:
            meta = copy_meta(self.meta)
            for path, value in texts:
                set_leaf(meta, path, " ".join(value.split()))  # as LOM texts are read
            if len(self.metas) >= METAS_PER_SHAPE:
                self.metas.clear()
            self.metas[texts] = meta
        href = single.get("href", "")
        return Resource(
            identifier=single.get("identifier", ""),
            type=self.kind,
            href=_join(base, href) if href else "",
            files=tuple(_join(base, v) for role, v in named if role == "file"),
            dependencies=tuple(v for role, v in named if role == "dep"),
            meta=meta,
        )


class Shapes:
    """The shapes learned from one manifest."""

    def __init__(self):
        #: The shapes learned from blocks of one cut (pieces, roles): they differ in
        #: the texts read into no single place (interaction types, vocabularies).
        self.by_cut: dict[tuple, list[Shape]] = {}
        #: (first, second piece) → last bytes of the third → third piece → shape.
        self.groups: dict[tuple[bytes, bytes], dict[bytes, dict[bytes, Shape]]] = {}

    def add(self, shape: Shape, cut: tuple) -> None:
        """Keep ``shape``, learned from a block of this cut (pieces, roles)."""
        self.by_cut.setdefault(cut, []).append(shape)
        pieces = shape.pieces
        if len(pieces) >= 3 and shape.ends[:2] == (b'"', b'"'):
            tails = self.groups.setdefault(pieces[:2], {})
            tails.setdefault(pieces[2][-_TAIL:], {})[pieces[2]] = shape

    def of_cut(self, cut: tuple, block: bytes) -> tuple[Shape | None, list | None]:
        """The shape of ``block`` among those learned from its cut, with its values;
        (None, None) if none is, and ``SHAPES_PER_CUT`` are known already."""
        shapes = self.by_cut.get(cut, [])
        for shape in shapes:
            if (values := values_of(shape, block)) is not None:
                return shape, values
        return None, ([] if len(shapes) < SHAPES_PER_CUT else None)

    def find(self, block: bytes) -> tuple[Shape, list[bytes]] | None:
        """Return the shape ``block`` is of, with its values, or None."""
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
                if (
                    shape is not None
                    and (values := values_of(shape, block)) is not None
                ):
                    return shape, values
        return None


def values_of(shape: Shape, block: bytes) -> list[bytes] | None:
    """The values of ``block`` when it is the shape's pieces around them, else None."""
    pieces, position, values = shape.pieces, len(shape.pieces[0]), []
    if not block.startswith(pieces[0]):
        return None
    for piece, delimiter in zip(pieces[1:], shape.ends, strict=True):
        end = block.find(delimiter, position)
        if end < 0 or not block.startswith(piece, end):
            return None
        values.append(block[position:end])
        position = end + len(piece)
    return values if position == len(block) else None


def plain(values: list[bytes]) -> list[str] | None:
    """The values as text when each is plain (valid UTF-8, no quote, ``<``, ``>``,
    ``&`` or control character: it parses to itself), else None.

    One decode and one search for them all: they are joined by a control character,
    which a plain value cannot hold, and split again.
    """
    if not values:
        return []
    try:
        joined = b"\x1e".join(values).decode("utf-8")
    except UnicodeDecodeError:
        return None
    texts = joined.split("\x1e")
    if len(texts) != len(values) or _NOT_PLAIN_BUT_SEPARATOR.search(joined):
        return None
    return texts


def leaf_path(meta: dict, value: str) -> tuple | None:
    """The one place in ``meta`` holding ``value`` (as a whole), or None."""
    found = [path for path, leaf in _leaves(meta, ()) if leaf == value]
    return found[0] if len(found) == 1 and len(found[0]) <= 3 else None


def _leaves(value, path: tuple):
    if isinstance(value, dict | list):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            yield from _leaves(item, (*path, key))
    else:
        yield path, value


def with_leaf(meta: dict, path: tuple, value: str) -> dict | None:
    """A copy of ``meta`` with ``value`` at ``path`` (``copy_meta`` copies every
    level ``read_lom`` nests), or None when ``meta`` has no leaf there."""
    out = copy_meta(meta)
    try:
        if isinstance(_get(out, path), dict | list):
            return None
        set_leaf(out, path, value)
    except (KeyError, IndexError, TypeError):
        return None
    return out


def _get(meta, path: tuple):
    for key in path:
        meta = meta[key]
    return meta


def set_leaf(meta: dict, path: tuple, value: str) -> None:
    target = meta
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
