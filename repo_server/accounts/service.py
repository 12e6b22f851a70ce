"""Users: creation, login, roles and personal API tokens."""

import hashlib
import logging
import secrets

from flask import current_app, g
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from qti.text import normalize
from repo_server.accounts.models import ROLES, ApiToken, User
from repo_server.accounts.throttle import (
    check_login_allowed,
    clear_login_failures,
    record_login_failure,
)
from repo_server.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from repo_server.extensions import commit_keeping_loaded, db
from repo_server.orgs.models import Organisation
from repo_server.taxonomy.models import Subject
from repo_server.taxonomy.service import resolve
from repo_server.timeutil import utcnow

logger = logging.getLogger(__name__)
MIN_PASSWORD = 8
TOKEN_PREFIX = "khls_"


def current_user() -> User:
    """Return the logged-in user of this request, or raise Unauthorized."""
    user = g.get("user")
    if user is None and g.get("deferred_uid") is not None:
        user = g.user = active_user(g.pop("deferred_uid"))  # a lean endpoint's user
    if user is None:
        raise Unauthorized(_("Vui lòng đăng nhập."))
    return user


def active_user(user_id: int) -> User | None:
    """The user with this id if they exist and are active."""
    user = db.session.get(User, user_id)
    return user if user is not None and user.active else None


def require_role(user: User, *roles: str) -> None:
    """Raise Forbidden unless ``user`` has one of ``roles``."""
    if user.role not in roles:
        raise Forbidden(_("Bạn không có quyền thực hiện thao tác này."))


def create_user(actor: User | None, data: dict) -> User:
    """Create a user (admins only, or the CLI with ``actor=None``)."""
    if actor is not None:
        require_role(actor, "admin")
    email = data["email"].strip().lower()
    if db.session.scalar(select(User.id).where(User.email == email)):
        raise Conflict(
            _("Email %(e)s đã được dùng.", e=email), {"email": [_("Đã tồn tại.")]}
        )
    user = User(email=email, password_hash="")
    _apply_user_fields(user, data)
    set_password(user, data.get("password", ""))
    db.session.add(user)
    db.session.commit()
    logger.info("user %s created (%s)", email, user.role)
    return user


def update_user(actor: User, user_id: int, data: dict) -> User:
    """Change a user's name, role, organisation, class or subjects (admins only)."""
    require_role(actor, "admin")
    user = get_user(user_id)
    if user.id == actor.id and data.get("role", "admin") != "admin":
        raise Conflict(_("Không thể tự bỏ quyền quản trị của chính mình."))
    _apply_user_fields(user, {**_user_fields(user), **data})
    if data.get("password"):
        set_password(user, data.get("password", ""))
    db.session.commit()
    logger.info("user %s updated by %s", user.email, actor.email)
    return user


def _user_fields(user: User) -> dict:
    return {
        "name": user.name,
        "role": user.role,
        "org_id": user.org_id,
        "class_name": user.class_name,
        "grade": user.grade_code,
        "subjects": user.subject_codes,
        "active": user.active,
        "locale": user.locale,
    }


def _apply_user_fields(user: User, data: dict) -> None:
    if data["role"] not in ROLES:
        raise Invalid(_("Vai trò không hợp lệ."), {"role": [_("Không hợp lệ.")]})
    if db.session.get(Organisation, data["org_id"]) is None:
        raise Invalid(_("Đơn vị không tồn tại."), {"org_id": [_("Không tồn tại.")]})
    user.name = normalize(data["name"]).strip()
    user.role = data["role"]
    user.org_id = data["org_id"]
    user.active = data.get("active", True)
    user.locale = data.get("locale") or "vi"
    student = user.role == "student"
    user.class_name = data.get("class_name") if student else None
    user.grade_code = resolve("grade", data.get("grade")) if student else None
    codes = [resolve("subject", s, "subjects") for s in data.get("subjects") or []]
    curator = user.role == "curator"
    user.subjects = [db.session.get(Subject, c) for c in codes] if curator else []


def set_password(user: User, password: str) -> None:
    """Store a salted hash of ``password`` after checking its length."""
    if len(password or "") < MIN_PASSWORD:
        message = _("Mật khẩu cần ít nhất %(n)s ký tự.", n=MIN_PASSWORD)
        raise Invalid(message, {"password": [message]})
    method = current_app.config["PASSWORD_HASH_METHOD"]
    user.password_hash = generate_password_hash(password, method=method)


def authenticate(email: str, password: str, ip: str | None = None) -> User:
    """Return the active user with these credentials, or raise Unauthorized.

    Too many recent failures for the e-mail or the client address ``ip`` raise
    TooManyRequests before the password is even checked.
    """
    email, ip = email.strip().lower(), ip or "unknown"
    check_login_allowed(email, ip)
    user = db.session.scalar(select(User).where(User.email == email))
    if (
        user is None
        or not user.active
        or not check_password_hash(user.password_hash, password)
    ):
        record_login_failure(email, ip)
        raise Unauthorized(_("Email hoặc mật khẩu không đúng."))
    clear_login_failures(email)
    commit_keeping_loaded()  # the user read above is answered at once, not reloaded
    return user


def get_user(user_id: int) -> User:
    """Return a user by id or raise NotFound."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("Không tìm thấy người dùng #%(id)s.", id=user_id))
    return user


def find_user(email: str) -> User:
    """Return a user by e-mail or raise NotFound (for the CLI's --owner)."""
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise NotFound(_("Không tìm thấy người dùng %(e)s.", e=email))
    return user


def first_admin() -> User | None:
    """Return the oldest admin (the CLI acts as them by default)."""
    return db.session.scalar(select(User).where(User.role == "admin").order_by(User.id))


def list_users(actor: User, page: int, per_page: int, role=None, org_id=None):
    """Return a page of users (admins only) and the total."""
    require_role(actor, "admin")
    query = select(User)
    if role:
        query = query.where(User.role == role)
    if org_id:
        query = query.where(User.org_id == org_id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(
        query.order_by(User.id).limit(per_page).offset((page - 1) * per_page)
    )
    return list(rows), total


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token; the secret is returned once, never stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=normalize(name).strip()[:100] or "token",
        token_hash=_hash(secret),
        prefix=secret[:12],
    )
    db.session.add(token)
    db.session.commit()
    logger.info("api token %s created for %s", token.prefix, user.email)
    return token, secret


def list_tokens(user: User) -> list[ApiToken]:
    """Return the user's tokens, newest first."""
    query = (
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    )
    return list(db.session.scalars(query))


def revoke_token(user: User, token_id: int) -> None:
    """Delete one of the user's own tokens."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(_("Không tìm thấy mã truy cập #%(id)s.", id=token_id))
    db.session.delete(token)
    db.session.commit()


def user_for_token(secret: str) -> User:
    """Return the active owner of a Bearer token, or raise Unauthorized."""
    token = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == _hash(secret))
    )
    if token is None or not token.user.active:
        raise Unauthorized(_("Mã truy cập không hợp lệ hoặc đã bị thu hồi."))
    now = utcnow()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        token.last_used_at = now  # written at most once a minute to spare the DB
        db.session.commit()
    return token.user


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def set_locale(user: User, locale: str) -> None:
    """Remember the interface language ``user`` chose (vi or en)."""
    if locale not in ("vi", "en"):
        raise Invalid(_("Ngôn ngữ không hỗ trợ."), {"locale": [_("Không hợp lệ.")]})
    user.locale = locale
    db.session.commit()
    logger.info("user %s chose locale %s", user.email, locale)
