"""What the settings page lists: review levels per organisation, curators' scopes."""

from sqlalchemy import select

from repo_server.accounts.models import User
from repo_server.curation.models import CuratorScope, ReviewSetting
from repo_server.extensions import db


def review_levels() -> dict[int, int]:
    """Organisation id → review levels, for the organisations that set them."""
    return {r.org_id: r.levels for r in db.session.scalars(select(ReviewSetting))}


def curator_scopes() -> list[tuple]:
    """(curator, grades, organisation ids) for every curator."""
    scopes: dict[int, tuple[list, list]] = {}
    for row in db.session.scalars(select(CuratorScope).order_by(CuratorScope.id)):
        grades, orgs = scopes.setdefault(row.user_id, ([], []))
        (grades if row.scope == "grade" else orgs).append(row.value)
    curators = db.session.scalars(
        select(User).where(User.role == "curator").order_by(User.name)
    )
    return [(u, *scopes.get(u.id, ([], []))) for u in curators]
