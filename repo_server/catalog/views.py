"""JSON endpoint of search: GET /api/v1/search."""

from flask import request

from repo_server.accounts.service import current_user
from repo_server.api import bp
from repo_server.catalog import service
from repo_server.catalog.schemas import dump_results, load_search_args


@bp.get("/search")
def search():
    """Search questions and materials (full text, facet filters and counts)."""
    user = current_user()
    results = service.search(user, load_search_args(request.args))
    return dump_results(results)
