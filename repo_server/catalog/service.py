"""Search use cases: query with the reader's visibility, and rebuild the index."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import NamedTuple

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from repo_server.backends import get_search
from repo_server.catalog import outbox
from repo_server.catalog.documents import MODELS, iter_documents
from repo_server.catalog.labels import display_names
from repo_server.catalog.outbox import flush_outbox, mark_for_index
from repo_server.errors import Invalid, Unavailable
from repo_server.extensions import db
from repo_server.lifecycle.models import ContentEvent
from repo_server.lifecycle.service import REVIEW_STATUSES
from repo_server.orgs.service import find_organisation
from repo_server.questions.service import reveals_key
from repo_server.taxonomy.service import resolve, resolve_topic
from repo_server.timeutil import utcnow
from search import Hit, Query, SearchError, Visibility

#: Besides the use cases, what features call when content changes outside
#: ``lifecycle.content`` (mark_for_index before their commit, flush_outbox after).
__all__ = ["flush_outbox", "mark_for_index", "prepare_index", "reindex", "search"]

logger = logging.getLogger(__name__)
#: Hits beyond this rank are not served (Elasticsearch's default result window).
MAX_RESULTS = 10_000
#: Filters given as codes or names, resolved like the listing filters.
RESOLVED = ("subject", "grade", "cognitive_level", "series")
#: Changes this much older than a rebuild's start are surely in it (longer
#: transactions are re-applied from the outbox or the history anyway).
REBUILD_MARGIN = timedelta(seconds=60)


class FacetValue(NamedTuple):
    """One value of a facet with its display name and number of hits."""

    # A tuple: a page carries ~40 of them, built in a third of a dataclass's time.
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Results:
    """One page of search results as the API and the page show them."""

    text: str
    #: Past ``LIST_COUNT_LIMIT`` matches: that limit + 1 (shown as "10.000+").
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    filters: dict[str, list[str]]
    page: int
    per_page: int
    sort: str
    total_exact: bool = True


def unavailable(exc: SearchError) -> Unavailable:
    """Return the 503 error shown when the engine cannot be reached."""
    logger.warning("search engine unavailable: %s", exc)
    return Unavailable(
        _("Máy tìm kiếm tạm thời không truy cập được; vui lòng thử lại sau ít phút.")
    )


def visibility_for(user) -> Visibility:
    """Who sees what, as ``lifecycle.service.can_view`` says, inside the engine query."""
    answers = reveals_key(user)
    if user.role == "admin":
        return Visibility(all=True, answers=answers)
    if user.role == "student":
        return Visibility()
    curated = tuple(user.subject_codes) if user.role == "curator" else ()
    return Visibility(
        own_author_id=user.id,
        curated_subjects=curated,
        curated_statuses=REVIEW_STATUSES if curated else (),
        answers=answers,
    )


def resolve_filters(filters: dict[str, list[str]]) -> dict[str, list[str]]:
    """Turn names into codes (as the listings accept) and organisation codes into ids."""
    out = {}
    for key, values in filters.items():
        if key in RESOLVED:
            values = [resolve(key, value) for value in values]
        elif key == "topic":
            values = [resolve_topic(value, None, None).code for value in values]
        elif key == "organisation":
            values = [_organisation_id(value) for value in values]
        out[key] = list(dict.fromkeys(values))
    return out


def _organisation_id(value: str) -> str:
    """Return an organisation's id as text, given its id or its code."""
    return value if value.isdigit() else str(find_organisation(value).id)


def build_query(user, args: dict) -> Query:
    """Return the engine query for search arguments and the reader."""
    per_page = args.get("per_page") or current_app.config["PAGE_SIZE"]
    if args["page"] * per_page > MAX_RESULTS:
        message = _("Chỉ xem được %(n)s kết quả đầu tiên.", n=MAX_RESULTS)
        raise Invalid(message, {"page": [message]})
    return Query(
        text=args["q"],
        filters=resolve_filters(args["filters"]),
        facets=tuple(args["facets"]),
        visibility=visibility_for(user),
        sort=args["sort"],
        page=args["page"],
        per_page=per_page,
        max_hits=current_app.config["LIST_COUNT_LIMIT"],
    )


def search(user, args: dict) -> Results:
    """Search the items ``user`` may see; 503 when the engine cannot be reached."""
    query = build_query(user, args)
    try:
        outbox.retry_due()
        page = get_search().search(query)
    except SearchError as exc:
        raise unavailable(exc) from exc
    names = display_names() if page.facets else {}
    facets = {key: _labelled(key, counts, names) for key, counts in page.facets.items()}
    exact = page.total_exact and page.total <= query.max_hits
    return Results(
        query.text,
        page.total if exact else query.max_hits + 1,
        page.hits,
        facets,
        query.filters,
        query.page,
        query.per_page,
        query.sort,
        exact,
    )


def _labelled(key: str, counts: list[tuple[str, int]], names: dict) -> list:
    """Attach display names (``display_names()``; a value without one shows as
    itself) to one facet's counts."""
    named = names.get(key, {})
    return [
        FacetValue(value, named.get(value, value), count) for value, count in counts
    ]


def count_items() -> int:
    """Return the number of question and material versions in the database."""
    return sum(
        db.session.scalar(select(func.count()).select_from(model))
        for model in MODELS.values()
    )


def reindex(progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the index from the database into a fresh one, then swap it in."""
    backend, batch = get_search(), current_app.config["SEARCH_BATCH"]
    started = utcnow() - REBUILD_MARGIN
    done = 0
    try:
        backend.begin_rebuild()
        for kind in MODELS:
            for docs in iter_documents(kind, batch):
                backend.index(docs)
                done += len(docs)
                if progress:
                    progress(len(docs))
        backend.finish_rebuild()
    except SearchError as exc:
        raise unavailable(exc) from exc
    outbox.forget_older(started)
    _replay_changes_since(started)
    logger.info("search index rebuilt with %d documents", done)
    return done


def _replay_changes_since(started) -> None:
    """Re-index what other processes changed during the rebuild (into the old index)."""
    query = select(ContentEvent.content_kind, ContentEvent.content_id).where(
        ContentEvent.at >= started
    )
    for kind, item_id in set(db.session.execute(query)):
        mark_for_index(kind, item_id)
    db.session.commit()
    flush_outbox(force=True)


def prepare_index() -> str:
    """Apply pending changes and fill an empty index (``repo-server init``)."""
    try:
        flushed = flush_outbox(force=True)
        empty = get_search().count() == 0
    except SearchError as exc:
        raise unavailable(exc) from exc
    if flushed.error:
        raise unavailable(SearchError(flushed.error))
    if not empty:
        return _("Chỉ mục tìm kiếm sẵn sàng.")
    total = reindex()
    return _("Đã tạo chỉ mục tìm kiếm: %(n)s mục.", n=total)
