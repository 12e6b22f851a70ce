"""Pages of the web shell; they call the same services as the API."""

from flask import Blueprint, redirect, render_template, url_for

bp = Blueprint("web", __name__)


@bp.get("/")
def index():
    """The home page."""
    return redirect(url_for("web.login"))


@bp.get("/login")
def login():
    """The login form."""
    return render_template("login.html")
