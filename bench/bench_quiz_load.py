"""Load benchmark: N students start one 40-question quiz within a minute, save, submit.

The service runs as in production (``repo-server serve``: gunicorn, several gthread
workers) on PostgreSQL; an asyncio client (aiohttp) plays the students. Each student
logs in at a random moment of the start window, starts the attempt, saves an answer
every 5–15 s (``--saves`` of them), then submits; like the page, it tries a failed
login/start, save or submit again (3 times; every failure is counted). Afterwards
every acknowledged save is checked against the database: an answer is lost when its
row is missing or holds an older sequence number than the one the server acknowledged.

Usage: python bench/bench_quiz_load.py --database-url postgresql+psycopg://... \
           [--students 250,500,1000,2000] [--workers 2] [--threads 8] [--saves 8] [--window 60]
"""

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import aiohttp  # noqa: E402

from bench.bench_quiz_cpu import measure, print_table, process_cpu, server_pids  # noqa: E402
from bench.bench_quiz_setup import prepare_quiz, prepare_world, verify  # noqa: E402

PASSWORD = "mat-khau-bench"


class Recorder:
    """Latencies (ms) per request kind, errors by kind and status, acknowledged saves."""

    def __init__(self):
        self.latency = {k: [] for k in ("login", "start", "save", "submit")}
        self.errors: dict[str, int] = {}
        self.acked: dict[tuple[int, int], int] = {}
        self.submitted: set[int] = set()

    def error(self, kind: str, what) -> None:
        key = f"{kind}:{what}"
        self.errors[key] = self.errors.get(key, 0) + 1


async def _call(session, rec, kind, method, url, **kwargs):
    """One timed request; returns (status, JSON or None)."""
    began = time.perf_counter()
    try:
        async with session.request(method, url, **kwargs) as response:
            body = await response.json(content_type=None)
            rec.latency[kind].append((time.perf_counter() - began) * 1000)
            if response.status >= 400:
                rec.error(kind, response.status)
            return response.status, body, response
    except (TimeoutError, aiohttp.ClientError) as exc:
        rec.error(kind, type(exc).__name__)
        return None, None, None


async def student(session, base, email, quiz_id, delay, args, rec):
    """One student's journey: log in, start, save every 5–15 s, submit."""
    await asyncio.sleep(delay)
    for _try in range(3):  # a student whose page failed to load tries again
        joined = await _join(session, base, email, quiz_id, rec)
        if joined is not None:
            break
        await asyncio.sleep(2)
    else:
        rec.error("student", "gave up")
        return
    attempt, headers = joined
    await _saves(session, base, attempt, headers, args, rec)
    url = f"{base}/api/v1/attempts/{attempt['id']}/submit"
    for _try in range(3):  # a dropped submit is simply sent again
        status, _b, _r = await _call(
            session, rec, "submit", "POST", url, headers=headers
        )
        if status == 200:
            rec.submitted.add(attempt["id"])
            return


async def _join(session, base, email, quiz_id, rec):
    """Log in and start the attempt; return (attempt, headers) or None."""
    status, body, response = await _call(
        session, rec, "login", "GET", f"{base}/api/v1/session"
    )
    if status != 200:
        return None
    cookie = _cookie(response)
    headers = {"X-CSRFToken": body["csrf_token"], "Cookie": cookie}
    login = {"email": email, "password": PASSWORD}
    url = f"{base}/api/v1/session"
    status, body, response = await _call(
        session, rec, "login", "POST", url, json=login, headers=headers
    )
    if status != 200:
        return None
    headers = {"X-CSRFToken": body["csrf_token"], "Cookie": _cookie(response) or cookie}
    url = f"{base}/api/v1/quizzes/{quiz_id}/start"
    status, attempt, _r = await _call(
        session, rec, "start", "POST", url, headers=headers
    )
    return (attempt, headers) if status == 200 else None


async def _saves(session, base, attempt, headers, args, rec):
    questions = attempt["questions"]
    for n in range(args.saves):
        await asyncio.sleep(random.uniform(5, 15))
        question = questions[n % len(questions)]
        response = _answer(question["item"])
        seq = time.time_ns() // 1000
        url = f"{base}/api/v1/attempts/{attempt['id']}/answers/{question['slot']}"
        for _try in range(3):  # the browser resends until acknowledged
            status, body, _r = await _call(
                session, rec, "save", "PUT", url,
                json={"response": response, "seq": seq}, headers=headers,
            )  # fmt: skip
            if status == 200:
                rec.acked[(attempt["id"], question["slot"])] = body["seq"]
                break
            await asyncio.sleep(1)


def _answer(item: dict):
    """A plausible response for the item type."""
    choices = [c["id"] for c in item.get("choices", [])]
    if item["type"] == "multiple_response":
        return random.sample(choices, 2)
    if item["type"] == "true_false_cluster":
        return {s["id"]: random.random() < 0.5 for s in item["statements"]}
    if item["type"] == "numeric":
        return str(random.randint(1, 9))
    if item["type"] == "true_false":
        return random.choice(["true", "false"])
    return random.choice(choices)


