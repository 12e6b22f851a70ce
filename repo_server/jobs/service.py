"""Jobs: record them, report progress, run them in the background, fail the interrupted.

A job runs in a thread of the web process that accepted it, in its own app context
(its own database session). Progress is written to the ``jobs`` row, so any worker
can answer ``GET /jobs/<id>``. A process that stops (deploy, crash) takes its running
jobs with it: ``repo-server serve`` marks every unfinished job failed before the
workers start, and a running job whose heartbeat is older than JOB_STALE_SECONDS is
reported failed when it is read (a worker died while the others kept serving).
"""

import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from flask import current_app, g
from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.exc import SQLAlchemyError

from qti import QtiError
from repo_server.errors import NotFound, RepoError
from repo_server.extensions import db
from repo_server.jobs.models import Job
from repo_server.timeutil import utcnow

logger = logging.getLogger(__name__)
UNFINISHED = ("queued", "running")
#: Seconds between two progress writes of one job.
PROGRESS_SECONDS = 0.5


def create_job(user, kind: str, params: dict, total: int = 0) -> Job:
    """Record a queued job of ``user``."""
    job = Job(kind=kind, owner_id=user.id, params=params, total=total)
    db.session.add(job)
    db.session.commit()
    logger.info("job %s (%s) queued for %s", job.id, kind, user.email)
    return job


def get_job(user, job_id: int) -> Job:
    """Return a job of ``user`` (others' jobs do not exist for them)."""
    job = db.session.get(Job, job_id)
    if job is None or job.owner_id != user.id:
        raise NotFound(_("Không tìm thấy tác vụ #%(id)s.", id=job_id))
    _fail_if_stale(job)
    return job


def _fail_if_stale(job: Job) -> None:
    """A running job that stopped beating lost its process: report it failed."""
    if job.status != "running" or job.heartbeat_at is None:
        return
    limit = timedelta(seconds=current_app.config["JOB_STALE_SECONDS"])
    if utcnow() - job.heartbeat_at > limit:
        _finish(job, "failed", error=_("Tác vụ bị gián đoạn (máy chủ khởi động lại)."))
        db.session.commit()


def fail_interrupted_jobs() -> int:
    """Mark every queued or running job failed (at start-up: none can be alive)."""
    result = db.session.execute(
        update(Job)
        .where(Job.status.in_(UNFINISHED))
        .values(
            status="failed",
            error=_("Tác vụ bị gián đoạn (máy chủ khởi động lại)."),
            finished_at=utcnow(),
        )
    )
    db.session.commit()
    if result.rowcount:
        logger.info("%s interrupted jobs marked failed", result.rowcount)
    return result.rowcount


def fail_interrupted_jobs_at_start() -> None:
    """At ``repo-server serve``, before any worker runs: fail what a stop interrupted."""
    from repo_server import create_app

    with create_app().test_request_context():
        try:
            fail_interrupted_jobs()
        except SQLAlchemyError as exc:  # no database yet: nothing can be interrupted
            logger.warning("interrupted jobs not checked: %s", exc)


class Progress:
    """Callable a job's work reports to: ``progress(done, total=None)``."""

    def __init__(self, job: Job):
        self.job, self.written = job, 0.0

    def __call__(self, done: int, total: int | None = None) -> None:
        """Record progress; written to the database at most twice a second."""
        self.job.done = done
        if total is not None:
            self.job.total = total
        now = time.monotonic()
        if now - self.written >= PROGRESS_SECONDS or done == self.job.total:
            self.job.heartbeat_at = utcnow()
            db.session.commit()
            self.written = now


Work = Callable[[Job, Progress], dict]


def start_job(job: Job, work: Work) -> None:
    """Run ``work(job, progress)`` in a background thread (inline when JOBS_INLINE)."""
    app = current_app._get_current_object()
    if app.config["JOBS_INLINE"]:
        run_job(app, job.id, work)
        db.session.refresh(job)
        return
    thread = threading.Thread(
        target=run_job, args=(app, job.id, work), name=f"job-{job.id}", daemon=True
    )
    thread.start()


def run_job(app, job_id: int, work: Work) -> None:
    """Run one job in its own app context, recording its outcome.

    The context is a request context, as in the CLI, so messages use the owner's
    language.
    """
    with app.test_request_context():
        job = db.session.get(Job, job_id)
        g.user = job.owner
        job.status, job.heartbeat_at = "running", utcnow()
        db.session.commit()
        try:
            result = work(job, Progress(job))
        except (RepoError, QtiError) as exc:
            db.session.rollback()
            _finish(job, "failed", error=exc.message)
        except Exception:
            db.session.rollback()
            logger.exception("job %s failed", job_id)
            _finish(job, "failed", error=_("Lỗi máy chủ khi chạy tác vụ."))
        else:
            _finish(job, "done", result=result)
        db.session.commit()
        logger.info("job %s %s", job_id, job.status)


def _finish(job: Job, status: str, result=None, error=None) -> None:
    job.status, job.finished_at = status, utcnow()
    if result is not None:
        job.result = result
    job.error = error
