"""Format-neutral question model, scoring and (later) QTI reading and writing."""

from qti.errors import QtiError
from qti.items import (
    QUESTION_TYPES,
    Choice,
    Item,
    Media,
    NumericAnswer,
    Statement,
)
from qti.scoring import Score, score

__all__ = [
    "QUESTION_TYPES",
    "Choice",
    "Item",
    "Media",
    "NumericAnswer",
    "QtiError",
    "Score",
    "Statement",
    "score",
]
