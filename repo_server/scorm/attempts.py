"""Learners' attempts at SCOs: open (or resume), commit CMI data, report results."""

import logging

from flask_babel import gettext as _
from sqlalchemy import select

from repo_server.errors import Forbidden, NotFound
from repo_server.extensions import db
from repo_server.lifecycle import service as lifecycle
from repo_server.scorm import cmi as cmidata
from repo_server.scorm.models import ScormAttempt, ScormPackage
from repo_server.scorm.service import get_package
from repo_server.timeutil import utcnow
from scorm import TocItem, walk

logger = logging.getLogger(__name__)


def edition(package: ScormPackage) -> str:
    """Return "1.2" or "2004": the runtime API the package talks to."""
    return package.version.split()[0]


def launchable(package: ScormPackage, identifier: str) -> TocItem:
    """Return the organisation item ``identifier`` with a launch page, or NotFound."""
    toc = tuple(TocItem.from_dict(item) for item in package.toc)
    for item in walk(toc):
        if item.identifier == identifier and item.href:
            return item
    raise NotFound(_("Bài giảng không có mục “%(id)s” để mở.", id=identifier))


def open_attempt(user, material_id: int, sco: str) -> ScormAttempt:
    """Return the attempt ``user`` continues at ``sco``, or a new one."""
    package = get_package(user, material_id)
    launchable(package, sco)
    latest = db.session.scalar(
        select(ScormAttempt)
        .where(
            ScormAttempt.package_id == package.id,
            ScormAttempt.user_id == user.id,
            ScormAttempt.sco == sco,
        )
        .order_by(ScormAttempt.number.desc())
        .limit(1)
    )
    if latest is not None and not _is_over(latest):
        return latest
    attempt = ScormAttempt(
        package=package,
        user_id=user.id,
        sco=sco,
        number=1 if latest is None else latest.number + 1,
        cmi={},
        warnings=[],
    )
    db.session.add(attempt)
    db.session.commit()
    logger.info("SCORM attempt %s opened by %s", attempt.id, user.email)
    return attempt


def _is_over(attempt: ScormAttempt) -> bool:
    """A finished attempt that did not suspend is over: the next launch starts anew."""
    return attempt.finished and _exit(attempt) != "suspend"


def _exit(attempt: ScormAttempt) -> str:
    data = attempt.cmi or {}
    if edition(attempt.package) == "1.2":
        return str((data.get("core") or {}).get("exit", ""))
    return str(data.get("exit", ""))


def entry(attempt: ScormAttempt) -> str:
    """Return cmi entry for the next launch: "resume" after a suspend, else new."""
    if not attempt.cmi:
        return "ab-initio"
    return "resume" if _exit(attempt) == "suspend" else ""


def own_attempt(user, attempt_id: int) -> ScormAttempt:
    """Return an attempt of ``user`` (others' attempts are not found)."""
    attempt = db.session.get(ScormAttempt, attempt_id)
    if attempt is None or attempt.user_id != user.id:
        raise NotFound(_("Không tìm thấy lượt học #%(id)s.", id=attempt_id))
    return attempt


def commit_attempt(user, attempt_id: int, data: dict) -> ScormAttempt:
    """Keep the CMI tree the runtime committed, and its report fields."""
    attempt = own_attempt(user, attempt_id)
    tree = data["cmi"]
    kind = edition(attempt.package)
    fields = cmidata.summary(kind, tree)
    fields.pop("exit")
    for key, value in fields.items():
        setattr(attempt, key, value)
    found = cmidata.warnings(kind, attempt.suspend_data)
    attempt.warnings = list(dict.fromkeys([*(attempt.warnings or []), *found]))
    attempt.cmi = tree
    attempt.finished = bool(data.get("finished"))
    attempt.updated_at = utcnow()
    db.session.commit()
    return attempt


def my_attempts(user, material_id: int) -> list[ScormAttempt]:
    """Return the attempts of ``user`` at a lecture, newest first."""
    package = get_package(user, material_id)
    return list(
        db.session.scalars(
            select(ScormAttempt)
            .where(
                ScormAttempt.package_id == package.id,
                ScormAttempt.user_id == user.id,
            )
            .order_by(ScormAttempt.updated_at.desc(), ScormAttempt.id.desc())
        )
    )


def results(user, material_id: int) -> tuple[ScormPackage, list[ScormAttempt]]:
    """Return a lecture's package and every learner's attempts (for its teachers)."""
    package = get_package(user, material_id)
    material = package.material
    if user.id not in (material.author_id, material.created_by_id):
        if not lifecycle.is_reviewer(user, material):
            raise Forbidden(_("Chỉ tác giả bài giảng và chuyên viên xem kết quả học."))
    rows = db.session.scalars(
        select(ScormAttempt)
        .where(ScormAttempt.package_id == package.id)
        .order_by(ScormAttempt.user_id, ScormAttempt.sco, ScormAttempt.number)
    )
    return package, list(rows)
