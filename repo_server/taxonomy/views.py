"""Read-only JSON endpoints for the curriculum taxonomy (open to every logged-in user)."""

from flask import request

from repo_server.accounts.service import current_user
from repo_server.api import bp
from repo_server.taxonomy import service
from repo_server.taxonomy.models import (
    CognitiveLevel,
    Grade,
    Level,
    Subject,
    TextbookSeries,
)
from repo_server.taxonomy.schemas import (
    dump_grade,
    dump_named,
    dump_subject,
    dump_topic,
)


@bp.get("/taxonomy")
def taxonomy():
    """Levels, grades, subjects, series and cognitive levels in one answer."""
    current_user()
    return {
        "levels": [dump_named(x) for x in service.list_entries(Level)],
        "grades": [dump_grade(x) for x in service.list_entries(Grade)],
        "subjects": [dump_subject(x) for x in service.list_entries(Subject)],
        "series": [dump_named(x) for x in service.list_entries(TextbookSeries)],
        "cognitive_levels": [
            dump_named(x) for x in service.list_entries(CognitiveLevel)
        ],
    }


@bp.get("/taxonomy/subjects/<code>")
def subject(code):
    """One subject with its grades."""
    current_user()
    return dump_subject(service.get_subject(code))


@bp.get("/taxonomy/topics")
def topics():
    """Topics and lessons, filtered by subject, grade and series."""
    current_user()
    args = request.args
    rows = service.list_topics(
        args.get("subject"), args.get("grade"), args.get("series")
    )
    return {"items": [dump_topic(t) for t in rows]}
