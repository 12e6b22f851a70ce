"""Response declarations and response processing written for each question type."""

from __future__ import annotations

from lxml import etree

from qti.conventions import EXPLANATION, FEEDBACK, RESPONSE, SCORE
from qti.items import Item
from qti.scoring import CLUSTER_CREDIT

#: The standard match_correct template of each QTI version.
MATCH_CORRECT = {
    "2.1": "http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct",
    "2.2": "http://www.imsglobal.org/question/qti_v2p2/rptemplates/match_correct",
    "3.0": "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct",
}


def sub(
    parent: etree._Element, tag: str, text: str | None = None, **attributes: str
) -> etree._Element:
    """Append a neutral element ``tag`` with ``attributes`` (and ``text``) to ``parent``."""
    element = etree.SubElement(parent, tag, attributes)
    element.text = text
    return element


def number(value: float) -> str:
    """Return a number in the lexical form QTI expects ("1.0", "0.25", "3")."""
    if isinstance(value, int):
        return str(value)
    return repr(float(value))


def add_declarations(root: etree._Element, item: Item, ids: dict[str, str]) -> None:
    """Append the response and outcome declarations of ``item``."""
    cardinality, base_type, values = _response(item, ids)
    decl = sub(root, "responseDeclaration", identifier=RESPONSE)
    decl.set("cardinality", cardinality)
    decl.set("baseType", base_type)
    correct = sub(decl, "correctResponse")
    for value in values:
        sub(correct, "value", value)
    if item.type == "true_false_cluster":
        entries = sub(decl, "mapping", defaultValue="0", lowerBound="0")
        for value in values:
            sub(entries, "mapEntry", mapKey=value, mappedValue="1")
    score = sub(root, "outcomeDeclaration", identifier=SCORE, cardinality="single")
    score.set("baseType", "float")
    sub(sub(score, "defaultValue"), "value", "0")
    if item.explanation:
        feedback = sub(
            root, "outcomeDeclaration", identifier=FEEDBACK, cardinality="single"
        )
        feedback.set("baseType", "identifier")


def _response(item: Item, ids: dict[str, str]) -> tuple[str, str, list[str]]:
    if item.type == "true_false_cluster":
        pairs = [
            f"{ids[s.id]} {'true' if s.correct else 'false'}" for s in item.statements
        ]
        return "multiple", "directedPair", pairs
    if item.type == "numeric":
        return "single", item.numeric.base_type, [_key(item)]
    cardinality = "multiple" if item.type == "multiple_response" else "single"
    return cardinality, "identifier", [ids[c] for c in item.correct]


def _key(item: Item) -> str:
    value = item.numeric.value
    if item.numeric.base_type == "integer":
        return str(int(value))
    return number(float(value))


def add_processing(root: etree._Element, item: Item, version: str) -> None:
    """Append response processing: the match_correct template, or rules when needed."""
    processing = sub(root, "responseProcessing")
    custom = item.type == "true_false_cluster" or _tolerance(item) > 0
    if not custom and not item.explanation:
        processing.set("template", MATCH_CORRECT[version])
        return
    if item.type == "true_false_cluster":
        _cluster_rules(processing)
    else:
        _match_rules(processing, item)
    if item.explanation:
        rule = sub(processing, "setOutcomeValue", identifier=FEEDBACK)
        sub(rule, "baseValue", EXPLANATION, baseType="identifier")


def _tolerance(item: Item) -> float:
    return item.numeric.tolerance if item.numeric is not None else 0.0


def _match_rules(processing: etree._Element, item: Item) -> None:
    """Write match_correct as rules (``equal`` with the tolerance for numbers)."""
    condition = sub(processing, "responseCondition")
    branch = sub(condition, "responseIf")
    if _tolerance(item) > 0:
        bound = number(_tolerance(item))
        test = sub(
            branch, "equal", toleranceMode="absolute", tolerance=f"{bound} {bound}"
        )
    else:
        test = sub(branch, "match")
    sub(test, "variable", identifier=RESPONSE)
    sub(test, "correct", identifier=RESPONSE)
    _set_score(branch, 1.0)
    _set_score(sub(condition, "responseElse"), 0.0)


def _cluster_rules(processing: etree._Element) -> None:
    """Score a cluster by statements right: 4 → 1, 3 → 0.5, 2 → 0.25, 1 → 0.1, else 0."""
    condition = sub(processing, "responseCondition")
    empty = sub(condition, "responseIf")
    sub(sub(empty, "isNull"), "variable", identifier=RESPONSE)
    _set_score(empty, 0.0)
    for right in sorted((n for n in CLUSTER_CREDIT if n > 0), reverse=True):
        branch = sub(condition, "responseElseIf")
        test = sub(branch, "gte")
        sub(test, "mapResponse", identifier=RESPONSE)
        sub(test, "baseValue", number(float(right)), baseType="float")
        _set_score(branch, CLUSTER_CREDIT[right])
    _set_score(sub(condition, "responseElse"), 0.0)


def _set_score(parent: etree._Element, points: float) -> None:
    rule = sub(parent, "setOutcomeValue", identifier=SCORE)
    sub(rule, "baseValue", number(points), baseType="float")
