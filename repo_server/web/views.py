"""Pages of the web shell; they call the same services as the API."""

# The routes live in the views_* modules; importing them here puts them all on ``bp``.

from repo_server.web import (  # noqa: F401  (routes on bp)
    views_admin,
    views_auth,
    views_content,
    views_home,
    views_materials,
    views_questions,
)
from repo_server.web.blueprint import bp

__all__ = ["bp"]
