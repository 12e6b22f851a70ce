"""Word equations (OMML) → MathML, for the common elements; unknown ones are reported."""

from __future__ import annotations

from xml.sax.saxutils import escape

from lxml import etree

M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_OPERATORS = set("+-−=<>≤≥≠±∓×÷·∙*/()[]{}|,;:!∈∉⊂⊃⊆⊇∪∩∀∃→←↔⇒⇔∞∑∏∫%°'′″≈≡∼∠⊥∥△")


class Conversion:
    """The MathML of one equation, its plain text, and what could not be converted."""

    def __init__(self):
        self.unknown: set[str] = set()
        self.text: list[str] = []

    def convert(self, omath: etree._Element, display: bool = False) -> str:
        """Return ``<math>…</math>`` for an ``m:oMath`` element."""
        body = self.children(omath)
        mode = ' display="block"' if display else ""
        return f'<math xmlns="http://www.w3.org/1998/Math/MathML"{mode}>{body}</math>'

    def children(self, element) -> str:
        """Convert the child elements of ``element`` and join them."""
        return "".join(self.node(child) for child in element)

    def arg(self, element, name: str) -> str:
        """The child ``m:name`` of ``element`` as one ``mrow``."""
        child = element.find(f"{{{M}}}{name}")
        return (
            f"<mrow>{self.children(child)}</mrow>" if child is not None else "<mrow/>"
        )

    def node(self, el) -> str:
        """Convert one OMML element."""
        if not isinstance(el.tag, str):
            return ""
        ns, _, name = el.tag[1:].partition("}")
        if ns == W:
            return self.run_text(el) if name == "r" else ""
        if name.endswith("Pr") or name in ("ctrlPr",):
            return ""
        handler = _HANDLERS.get(name)
        if handler is None:
            self.unknown.add(name)
            return f"<mrow>{self.children(el)}</mrow>"
        return handler(self, el)

    def run_text(self, run) -> str:
        """Split the text of a math run into identifiers, numbers and operators."""
        text = "".join(t.text or "" for t in run.iter(f"{{{M}}}t", f"{{{W}}}t"))
        self.text.append(text)
        normal = run.find(f"{{{M}}}rPr/{{{M}}}nor") is not None
        if normal and text.strip():
            return f"<mtext>{escape(text)}</mtext>"
        return "".join(_tokens(text))


def _tokens(text: str):
    number = ""
    for char in text:
        if char.isdigit() or (char in ".," and number):
            number += char
            continue
        if number:
            yield f"<mn>{escape(number)}</mn>"
            number = ""
        if char.isspace():
            continue
        tag = "mo" if char in _OPERATORS else "mi"
        yield f"<{tag}>{escape(char)}</{tag}>"
    if number:
        yield f"<mn>{escape(number)}</mn>"


def _prop(el, path: str, default: str) -> str:
    found = el.find(path.replace("m:", f"{{{M}}}"))
    if found is None:
        return default
    return found.get(f"{{{M}}}val", default)


def _frac(c: Conversion, el) -> str:
    return f"<mfrac>{c.arg(el, 'num')}{c.arg(el, 'den')}</mfrac>"


def _sup(c: Conversion, el) -> str:
    return f"<msup>{c.arg(el, 'e')}{c.arg(el, 'sup')}</msup>"


def _sub(c: Conversion, el) -> str:
    return f"<msub>{c.arg(el, 'e')}{c.arg(el, 'sub')}</msub>"


def _subsup(c: Conversion, el) -> str:
    return f"<msubsup>{c.arg(el, 'e')}{c.arg(el, 'sub')}{c.arg(el, 'sup')}</msubsup>"


def _pre(c: Conversion, el) -> str:
    scripts = f"<msubsup><mrow/>{c.arg(el, 'sub')}{c.arg(el, 'sup')}</msubsup>"
    return f"<mrow>{scripts}{c.arg(el, 'e')}</mrow>"


def _rad(c: Conversion, el) -> str:
    degree = el.find(f"{{{M}}}deg")
    if (
        degree is None
        or not len(degree)
        or _prop(el, "m:radPr/m:degHide", "0")
        in (
            "1",
            "on",
            "true",
        )
    ):
        return f"<msqrt>{c.arg(el, 'e')}</msqrt>"
    return f"<mroot>{c.arg(el, 'e')}{c.arg(el, 'deg')}</mroot>"