def _cookie(response) -> str:
    morsel = response.cookies.get("session") if response is not None else None
    return f"session={morsel.value}" if morsel else ""


def percentiles(values: list[float]) -> str:
    """p50/p95/p99 in ms."""
    if len(values) < 2:
        return "—"
    q = statistics.quantiles(values, n=100, method="inclusive")
    return f"{q[49]:.0f} / {q[94]:.0f} / {q[98]:.0f}"


async def run_load(base, emails, quiz_id, args) -> Recorder:
    """Every student's journey at once, starting within the window."""
    rec = Recorder()
    # Idle connections are dropped before gunicorn's 15 s keep-alive closes them, so
    # a request is never written into a connection the server is closing.
    connector = aiohttp.TCPConnector(limit=args.connections, keepalive_timeout=10.0)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()
    ) as session:
        await asyncio.gather(
            *[
                student(session, base, email, quiz_id,
                        random.uniform(0, args.window), args, rec)
                for email in emails
            ]
        )  # fmt: skip
    return rec


def start_server(args, env) -> subprocess.Popen:
    """``repo-server serve`` on the bench database; wait until it answers."""
    log = open(os.path.join(args.instance, "server.log"), "w")  # noqa: SIM115
    server = subprocess.Popen(
        [os.path.join(os.path.dirname(sys.executable), "repo-server"), "serve",
         "--host", "127.0.0.1", "--port", str(args.port), "--workers", str(args.workers),
         "--threads", str(args.threads)],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    import urllib.request

    for _ in range(100):
        try:
            urllib.request.urlopen(
                f"http://127.0.0.1:{args.port}/api/v1/health", timeout=2
            )
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("the server did not start (see server.log)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--students", default="250,500,1000,2000")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--cpu-students", type=int, default=200,
                        help="students of the one-at-a-time CPU table (0: none)")  # fmt: skip
    parser.add_argument("--saves", type=int, default=8)
    parser.add_argument("--window", type=float, default=60.0)
    parser.add_argument("--connections", type=int, default=400)
    parser.add_argument("--port", type=int, default=5901)
    args = parser.parse_args()
    args.instance = tempfile.mkdtemp(prefix="bench-quiz-")
    sizes = [int(n) for n in args.students.split(",")]
    env = {**os.environ, "REPO_DATABASE_URL": args.database_url,
           "REPO_INSTANCE_PATH": args.instance, "REPO_SEARCH_URL": "sqlite://"}  # fmt: skip
    emails = prepare_world(args, max(sizes), PASSWORD)
    server = start_server(args, env)
    best = 0
    try:
        if args.cpu_students:
            cpu_emails = emails[: args.cpu_students]
            print_table(measure(args, server.pid, cpu_emails, PASSWORD, _answer),
                        len(cpu_emails))  # fmt: skip
        print(f"server: {args.workers} gunicorn gthread workers × {args.threads} threads; "
              f"{args.saves} saves per student, start window {args.window:.0f} s")  # fmt: skip
        print("| N | start p50/p95/p99 ms | save p50/p95/p99 ms | submit p50/p95/p99 ms "
              "| saves | errors | lost | load avg |")  # fmt: skip
        print("|---|---|---|---|---|---|---|---|")
        for n in sizes:
            quiz_id, generated = prepare_quiz(args, emails[:n])
            began, cpu = time.time(), process_cpu(server_pids(server.pid))
            driver = time.process_time()
            rec = asyncio.run(run_load(f"http://127.0.0.1:{args.port}", emails[:n],
                                       quiz_id, args))  # fmt: skip
            driver = time.process_time() - driver
            lost, unsubmitted = verify(args, rec.acked, rec.submitted)
            errors = (
                ", ".join(f"{k} ×{v}" for k, v in sorted(rec.errors.items())) or "0"
            )
            p95 = _p95(rec.latency["save"])
            if p95 is not None and p95 < 300 and lost == 0:
                best = n
            print(f"| {n} | {percentiles(rec.latency['start'])} "
                  f"| {percentiles(rec.latency['save'])} | {percentiles(rec.latency['submit'])} "
                  f"| {len(rec.latency['save'])} | {errors} | {lost} (unscored {unsubmitted}) "
                  f"| {os.getloadavg()[0]:.1f} |", flush=True)  # fmt: skip
            requests = max(sum(len(v) for v in rec.latency.values()), 1)
            used = process_cpu(server_pids(server.pid)) - cpu
            print(f"  (N={n}: {generated} attempts pre-generated at publication; run took "
                  f"{time.time() - began:.0f} s; {requests} requests; server CPU "
                  f"{used:.0f} s = {1000 * used / requests:.1f} ms per request; driver "
                  f"CPU {1000 * driver / requests:.1f} ms per request)", flush=True)  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"\nLargest N with save p95 < 300 ms and no lost answer: {best or 'none'}")


def _p95(values):
    if len(values) < 2:
        return None
    return statistics.quantiles(values, n=100, method="inclusive")[94]


if __name__ == "__main__":
    main()
