"""Rich text of questions: NFC normalisation and a safe HTML subset (with MathML)."""

import re
import unicodedata

import nh3

_HTML_TAGS = {
    "p", "br", "b", "strong", "i", "em", "u", "sub", "sup", "span", "div", "img",
    "table", "thead", "tbody", "tr", "td", "th", "ul", "ol", "li", "code", "pre",
}  # fmt: skip
_MATHML_TAGS = {
    "math", "mi", "mn", "mo", "ms", "mtext", "mrow", "mfrac", "msqrt", "mroot",
    "msub", "msup", "msubsup", "munder", "mover", "munderover", "mtable", "mtr",
    "mtd", "mspace", "mstyle", "mfenced", "menclose", "mpadded", "mphantom",
    "semantics", "annotation",
}  # fmt: skip
_ATTRIBUTES = {
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "math": {"display", "xmlns"},
    "annotation": {"encoding"},
    "mo": {"stretchy", "fence", "separator"},
    "mstyle": {"displaystyle", "mathvariant"},
    "mi": {"mathvariant"},
    "mfenced": {"open", "close", "separators"},
    "menclose": {"notation"},
    "span": {"class"},
}


#: Characters XML 1.0 cannot hold (C0 controls but tab, LF and CR; surrogates;
#: U+FFFE, U+FFFF): a question holding one could not be exported, so they are dropped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def normalize(text: str) -> str:
    """Return ``text`` in Unicode NFC with old-style tone marks moved to the new places,
    without the characters XML cannot hold."""
    text = unicodedata.normalize("NFC", text or "")
    if _NOT_XML.search(text):
        text = _NOT_XML.sub("", text)
    return fold_tone_placement(text)


#: One sanitizer, built once: building it per call cost more than the cleaning.
_CLEANER = nh3.Cleaner(
    tags=_HTML_TAGS | _MATHML_TAGS,
    attributes=_ATTRIBUTES,
    url_schemes={"http", "https", "data"},
    link_rel=None,
)
_TEXT_ONLY = nh3.Cleaner(tags=set())
#: What the sanitizer would change in text: markup, entities, NBSP, NUL, CR, a BOM.
_NOT_PLAIN = re.compile("[<>&\xa0\x00\r\ufeff]")


def map_image_sources(html: str, change) -> str:
    """Return clean ``html`` with each ``<img src>`` replaced by ``change(src)``."""
    if "<img" not in html:
        return html

    def rewrite(tag: str, attribute: str, value: str) -> str:
        return change(value) if (tag, attribute) == ("img", "src") else value

    return nh3.clean(
        html,
        tags=_HTML_TAGS | _MATHML_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "data"},
        link_rel=None,
        attribute_filter=rewrite,
    ).strip()


def clean_html(text: str) -> str:
    """Return NFC ``text`` reduced to the safe HTML and MathML subset questions may use."""
    text = normalize(text)
    if not _NOT_PLAIN.search(text):
        return text.strip()  # the sanitizer would return plain text unchanged
    return _CLEANER.clean(text).strip()


# Old ("hoà") and new ("hòa") tone placement are both common in Vietnamese text;
# we store the form of the 1980s orthography reform used by the Ministry's textbooks
# ("hoà", "thuỷ"), so both spellings compare equal after normalize().
_NEW_TO_OLD = {
    "òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ",
    "òe": "oè", "óe": "oé", "ỏe": "oẻ", "õe": "oẽ", "ọe": "oẹ",
    "ùy": "uỳ", "úy": "uý", "ủy": "uỷ", "ũy": "uỹ", "ụy": "uỵ",
}  # fmt: skip


_FOLDS = {
    **_NEW_TO_OLD,
    **{new.capitalize(): old.capitalize() for new, old in _NEW_TO_OLD.items()},
}
_NEW_FORMS = re.compile("|".join(_FOLDS))


def fold_tone_placement(text: str) -> str:
    """Move tone marks of ``oa``, ``oe`` and ``uy`` onto the second vowel."""
    if _NEW_FORMS.search(text) is None:
        return text

    def fold(match: re.Match) -> str:
        # Only where the syllable ends right after the pair ("hòa" but not "hoàn").
        end = match.end()
        open_syllable = end == len(text) or not text[end].isalpha()
        return _FOLDS[match.group()] if open_syllable else match.group()

    return _NEW_FORMS.sub(fold, text)


def plain_text(html: str) -> str:
    """Return the visible text of an HTML fragment (for listings and search)."""
    html = html or ""
    if not _NOT_PLAIN.search(html):
        return " ".join(html.split())  # plain already: nothing to strip or escape
    return " ".join(_TEXT_ONLY.clean(html).split())
