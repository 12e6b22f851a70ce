"""JSON endpoints: import a SCORM lecture, read its package."""

from flask import request

from repo_server.accounts.service import current_user
from repo_server.api import bp
from repo_server.materials.schemas import dump_material
from repo_server.scorm import importing, service
from repo_server.scorm.schemas import LectureForm, dump_package


@bp.post("/scorm/imports")
def import_lecture():
    """Import an uploaded SCORM zip (multipart ``file``) as a draft lecture."""
    form = LectureForm().load(request.form)
    upload = request.files.get("file")
    material = importing.import_upload(current_user(), upload, form)
    return {
        "material": dump_material(material),
        "package": dump_package(material.scorm),
    }, 201


@bp.get("/materials/<int:material_id>/scorm")
def get_package(material_id):
    """Read the SCORM package of a lecture (version, contents, warnings)."""
    return dump_package(service.get_package(current_user(), material_id))
