"""Fixtures of the QTI tests."""

import pytest

from qti import Item
from tests.qti.factories import make_items


@pytest.fixture
def items() -> dict[str, Item]:
    """One rich item per question type."""
    return make_items()
