"""Index settings, documents and query DSL shared by Elasticsearch 7.10+ and OpenSearch."""

from __future__ import annotations

import unicodedata

from search import FACET_KEYS, Document, Hit, Page, Query, Visibility
from search.snippets import SIZE, lead
from search.terms import Terms
from search.vietnamese import tone_mappings

FACET_SIZE = 100
#: Searchable fields with their boosts; each has a ``.folded`` sub-field.
FIELDS = ("title^3", "body", "taxonomy_text")
#: The answer text, searched only for readers who may see answer keys.
ANSWER_FIELDS = (*FIELDS, "answer_text^0.3")
#: Catch-all fields every word must match: without and with the answer text.
ALL_FOLDED, ALL_FOLDED_ANSWERS = "all_folded", "all_folded_answers"
#: Exact-form clauses weigh this much more than folded ones: a query typed with marks
#: means that word ("hòa"), so an exact match in a body beats "hóa" in a title.
EXACT_BOOST = 10.0
#: Weight of the type-ahead clause (the last word as a prefix).
PREFIX_BOOST = 0.5
NEWEST = [{"created_at": "desc"}, {"doc_id": "desc"}, {"kind": "asc"}]


def _text_field(copy_to: tuple[str, ...] = (ALL_FOLDED, ALL_FOLDED_ANSWERS)) -> dict:
    """Return a text field: exact analysis, a folded sub-field, copied to catch-alls."""
    return {
        "type": "text",
        "analyzer": "vi_exact",
        "fields": {"folded": {"type": "text", "analyzer": "vi_folded"}},
        "copy_to": list(copy_to),
    }


def _analysis() -> dict:
    """Return the analyzers: exact keeps marks (tone placement normalised), folded not."""
    return {
        "char_filter": {"vi_tone": {"type": "mapping", "mappings": tone_mappings()}},
        "analyzer": {
            "vi_exact": {
                "type": "custom",
                "tokenizer": "standard",
                "char_filter": ["vi_tone"],
                "filter": ["lowercase"],
            },
            # asciifolding also turns đ into d (checked on ES 7.10 and OpenSearch 2.19).
            "vi_folded": {
                "type": "custom",
                "tokenizer": "standard",
                "filter": ["lowercase", "asciifolding"],
            },
        },
    }


def index_body() -> dict:
    """Return the settings and mappings of a new physical index."""
    keyword = {"type": "keyword"}
    properties = {
        "kind": keyword,
        "doc_id": {"type": "long"},
        "title": _text_field(),
        "body": _text_field(),
        "taxonomy_text": _text_field(),
        "answer_text": _text_field((ALL_FOLDED_ANSWERS,)),
        ALL_FOLDED: {"type": "text", "analyzer": "vi_folded"},
        ALL_FOLDED_ANSWERS: {"type": "text", "analyzer": "vi_folded"},
        "status": keyword,
        "author_id": {"type": "long"},
        "writer_id": {"type": "long"},
        "subject": keyword,
        "created_at": {"type": "date"},
        "updated_at": {"type": "date"},
        # Terms aggregations run on global ordinals: built at refresh, not by the
        # first search after each refresh.
        "facets": {
            "properties": {
                key: {**keyword, "eager_global_ordinals": True} for key in FACET_KEYS
            }
        },
    }
    settings = {
        "number_of_shards": 1,
        "auto_expand_replicas": "0-1",
        "analysis": _analysis(),
    }
    return {
        "settings": settings,
        "mappings": {"dynamic": "strict", "properties": properties},
    }


def source(doc: Document) -> dict:
    """Return the stored form of a document (text in NFC, empty dates as null)."""

    def nfc(text: str) -> str:
        return unicodedata.normalize("NFC", text)

    return {
        "kind": doc.kind,
        "doc_id": doc.id,
        "title": nfc(doc.title),
        "body": nfc(doc.body),
        "taxonomy_text": nfc(doc.taxonomy_text),
        "answer_text": nfc(doc.answer_text),
        "status": doc.status,
        "author_id": doc.author_id,
        "writer_id": doc.writer_id,
        "subject": doc.subject,
        "created_at": doc.created_at or None,
        "updated_at": doc.updated_at or None,
        "facets": doc.facet_values(),
    }


def visibility_filter(visibility: Visibility) -> list[dict]:
    """Return the filter clauses for what the reader may see."""
    if visibility.all:
        return []
    should: list[dict] = []
    if visibility.statuses_all:
        should.append({"terms": {"status": list(visibility.statuses_all)}})
    if visibility.own_author_id is not None:
        should.append({"term": {"author_id": visibility.own_author_id}})
        should.append({"term": {"writer_id": visibility.own_author_id}})
    if visibility.curated_subjects and visibility.curated_statuses:
        curated = [
            {"terms": {"subject": list(visibility.curated_subjects)}},
            {"terms": {"status": list(visibility.curated_statuses)}},
        ]
        should.append({"bool": {"filter": curated}})
    if not should:
        return [{"match_none": {}}]
    return [{"bool": {"should": should, "minimum_should_match": 1}}]


