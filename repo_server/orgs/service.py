"""Organisations: the tree admins keep."""

import logging

from flask_babel import gettext as _
from sqlalchemy import select

from repo_server.accounts.service import require_role
from repo_server.errors import Conflict, Invalid, NotFound
from repo_server.extensions import db
from repo_server.orgs.models import Organisation

logger = logging.getLogger(__name__)
#: The kind of parent each kind of organisation may have.
PARENT_KINDS = {
    "department": (None,),
    "office": ("department",),
    "school": ("department", "office"),
}


def list_organisations() -> list[Organisation]:
    """Return every organisation, parents before children."""
    return list(db.session.scalars(select(Organisation).order_by(Organisation.id)))


def get_organisation(org_id: int) -> Organisation:
    """Return an organisation by id or raise NotFound."""
    org = db.session.get(Organisation, org_id)
    if org is None:
        raise NotFound(_("Không tìm thấy đơn vị #%(id)s.", id=org_id))
    return org


def find_organisation(code: str) -> Organisation:
    """Return an organisation by code or raise NotFound."""
    org = db.session.scalar(select(Organisation).where(Organisation.code == code))
    if org is None:
        raise NotFound(_("Không tìm thấy đơn vị %(c)s.", c=code))
    return org


def create_organisation(actor, data: dict) -> Organisation:
    """Create an organisation under its parent (admins only)."""
    if actor is not None:
        require_role(actor, "admin")
    if db.session.scalar(
        select(Organisation.id).where(Organisation.code == data["code"])
    ):
        raise Conflict(_("Mã đơn vị đã tồn tại."), {"code": [_("Đã tồn tại.")]})
    org = Organisation()
    _apply(org, data)
    db.session.add(org)
    db.session.commit()
    logger.info("organisation %s created", org.code)
    return org


def update_organisation(actor, org_id: int, data: dict) -> Organisation:
    """Change an organisation (admins only); the tree may not get a cycle."""
    require_role(actor, "admin")
    org = get_organisation(org_id)
    _apply(
        org,
        {
            **{
                "code": org.code,
                "name": org.name,
                "kind": org.kind,
                "parent_id": org.parent_id,
                "levels": org.levels,
            },
            **data,
        },
    )
    db.session.commit()
    logger.info("organisation %s updated by %s", org.code, actor.email)
    return org


def _apply(org: Organisation, data: dict) -> None:
    parent = get_organisation(data["parent_id"]) if data.get("parent_id") else None
    if (parent.kind if parent else None) not in PARENT_KINDS[data["kind"]]:
        raise Invalid(
            _("Đơn vị cấp trên không phù hợp với loại đơn vị."),
            {"parent_id": [_("Không phù hợp.")]},
        )
    ancestor = parent
    while ancestor is not None:
        if org.id is not None and ancestor.id == org.id:
            raise Invalid(
                _("Cây đơn vị không được có vòng lặp."),
                {"parent_id": [_("Tạo vòng lặp.")]},
            )
        ancestor = ancestor.parent
    org.code, org.name, org.kind = data["code"], data["name"], data["kind"]
    org.parent_id = parent.id if parent else None
    org.levels = list(data.get("levels") or [])
