"""JSON endpoints for organisations."""

from repo_server.accounts.service import current_user
from repo_server.api import bp, json_body
from repo_server.orgs import service
from repo_server.orgs.schemas import OrganisationIn, dump_organisation


@bp.get("/organisations")
def list_organisations():
    """List every organisation (any logged-in user)."""
    current_user()
    return {"items": [dump_organisation(o) for o in service.list_organisations()]}


@bp.post("/organisations")
def create_organisation():
    """Create an organisation (admins)."""
    org = service.create_organisation(
        current_user(), OrganisationIn().load(json_body())
    )
    return dump_organisation(org), 201


@bp.get("/organisations/<int:org_id>")
def get_organisation(org_id):
    """Read one organisation."""
    current_user()
    return dump_organisation(service.get_organisation(org_id))


@bp.patch("/organisations/<int:org_id>")
def update_organisation(org_id):
    """Change an organisation (admins)."""
    data = OrganisationIn(partial=True).load(json_body())
    return dump_organisation(service.update_organisation(current_user(), org_id, data))
