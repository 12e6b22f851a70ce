"""Options of the select boxes, read from the taxonomy and organisation services."""

from flask import g

from repo_server.orgs.service import list_organisations
from repo_server.taxonomy.models import CognitiveLevel, Grade, Subject, TextbookSeries
from repo_server.taxonomy.service import list_entries, list_topics
from repo_server.web.blueprint import bp, tname

MODELS = {
    "subjects": Subject,
    "grades": Grade,
    "cognitive_levels": CognitiveLevel,
    "series": TextbookSeries,
}


def taxonomy() -> dict[str, list]:
    """Subjects, grades, cognitive levels and series in display order (once a request)."""
    if "web_taxonomy" not in g:
        g.web_taxonomy = {name: list_entries(model) for name, model in MODELS.items()}
    return g.web_taxonomy


@bp.app_template_global()
def tax_name(kind: str, code: str | None) -> str:
    """The localised name of a taxonomy code (the code itself if unknown)."""
    if not code:
        return ""
    rows = {row.code: row for row in taxonomy()[kind]}
    return tname(rows[code]) if code in rows else code


def topic_options(subject: str | None, grade: str | None) -> list[tuple[str, str, int]]:
    """(code, name, depth) of the topics of a subject × grade, chapters before lessons."""
    codes = {kind: {row.code for row in taxonomy()[kind]} for kind in MODELS}
    if subject not in codes["subjects"] or grade not in codes["grades"]:
        return []
    rows = list_topics(subject, grade, None)
    children: dict = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    ids = {row.id for row in rows}
    roots = [row for row in rows if row.parent_id not in ids]
    return list(_walk(roots, children, 0))


def _walk(rows, children, depth):
    for row in rows:
        series = f" ({row.series_code})" if depth == 0 and row.series_code else ""
        yield row.code, tname(row) + series, depth
        yield from _walk(children.get(row.id, []), children, depth + 1)


def organisation_tree() -> list[tuple[object, int]]:
    """Every organisation with its depth, each parent followed by its children."""
    rows = list_organisations()
    children: dict = {}
    for org in rows:
        children.setdefault(org.parent_id, []).append(org)
    ids = {org.id for org in rows}
    roots = [org for org in rows if org.parent_id not in ids]
    out: list = []
    stack = [(org, 0) for org in reversed(roots)]
    while stack:
        org, depth = stack.pop()
        out.append((org, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(org.id, [])))
    return out
