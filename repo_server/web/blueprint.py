"""The web blueprint: login gate, template globals and filters shared by every page."""

from datetime import UTC, datetime, timedelta, timezone

from flask import Blueprint, current_app, g, redirect, request, url_for
from flask_babel import get_locale
from markupsafe import Markup

from qti.text import clean_html
from repo_server.web import labels

bp = Blueprint("web", __name__)

#: Pages anonymous visitors may open; every other page sends them to the login form.
PUBLIC_ENDPOINTS = {"web.login", "web.set_language"}
#: Vietnam keeps UTC+7 all year (no daylight saving), so no tz database is needed.
VIETNAM = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")
#: Tags after which a newline needs no <br>: the text is already laid out as HTML.
BLOCK_TAGS = ("<p", "<div", "<br", "<table", "<ul", "<ol", "<pre")


@bp.before_request
def require_login():
    """Send anonymous visitors to the login form, remembering where they wanted to go."""
    if g.get("user") is None and request.endpoint not in PUBLIC_ENDPOINTS:
        return redirect(url_for("web.login", next=safe_next(request.full_path)))
    return None


def safe_next(target: str | None, default: str = "web.dashboard") -> str:
    """Return ``target`` if it is a path on this site, else the URL of ``default``."""
    target = (target or "").rstrip("?")
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for(default)


@bp.app_context_processor
def layout_context() -> dict:
    """Values every template may use: the user, the language and the labels."""
    return {
        "current_user": g.get("user"),
        "locale": str(get_locale() or "vi"),
        "labels": labels,
        "page_url": page_url,
    }


def page_url(page: int) -> str:
    """The current URL with its query string kept and ``page`` replaced."""
    args = request.args.to_dict(flat=False)
    args["page"] = [str(page)]
    return url_for(request.endpoint, **request.view_args, **args)


@bp.app_template_global()
def has_page(endpoint: str) -> bool:
    """Whether a feature's page is installed (pages link to features that may be off)."""
    return endpoint in current_app.view_functions


@bp.app_template_filter("localtime")
def localtime(value: datetime | None) -> str:
    """Show a naive UTC datetime in Vietnam's time as dd/mm/yyyy HH:MM."""
    if value is None:
        return ""
    return value.replace(tzinfo=UTC).astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")


@bp.app_template_filter("rich")
def rich(text: str | None) -> Markup:
    """Render stored question text: the safe HTML subset, plain newlines as breaks."""
    html = clean_html(text or "")
    if not any(tag in html for tag in BLOCK_TAGS):
        html = html.replace("\n", "<br>\n")
    return Markup(html)  # noqa: S704  (cleaned by nh3 just above)


@bp.app_template_filter("tname")
def tname(row) -> str:
    """The name of a taxonomy entry in the interface language."""
    if row is None:
        return ""
    if str(get_locale()) == "en" and row.name_en:
        return row.name_en
    return row.name_vi
