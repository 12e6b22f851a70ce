"""JSON endpoints: import a SCORM lecture, read its package."""

from flask import request

from repo_server.accounts.service import current_user
from repo_server.api import bp, json_body
from repo_server.materials.schemas import dump_material
from repo_server.scorm import attempts, importing, service
from repo_server.scorm.content import content_url, launch_path, seed_values
from repo_server.scorm.schemas import (
    AttemptIn,
    CommitIn,
    LectureForm,
    dump_attempt,
    dump_package,
    dump_result,
)


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


@bp.post("/materials/<int:material_id>/scorm/attempts")
def open_attempt(material_id):
    """Open (or resume) the caller's attempt at one SCO; answer its launch link."""
    data = AttemptIn().load(json_body())
    attempt = attempts.open_attempt(current_user(), material_id, data["sco"])
    url = content_url(attempt, launch_path(attempt))
    return dump_attempt(attempt, url, seed_values(attempt)), 201


@bp.get("/materials/<int:material_id>/scorm/attempts")
def my_attempts(material_id):
    """List the caller's own attempts at a lecture."""
    rows = attempts.my_attempts(current_user(), material_id)
    return {"items": [dump_attempt(a) for a in rows]}


@bp.put("/scorm/attempts/<int:attempt_id>")
def commit_attempt(attempt_id):
    """Keep what the runtime committed for the caller's attempt."""
    data = CommitIn().load(json_body())
    return dump_attempt(attempts.commit_attempt(current_user(), attempt_id, data))


@bp.get("/materials/<int:material_id>/scorm/results")
def results(material_id):
    """Every learner's attempts at a lecture (for its author and curators)."""
    package, rows = attempts.results(current_user(), material_id)
    return {"package": dump_package(package), "items": [dump_result(a) for a in rows]}
