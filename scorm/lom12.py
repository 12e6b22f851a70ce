"""IMS Metadata 1.2.1 (the LOM dialect of SCORM 1.2) for package metadata.

The same dict as ``qti.lom.build_lom`` takes; SCORM 1.2 spells LOM with
``langstring`` elements, lowercase names and its own namespace.
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from qti.lom import PURPOSES, TAXONOMY
from qti.ns import XML_LANG, clark
from scorm.versions import IMSMD12


def _sub(parent, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, clark(IMSMD12, name))
    element.text = text
    return element


def _lang(parent, name: str, text: str, language: str) -> None:
    _sub(_sub(parent, name), "langstring", text).set(XML_LANG, language)


def _vocabulary(parent, name: str, value: str) -> None:
    holder = _sub(parent, name)
    _lang(holder, "source", "LOMv1.0", "x-none")
    _lang(holder, "value", value, "x-none")


def build_lom12(meta: Mapping, language: str = "vi") -> etree._Element:
    """Return an IMS MD 1.2.1 ``lom`` element with the fields of ``meta``."""
    language = meta.get("language") or language
    lom = etree.Element(clark(IMSMD12, "lom"), nsmap={"imsmd": IMSMD12})
    general = _sub(lom, "general")
    if meta.get("title"):
        _lang(general, "title", meta["title"], language)
    _sub(general, "language", language)
    if meta.get("description"):
        _lang(general, "description", meta["description"], language)
    for keyword in meta.get("keywords") or ():
        _lang(general, "keyword", keyword, language)
    if meta.get("format"):
        _sub(_sub(lom, "technical"), "format", meta["format"])
    if meta.get("licence"):
        rights = _sub(lom, "rights")
        _vocabulary(rights, "copyrightandotherrestrictions", "yes")
        _lang(rights, "description", meta["licence"], language)
    for key, purpose in PURPOSES.items():
        if meta.get(key):
            _classification(lom, key, purpose, meta[key], language)
    return lom


def _classification(lom, key: str, purpose: str, term: Mapping, language: str):
    classification = _sub(lom, "classification")
    _vocabulary(classification, "purpose", _purpose12(purpose))
    path = _sub(classification, "taxonpath")
    _lang(path, "source", f"{TAXONOMY}:{key}", "x-none")
    taxon = _sub(path, "taxon")
    _sub(taxon, "id", str(term.get("code", "")))
    if term.get("name"):
        _lang(taxon, "entry", term["name"], language)


def _purpose12(purpose: str) -> str:
    """IMS MD 1.2 writes the purpose vocabulary in title case ("Educational Level")."""
    return purpose.title()
