"""Read response declarations and response processing of a neutral QTI item tree."""

from __future__ import annotations

import math

from lxml import etree

from qti.errors import QtiError, UnsupportedItem
from qti.ns import child


def declaration(root: etree._Element, identifier: str) -> etree._Element:
    """Return the ``responseDeclaration`` called ``identifier``."""
    for decl in root.iterchildren("responseDeclaration"):
        if decl.get("identifier") == identifier:
            return decl
    raise QtiError(f"Thiếu khai báo câu trả lời '{identifier}'.", "xml")


def correct_values(decl: etree._Element) -> list[str]:
    """Return the values of ``correctResponse`` (stripped, in order)."""
    return [
        (value.text or "").strip()
        for holder in decl.iterchildren("correctResponse")
        for value in holder.iterchildren("value")
        if (value.text or "").strip()
    ]


def mapping(decl: etree._Element) -> list[tuple[str, float]]:
    """Return the ``mapping`` entries as (key, points)."""
    entries = []
    found = (
        e for m in decl.iterchildren("mapping") for e in m.iterchildren("mapEntry")
    )
    for entry in found:
        points = to_float(entry.get("mappedValue"))
        if entry.get("mapKey") is not None and points is not None:
            entries.append((entry.get("mapKey").strip(), points))
    return entries


def keyed_values(decl: etree._Element, single: bool) -> list[str]:
    """Return the correct response, or the best-scored mapping keys when there is none."""
    values = correct_values(decl)
    if values:
        return values
    entries = [(key, points) for key, points in mapping(decl) if points > 0]
    if not entries:
        raise UnsupportedItem("Câu hỏi không khai báo đáp án đúng.", "correct")
    if single:
        return [max(entries, key=lambda entry: entry[1])[0]]
    return [key for key, _ in entries]


def to_float(text: str | None) -> float | None:
    """Return ``text`` as a finite float, or None."""
    try:
        value = float((text or "").strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def numeric_key(root: etree._Element, decl: etree._Element) -> tuple[float, float]:
    """Return (value, absolute tolerance) of a numeric response."""
    values = [to_float(v) for v in correct_values(decl)]
    if values and values[0] is not None:
        value = values[0]
    else:
        best = [(to_float(k), p) for k, p in mapping(decl) if to_float(k) is not None]
        if not best:
            raise UnsupportedItem(
                "Câu trả lời số không có đáp án là một số.", "numeric"
            )
        value = max(best, key=lambda entry: entry[1])[0]
    return value, _tolerance(root, decl, value)


def _tolerance(root, decl, value: float) -> float:
    processing = child(root, "responseProcessing")
    if processing is not None:
        for test in processing.iter("equal", "equalRounded"):
            if not _mentions(test, decl.get("identifier")):
                continue
            tolerance = _test_tolerance(test, value)
            if tolerance is not None:
                return tolerance
    full = [to_float(k) for k, p in mapping(decl) if p > 0 and to_float(k) is not None]
    return max((abs(k - value) for k in full), default=0.0)


def _mentions(test: etree._Element, identifier: str | None) -> bool:
    """Tell whether a test compares the response variable ``identifier``."""
    return any(operand.get("identifier") == identifier for operand in test)


def _test_tolerance(test: etree._Element, value: float) -> float | None:
    """Return the absolute tolerance an ``equal``/``equalRounded`` test allows."""
    if test.tag == "equalRounded":
        figures = int(to_float(test.get("figures")) or 0)
        if test.get("roundingMode", "significantFigures") == "decimalPlaces":
            return 0.5 * 10.0**-figures
        exponent = math.floor(math.log10(abs(value))) if value else 0
        return 0.5 * 10.0 ** (exponent - figures + 1)
    bounds = [to_float(t) for t in (test.get("tolerance") or "").split()]
    bounds = [b for b in bounds if b is not None]
    mode = test.get("toleranceMode", "exact")
    if mode == "exact" or not bounds:
        return 0.0 if mode == "exact" else None
    widest = max(bounds)
    return widest if mode == "absolute" else abs(value) * widest / 100.0


def tolerance_is_fixed(root: etree._Element, decl: etree._Element) -> bool:
    """Tell whether ``numeric_key``'s tolerance is the same for every correct value.

    It is when the test that sets it (the first one ``_tolerance`` takes) is exact,
    absolute, or rounds to decimal places, or when none does and the mapping has no
    numeric keys; not when it is relative or rounds to significant figures.
    """
    processing = child(root, "responseProcessing")
    tests = processing.iter("equal", "equalRounded") if processing is not None else ()
    for test in tests:
        if not _mentions(test, decl.get("identifier")):
            continue
        if test.tag == "equalRounded":
            return test.get("roundingMode", "significantFigures") == "decimalPlaces"
        if _test_tolerance(test, 1.0) is not None:
            return test.get("toleranceMode", "exact") in ("exact", "absolute")
    return not any(p > 0 and to_float(k) is not None for k, p in mapping(decl))
