"""Pages of the session: log in and out, the language switch, personal API tokens."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from repo_server.accounts import service as accounts
from repo_server.accounts.schemas import LoginIn, TokenIn
from repo_server.auth import login_session, logout_session
from repo_server.web.blueprint import bp, safe_next
from repo_server.web.forms import FormErrors, pick

#: A year: the language cookie outlives sessions.
LANG_COOKIE_AGE = 365 * 24 * 3600


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The login form; a correct post starts a session and goes where the user wanted."""
    if g.get("user") is not None and request.method == "GET":
        return redirect(url_for("web.dashboard"))
    with (errors := FormErrors()):
        if request.method == "POST":
            data = LoginIn().load(pick(request.form, "email", "password"))
            login_session(
                accounts.authenticate(
                    data["email"], data["password"], request.remote_addr
                )
            )
            return redirect(safe_next(request.args.get("next")))
    email = request.form.get("email", "")
    return render_template("login.html", errors=errors, email=email)


@bp.post("/logout")
def logout():
    """End the session."""
    logout_session()
    flash(_("Bạn đã đăng xuất."), "success")
    return redirect(url_for("web.login"))


@bp.post("/language")
def set_language():
    """Switch the interface language: a cookie, and the user's setting when logged in."""
    locale = request.form.get("lang") if request.form.get("lang") == "en" else "vi"
    if g.get("user") is not None:
        accounts.set_locale(g.user, locale)
    response = redirect(safe_next(request.form.get("next")))
    response.set_cookie(
        "lang", locale, max_age=LANG_COOKIE_AGE, samesite="Lax", httponly=True
    )
    return response


@bp.get("/account/tokens")
def tokens():
    """The user's personal API tokens."""
    user = accounts.current_user()
    return render_template("account/tokens.html", tokens=accounts.list_tokens(user))


@bp.post("/account/tokens")
def create_token():
    """Create a token and show its secret this once."""
    user = accounts.current_user()
    secret, name = None, request.form.get("name", "")
    with (errors := FormErrors()):
        _token, secret = accounts.create_token(
            user, TokenIn().load({"name": name})["name"]
        )
        name = ""
    return render_template(
        "account/tokens.html",
        tokens=accounts.list_tokens(user),
        secret=secret,
        errors=errors,
        name=name,
    ), errors.status


@bp.post("/account/tokens/<int:token_id>/revoke")
def revoke_token(token_id):
    """Revoke one of the user's tokens."""
    accounts.revoke_token(accounts.current_user(), token_id)
    flash(_("Đã thu hồi mã truy cập."), "success")
    return redirect(url_for("web.tokens"))
