"""Rich text of questions: NFC normalisation and a safe HTML subset (with MathML)."""

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


def normalize(text: str) -> str:
    """Return ``text`` in Unicode NFC with old-style tone marks moved to the new places."""
    return fold_tone_placement(unicodedata.normalize("NFC", text or ""))


def clean_html(text: str) -> str:
    """Return NFC ``text`` reduced to the safe HTML and MathML subset questions may use."""
    return nh3.clean(
        normalize(text),
        tags=_HTML_TAGS | _MATHML_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "data"},
        link_rel=None,
    ).strip()


# Old ("hoà") and new ("hòa") tone placement are both common in Vietnamese text;
# we store the form of the 1980s orthography reform used by the Ministry's textbooks
# ("hoà", "thuỷ"), so both spellings compare equal after normalize().
_NEW_TO_OLD = {
    "òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ",
    "òe": "oè", "óe": "oé", "ỏe": "oẻ", "õe": "oẽ", "ọe": "oẹ",
    "ùy": "uỳ", "úy": "uý", "ủy": "uỷ", "ũy": "uỹ", "ụy": "uỵ",
}  # fmt: skip


def fold_tone_placement(text: str) -> str:
    """Move tone marks of ``oa``, ``oe`` and ``uy`` onto the second vowel."""
    if not any(pair in text.lower() for pair in _NEW_TO_OLD):
        return text
    for new, old in _NEW_TO_OLD.items():
        for a, b in ((new, old), (new.capitalize(), old.capitalize())):
            text = _replace_open_syllable(text, a, b)
    return text


def _replace_open_syllable(text: str, new: str, old: str) -> str:
    """Replace ``new`` by ``old`` only where the syllable ends right after it."""
    out, start = [], 0
    while (i := text.find(new, start)) >= 0:
        end = i + len(new)
        open_syllable = end == len(text) or not text[end].isalpha()
        out.append(text[start:i] + (old if open_syllable else new))
        start = end
    out.append(text[start:])
    return "".join(out)


def plain_text(html: str) -> str:
    """Return the visible text of an HTML fragment (for listings and search)."""
    return " ".join(nh3.clean(html or "", tags=set()).split())
