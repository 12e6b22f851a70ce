"""Response declarations and response processing written for each question type."""

from __future__ import annotations

import copy
from collections.abc import Mapping

from lxml import etree

from qti.caching import thread_cache
from qti.conventions import EXPLANATION, FEEDBACK, RESPONSE, SCORE
from qti.dialect import Names, indent
from qti.items import Item
from qti.scoring import CLUSTER_CREDIT

#: The standard match_correct template of each QTI version.
MATCH_CORRECT = {
    "2.1": "http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct",
    "2.2": "http://www.imsglobal.org/question/qti_v2p2/rptemplates/match_correct",
    "3.0": "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct",
}


def number(value: float) -> str:
    """Return a number in the lexical form QTI expects ("1.0", "0.25", "3")."""
    if isinstance(value, int):
        return str(value)
    return repr(float(value))


def add_declarations(
    n: Names, root: etree._Element, item: Item, ids: Mapping[str, str]
) -> None:
    """Append the response and outcome declarations of ``item``."""
    cardinality, base_type, values = response(item, ids)
    decl = n.sub(
        root,
        "responseDeclaration",
        identifier=RESPONSE,
        cardinality=cardinality,
        baseType=base_type,
    )
    correct = n.sub(decl, "correctResponse")
    for value in values:
        n.sub(correct, "value", value)
    if item.type == "true_false_cluster":
        entries = n.sub(decl, "mapping", defaultValue="0", lowerBound="0")
        for value in values:
            n.sub(entries, "mapEntry", mapKey=value, mappedValue="1")
    score = n.sub(
        root,
        "outcomeDeclaration",
        identifier=SCORE,
        cardinality="single",
        baseType="float",
    )
    n.sub(n.sub(score, "defaultValue"), "value", "0")
    if item.explanation:
        n.sub(
            root,
            "outcomeDeclaration",
            identifier=FEEDBACK,
            cardinality="single",
            baseType="identifier",
        )


def response(item: Item, ids: Mapping[str, str]) -> tuple[str, str, list[str]]:
    """Return the cardinality, base type and correct values of ``item``'s response."""
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


def add_processing(n: Names, root: etree._Element, item: Item) -> None:
    """Append response processing: the match_correct template, or rules when needed.

    The processing depends only on the item's shape, so it is built (and indented)
    once per shape and copied: a C-level copy is far cheaper than building it again.
    """
    cluster = item.type == "true_false_cluster"
    shape = (n, cluster, _tolerance(item), bool(item.explanation))
    root.append(copy.deepcopy(_processing(*shape)))


@thread_cache(maxsize=256)
def _processing(
    n: Names, cluster: bool, tolerance: float, feedback: bool
) -> etree._Element:
    processing = n.sub(n.root("assessmentItem"), "responseProcessing")
    if not cluster and not tolerance and not feedback:
        processing.set(n.attribute("template"), MATCH_CORRECT[n.version])
        return processing
    if cluster:
        _cluster_rules(n, processing)
    else:
        _match_rules(n, processing, tolerance)
    if feedback:
        rule = n.sub(processing, "setOutcomeValue", identifier=FEEDBACK)
        n.sub(rule, "baseValue", EXPLANATION, baseType="identifier")
    indent(processing, frozenset(), level=1)
    return processing


def _tolerance(item: Item) -> float:
    return item.numeric.tolerance if item.numeric is not None else 0.0


def _match_rules(n: Names, processing: etree._Element, tolerance: float) -> None:
    """Write match_correct as rules (``equal`` with the tolerance for numbers)."""
    condition = n.sub(processing, "responseCondition")
    branch = n.sub(condition, "responseIf")
    if tolerance > 0:
        bound = number(tolerance)
        test = n.sub(
            branch, "equal", toleranceMode="absolute", tolerance=f"{bound} {bound}"
        )
    else:
        test = n.sub(branch, "match")
    n.sub(test, "variable", identifier=RESPONSE)
    n.sub(test, "correct", identifier=RESPONSE)
    _set_score(n, branch, 1.0)
    _set_score(n, n.sub(condition, "responseElse"), 0.0)


def _cluster_rules(n: Names, processing: etree._Element) -> None:
    """Score a cluster by statements right: 4 → 1, 3 → 0.5, 2 → 0.25, 1 → 0.1, else 0."""
    condition = n.sub(processing, "responseCondition")
    empty = n.sub(condition, "responseIf")
    n.sub(n.sub(empty, "isNull"), "variable", identifier=RESPONSE)
    _set_score(n, empty, 0.0)
    for right in sorted((k for k in CLUSTER_CREDIT if k > 0), reverse=True):
        branch = n.sub(condition, "responseElseIf")
        test = n.sub(branch, "gte")
        n.sub(test, "mapResponse", identifier=RESPONSE)
        n.sub(test, "baseValue", number(float(right)), baseType="float")
        _set_score(n, branch, CLUSTER_CREDIT[right])
    _set_score(n, n.sub(condition, "responseElse"), 0.0)


def _set_score(n: Names, parent: etree._Element, points: float) -> None:
    rule = n.sub(parent, "setOutcomeValue", identifier=SCORE)
    n.sub(rule, "baseValue", number(points), baseType="float")
