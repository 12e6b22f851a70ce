"""QTI ``assessmentTest``: one test part, its sections, the items in order."""

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
    sections: Iterable[tuple[str, int]] | None = None,
) -> etree._Element:
    """Return an ``assessmentTest`` listing ``refs`` (identifier, href) in sections.

    ``sections`` gives (title, number of items) in order; by default one section
    titled like the test holds every item.
    """
    refs = list(refs)
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
    start = 0
    for number, (name, count) in enumerate(sections or [(title, len(refs))], 1):
        section = n.sub(
            part,
            "assessmentSection",
            identifier=f"SECTION-{number}",
            title=name or title,
            visible="true",
        )
        for item_identifier, href in refs[start : start + count]:
            n.sub(section, "assessmentItemRef", identifier=item_identifier, href=href)
        start += count
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
