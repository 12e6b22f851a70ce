"""Login throttling: too many wrong passwords lock an e-mail (and an address) a while.

Failures live in the database, so every worker process sees the same counts, and
only for the window: older rows are deleted as new ones arrive.
"""

import logging
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select

from repo_server.accounts.models import LoginFailure
from repo_server.errors import TooManyRequests
from repo_server.extensions import db
from repo_server.timeutil import utcnow

logger = logging.getLogger(__name__)


def _window() -> timedelta:
    """Return how far back failures count."""
    return timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])


def check_login_allowed(email: str, ip: str) -> None:
    """Raise TooManyRequests while ``email`` or ``ip`` has failed too often."""
    by_email, by_ip = db.session.execute(
        select(
            func.count().filter(LoginFailure.email == email),
            func.count().filter(LoginFailure.ip == ip),
        ).where(
            LoginFailure.at >= utcnow() - _window(),
            or_(LoginFailure.email == email, LoginFailure.ip == ip),
        )
    ).one()  # one statement for both counts: a login rush makes it count
    config = current_app.config
    if by_email >= config["LOGIN_MAX_FAILURES"] or (
        by_ip >= config["LOGIN_MAX_FAILURES_PER_IP"]
    ):
        logger.warning("login throttled for %s from %s", email, ip)
        raise TooManyRequests(
            _(
                "Bạn đã nhập sai mật khẩu quá nhiều lần. "
                "Vui lòng thử lại sau %(n)s phút.",
                n=config["LOGIN_WINDOW_MINUTES"],
            )
        )


def record_login_failure(email: str, ip: str) -> None:
    """Remember one wrong password (committed at once) and forget expired ones."""
    db.session.rollback()  # nothing else of this request may be committed with it
    db.session.execute(
        delete(LoginFailure).where(LoginFailure.at < utcnow() - _window())
    )
    db.session.add(LoginFailure(email=email, ip=ip))
    db.session.commit()


def clear_login_failures(email: str) -> None:
    """Forget an e-mail's failures after a successful login."""
    db.session.execute(delete(LoginFailure).where(LoginFailure.email == email))
