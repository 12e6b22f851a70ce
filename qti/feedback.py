"""Read the explanation of a neutral QTI item from modal feedback and feedback blocks."""

from __future__ import annotations

import copy

from lxml import etree

from qti.conventions import EXPLANATION, FEEDBACK
from qti.interactions import content_html
from qti.markup import inner_html
from qti.ns import child
from qti.text import plain_text

#: Feedback identifiers that name a worked solution rather than right/wrong messages.
_SOLUTION_WORDS = ("solution", "explanation", "loigiai", "giaithich", "huongdan")


def read_explanation(root: etree._Element) -> str:
    """Return the explanation HTML of an item ("" when it has no feedback)."""
    modal = list(root.iterchildren("modalFeedback"))
    body = child(root, "itemBody")
    blocks = list(body.iter("feedbackBlock")) if body is not None else []
    for feedback in modal:
        if (
            feedback.get("outcomeIdentifier") == FEEDBACK
            and feedback.get("identifier") == EXPLANATION
        ):
            return content_html(feedback)
    for feedback in modal + blocks:
        if _is_solution(feedback.get("identifier", "")):
            return content_html(feedback)
    return _join(modal)


def _is_solution(identifier: str) -> bool:
    word = identifier.casefold().replace("-", "").replace("_", "")
    return any(part in word for part in _SOLUTION_WORDS)


def _join(feedbacks: list[etree._Element]) -> str:
    """Return the distinct feedback messages, one ``<div>`` each when several."""
    distinct: dict[str, etree._Element] = {}
    for feedback in feedbacks:
        html = content_html(feedback)
        if (plain_text(html) or "<img" in html) and html not in distinct:
            distinct[html] = feedback
    if len(distinct) <= 1:
        return next(iter(distinct), "")
    holder = etree.Element("div")
    for feedback in distinct.values():
        block = copy.deepcopy(feedback)
        block.tag, block.tail = "div", None
        block.attrib.clear()
        holder.append(block)
    return inner_html(holder)
