"""IEEE LOM metadata for content-package resources (used by QTI and SCORM 2004).

A resource's metadata travels as a plain dict::

    {"title": "Câu 1", "language": "vi", "description": "…", "keywords": ["hàm số"],
     "subject": {"code": "TOAN", "name": "Toán"}, "grade": {"code": "10", "name": "Lớp 10"},
     "topic": {"code": "…", "name": "…"}, "level": {"code": "NB", "name": "Nhận biết"},
     "licence": "CC BY 4.0", "format": "text/x-imsqti-item-xml"}

Subject, grade, topic and cognitive level are LOM classifications whose taxon path
source is ``vn_gdpt2018:<key>``; classifications from other taxonomies are read into
``"classifications"`` as (purpose, source, id, name) dicts.
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from qti.ns import NS, clark

LOM = NS["lom"]
TAXONOMY = "vn_gdpt2018"
#: Our classification keys and the LOM purpose each one uses.
PURPOSES = {
    "subject": "discipline",
    "grade": "educational level",
    "topic": "idea",
    "level": "educational objective",
}


def _sub(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, clark(LOM, name))
    element.text = text
    return element


def _lang_string(parent, name: str, text: str, language: str) -> None:
    string = _sub(_sub(parent, name), "string", text)
    string.set("language", language)


def _vocabulary(parent, name: str, value: str) -> None:
    holder = _sub(parent, name)
    _sub(holder, "source", "LOMv1.0")
    _sub(holder, "value", value)


def build_lom(meta: Mapping, language: str = "vi") -> etree._Element:
    """Return a ``lom`` element describing a resource with the fields of ``meta``."""
    language = meta.get("language") or language
    lom = etree.Element(clark(LOM, "lom"), nsmap={"imsmd": LOM})
    general = _sub(lom, "general")
    if meta.get("title"):
        _lang_string(general, "title", meta["title"], language)
    _sub(general, "language", language)
    if meta.get("description"):
        _lang_string(general, "description", meta["description"], language)
    for keyword in meta.get("keywords") or ():
        _lang_string(general, "keyword", keyword, language)
    if meta.get("format"):
        _sub(_sub(lom, "technical"), "format", meta["format"])
    if meta.get("licence"):
        rights = _sub(lom, "rights")
        _vocabulary(rights, "copyrightAndOtherRestrictions", "yes")
        _lang_string(rights, "description", meta["licence"], language)
    for key, purpose in PURPOSES.items():
        if meta.get(key):
            _classification(lom, key, purpose, meta[key], language)
    return lom


#: The fields ``build_lom`` writes as one text each when they are set.
_TEXT_FIELDS = ("title", "description", "format", "licence")


def free_texts(meta: Mapping) -> tuple[tuple, list[str]]:
    """Split ``meta`` into the shape of its LOM (what decides the elements written)
    and the texts ``build_lom`` writes into them; ``with_texts`` joins them again."""
    shape: list = [meta.get("language") or ""]
    texts = [meta[key] for key in _TEXT_FIELDS if meta.get(key)]
    shape += [bool(meta.get(key)) for key in _TEXT_FIELDS]
    keywords = list(meta.get("keywords") or ())
    shape.append(len(keywords))
    texts += keywords
    for key in PURPOSES:
        term = meta.get(key) or {}
        shape.append((bool(term), bool(term.get("name"))))
        if term:
            texts.append(str(term.get("code", "")))
            texts += [term["name"]] if term.get("name") else []
    return tuple(shape), texts


def with_texts(shape: tuple, texts) -> dict:
    """The metadata of ``shape`` holding ``texts`` (the inverse of ``free_texts``)."""
    values, flags = iter(texts), iter(shape[1:])
    meta: dict = {"language": shape[0]}
    meta.update({key: next(values) for key in _TEXT_FIELDS if next(flags)})
    meta["keywords"] = [next(values) for _ in range(next(flags))]
    for key in PURPOSES:
        present, named = next(flags)
        if present:
            meta[key] = {"code": next(values)}
            if named:
                meta[key]["name"] = next(values)
    return meta


def _classification(lom, key: str, purpose: str, term: Mapping, language: str) -> None:
    classification = _sub(lom, "classification")
    _vocabulary(classification, "purpose", purpose)
    path = _sub(classification, "taxonPath")
    _lang_string(path, "source", f"{TAXONOMY}:{key}", "x-none")
    taxon = _sub(path, "taxon")
    _sub(taxon, "id", str(term.get("code", "")))
    if term.get("name"):
        _lang_string(taxon, "entry", term["name"], language)


def _children(element, name: str) -> list[etree._Element]:
    """Return the children called ``name`` in any namespace (``{*}`` is C-level)."""
    return element.findall("{*}" + name)


def _first(element, *path: str) -> etree._Element | None:
    if element is None:
        return None
    return element.find("/".join("{*}" + name for name in path))


def _text(element) -> str:
    """Return the text of a LOM value: a plain string or the first (lang)string."""
    if element is None:
        return ""
    source = element.find("{*}string")
    if source is None:
        source = element.find("{*}langstring")
    if source is None:
        source = element
    return " ".join((source.text or "").split())


def read_lom(lom: etree._Element) -> dict:
    """Return the metadata dict of a LOM (IEEE LOM or IMS MD 1.2) element."""
    meta: dict = {}
    general = _first(lom, "general")
    for key in ("title", "language", "description"):
        value = _text(_first(general, key))
        if value:
            meta[key] = value
    keywords = (
        [_text(k) for k in _children(general, "keyword")] if general is not None else []
    )
    if any(keywords):
        meta["keywords"] = [k for k in keywords if k]
    if _text(_first(lom, "technical", "format")):
        meta["format"] = _text(_first(lom, "technical", "format"))
    if _text(_first(lom, "rights", "description")):
        meta["licence"] = _text(_first(lom, "rights", "description"))
    for classification in _children(lom, "classification"):
        _read_classification(classification, meta)
    return meta


def _read_classification(classification: etree._Element, meta: dict) -> None:
    purpose = _text(_first(classification, "purpose", "value"))
    # IMS MD 1.2 (SCORM 1.2) spells it in lowercase.
    paths = _children(classification, "taxonPath") or _children(
        classification, "taxonpath"
    )
    for path in paths:
        source = _text(_first(path, "source"))
        for taxon in _children(path, "taxon"):
            term = {
                "code": _text(_first(taxon, "id")),
                "name": _text(_first(taxon, "entry")),
            }
            key = source.removeprefix(f"{TAXONOMY}:")
            if source.startswith(f"{TAXONOMY}:") and key in PURPOSES:
                meta[key] = term
            else:
                extra = {"purpose": purpose, "source": source, **term}
                meta.setdefault("classifications", []).append(extra)
