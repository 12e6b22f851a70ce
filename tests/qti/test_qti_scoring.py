"""qti.scoring per question type, including the 2025 cluster's partial credit."""

import pytest

from qti import QtiError, score
from qti.scoring import CLUSTER_CREDIT, parse_number


def test_single_choice(items):
    item = items["single_choice"]
    assert score(item, "A").correct
    assert score(item, "B").points == 0.0
    assert score(item, None).points == 0.0


def test_single_choice_refuses_a_list(items):
    with pytest.raises(QtiError):
        score(items["single_choice"], ["A"])


def test_multiple_response_is_all_or_nothing(items):
    item = items["multiple_response"]
    assert score(item, ["C", "A"]).correct
    assert score(item, ["A"]).points == 0.0
    assert score(item, ["A", "C", "D"]).points == 0.0
    assert score(item, []).points == 0.0


def test_true_false(items):
    assert score(items["true_false"], "true").correct
    assert not score(items["true_false"], "false").correct


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        ({"a": True, "b": False, "c": False, "d": True}, 1.0),
        ({"a": True, "b": False, "c": False, "d": False}, 0.5),
        ({"a": True, "b": False, "c": True, "d": False}, 0.25),
        ({"a": True, "b": True, "c": True, "d": False}, 0.1),
        ({"a": False, "b": True, "c": True, "d": False}, 0.0),
        ({"a": True}, 0.1),
        ({"a": "true", "b": "false", "c": "false", "d": "true"}, 0.0),
    ],
)
def test_cluster_partial_credit(items, response, expected):
    assert score(items["true_false_cluster"], response).points == expected


def test_cluster_credit_table_is_the_2025_exam_rule():
    assert CLUSTER_CREDIT == {0: 0.0, 1: 0.1, 2: 0.25, 3: 0.5, 4: 1.0}


def test_cluster_scales_to_the_question_points(items):
    response = {"a": True, "b": False, "c": False, "d": False}
    assert score(items["true_false_cluster"], response, max_points=2.0).points == 1.0


@pytest.mark.parametrize(
    ("response", "correct"),
    [
        ("3,14", True),
        ("3.144", True),
        ("3.146", False),
        (3.135, True),
        ("pi", False),
        ("", False),
    ],
)
def test_numeric_with_tolerance_and_decimal_comma(items, response, correct):
    assert score(items["numeric"], response).correct is correct


def test_numeric_integer(items):
    assert score(items["numeric_integer"], "3").correct
    assert not score(items["numeric_integer"], "4").correct


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2,5", 2.5),
        (" 1 000 ", 1000.0),
        ("-0,25", -0.25),
        ("inf", None),
        (True, None),
        (7, 7.0),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == value
