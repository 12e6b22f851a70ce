"""Item HTML fragments ↔ neutral QTI content (the XHTML subset of QTI plus MathML)."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping

import lxml.html
from lxml import etree

from qti.dialect import append_text
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
    parent: etree._Element, html: str, hrefs: Mapping[str, str] | None = None
) -> None:
    """Append the HTML fragment ``html`` to ``parent``, ``img`` sources mapped by ``hrefs``."""
    if not html:
        return
    for node in lxml.html.fragments_fromstring(html):
        if isinstance(node, str):
            append_text(parent, node)
        elif isinstance(node.tag, str):
            parent.append(_from_html(node, False, hrefs or {}))


def _from_html(node, in_math: bool, hrefs: Mapping[str, str]) -> etree._Element:
    tag = node.tag.lower()
    in_math = in_math or tag == "math"
    if in_math:
        element = etree.Element(clark(MATHML, tag))
    elif tag == "u":
        element = etree.Element("span", {"class": UNDERLINE_CLASS})
    else:
        element = etree.Element(tag)
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
            element.append(_from_html(child, in_math, hrefs))
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
