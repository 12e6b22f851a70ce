"""Per-request identity: session cookie or Bearer token, CSRF, and the UI language."""

from flask import g, has_request_context, request, session
from flask.sessions import SecureCookieSessionInterface

from repo_server.accounts.models import User
from repo_server.accounts.readers import active_reader
from repo_server.accounts.service import active_user, current_user, user_for_token
from repo_server.extensions import csrf

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
#: Endpoints whose service checks the session's user (active, owner) in its own SQL
#: statement: a quiz answer save, sent every few seconds by every student of a test.
#: Their user row is loaded only if something asks for it (``current_user``).
LEAN_ENDPOINTS = frozenset({"api.save_answer"})
#: Read-only endpoints whose services need only the user's id, role, language and
#: curated subjects: ``g.user`` is an ``accounts.readers.Reader`` (one light query).
READER_ENDPOINTS = frozenset({"api.search"})


def load_user() -> None:
    """Set ``g.user`` from a Bearer token or the session; check CSRF for cookies."""
    g.user = None
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        g.user = user_for_token(header[7:].strip())
        return  # scripts with tokens carry no cookies, so CSRF cannot apply
    uid = session.get("uid")
    if request.method not in SAFE_METHODS and _needs_csrf(uid):
        csrf.protect()
    if uid is None:
        return
    if request.endpoint in LEAN_ENDPOINTS:
        g.deferred_uid = uid
        return
    if request.endpoint in READER_ENDPOINTS:
        g.user = active_reader(uid)
        return
    g.user = active_user(uid)


def request_user_id() -> int:
    """The id of the logged-in user without loading the row when it was deferred."""
    uid = g.get("deferred_uid")
    return uid if uid is not None else current_user().id


def _needs_csrf(uid) -> bool:
    """CSRF guards what a cookie session may do, and every form and login post.

    An API write with neither session nor token has no authority to abuse: it is
    answered 401 by the view, which tells a script what is really missing.
    """
    return (
        uid is not None
        or not request.path.startswith("/api/")
        or (request.endpoint == "api.login")
    )


def login_session(user: User) -> None:
    """Start a fresh browser session for ``user`` (new CSRF token, no fixation)."""
    session.clear()
    session["uid"] = user.id
    session.permanent = True


def logout_session() -> None:
    """Forget the browser session."""
    session.clear()


def select_locale() -> str:
    """The user's chosen language, else the ``lang`` cookie, else Vietnamese."""
    user = g.get("user")
    if user is not None and user.locale in ("vi", "en"):
        return user.locale
    if not has_request_context():  # the CLI and background jobs speak Vietnamese
        return "vi"
    chosen = request.cookies.get("lang")
    return chosen if chosen in ("vi", "en") else "vi"


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie sessions, the signing serializer built once per key."""

    # Flask builds it twice a request (open and save), ~20-40 us each, a few
    # percent of a short search; it depends only on the keys and class settings.
    def __init__(self) -> None:
        self._serializers: dict[tuple, object] = {}

    def get_signing_serializer(self, app):
        """Return the serializer of the app's current keys (None without a key)."""
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if keys not in self._serializers:
            if len(self._serializers) > 8:  # keys changed (tests): forget old ones
                self._serializers.clear()
            self._serializers[keys] = super().get_signing_serializer(app)
        return self._serializers[keys]


def init_auth(app) -> None:
    """Install the identity hook, the session interface and the locale selector."""
    app.session_interface = SessionInterface()
    app.before_request(load_user)
