"""The JSON shape of a job."""

from flask import url_for


def _iso(value):
    return value.isoformat() + "Z" if value else None


def dump_job(job) -> dict:
    """Return a job's progress and outcome, with its download link once done."""
    download = None
    if job.status == "done" and job.kind == "export" and job.file_key:
        download = url_for("api.download_job", job_id=job.id)
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "params": job.params,
        "progress": {"done": job.done, "total": job.total},
        "result": job.result,
        "error": job.error,
        "download_url": download,
        "created_at": _iso(job.created_at),
        "finished_at": _iso(job.finished_at),
    }
