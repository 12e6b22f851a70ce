"""The quick path of the search arguments gives what the schema loads, or defers to it."""

import random

import pytest
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from repo_server.catalog.schemas import _SEARCH_ARGS, load_search_args, quick_load

#: Values each key may take in the random query strings: valid and not.
PIECES = {
    "q": ["", "  toán ", "hoà bình", "thuỷ", "x" * 501, '"ánh sáng" ph', "\u0301a"],
    "sort": ["relevance", "newest", "", "old"],
    "page": ["1", "3", "0", "-1", " 2", "+2", "2.0", "", "٣", "99999"],
    "per_page": ["1", "100", "101", "0", "20", "x"],
    "facets": ["", "none", "kind,subject", " grade , topic ", "bogus", "kind,,"],
    "kind": ["question", "material", "quiz", ""],
    "subject": ["TOAN", " Toán ", "", "y" * 256],
    "type": ["single_choice", "numeric", "essay?"],
    "question_type": ["true_false", "nope"],
    "org": ["1", "sở-gd"],
    "organisation": ["2"],
    "status": ["published", "draft", "gone"],
    "topic": ["Hàm số"],
    "unknown": ["whatever"],
}


def random_args(rng: random.Random) -> MultiDict:
    """A query string of a few random keys, filter keys sometimes repeated."""
    pairs = []
    for key in rng.sample(sorted(PIECES), rng.randint(0, 6)):
        repeat = rng.choice([1, 1, 2, 21]) if key not in ("q", "sort", "page") else 1
        pairs += [(key, rng.choice(PIECES[key])) for _ in range(repeat)]
    return MultiDict(pairs)


def schema_load(data: dict):
    """What the schema loads, or the marker of its refusal."""
    try:
        return _SEARCH_ARGS.load(data)
    except Exception:  # noqa: BLE001 - only whether it refused matters here
        return "refused"


def test_quick_load_equals_the_schema_or_defers(app):
    rng = random.Random(4)
    quick_hits = 0
    with app.test_request_context():
        for _ in range(3000):
            args = random_args(rng)
            repeatable = ("kind", "subject", "type", "question_type", "org")
            repeatable += ("organisation", "status", "topic")
            data = {
                k: args.getlist(k) if k in repeatable else args.get(k) for k in args
            }
            quick = quick_load(data)
            if quick is not None:
                quick_hits += 1
                assert quick == schema_load(data), data
    assert quick_hits > 300


def test_values_of_other_types_go_to_the_schema(app):
    with app.test_request_context():
        for data in ({"page": 2}, {"q": None}, {"subject": "TOAN"}, {"kind": [1]}):
            assert quick_load(data) is None
        assert load_search_args(MultiDict([("page", "2")]))["page"] == 2


def test_invalid_arguments_still_get_the_schema_errors(app):
    with app.test_request_context():
        with pytest.raises(ValidationError) as refused:
            load_search_args(MultiDict([("page", "0"), ("facets", "bogus")]))
    assert set(refused.value.messages) == {"page", "facets"}
