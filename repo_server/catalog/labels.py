"""Display names of facet values (codes and ids) in the interface language."""

import time

from flask import current_app, has_app_context
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from repo_server.extensions import db
from repo_server.orgs.models import Organisation
from repo_server.taxonomy.models import (
    CognitiveLevel,
    Grade,
    Subject,
    TextbookSeries,
    Topic,
)
from repo_server.web import labels

KINDS = {"question": _l("Câu hỏi"), "material": _l("Học liệu")}
FIXED = {
    "kind": KINDS,
    "status": labels.STATUSES,
    "question_type": labels.QUESTION_TYPES,
    "material_kind": labels.MATERIAL_KINDS,
}
NAMED = {
    "subject": Subject,
    "grade": Grade,
    "cognitive_level": CognitiveLevel,
    "series": TextbookSeries,
    "topic": Topic,
}
#: ``app.extensions`` key of the cached names per language, and how long they are kept:
#: a commit of this process that changes a named row empties the cache at once; a
#: change made by another process (a CLI load, another worker) shows within that time.
CACHE, CACHE_SECONDS = "catalog_names", 60
#: Rows whose change empties the cache, and the session flag that says one changed.
NAMED_MODELS = (*NAMED.values(), Organisation)
CHANGED = "catalog_names_changed"


def display_names() -> dict[str, dict[str, str]]:
    """Map each facet key to {value: name} in the current language, cached briefly."""
    locale = str(get_locale() or "vi")
    cache = current_app.extensions.setdefault(CACHE, {})
    cached = cache.get(locale)
    if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    english = locale == "en"
    names = {key: {v: str(label) for v, label in m.items()} for key, m in FIXED.items()}
    for key, model in NAMED.items():
        rows = db.session.execute(select(model.code, model.name_vi, model.name_en))
        names[key] = {code: (en if english and en else vi) for code, vi, en in rows}
    orgs = db.session.execute(select(Organisation.id, Organisation.name))
    names["organisation"] = {str(org_id): name for org_id, name in orgs}
    cache[locale] = (time.monotonic(), names)
    return names


@event.listens_for(Session, "after_flush")
def _note_named_changes(session, _context) -> None:
    """Remember that this transaction wrote a named row (taxonomy, organisation)."""
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(row, NAMED_MODELS) for row in changed):
        session.info[CHANGED] = True


@event.listens_for(Session, "after_commit")
def _forget_names(session) -> None:
    """Drop the cached names once such a change is committed."""
    if session.info.pop(CHANGED, False) and has_app_context():
        current_app.extensions.pop(CACHE, None)


@event.listens_for(Session, "after_rollback")
def _keep_names(session) -> None:
    """A rolled-back change leaves the names as they were."""
    session.info.pop(CHANGED, None)
