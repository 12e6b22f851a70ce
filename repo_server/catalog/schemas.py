"""Search arguments (query string) and the JSON shape of results."""

from flask_babel import lazy_gettext as _l
from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates,
)
from werkzeug.datastructures import MultiDict

from qti import QUESTION_TYPES
from qti.text import normalize
from repo_server.common import Text
from repo_server.lifecycle.models import STATUSES
from repo_server.materials.models import MATERIAL_KINDS
from search import FACET_KEYS, KINDS, MAX_PER_PAGE, SORTS

#: Query-string names accepted besides the facet keys (as the list endpoints name them).
ALIASES = {"type": "question_type", "org": "organisation"}
#: Facet filters whose values are fixed lists.
CHOICES = {
    "kind": KINDS,
    "status": STATUSES,
    "question_type": QUESTION_TYPES,
    "material_kind": MATERIAL_KINDS,
}


def _values(key: str) -> fields.List:
    """A repeatable filter (``?subject=TOAN&subject=NV``): values are OR-ed."""
    inner = (
        fields.String(validate=validate.OneOf(CHOICES[key]))
        if key in CHOICES
        else Text(max_length=255)
    )
    return fields.List(inner, load_default=list, validate=validate.Length(max=20))


class SearchArgs(Schema):
    """``q``, facet filters, ``facets`` wanted, ``sort``, ``page`` and ``per_page``."""

    class Meta:
        unknown = EXCLUDE

    q = Text(max_length=500, load_default="")
    sort = fields.String(load_default="relevance", validate=validate.OneOf(SORTS))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(
        load_default=None, validate=validate.Range(min=1, max=MAX_PER_PAGE)
    )
    #: Facet keys to count, comma-separated; "none" for no counts; default all.
    facets = fields.String(load_default=None)
    kind = _values("kind")
    subject = _values("subject")
    grade = _values("grade")
    topic = _values("topic")
    cognitive_level = _values("cognitive_level")
    question_type = _values("question_type")
    type = _values("question_type")
    material_kind = _values("material_kind")
    status = _values("status")
    organisation = _values("organisation")
    org = _values("organisation")
    series = _values("series")

    @validates("facets")
    def check_facets(self, value: str | None, **_kwargs) -> None:
        """Only known facet keys can be counted."""
        unknown = set(_facet_keys(value)) - set(FACET_KEYS)
        if unknown:
            raise ValidationError(
                str(_l("Không có nhóm lọc: %(k)s.", k=", ".join(sorted(unknown))))
            )

    @post_load
    def gather(self, data: dict, **_kwargs) -> dict:
        """Merge aliases into facet keys; collect filters; turn ``facets`` into keys."""
        for alias, key in ALIASES.items():
            data[key] = data.get(key, []) + data.pop(alias, [])
        data["filters"] = {key: data.pop(key) for key in FACET_KEYS if data.get(key)}
        for key in FACET_KEYS:
            data.pop(key, None)
        data["facets"] = _facet_keys(data["facets"])
        return data


#: One schema for every request: building one copies its 18 fields (~0.4 ms).
_SEARCH_ARGS = SearchArgs()


def _facet_keys(value: str | None) -> tuple[str, ...]:
    """Parse the ``facets`` argument."""
    if value is None:
        return FACET_KEYS
    if value.strip() in ("", "none"):
        return ()
    return tuple(key.strip() for key in value.split(",") if key.strip())


#: Query-string keys read as lists (repeated: ``?subject=TOAN&subject=NV``).
REPEATABLE = frozenset((*FACET_KEYS, *ALIASES))


def load_search_args(args: MultiDict) -> dict:
    """Load a query string, repeated filter keys as lists."""
    data = {
        key: args.getlist(key) if key in REPEATABLE else args.get(key) for key in args
    }
    quick = quick_load(data)
    return quick if quick is not None else _SEARCH_ARGS.load(data)


def quick_load(data: dict) -> dict | None:
    """Return what ``SearchArgs`` loads from valid arguments, without marshmallow;
    None when anything needs the schema (an invalid value: its errors)."""
    # The schema costs ~0.1 ms a search (a query is ~10 ms); any doubt goes to it.
    try:
        loaded = {
            "q": _text(_string(data, "q", ""), 500),
            "sort": _string(data, "sort", "relevance"),
            "page": _number(_string(data, "page", "1"), 1, None),
            "per_page": _number(_string(data, "per_page", None), 1, MAX_PER_PAGE),
            "facets": _facet_keys(_string(data, "facets", None)),
        }
        filters = {key: _filter(key, data) for key in FACET_KEYS}
    except ValueError:
        return None
    if loaded["sort"] not in SORTS or set(loaded["facets"]) - set(FACET_KEYS):
        return None
    loaded["filters"] = {key: values for key, values in filters.items() if values}
    return loaded


def _string(data: dict, key: str, default: str | None) -> str | None:
    """Return the string given for ``key``, or ``default`` when absent; anything
    else (None, the CLI's numbers): ValueError."""
    if key not in data:
        return default
    if not isinstance(data[key], str):
        raise ValueError(key)
    return data[key]


def _text(value: str, max_length: int) -> str:
    """As ``common.Text``: NFC, tone placement, trimmed; too long: ValueError."""
    text = normalize(value).strip()
    if len(text) > max_length:
        raise ValueError(value)
    return text


def _number(value: str | None, low: int, high: int | None) -> int | None:
    """Plain ASCII digits within [low, high]; else ValueError (None stays None)."""
    if value is None:  # absent
        return None
    if not (value.isascii() and value.isdigit()):
        raise ValueError(value)
    number = int(value)
    if number < low or (high is not None and number > high):
        raise ValueError(value)
    return number


def _filter(key: str, data: dict) -> list[str]:
    """One facet filter's values, its alias's appended, checked as ``_values``."""
    alias = next((name for name, target in ALIASES.items() if target == key), None)
    values = []
    for name in (key, alias) if alias else (key,):
        given = data.get(name, [])
        if not isinstance(given, list) or len(given) > 20:
            raise ValueError(name)
        if not all(isinstance(value, str) for value in given):
            raise ValueError(name)  # the schema's message
        if key in CHOICES and not set(given) <= set(CHOICES[key]):
            raise ValueError(name)
        values += given if key in CHOICES else [_text(v, 255) for v in given]
    return values


def dump_hit(hit) -> dict:
    """Return the JSON of one hit (``snippet`` is HTML: escaped text and ``<mark>``)."""
    return {
        "kind": hit.kind,
        "id": hit.id,
        "title": hit.title,
        "snippet": hit.snippet,
        "score": hit.score,
        "url": f"/api/v1/{hit.kind}s/{hit.id}",
    }


def dump_results(results) -> dict:
    """Return the JSON of a page of results with facet counts and labels."""
    # As the listings: past the count limit the total is the limit, marked inexact.
    total = results.total if results.total_exact else results.total - 1  # the limit
    return {
        "query": results.text,
        "items": [dump_hit(hit) for hit in results.hits],
        "total": total,
        "total_exact": results.total_exact,
        "page": results.page,
        "per_page": results.per_page,
        "pages": (total + results.per_page - 1) // results.per_page,
        "sort": results.sort,
        "filters": results.filters,
        "facets": {
            key: [
                {"value": v.value, "label": v.label, "count": v.count} for v in values
            ]
            for key, values in results.facets.items()
        },
    }
