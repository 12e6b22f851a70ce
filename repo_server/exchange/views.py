"""JSON endpoints: start an export (a job), import files (a report)."""

from flask import request

from repo_server.accounts.service import current_user
from repo_server.api import bp, json_body
from repo_server.exchange import importing, service
from repo_server.exchange.schemas import ExportIn, ImportForm
from repo_server.jobs.schemas import dump_job


@bp.post("/exports")
def start_export():
    """Queue the export of a selection of questions; poll the job for the file."""
    user = current_user()
    job = service.start_export(user, ExportIn().load(json_body()))
    return dump_job(job), 202


@bp.post("/imports")
def import_files():
    """Import the questions of uploaded QTI files (multipart ``files``)."""
    user = current_user()
    uploads = [(f.filename or "file", f.stream) for f in request.files.getlist("files")]
    report = importing.import_files(user, uploads, ImportForm().load(request.form))
    return report, 201 if report["imported"] else 200
