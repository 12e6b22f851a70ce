"""The home page of each role and the review queue of curators."""

from flask import render_template

from repo_server.accounts.service import current_user, require_role
from repo_server.web.blueprint import bp
from repo_server.web.dashboard import dashboard as dashboard_sections
from repo_server.web.dashboard import review_queue


@bp.get("/")
def dashboard():
    """The home page: what the user should look at first."""
    user = current_user()
    return render_template("dashboard.html", sections=dashboard_sections(user))


@bp.get("/review")
def review():
    """Submitted content waiting for the curator, oldest first."""
    user = current_user()
    require_role(user, "curator", "admin")
    return render_template("review.html", queue=review_queue(user))
