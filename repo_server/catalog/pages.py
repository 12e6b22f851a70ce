"""The search page: a query box, a facet sidebar with counts, highlighted results."""

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from repo_server.accounts.service import current_user
from repo_server.catalog import service
from repo_server.catalog.labels import KINDS
from repo_server.catalog.schemas import ALIASES, load_search_args
from repo_server.web.blueprint import safe_next

bp = Blueprint("search", __name__)

#: Sidebar headings, in the order the facets are shown.
FACET_TITLES = {
    "kind": _l("Loại nội dung"),
    "subject": _l("Môn học"),
    "grade": _l("Lớp"),
    "topic": _l("Chủ đề, bài học"),
    "series": _l("Bộ sách"),
    "question_type": _l("Loại câu hỏi"),
    "cognitive_level": _l("Mức độ nhận thức"),
    "material_kind": _l("Loại học liệu"),
    "status": _l("Trạng thái"),
    "organisation": _l("Đơn vị"),
}


@bp.before_request
def require_login():
    """Send anonymous visitors to the login form, as the other pages do."""
    if g.get("user") is None:
        return redirect(url_for("web.login", next=safe_next(request.full_path)))
    return None


@bp.get("/search")
def page():
    """Search questions and materials, narrowed by the facets in the sidebar."""
    results = service.search(current_user(), load_search_args(request.args))
    return render_template(
        "search/results.html",
        results=results,
        facets=facet_links(results),
        kinds=KINDS,
    )


def facet_links(results) -> list[tuple[str, list[dict]]]:
    """Return (heading, values) per facet; each value links to its filter toggled."""
    shown = []
    for key in FACET_TITLES:
        values = [
            {
                "label": v.label,
                "count": v.count,
                "selected": v.value in results.filters.get(key, []),
                "url": toggle_url(key, v.value),
            }
            for v in results.facets.get(key, [])
        ]
        if values:
            shown.append((str(FACET_TITLES[key]), values))
    return shown


def toggle_url(key: str, value: str) -> str:
    """Return this page's URL with one filter value added or removed (page 1)."""
    args = request.args.to_dict(flat=False)
    for alias, target in ALIASES.items():
        args.setdefault(target, []).extend(args.pop(alias, []))
    values = args.get(key, [])
    args[key] = (
        [v for v in values if v != value] if value in values else [*values, value]
    )
    args.pop("page", None)
    return url_for("search.page", **{k: v for k, v in args.items() if v})
