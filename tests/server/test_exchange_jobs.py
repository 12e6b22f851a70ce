"""Jobs: the background runner, progress in the database, interrupted jobs."""

import time
from datetime import timedelta

import pytest

from qti import QtiError
from repo_server.extensions import db
from repo_server.jobs import service as jobs
from repo_server.jobs.models import Job
from repo_server.timeutil import utcnow
from tests.conftest import question_payload


def _user(app):
    from repo_server.accounts.service import create_user
    from repo_server.orgs.service import create_organisation

    with app.app_context():
        org = create_organisation(
            None, {"code": "S", "name": "Sở", "kind": "department"}
        )
        user = create_user(
            None,
            {
                "email": "gv@truong.edu.vn",
                "name": "Giáo viên",
                "role": "admin",
                "org_id": org.id,
                "password": "mat-khau-1",
            },
        )
        return user.id


def test_export_runs_in_a_background_thread_with_progress(app_factory, tmp_path):
    from repo_server.accounts.models import User
    from repo_server.exchange.service import start_export
    from repo_server.questions.service import create_questions

    app = app_factory(DATABASE_URL=f"sqlite:///{tmp_path}/jobs.sqlite3")
    assert app.config["JOBS_INLINE"] is False
    user_id = _user(app)
    with app.app_context():
        user = db.session.get(User, user_id)
        create_questions(user, [question_payload() for _ in range(30)])
        job = start_export(user, {"format": "qti30", "status": "all"})
        job_id = job.id
    deadline = time.monotonic() + 60
    while True:
        with app.app_context():
            job = db.session.get(Job, job_id)
            if job.status in ("done", "failed") or time.monotonic() > deadline:
                break
        time.sleep(0.05)
    assert job.status == "done", job.error
    assert (job.done, job.total) == (30, 30)
    assert job.result["count"] == 30 and job.file_key.startswith("exports/")


def _run(app, user_id, work) -> Job:
    with app.test_request_context():
        user = db.session.get(Job.owner.property.mapper.class_, user_id)
        job = jobs.create_job(user, "export", {})
        jobs.run_job(app, job.id, work)  # in its own app context and session
        db.session.expire_all()
        return db.session.get(Job, job.id)


@pytest.fixture
def owner(app, make_user):
    return make_user("teacher").id


def test_progress_is_written_and_the_result_kept(app, owner):
    def work(job, progress):
        for done in range(1, 6):
            progress(done, 5)
        return {"count": 5}

    job = _run(app, owner, work)
    assert (job.status, job.done, job.total, job.result) == ("done", 5, 5, {"count": 5})
    assert job.finished_at is not None and job.heartbeat_at is not None


def test_a_failing_job_records_why(app, owner, caplog):
    def broken(job, progress):
        raise QtiError("Gói hỏng.", "package")

    def crashing(job, progress):
        raise RuntimeError("bug")

    job = _run(app, owner, broken)
    assert (job.status, job.error) == ("failed", "Gói hỏng.")
    job = _run(app, owner, crashing)
    assert job.status == "failed" and "Lỗi máy chủ" in job.error
    assert "job" in caplog.text and "bug" in caplog.text


def test_interrupted_jobs_are_marked_failed(app, owner):
    from repo_server.accounts.models import User

    with app.test_request_context():
        user = db.session.get(User, owner)
        running = jobs.create_job(user, "export", {})
        running.status, running.heartbeat_at = "running", utcnow()
        queued = jobs.create_job(user, "export", {})
        db.session.commit()
        assert jobs.fail_interrupted_jobs() == 2
        for job in (running, queued):
            db.session.refresh(job)
            assert job.status == "failed" and "gián đoạn" in job.error


def test_a_job_that_stopped_beating_is_reported_failed(app, owner):
    from repo_server.accounts.models import User

    with app.test_request_context():
        user = db.session.get(User, owner)
        job = jobs.create_job(user, "export", {})
        job.status = "running"
        job.heartbeat_at = utcnow() - timedelta(
            seconds=app.config["JOB_STALE_SECONDS"] + 1
        )
        db.session.commit()
        assert jobs.get_job(user, job.id).status == "failed"


def test_job_progress_over_the_api(api, app, make_user):
    teacher = api("teacher")
    for _ in range(3):
        teacher.post("/api/v1/questions", question_payload())
    job = teacher.post(
        "/api/v1/exports", {"format": "qti21", "status": "all"}
    ).get_json()
    body = teacher.get(f"/api/v1/jobs/{job['id']}").get_json()
    assert body["progress"] == {"done": 3, "total": 3}
    assert body["kind"] == "export" and body["params"]["status"] == "all"
    assert body["download_url"].endswith(f"/jobs/{job['id']}/download")
