"""Display names of facet values (codes and ids) in the interface language."""

import time

from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

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
#: ``app.extensions`` key of the cached names per language, and how long they are kept
#: (a new organisation or taxonomy entry shows its code until then).
CACHE, CACHE_SECONDS = "catalog_names", 60


def facet_labels(key: str, values: list[str]) -> dict[str, str]:
    """Return value → display name for the values of one facet."""
    names = display_names().get(key, {})
    return {value: names.get(value, value) for value in values}


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
