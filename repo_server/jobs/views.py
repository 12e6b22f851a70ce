"""JSON endpoints of jobs: progress, and the file of a finished export."""

from repo_server.accounts.service import current_user
from repo_server.api import bp
from repo_server.exchange.service import send_export
from repo_server.jobs.schemas import dump_job
from repo_server.jobs.service import get_job


@bp.get("/jobs/<int:job_id>")
def job_progress(job_id):
    """The status, progress and outcome of one of the user's jobs."""
    return dump_job(get_job(current_user(), job_id))


@bp.get("/jobs/<int:job_id>/download")
def download_job(job_id):
    """The package a finished export produced (its owner only)."""
    return send_export(current_user(), job_id)
