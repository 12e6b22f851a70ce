"""In-app notifications, and e-mail after commit when REPO_SMTP_HOST is set."""

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from repo_server.curation.models import Notification
from repo_server.errors import NotFound
from repo_server.extensions import db
from repo_server.timeutil import utcnow

logger = logging.getLogger(__name__)
#: ``Session.info`` key of the e-mails to send once the transaction commits.
PENDING = "curation_mail"


def notify(users, kind: str, compose, link: str = "") -> None:
    """Add a notification for each user (once each) and queue its e-mail.

    ``compose()`` returns the text; it is called in each recipient's language.
    """
    seen = set()
    for user in users:
        if user is None or user.id in seen or not user.active:
            continue
        seen.add(user.id)
        with force_locale(user.locale or "vi"):
            message = str(compose())
        db.session.add(
            Notification(user_id=user.id, kind=kind, message=message, link=link)
        )
        if current_app.config.get("SMTP_HOST"):
            db.session.info.setdefault(PENDING, []).append((user.email, message, link))


@event.listens_for(Session, "after_commit")
def _send_after_commit(session) -> None:
    """Send the e-mails of a committed transaction (never before: it may roll back)."""
    for address, message, link in session.info.pop(PENDING, []):
        send_mail(address, message, link)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session) -> None:
    """A rolled-back transaction sends nothing."""
    session.info.pop(PENDING, None)


def send_mail(address: str, message: str, link: str) -> bool:
    """Send one notification by SMTP; failures are logged, never raised."""
    config = current_app.config
    mail = EmailMessage()
    mail["From"] = config.get("SMTP_FROM") or "kho-hoc-lieu@localhost"
    mail["To"] = address
    mail["Subject"] = "Kho học liệu số: " + message[:80]
    base = (config.get("PUBLIC_URL") or "").rstrip("/")
    mail.set_content(message + ("\n\n" + base + link if link else ""))
    try:
        with smtplib.SMTP(
            config["SMTP_HOST"], int(config.get("SMTP_PORT") or 25), timeout=10
        ) as smtp:
            if config.get("SMTP_STARTTLS"):
                smtp.starttls()
            if config.get("SMTP_USER"):
                smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
            smtp.send_message(mail)
    except (OSError, smtplib.SMTPException) as exc:
        logger.warning("e-mail to %s not sent: %s", address, exc)
        return False
    return True


def list_notifications(user, unread_only: bool = False, limit: int = 50) -> list:
    """Return the user's newest notifications."""
    query = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    query = query.order_by(Notification.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def unread_count(user) -> int:
    """How many notifications the user has not read (capped at 100)."""
    ids = select(Notification.id).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    return len(db.session.scalars(ids.limit(100)).all())


def mark_read(user, notification_id: int | None = None) -> int:
    """Mark one (or every) notification of the user read; return how many changed."""
    query = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        row = db.session.get(Notification, notification_id)
        if row is None or row.user_id != user.id:
            raise NotFound(_("Không tìm thấy thông báo #%(id)s.", id=notification_id))
        query = query.where(Notification.id == notification_id)
    changed = db.session.execute(query.values(read_at=utcnow())).rowcount
    db.session.commit()
    return changed


def dump_notification(row: Notification) -> dict:
    """The JSON of one notification."""
    return {
        "id": row.id,
        "kind": row.kind,
        "message": row.message,
        "link": row.link,
        "created_at": row.created_at.isoformat() + "Z",
        "read": row.read_at is not None,
    }
