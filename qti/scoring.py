"""Score a learner's response against an item, as the item's response processing says."""

from __future__ import annotations

import math
from dataclasses import dataclass

from qti.errors import QtiError
from qti.items import Item

#: The 2025 exam format's true/false cluster: share of the points by statements right.
CLUSTER_CREDIT = {0: 0.0, 1: 0.1, 2: 0.25, 3: 0.5, 4: 1.0}


@dataclass(frozen=True)
class Score:
    """Points earned out of the points possible."""

    points: float
    max_points: float

    @property
    def correct(self) -> bool:
        """True when the response earned every point."""
        return self.max_points > 0 and math.isclose(self.points, self.max_points)


def score(item: Item, response, max_points: float = 1.0) -> Score:
    """Return the score of ``response`` (None when unanswered) for ``item``."""
    if response is None or response == "" or response == []:
        return Score(0.0, max_points)
    fraction = _SCORERS[item.type](item, response)
    return Score(round(fraction * max_points, 6), max_points)


def _score_single(item: Item, response) -> float:
    if not isinstance(response, str):
        raise QtiError("Câu trả lời phải là mã một phương án.", "response")
    return 1.0 if response == item.correct[0] else 0.0


def _score_multiple(item: Item, response) -> float:
    if not isinstance(response, list | tuple) or not all(
        isinstance(r, str) for r in response
    ):
        raise QtiError("Câu trả lời phải là danh sách mã phương án.", "response")
    return 1.0 if set(response) == set(item.correct) else 0.0


def _score_cluster(item: Item, response) -> float:
    if not isinstance(response, dict):
        raise QtiError("Câu trả lời phải ghi Đúng/Sai cho từng mệnh đề.", "response")
    right = sum(1 for s in item.statements if response.get(s.id) is s.correct)
    return CLUSTER_CREDIT[right]


def _score_numeric(item: Item, response) -> float:
    value = parse_number(response)
    if value is None:
        return 0.0
    key = item.numeric
    return 1.0 if abs(value - key.value) <= key.tolerance + 1e-9 else 0.0


def parse_number(response) -> float | None:
    """Read a learner's number, accepting the Vietnamese decimal comma ("2,5")."""
    if isinstance(response, bool):
        return None
    if isinstance(response, int | float):
        return float(response)
    if not isinstance(response, str):
        return None
    text = response.strip().replace(" ", "").replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


_SCORERS = {
    "single_choice": _score_single,
    "multiple_response": _score_multiple,
    "true_false": _score_single,
    "true_false_cluster": _score_cluster,
    "numeric": _score_numeric,
}
