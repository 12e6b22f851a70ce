"""Benchmark: bulk creation through the service layer, then the filtered listing p50/p95.

Usage: python bench/bench_list.py [--questions 100000] [--materials 10000]
       [--database-url URL] (default: a SQLite file in a temporary folder)
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.synthetic import SUBJECT_GRADES, material, question  # noqa: E402
from repo_server import create_app  # noqa: E402
from repo_server.extensions import db  # noqa: E402

BATCH = 1000


def build_app(url: str, instance: str):
    """An app on an empty database with the schema and the taxonomy."""
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
        from repo_server.taxonomy.service import load_taxonomy

        if db.engine.dialect.name == "postgresql":
            db.session.execute(db.text("DROP SCHEMA public CASCADE"))
            db.session.execute(db.text("CREATE SCHEMA public"))
            db.session.commit()
        upgrade_database()  # the schema production gets, with its storage settings
        load_taxonomy()
    return app


def seed_users(app) -> None:
    """An organisation with a teacher (user 1), a curator and a student."""
    from repo_server.accounts.service import create_user
    from repo_server.orgs.service import create_organisation

    with app.app_context():
        org = create_organisation(
            None, {"code": "B", "name": "Bench", "kind": "department"}
        )
        subjects = sorted({s for s, _ in SUBJECT_GRADES})
        for role in ("teacher", "curator", "student"):
            create_user(
                None,
                {
                    "email": f"{role}@bench.vn",
                    "name": role,
                    "role": role,
                    "org_id": org.id,
                    "password": "bench-password",
                    "subjects": subjects,
                    "grade": "6",
                },
            )


def bulk_create(app, user_id: int, count: int, factory, create_many) -> float:
    """Create ``count`` drafts in batches through the service; return items per second."""
    from repo_server.accounts.models import User

    rng = random.Random(2026)
    start = time.perf_counter()
    with app.app_context():
        user = db.session.get(User, user_id)
        for done in range(0, count, BATCH):
            create_many(user, [factory(rng) for _ in range(min(BATCH, count - done))])
            db.session.expunge_all()
            user = db.session.get(User, user_id)
    return count / (time.perf_counter() - start)


def publish_most(app) -> None:
    """Publish 80% of the items directly in SQL (the lifecycle itself is not measured)."""
    with app.app_context():
        for table in ("questions", "materials"):
            db.session.execute(
                db.text(f"UPDATE {table} SET status = 'published' WHERE id % 5 <> 0")
            )
        db.session.commit()
        from repo_server.migrate import analyze_database

        analyze_database()


def list_latencies(app, runs: int) -> dict:
    """Time the list endpoint with a mix of filters, roles and pages."""
    rng = random.Random(7)
    clients = {}
    for role in ("teacher", "student"):
        client = app.test_client()
        csrf = client.get("/api/v1/session").get_json()["csrf_token"]
        client.post(
            "/api/v1/session",
            json={"email": f"{role}@bench.vn", "password": "bench-password"},
            headers={"X-CSRFToken": csrf},
        )
        clients[role] = client
    times, by_pattern = [], {}
    for _ in range(runs):
        subject, grade = rng.choice(SUBJECT_GRADES)
        pattern = rng.choice(PATTERNS)
        client = clients[rng.choice(("teacher", "student"))]
        start = time.perf_counter()
        response = client.get(pattern.format(subject=subject, grade=grade))
        elapsed = (time.perf_counter() - start) * 1000
        times.append(elapsed)
        by_pattern.setdefault(pattern, []).append(elapsed)
        assert response.status_code == 200, response.get_data(as_text=True)[:200]
    patterns = {k: _percentiles(v) for k, v in by_pattern.items()}
    return {"all": _percentiles(times), **patterns}


def _percentiles(times: list[float]) -> dict:
    times = sorted(times)
    return {
        "p50_ms": statistics.median(times),
        "p95_ms": times[max(0, int(len(times) * 0.95) - 1)],
        "runs": len(times),
    }


PATTERNS = (
    "/api/v1/questions?subject={subject}&grade={grade}",
    "/api/v1/questions?subject={subject}&grade={grade}&type=single_choice",
    "/api/v1/questions?subject={subject}&cognitive_level=VD&page=3",
    "/api/v1/questions?page=50&per_page=20",
    "/api/v1/questions?status=published&subject={subject}&sort=-updated_at",
    "/api/v1/materials?subject={subject}&grade={grade}&kind=video",
    "/api/v1/materials?per_page=50",
)


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--materials", type=int, default=10_000)
    parser.add_argument("--database-url")
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument(
        "--instance", help="Reuse the database built by an earlier run."
    )
    args = parser.parse_args()
    instance = args.instance or tempfile.mkdtemp(prefix="bench-list-")
    url = args.database_url or f"sqlite:///{instance}/bench.sqlite3"
    if args.instance:
        app = create_app(
            {
                "DATABASE_URL": url,
                "INSTANCE_PATH": instance,
                "SECRET_KEY": "bench",
                "TESTING": True,
            }
        )
    else:
        app = build_database(url, instance, args)
    for name, f in list_latencies(app, args.runs).items():
        print(
            f"list {name}: p50 {f['p50_ms']:.1f} ms, p95 {f['p95_ms']:.1f} ms "
            f"({f['runs']} requests)"
        )


def build_database(url: str, instance: str, args):
    """Fill a new database through the service layer and print the creation rates."""
    from repo_server.materials.service import create_materials
    from repo_server.questions.service import create_questions

    app = build_app(url, instance)
    seed_users(app)
    q_rate = bulk_create(app, 1, args.questions, question, create_questions)
    m_rate = bulk_create(app, 1, args.materials, material, create_materials)
    publish_most(app)
    print(
        f"backend={url.split(':')[0]} questions={args.questions} "
        f"materials={args.materials} instance={instance}"
    )
    print(f"bulk creation: {q_rate:,.0f} questions/s, {m_rate:,.0f} materials/s")
    return app


if __name__ == "__main__":
    main()
