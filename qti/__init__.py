"""Format-neutral question model, scoring, and QTI 2.1/2.2/3.0 reading and writing."""

from qti.errors import QtiError, UnsupportedItem
from qti.importing import iter_package
from qti.items import (
    QUESTION_TYPES,
    Choice,
    Item,
    Media,
    NumericAnswer,
    Statement,
)
from qti.package import ImportResult, read_item_file, read_package, write_package
from qti.parser import parse_xml
from qti.reader import read_item
from qti.scoring import Score, score
from qti.writer import write_item
from qti.zipsafe import PackageLimits

__all__ = [
    "QUESTION_TYPES",
    "Choice",
    "ImportResult",
    "Item",
    "Media",
    "NumericAnswer",
    "PackageLimits",
    "QtiError",
    "Score",
    "Statement",
    "UnsupportedItem",
    "iter_package",
    "parse_xml",
    "read_item",
    "read_item_file",
    "read_package",
    "score",
    "write_item",
    "write_package",
]
