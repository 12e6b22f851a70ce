"""Benchmark: the coverage dashboard on 100,000 questions + 10,000 materials, ~5,000 topics.

Usage: python bench/bench_coverage.py [--instance DIR] [--database-url URL] [--runs 50]

Reuses the corpus bench/bench_list.py built in the database (its --instance folder for
SQLite, or --database-url), else builds one first (minutes). The corpus gets ~5,000 curriculum
topics (42 subject × grade pairs × 10 chapters × 11 lessons), items spread over 70% of the
lessons and over five schools, 5% of the drafts submitted; the counters are rebuilt once,
then every page is timed as the department's curator.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.bench_list import build_database  # noqa: E402
from bench.synthetic import SUBJECT_GRADES  # noqa: E402
from repo_server import create_app  # noqa: E402
from repo_server.extensions import db  # noqa: E402

CHAPTERS, LESSONS = 10, 11


def has_corpus(url: str) -> bool:
    """Whether the database already holds bench/bench_list.py's corpus."""
    from sqlalchemy import create_engine, inspect

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if "questions" not in inspect(conn).get_table_names():
                return False
            return bool(
                conn.execute(db.text("SELECT 1 FROM questions LIMIT 1")).first()
            )
    finally:
        engine.dispose()


def open_app(url: str, instance: str):
    """The app on an existing corpus, migrated to every head (adds curation's tables)."""
    app = create_app(
        {
            "DATABASE_URL": url,
            "INSTANCE_PATH": instance,
            "SECRET_KEY": "bench",
            "TESTING": True,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    with app.app_context():
        from repo_server.migrate import upgrade_database

        upgrade_database()
    return app


def add_topics() -> dict[tuple, list[int]]:
    """Create the bench topics once; return the lesson ids per (subject, grade)."""
    from repo_server.taxonomy.models import Topic

    if db.session.query(Topic).filter(Topic.code.like("BENCH-%")).count() == 0:
        for subject, grade in SUBJECT_GRADES:
            for c in range(1, CHAPTERS + 1):
                chapter = Topic(
                    code=f"BENCH-{subject}-{grade}-C{c}",
                    subject_code=subject,
                    grade_code=grade,
                    name_vi=f"Chương {c}",
                    order=c,
                )
                db.session.add(chapter)
                db.session.flush()
                db.session.add_all(
                    Topic(
                        code=f"{chapter.code}-B{b}",
                        subject_code=subject,
                        grade_code=grade,
                        parent_id=chapter.id,
                        name_vi=f"Bài {b}",
                        order=b,
                    )
                    for b in range(1, LESSONS + 1)
                )
        db.session.commit()
    lessons: dict[tuple, list[int]] = {}
    rows = db.session.query(Topic.id, Topic.subject_code, Topic.grade_code).filter(
        Topic.code.like("BENCH-%-B%")
    )
    for topic_id, subject, grade in rows:
        lessons.setdefault((subject, grade), []).append(topic_id)
    return lessons


def spread_content(lessons: dict) -> None:
    """Give items lessons (70% of lessons used), five schools, and a review backlog."""
    from repo_server.orgs.models import Organisation

    rng = random.Random(9)
    used = {k: rng.sample(v, int(len(v) * 0.7)) for k, v in lessons.items()}
    root = db.session.query(Organisation).filter_by(code="B").one()
    schools = []
    for n in range(5):
        code = f"B-THCS-{n}"
        org = db.session.query(Organisation).filter_by(code=code).one_or_none()
        if org is None:
            org = Organisation(
                code=code,
                name=f"Trường {n}",
                kind="school",
                parent_id=root.id,
                levels=["THCS"],
            )
            db.session.add(org)
            db.session.flush()
        schools.append(org.id)
    for table in ("questions", "materials"):
        rows = db.session.execute(
            db.text(f"SELECT id, subject_code, grade_code FROM {table}")
        )
        updates = [
            {"i": i, "t": rng.choice(used[(s, g)]), "o": schools[i % 5]}
            for i, s, g in rows
        ]
        db.session.execute(
            db.text(f"UPDATE {table} SET topic_id = :t, org_id = :o WHERE id = :i"),
            updates,
        )
        db.session.execute(
            db.text(
                f"UPDATE {table} SET status = 'submitted' "
                "WHERE status = 'draft' AND id % 20 = 0"
            )
        )
    db.session.commit()


def timed(client, url: str, runs: int) -> dict:
    """p50/p95 of GET ``url``."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
    times.sort()
    return {"p50": statistics.median(times), "p95": times[max(0, int(runs * 0.95) - 1)]}


def login(app, email: str):
    client = app.test_client()
    csrf = client.get("/api/v1/session").get_json()["csrf_token"]
    response = client.post(
        "/api/v1/session",
        json={"email": email, "password": "bench-password"},
        headers={"X-CSRFToken": csrf},
    )
    assert response.status_code == 200
    return client


def main() -> None:
    """Prepare the corpus, rebuild the counters, time the dashboard pages."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--instance")
    parser.add_argument("--database-url")
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    instance = args.instance or tempfile.mkdtemp(prefix="bench-coverage-")
    os.makedirs(instance, exist_ok=True)
    url = args.database_url or f"sqlite:///{instance}/bench.sqlite3"
    if not has_corpus(url):
        corpus = argparse.Namespace(questions=100_000, materials=10_000)
        build_database(url, instance, corpus)
    app = open_app(url, instance)
    with app.app_context():
        from repo_server.curation.counts import rebuild_counts
        from repo_server.migrate import analyze_database
        from repo_server.taxonomy.models import Topic

        spread_content(add_topics())
        start = time.perf_counter()
        counts = rebuild_counts()
        rebuild = time.perf_counter() - start
        analyze_database()
        topics = db.session.query(Topic).count()
        school = db.session.execute(
            db.text("SELECT id FROM organisations WHERE code = 'B-THCS-0'")
        ).scalar()
    print(
        f"backend={url.split(':')[0]} topics={topics} counters={counts['counters']} "
        f"queue={counts['queue']} rebuild={rebuild:.1f}s"
    )
    client = login(app, "curator@bench.vn")
    pages = {
        "department page": "/coverage",
        "school page": f"/coverage?org={school}",
        "subject page": "/coverage?subject=TOAN",
        "drill-down page": "/coverage/TOAN/6",
        "department API": "/api/v1/coverage",
        "xlsx export": "/api/v1/coverage/export",
    }
    for name, page in pages.items():
        runs = max(5, args.runs // 5) if "xlsx" in name else args.runs
        f = timed(client, page, runs)
        print(f"{name}: p50 {f['p50']:.1f} ms, p95 {f['p95']:.1f} ms ({runs} requests)")
    print(f"publish with counters: {publish_cost(app):.1f} ms per transition (p50)")


def publish_cost(app, n: int = 30) -> float:
    """Median time of submit → publish through the service (hooks included)."""
    from repo_server.accounts.models import User
    from repo_server.questions.service import transition_question

    times = []
    with app.app_context():
        teacher = db.session.query(User).filter_by(email="teacher@bench.vn").one()
        curator = db.session.query(User).filter_by(email="curator@bench.vn").one()
        ids = (
            db.session.execute(
                db.text("SELECT id FROM questions WHERE status = 'draft' LIMIT :n"),
                {"n": n},
            )
            .scalars()
            .all()
        )
        with app.test_request_context():
            for qid in ids:
                transition_question(teacher, qid, "submit")
                start = time.perf_counter()
                transition_question(curator, qid, "publish")
                times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


if __name__ == "__main__":
    main()
