"""QTI ``assessmentTest``: one test part, one section, the items in order."""

from __future__ import annotations

import copy
from collections.abc import Iterable

from lxml import etree

from qti.conventions import SCORE
from qti.dialect import indent, names, normalize
from qti.errors import QtiError
from qti.ns import QTI_NS, SCHEMA_LOCATION, XSI_SCHEMA_LOCATION


def build_test(
    identifier: str,
    title: str,
    refs: Iterable[tuple[str, str]],
    version: str = "2.1",
) -> etree._Element:
    """Return an ``assessmentTest`` whose one section lists ``refs`` (identifier, href)."""
    n = names(version)
    root = n.root("assessmentTest", identifier=identifier, title=title)
    score = n.sub(
        root,
        "outcomeDeclaration",
        identifier=SCORE,
        cardinality="single",
        baseType="float",
    )
    n.sub(n.sub(score, "defaultValue"), "value", "0")
    part = n.sub(
        root,
        "testPart",
        identifier="PART-1",
        navigationMode="nonlinear",
        submissionMode="individual",
    )
    section = n.sub(
        part, "assessmentSection", identifier="SECTION-1", title=title, visible="true"
    )
    for item_identifier, href in refs:
        n.sub(section, "assessmentItemRef", identifier=item_identifier, href=href)
    total = n.sub(n.sub(root, "outcomeProcessing"), "setOutcomeValue", identifier=SCORE)
    n.sub(n.sub(total, "sum"), "testVariables", variableIdentifier=SCORE)
    indent(root, frozenset())
    root.set(XSI_SCHEMA_LOCATION, f"{QTI_NS[version]} {SCHEMA_LOCATION[version]}")
    return root


def item_refs(root: etree._Element) -> list[str]:
    """Return the item hrefs of a parsed ``assessmentTest``, in order."""
    test = copy.deepcopy(root)
    normalize(test)
    if test.tag != "assessmentTest":
        raise QtiError(f"Tệp không phải bài kiểm tra QTI mà là '{test.tag}'.", "xml")
    return [
        ref.get("href") for ref in test.iter("assessmentItemRef") if ref.get("href")
    ]
