"""JSON endpoints for login, the current user, API tokens and user administration."""

from flask import g, request
from flask_wtf.csrf import generate_csrf

from repo_server.accounts import service
from repo_server.accounts.schemas import (
    LoginIn,
    TokenIn,
    UserIn,
    UserListArgs,
    dump_token,
    dump_user,
)
from repo_server.api import bp, json_body
from repo_server.auth import login_session, logout_session
from repo_server.common import page_envelope


@bp.post("/session")
def login():
    """Log in with e-mail and password; answers the user and a CSRF token."""
    data = LoginIn().load(json_body())
    user = service.authenticate(data["email"], data["password"], request.remote_addr)
    login_session(user)
    return {"user": dump_user(user), "csrf_token": generate_csrf()}


@bp.get("/session")
def session_state():
    """The CSRF token a browser needs before logging in, and the user if logged in."""
    user = g.get("user")
    return {"user": dump_user(user) if user else None, "csrf_token": generate_csrf()}


@bp.delete("/session")
def logout():
    """Log out of the browser session."""
    logout_session()
    return "", 204


@bp.get("/me")
def me():
    """The logged-in user and a CSRF token for their next writes."""
    return {"user": dump_user(service.current_user()), "csrf_token": generate_csrf()}


@bp.get("/me/tokens")
def list_tokens():
    """The user's personal API tokens."""
    return {
        "items": [dump_token(t) for t in service.list_tokens(service.current_user())]
    }


@bp.post("/me/tokens")
def create_token():
    """Create a personal API token; its secret is shown only in this answer."""
    data = TokenIn().load(json_body())
    token, secret = service.create_token(service.current_user(), data["name"])
    return {**dump_token(token), "token": secret}, 201


@bp.delete("/me/tokens/<int:token_id>")
def revoke_token(token_id):
    """Revoke one of the user's tokens."""
    service.revoke_token(service.current_user(), token_id)
    return "", 204


@bp.get("/users")
def list_users():
    """List users (admins)."""
    args = UserListArgs().load(request.args)
    per_page = min(args["per_page"] or 50, 100)
    rows, total = service.list_users(
        service.current_user(),
        args["page"],
        per_page,
        args.get("role"),
        args.get("org"),
    )
    return page_envelope([dump_user(u) for u in rows], total, args["page"], per_page)


@bp.post("/users")
def create_user():
    """Create a user (admins)."""
    data = UserIn().load(json_body())
    return dump_user(service.create_user(service.current_user(), data)), 201


@bp.get("/users/<int:user_id>")
def get_user(user_id):
    """Read one user (admins)."""
    service.require_role(service.current_user(), "admin")
    return dump_user(service.get_user(user_id))


@bp.patch("/users/<int:user_id>")
def update_user(user_id):
    """Change a user (admins)."""
    data = UserIn(partial=True).load(json_body())
    return dump_user(service.update_user(service.current_user(), user_id, data))
