"""JSON endpoint: start an export (a job). Imports live in ``repo_server.imports``."""

from repo_server.accounts.service import current_user
from repo_server.api import bp, json_body
from repo_server.exchange import service
from repo_server.exchange.schemas import ExportIn
from repo_server.jobs.schemas import dump_job


@bp.post("/exports")
def start_export():
    """Queue the export of a selection of questions; poll the job for the file."""
    user = current_user()
    job = service.start_export(user, ExportIn().load(json_body()))
    return dump_job(job), 202
