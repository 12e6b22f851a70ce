"""Item HTML fragments ↔ neutral QTI content (the XHTML subset of QTI plus MathML)."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from html import escape

import lxml.html
from lxml import etree

from qti.dialect import Names, append_text
from qti.ns import NS, clark, localname, namespace

MATHML = NS["m"]
#: QTI has no ``<u>``; underlined text travels as a span with the QTI 3 shared-CSS class.
UNDERLINE_CLASS = "qti-underline"
_KEEP = {
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "span": {"class"},
}
_LENGTH = re.compile(r"[0-9]+%?")
_WRAPPER = "div"


def append_html(
    n: Names,
    parent: etree._Element,
    html: str,
    hrefs: Mapping[str, str] | None = None,
) -> None:
    """Append the HTML fragment ``html`` to ``parent`` as QTI content of ``n``'s version.

    ``img`` sources are mapped by ``hrefs``. Plain text (most question text) is added
    as it is, without running the HTML parser.
    """
    if not html:
        return
    if "<" not in html and "&" not in html:
        append_text(parent, html)
        return
    for node in lxml.html.fragments_fromstring(html):
        if isinstance(node, str):
            append_text(parent, node)
        elif isinstance(node.tag, str):
            _from_html(n, parent, node, False, hrefs or {})


def _from_html(n: Names, parent, node, in_math: bool, hrefs) -> etree._Element:
    tag = node.tag.lower()
    in_math = in_math or tag == "math"
    if tag == "math":
        element = etree.SubElement(parent, clark(MATHML, tag), nsmap={None: MATHML})
    elif in_math:
        element = etree.SubElement(parent, clark(MATHML, tag))
    elif tag == "u":
        element = n.sub(parent, "span", **{"class": UNDERLINE_CLASS})
    else:
        element = n.sub(parent, tag)
    for name, value in node.attrib.items():
        if _keep_attribute(tag, name, value, in_math):
            element.set(name, value)
    if tag == "img":
        element.set("alt", element.get("alt", ""))
        if element.get("src") in hrefs:
            element.set("src", hrefs[element.get("src")])
    element.text = node.text
    element.tail = node.tail
    for child in node:
        if isinstance(child.tag, str):
            _from_html(n, element, child, in_math, hrefs)
        else:
            append_text(element, child.tail)
    return element


def _keep_attribute(tag: str, name: str, value: str, in_math: bool) -> bool:
    if ":" in name or name == "xmlns":
        return False
    if in_math:
        return True
    if name in ("width", "height"):
        return name in _KEEP.get(tag, ()) and bool(_LENGTH.fullmatch(value))
    return name in _KEEP.get(tag, ())


def inner_html(element: etree._Element) -> str:
    """Return the content of a neutral element as an HTML fragment."""
    if not len(element):
        return escape(element.text or "", quote=False)
    if not _needs_html_names(element):
        parts = [escape(element.text or "", quote=False)]
        parts += [
            etree.tostring(child, method="html", encoding="unicode")
            for child in element
            if isinstance(child.tag, str)
        ]
        return "".join(parts)
    holder = etree.Element(_WRAPPER)
    holder.text = element.text
    for child in element:
        if isinstance(child.tag, str):
            holder.append(copy.deepcopy(child))
    for node in holder.iter(tag=etree.Element):
        if node is not holder:
            _to_html(node)
    etree.cleanup_namespaces(holder)
    html = etree.tostring(holder, method="html", encoding="unicode")
    return html[len(f"<{_WRAPPER}>") : -len(f"</{_WRAPPER}>")]


def _needs_html_names(element: etree._Element) -> bool:
    """Tell whether the content holds what ``_to_html`` renames (else serialize as is)."""
    for node in element.iterdescendants():
        tag = node.tag
        if not isinstance(tag, str) or tag[0] == "{" or tag in ("span", "img"):
            return True
        if any(name[0] == "{" for name in node.attrib):
            return True
    return False


def _to_html(node: etree._Element) -> None:
    """Rename one element to its HTML form (plain names, ``<u>``, no empty alt)."""
    if namespace(node):
        node.tag = localname(node)
    for name in [n for n in node.attrib if n.startswith("{")]:
        del node.attrib[name]
    if node.tag == "span" and node.get("class") == UNDERLINE_CLASS:
        node.tag = "u"
        del node.attrib["class"]
    if node.tag == "img" and node.get("alt") == "":
        del node.attrib["alt"]
