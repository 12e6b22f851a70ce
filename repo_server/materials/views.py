"""JSON endpoints for materials."""

from flask import request

from repo_server.accounts.service import current_user
from repo_server.api import bp, json_body
from repo_server.common import page_envelope
from repo_server.lifecycle.schemas import dump_history
from repo_server.materials import service
from repo_server.materials.schemas import MaterialIn, MaterialListArgs, dump_material
from repo_server.questions.schemas import TransitionIn


@bp.get("/materials")
def list_materials():
    """List the materials visible to the user, filtered and paginated."""
    user = current_user()
    rows, total, page, per_page = service.list_materials(
        user, MaterialListArgs().load(request.args)
    )
    items = [dump_material(m, user.role != "student") for m in rows]
    return page_envelope(items, total, page, per_page)


@bp.post("/materials")
def create_material():
    """Create a draft material."""
    material = service.create_material(current_user(), MaterialIn().load(json_body()))
    return dump_material(material), 201


@bp.get("/materials/<int:material_id>")
def get_material(material_id):
    """Read one material."""
    user = current_user()
    return dump_material(
        service.get_material(user, material_id), user.role != "student"
    )


@bp.patch("/materials/<int:material_id>")
def update_material(material_id):
    """Change a draft material."""
    data = MaterialIn(partial=True).load(json_body())
    return dump_material(service.update_material(current_user(), material_id, data))


@bp.delete("/materials/<int:material_id>")
def delete_material(material_id):
    """Delete a never-submitted draft."""
    service.delete_material(current_user(), material_id)
    return "", 204


@bp.post(
    "/materials/<int:material_id>/<any(submit,withdraw,publish,return,archive):action>"
)
def transition_material(material_id, action):
    """Move a material through its lifecycle."""
    data = TransitionIn().load(json_body() if request.data else {})
    user = current_user()
    material = service.transition_material(user, material_id, action, data["comment"])
    return dump_material(material, user.role != "student")


@bp.post("/materials/<int:material_id>/versions")
def new_material_version(material_id):
    """Start a new draft version of a published material."""
    return dump_material(service.new_version(current_user(), material_id)), 201


@bp.get("/materials/<int:material_id>/history")
def material_history(material_id):
    """The versions and events of a material."""
    user = current_user()
    versions, events = service.material_history(user, material_id)
    return dump_history(
        [dump_material(v, user.role != "student") for v in versions], events
    )