def filters(query: Query) -> list[dict]:
    """Return visibility and facet filters (AND across keys, OR within)."""
    clauses = visibility_filter(query.visibility)
    for key, values in sorted(query.filters.items()):
        if values:
            clauses.append({"terms": {f"facets.{key}": list(values)}})
    return clauses


def _fields(suffix: str, fields: tuple[str, ...] = FIELDS) -> list[str]:
    """Return the searchable fields, optionally the ``.folded`` sub-fields."""
    return [f.replace("^", f"{suffix}^") if "^" in f else f + suffix for f in fields]


def _multi_match(text: str, kind: str, fields: list[str], boost: float) -> dict:
    """Return a multi_match over some searchable fields."""
    return {
        "multi_match": {"query": text, "type": kind, "fields": fields, "boost": boost}
    }


def _scoring(
    terms: Terms,
    suffix: str,
    boost: float,
    prefix: bool = False,
    fields: tuple[str, ...] = FIELDS,
) -> list[dict]:
    """Return optional clauses scoring words (the last as a prefix if asked), phrases."""
    # Prefix queries score a constant, so ranking rests on whole words (idf); the
    # prefix clause only adds a little for a word still being typed.
    names = _fields(suffix, fields)
    clauses = [_multi_match(" ".join(p), "phrase", names, boost) for p in terms.phrases]
    if terms.words:
        kind = "bool_prefix" if prefix and terms.prefix else "best_fields"
        clauses.append(_multi_match(terms.text(), kind, names, boost))
    return clauses


def _required(terms: Terms, field: str) -> list[dict]:
    """Return clauses every hit must match: all words (last as prefix), each phrase."""
    must = []
    if terms.words:
        kind = "match_bool_prefix" if terms.prefix else "match"
        must.append({kind: {field: {"query": terms.text(), "operator": "and"}}})
    for phrase in terms.phrases:
        must.append({"match_phrase": {field: " ".join(phrase)}})
    return must


def _highlight(terms: Terms) -> dict:
    """Return the highlight request: folded sub-fields, so marks land on the original."""
    return {
        "pre_tags": ["<mark>"],
        "post_tags": ["</mark>"],
        "encoder": "html",
        "fields": {
            "body.folded": {"fragment_size": SIZE, "number_of_fragments": 1},
            "title.folded": {"number_of_fragments": 0},
        },
        "highlight_query": {"bool": {"should": _scoring(terms, ".folded", 1, True)}},
    }


def _aggregations(query: Query) -> dict:
    """Return one terms aggregation per requested facet."""
    order = [{"_count": "desc"}, {"_key": "asc"}]
    return {
        key: {"terms": {"field": f"facets.{key}", "size": FACET_SIZE, "order": order}}
        for key in query.facets
    }


def search_body(query: Query, terms: Terms) -> dict:
    """Return the search request body for a query."""
    boolean: dict = {"filter": filters(query)}
    body: dict = {
        "from": query.offset,
        "size": query.per_page,
        # Count one past the cap: Lucene may then skip non-competitive hits.
        "track_total_hits": query.max_hits + 1,
        "_source": ["kind", "doc_id", "title", "body"],
        "sort": NEWEST,
        "query": {"bool": boolean},
    }
    if terms:
        answers = query.visibility.answers
        fields = ANSWER_FIELDS if answers else FIELDS
        boolean["must"] = _required(
            terms, ALL_FOLDED_ANSWERS if answers else ALL_FOLDED
        )
        typed = Terms(terms.words, (), terms.prefix)
        boolean["should"] = [
            *_scoring(terms.marked(), "", EXACT_BOOST, fields=fields),
            *_scoring(terms, ".folded", 1, fields=fields),
            *_scoring(typed, ".folded", PREFIX_BOOST, True, fields=fields),
        ]
        body["highlight"] = _highlight(terms)
        if query.sort == "relevance":
            body["sort"] = ["_score", *NEWEST]
    if query.facets:
        body["aggs"] = _aggregations(query)
    return body


def _hit(raw: dict) -> Hit:
    """Turn one raw hit into a Hit with its snippet."""
    doc, marks = raw["_source"], raw.get("highlight", {})
    fragment = (marks.get("body.folded") or marks.get("title.folded") or [None])[0]
    # Lucene's HTML encoder also escapes "/"; undo that so snippets match SQLite's.
    snippet = (
        fragment.replace("&#x2F;", "/") if fragment is not None else lead(doc["body"])
    )
    return Hit(
        doc["kind"],
        doc["doc_id"],
        float(raw.get("_score") or 0.0),
        doc["title"],
        snippet,
    )


def page(response: dict, query: Query) -> Page:
    """Turn a search response into a Page."""
    aggs = response.get("aggregations", {})
    facets = {
        key: [(b["key"], b["doc_count"]) for b in aggs.get(key, {}).get("buckets", [])]
        for key in query.facets
    }
    hits = [_hit(raw) for raw in response["hits"]["hits"]]
    total = response["hits"]["total"]["value"]
    exact = total <= query.max_hits
    return Page(total=total, hits=hits, facets=facets, total_exact=exact)
