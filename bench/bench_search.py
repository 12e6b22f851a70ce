"""Benchmark: search indexing throughput (reindex) and query latency, API vs raw engine.

Usage: python bench/bench_search.py [--questions 100000] [--materials 10000]
       [--queries 1000] [--instance DIR]  (reuse the database of an earlier run)
       [--backends sqlite,opensearch,elasticsearch] [--facets none]
       [--corpus hard|realistic]  (see bench/vocabulary.py)
The engines run when REPO_TEST_OPENSEARCH_URL / REPO_TEST_ELASTIC_URL are set; each
gets its own index, dropped at the end. The database is built once through the bulk
service functions (bench_list.py) and shared by every backend.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import synthetic  # noqa: E402
from bench.bench_list import (  # noqa: E402
    build_app,
    bulk_create,
    publish_most,
    seed_users,
)
from bench.synthetic import SUBJECT_GRADES, material, question  # noqa: E402
from repo_server import create_app  # noqa: E402
from search.vietnamese import fold  # noqa: E402

ENGINES = {
    "opensearch": "REPO_TEST_OPENSEARCH_URL",
    "elasticsearch": "REPO_TEST_ELASTIC_URL",
}
TYPES = ("single_choice", "multiple_response", "true_false", "numeric")
ROLES = ("student", "teacher", "curator")
#: Queries run first and not counted (warm caches and connections).
WARM_UP = 50


def make_queries(count: int, facets: str | None, seed: int = 11) -> list[tuple]:
    """Return (shape, role, query-string pairs): words with/without marks, phrases,
    prefixes, filters, pages and sorts in fixed proportions."""
    rng = random.Random(seed)
    shapes = [_words, _folded_words, _phrase, _prefix, _filtered, _filtered]
    queries = []
    for _ in range(count):
        shape = rng.choice(shapes)
        params = shape(rng)
        if rng.random() < 0.15:
            params.append(("sort", "newest"))
        if rng.random() < 0.2:
            params.append(("page", str(rng.randint(2, 5))))
        if facets is not None:
            params.append(("facets", facets))
        queries.append((shape.__name__.strip("_"), rng.choice(ROLES), params))
    return queries


def _text(rng: random.Random, n: int) -> str:
    """Return ``n`` distinct vocabulary words."""
    return " ".join(synthetic.VOCABULARY.query_words(rng, n))


def _words(rng):
    return [("q", _text(rng, rng.randint(1, 3)))]


def _folded_words(rng):
    return [("q", fold(_text(rng, rng.randint(1, 3))))]


def _phrase(rng):
    first, second = synthetic.VOCABULARY.phrase(rng)
    return [("q", f'"{first} {second}"')]


def _prefix(rng):
    word = synthetic.VOCABULARY.long_word(rng)
    return [("q", f"{_text(rng, 1)} {fold(word)[: rng.randint(2, 4)]}")]


def _filtered(rng):
    subject, grade = rng.choice(SUBJECT_GRADES)
    params = [("q", _text(rng, rng.randint(1, 2))), ("subject", subject)]
    if rng.random() < 0.5:
        params.append(("grade", grade))
    if rng.random() < 0.3:
        params.append(("type", rng.choice(TYPES)))
    if rng.random() < 0.2:
        params = [("kind", "material"), *params]
    return params


def percentiles(times: list[float]) -> dict:
    """p50 and p95 of a list of milliseconds."""
    ordered = sorted(times)
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[max(0, int(len(ordered) * 0.95) - 1)],
    }


def open_app(db_url: str, instance: str, search_url: str):
    """An app on the benchmark database (migrated: a reused one may lack newer tables)."""
    import search.elastic
    from repo_server.migrate import upgrade_database

    search.elastic.TIMEOUT = 120  # a rebuild's bulk requests on a loaded machine
    config = {"DATABASE_URL": db_url, "INSTANCE_PATH": instance, "SECRET_KEY": "bench"}
    app = create_app({**config, "SEARCH_URL": search_url, "TESTING": True})
    with app.app_context():
        upgrade_database()
    return app


def time_reindex(app) -> tuple[int, float]:
    """Rebuild the index from the database; return (documents, seconds)."""
    from repo_server.catalog.service import reindex

    with app.app_context():
        start = time.perf_counter()
        count = reindex()
        return count, time.perf_counter() - start


def login(app, role: str):
    """A test client logged in as the benchmark user of ``role``."""
    client = app.test_client()
    csrf = client.get("/api/v1/session").get_json()["csrf_token"]
    response = client.post(
        "/api/v1/session",
        json={"email": f"{role}@bench.vn", "password": "bench-password"},
        headers={"X-CSRFToken": csrf},
    )
    assert response.status_code == 200, response.get_json()
    return client


def measure(app, queries) -> tuple[list[float], list[float], list[float], list[int]]:
    """Time each query via the API and raw, back to back; return both (ms), the raw
    call's CPU time here (SQLite's whole query; nearer idle latency) and totals."""
    from werkzeug.datastructures import MultiDict

    from repo_server.accounts.service import find_user
    from repo_server.backends import get_search
    from repo_server.catalog.schemas import load_search_args
    from repo_server.catalog.service import build_query

    clients = {role: login(app, role) for role in ROLES}
    with app.test_request_context():
        users = {role: find_user(f"{role}@bench.vn") for role in ROLES}
        prepare, send = _raw_sender(get_search())
        requests = [
            prepare(build_query(users[role], load_search_args(MultiDict(params))))
            for _shape, role, params in queries
        ]
    api, raw, cpu, totals = [], [], [], []
    for n, ((_, role, params), request) in enumerate(
        zip(queries, requests, strict=True)
    ):
        start = time.perf_counter()
        response = clients[role].get("/api/v1/search", query_string=params)
        api_ms = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        start, cpu_start = time.perf_counter(), time.process_time()
        send(request)
        raw_ms = (time.perf_counter() - start) * 1000
        if n >= WARM_UP:
            api.append(api_ms)
            raw.append(raw_ms)
            cpu.append((time.process_time() - cpu_start) * 1000)
            totals.append(response.get_json()["total"])
    return api, raw, cpu, totals


def _raw_sender(backend):
    """Return (prepare, send): a Query made ready outside the clock, then sent as
    directly as the engine allows (SqliteSearch in-process; Elasticsearch _search)."""
    if not hasattr(backend, "client"):
        return (lambda query: query), backend.search
    from search.elastic_dsl import search_body
    from search.terms import parse_terms

    def prepare(query):
        return search_body(query, parse_terms(query.text))

    def send(body):
        return backend.client.search(index=backend.name, body=body)

    return prepare, send


def run_backend(name: str, db_url: str, instance: str, search_url: str, queries):
    """Reindex into one backend, then time the query mix through the API and raw."""
    app = open_app(db_url, instance, search_url)
    docs, seconds = time_reindex(app)
    print(
        f"[{name}] reindex: {docs:,} documents in {seconds:.1f} s "
        f"= {docs / seconds:,.0f} docs/s"
    )
    api, raw, cpu, totals = measure(app, queries)
    a, r = percentiles(api), percentiles(raw)
    shapes = [shape for shape, _role, _params in queries[WARM_UP:]]
    for shape in sorted(set(shapes)):
        mine = [t for t, s in zip(api, shapes, strict=True) if s == shape]
        f = percentiles(mine)
        print(
            f"[{name}]   {shape:<13} API p50 {f['p50']:6.1f} ms, p95 {f['p95']:6.1f} ms"
        )
    print(
        f"[{name}] API  p50 {a['p50']:.1f} ms, p95 {a['p95']:.1f} ms "
        f"({len(api)} queries, median hits {statistics.median(totals):,.0f})"
    )
    print(f"[{name}] raw  p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms")
    if name == "sqlite":
        c = percentiles(cpu)
        print(f"[{name}] raw CPU p50 {c['p50']:.1f} ms, p95 {c['p95']:.1f} ms")
    print(
        f"[{name}] overhead API/raw: p50 {a['p50'] / r['p50']:.2f}x, "
        f"p95 {a['p95'] / r['p95']:.2f}x, mean {sum(api) / sum(raw):.2f}x"
    )
    with app.app_context():
        from repo_server.backends import get_search

        backend = get_search()
        if hasattr(backend, "drop"):
            backend.drop()


def build_database(db_url: str, instance: str, args) -> None:
    """Fill a new database through the bulk service functions (as bench_list does)."""
    from repo_server.materials.service import create_materials
    from repo_server.questions.service import create_questions

    app = build_app(db_url, instance)
    seed_users(app)
    q_rate = bulk_create(app, 1, args.questions, question, create_questions)
    m_rate = bulk_create(app, 1, args.materials, material, create_materials)
    publish_most(app)
    print(
        f"database: {args.questions:,} questions ({q_rate:,.0f}/s, indexed as "
        f"created), {args.materials:,} materials ({m_rate:,.0f}/s) in {instance}"
    )


def backend_urls(names: list[str], instance: str) -> dict[str, str]:
    """Return the search URL of each backend asked for and available."""
    urls = {}
    for name in filter(None, names):
        if name == "sqlite":
            urls[name] = f"sqlite:///{instance}/bench-search.sqlite3"
        elif os.environ.get(ENGINES[name]):
            base = os.environ[ENGINES[name]].rsplit("/", 1)[0]
            urls[name] = f"{base}/bench-{uuid.uuid4().hex[:8]}"
        else:
            print(f"[{name}] skipped: {ENGINES[name]} is not set")
    return urls


def main() -> None:
    """Build (or reuse) the database, then benchmark every backend."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--materials", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--instance", help="Reuse the database of an earlier run.")
    parser.add_argument("--backends", default="sqlite,opensearch,elasticsearch")
    parser.add_argument(
        "--facets", help="Facets asked for (API default: all; 'none' for no counts)."
    )
    parser.add_argument(
        "--corpus",
        choices=sorted(synthetic.CORPORA),
        default="hard",
        help="Words of items and queries (--instance must hold the same corpus).",
    )
    args = parser.parse_args()
    synthetic.use_corpus(args.corpus)
    instance = args.instance or tempfile.mkdtemp(prefix="bench-search-")
    db_url = f"sqlite:///{instance}/bench.sqlite3"
    if not args.instance:
        build_database(db_url, instance, args)
    queries = make_queries(args.queries + WARM_UP, args.facets)
    print(
        f"{args.queries} queries (+{WARM_UP} warm-up), facets={args.facets or 'all'}, "
        f"corpus={args.corpus}"
    )
    for name, url in backend_urls(args.backends.split(","), instance).items():
        run_backend(name, db_url, instance, url, queries)


if __name__ == "__main__":
    main()