def _delim(c: Conversion, el) -> str:
    begin = _prop(el, "m:dPr/m:begChr", "(")
    end = _prop(el, "m:dPr/m:endChr", ")")
    separator = _prop(el, "m:dPr/m:sepChr", ",")
    args = [f"<mrow>{c.children(e)}</mrow>" for e in el.findall(f"{{{M}}}e")]
    inner = f"<mo>{escape(separator)}</mo>".join(args)
    opening = f"<mo>{escape(begin)}</mo>" if begin else ""
    closing = f"<mo>{escape(end)}</mo>" if end else ""
    return f"<mrow>{opening}{inner}{closing}</mrow>"


def _nary(c: Conversion, el) -> str:
    symbol = f"<mo>{escape(_prop(el, 'm:naryPr/m:chr', '∫'))}</mo>"
    sub, sup = el.find(f"{{{M}}}sub"), el.find(f"{{{M}}}sup")
    has_sub = (
        sub is not None and len(sub) and _prop(el, "m:naryPr/m:subHide", "0") == "0"
    )
    has_sup = (
        sup is not None and len(sup) and _prop(el, "m:naryPr/m:supHide", "0") == "0"
    )
    if has_sub and has_sup:
        symbol = (
            f"<munderover>{symbol}{c.arg(el, 'sub')}{c.arg(el, 'sup')}</munderover>"
        )
    elif has_sub:
        symbol = f"<munder>{symbol}{c.arg(el, 'sub')}</munder>"
    elif has_sup:
        symbol = f"<mover>{symbol}{c.arg(el, 'sup')}</mover>"
    return f"<mrow>{symbol}{c.arg(el, 'e')}</mrow>"


def _func(c: Conversion, el) -> str:
    return f"<mrow>{c.arg(el, 'fName')}<mo>\u2061</mo>{c.arg(el, 'e')}</mrow>"


def _acc(c: Conversion, el) -> str:
    accent = escape(_prop(el, "m:accPr/m:chr", "\u0302"))
    return f"<mover>{c.arg(el, 'e')}<mo>{accent}</mo></mover>"


def _bar(c: Conversion, el) -> str:
    if _prop(el, "m:barPr/m:pos", "top") == "bot":
        return f"<munder>{c.arg(el, 'e')}<mo>_</mo></munder>"
    return f"<mover>{c.arg(el, 'e')}<mo>¯</mo></mover>"


def _group(c: Conversion, el) -> str:
    char = escape(_prop(el, "m:groupChrPr/m:chr", "\u23df"))
    if _prop(el, "m:groupChrPr/m:pos", "bot") == "top":
        return f"<mover>{c.arg(el, 'e')}<mo>{char}</mo></mover>"
    return f"<munder>{c.arg(el, 'e')}<mo>{char}</mo></munder>"


def _lim_low(c: Conversion, el) -> str:
    return f"<munder>{c.arg(el, 'e')}{c.arg(el, 'lim')}</munder>"


def _lim_upp(c: Conversion, el) -> str:
    return f"<mover>{c.arg(el, 'e')}{c.arg(el, 'lim')}</mover>"


def _matrix(c: Conversion, el) -> str:
    rows = "".join(
        "<mtr>"
        + "".join(f"<mtd>{c.children(e)}</mtd>" for e in row.findall(f"{{{M}}}e"))
        + "</mtr>"
        for row in el.findall(f"{{{M}}}mr")
    )
    return f"<mtable>{rows}</mtable>"


def _eq_array(c: Conversion, el) -> str:
    rows = "".join(
        f"<mtr><mtd>{c.children(e)}</mtd></mtr>" for e in el.findall(f"{{{M}}}e")
    )
    return f"<mtable>{rows}</mtable>"


def _row(c: Conversion, el) -> str:
    return f"<mrow>{c.children(el)}</mrow>"


def _run(c: Conversion, el) -> str:
    return c.run_text(el)


_HANDLERS = {
    "r": _run,
    "f": _frac,
    "sSup": _sup,
    "sSub": _sub,
    "sSubSup": _subsup,
    "sPre": _pre,
    "rad": _rad,
    "d": _delim,
    "nary": _nary,
    "func": _func,
    "acc": _acc,
    "bar": _bar,
    "groupChr": _group,
    "limLow": _lim_low,
    "limUpp": _lim_upp,
    "m": _matrix,
    "eqArr": _eq_array,
    "e": _row,
    "box": _row,
    "borderBox": _row,
    "phant": _row,
    "oMath": _row,
    "argPr": lambda c, el: "",
}


def omml_to_mathml(
    omath: etree._Element, display: bool = False
) -> tuple[str, str, set]:
    """Return (MathML, plain text, names of unconverted OMML elements) of an equation."""
    conversion = Conversion()
    mathml = conversion.convert(omath, display)
    return mathml, "".join(conversion.text), conversion.unknown
