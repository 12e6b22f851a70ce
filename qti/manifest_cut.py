"""Cut a manifest's ``<resource>`` block at the values that differ between resources.

The places are found by a strict grammar: the attributes ``identifier`` and ``href``
of a start tag made of double-quoted attributes only, the ``href`` of each ``<file
href="…"/>`` and the ``identifierref`` of each ``<dependency identifierref="…"/>``,
and the text of each leaf element (a start tag of double-quoted attributes, its text,
its own end tag). The cut is right in a block without comments, CDATA, processing
instructions or ``xml:base`` (``learnable``), where every ``<`` starts a tag; a
block equal to a learnable block's pieces around other plain values is one too.
"""

from __future__ import annotations

import re

_START = re.compile(rb'<resource((?:[ \t\r\n]+[\w:.-]+="[^"<&]*")*)[ \t\r\n]*>')
_ATTRIBUTE = re.compile(rb'[ \t\r\n]+([\w:.-]+)="([^"<&]*)"')
_NAMED = {b"identifier": "identifier", b"href": "href"}
_TAGS = (
    (b"<file", re.compile(rb'<file href="([^"<&]*)"/>'), "file"),
    (b"<dependency", re.compile(rb'<dependency identifierref="([^"<&]*)"/>'), "dep"),
)
_LEAF = re.compile(rb'<([\w.:-]+)(?:[ \t\r\n]+[\w:.-]+="[^"<&>]*")*>([^<]+)</\1>')
#: The role of a leaf's text until learning tells what it is read into.
TEXT = "text"


def cut(block: bytes) -> tuple[tuple[bytes, ...], tuple[str, ...], list] | None:
    """Cut a block at its values: (the pieces between, the roles, the values) or None."""
    start = _START.match(block)
    if start is None:
        return None
    spans = [
        (found.start(2), found.end(2), _NAMED[found.group(1)])
        for found in _ATTRIBUTE.finditer(block, start.start(1), start.end(1))
        if found.group(1) in _NAMED
    ]
    for tag, pattern, role in _TAGS:
        at = block.find(tag, start.end())
        while at >= 0:
            found = pattern.match(block, at)
            if found is None:
                return None
            spans.append((found.start(1), found.end(1), role))
            at = block.find(tag, found.end())
    leaves = _LEAF.finditer(block, start.end())
    spans += [(leaf.start(2), leaf.end(2), TEXT) for leaf in leaves]
    spans.sort()
    pieces, last = [], 0
    for begin, end, _ in spans:
        pieces.append(block[last:begin])
        last = end
    pieces.append(block[last:])
    values = [block[begin:end] for begin, end, _ in spans]
    return tuple(pieces), tuple(role for _, _, role in spans), values


def learnable(block: bytes) -> bool:
    """Tell whether every ``<`` of ``block`` starts a tag, and no base changes paths."""
    return not (b"<!" in block or b"<?" in block or b"xml:base" in block)


def interleave(pieces, values) -> bytes:
    """The block of these pieces around these values (the inverse of ``cut``)."""
    out = [pieces[0]]
    for value, piece in zip(values, pieces[1:], strict=True):
        out += (value, piece)
    return b"".join(out)


def merged(pieces, values, keep: dict) -> tuple[tuple[bytes, ...], tuple, list]:
    """The cut with the values not in ``keep`` (index → new role) put back into
    the pieces around them."""
    new_pieces, new_roles, new_values, current = [], [], [], pieces[0]
    for index, value in enumerate(values):
        if index in keep:
            new_pieces.append(current)
            new_roles.append(keep[index])
            new_values.append(value)
            current = pieces[index + 1]
        else:
            current += value + pieces[index + 1]
    new_pieces.append(current)
    return tuple(new_pieces), tuple(new_roles), new_values
