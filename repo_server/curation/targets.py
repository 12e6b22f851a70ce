"""Yearly coverage targets: the plan's defaults (config) and stored overrides."""

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from repo_server.accounts.service import require_role
from repo_server.curation import audit
from repo_server.curation.models import CoverageTarget
from repo_server.errors import Forbidden
from repo_server.extensions import db
from repo_server.timeutil import utcnow


def current_school_year() -> str:
    """The school year in progress: it starts in September."""
    now = utcnow()
    start = now.year if now.month >= 9 else now.year - 1
    return f"{start}-{start + 1}"


def target_for(year: str, subject: str, overrides: dict) -> int:
    """The target share: the subject's, else the year's, else the configured plan."""
    if (year, subject) in overrides:
        return overrides[(year, subject)]
    if (year, "") in overrides:
        return overrides[(year, "")]
    plan = current_app.config["COVERAGE_TARGETS"]
    return int(plan.get(year, plan.get("default", 100)))


def overrides(year: str) -> dict:
    """Targets stored for a school year: (year, subject) → percent."""
    rows = db.session.scalars(
        select(CoverageTarget).where(CoverageTarget.school_year == year)
    )
    return {(r.school_year, r.subject_code): r.percent for r in rows}


def set_target(user, year: str, subject: str, percent: int) -> CoverageTarget:
    """Set a year's target share for a subject ('' every subject): admins, curators."""
    require_role(user, "admin", "curator")
    if user.role == "curator" and subject not in user.subject_codes:
        raise Forbidden(_("Bạn chỉ đặt chỉ tiêu cho môn mình phụ trách."))
    row = db.session.scalar(
        select(CoverageTarget).where(
            CoverageTarget.school_year == year, CoverageTarget.subject_code == subject
        )
    )
    row = row or CoverageTarget(school_year=year, subject_code=subject)
    row.percent = percent
    db.session.add(row)
    audit.record(
        "coverage.target", user, "coverage_target", f"{year}/{subject}", percent=percent
    )
    db.session.commit()
    return row
