"""Server CPU per request kind of the quiz load benchmark (one request at a time).

Against the running ``repo-server serve``, K students of a fresh quiz log in, start,
save (``saves`` each) and submit, one kind after the other and one request at a time
over a keep-alive connection, so the CPU the gunicorn processes and the database's
server processes used during a kind, divided by its requests, is that kind's cost:
the machine's other work does not count (it is CPU time, not wall-clock time).
"""

import http.client
import json
import os
import time

from bench.bench_quiz_setup import app_for, prepare_quiz

KINDS = ("login", "start", "save", "submit")


def process_cpu(pids) -> float:
    """User + system CPU seconds used so far by these processes."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            continue
    return total / os.sysconf("SC_CLK_TCK")


def server_pids(server_pid: int) -> list[int]:
    """The gunicorn master and its workers."""
    path = f"/proc/{server_pid}/task/{server_pid}/children"
    with open(path) as handle:
        return [server_pid] + [int(p) for p in handle.read().split()]


def database_pids(args) -> list[int]:
    """PostgreSQL server processes serving the bench database (empty if not local)."""
    from repo_server.extensions import db

    if not args.database_url.startswith("postgresql"):
        return []
    with app_for(args).app_context():
        rows = db.session.execute(
            db.text(
                "SELECT pid FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
        pids = [r[0] for r in rows]
        db.session.rollback()
    return [p for p in pids if os.path.exists(f"/proc/{p}/stat")]


class Client:
    """One keep-alive HTTP connection; the session cookie and CSRF token it holds."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie, self.token = "", ""

    def call(self, method: str, path: str, body=None):
        headers = {"Cookie": self.cookie, "X-CSRFToken": self.token}
        data = None
        if body is not None:
            data = json.dumps(body)
            headers["Content-Type"] = "application/json"
        try:
            self.conn.request(method, path, data, headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionError):
            self.conn.close()  # the server closed the idle keep-alive connection
            self.conn.request(method, path, data, headers)
            response = self.conn.getresponse()
        payload = json.loads(response.read() or b"null")
        cookie = response.getheader("Set-Cookie")
        if cookie and cookie.startswith("session="):
            self.cookie = cookie.split(";", 1)[0]
        if response.status >= 400:
            raise SystemExit(f"{method} {path}: {response.status} {payload}")
        return payload


def measure(args, server_pid: int, emails: list[str], password: str, answer) -> dict:
    """CPU ms per request of each kind: {kind: (requests, server ms, database ms)}."""
    quiz_id, _count = prepare_quiz(args, emails)
    pids, db_pids = server_pids(server_pid), database_pids(args)
    clients = [Client(args.port) for _ in emails]
    attempts, out = {}, {}

    def login(client, email):
        client.token = client.call("GET", "/api/v1/session")["csrf_token"]
        body = {"email": email, "password": password}
        client.token = client.call("POST", "/api/v1/session", body)["csrf_token"]
        return 2

    def start(client, email):
        attempts[email] = client.call("POST", f"/api/v1/quizzes/{quiz_id}/start")
        return 1

    def save(client, email):
        attempt = attempts[email]
        for n in range(args.saves):
            question = attempt["questions"][n % len(attempt["questions"])]
            path = f"/api/v1/attempts/{attempt['id']}/answers/{question['slot']}"
            body = {"response": answer(question["item"]), "seq": time.time_ns() // 1000}
            client.call("PUT", path, body)
        return args.saves

    def submit(client, email):
        client.call("POST", f"/api/v1/attempts/{attempts[email]['id']}/submit")
        return 1

    for kind, step in zip(KINDS, (login, start, save, submit), strict=True):
        cpu, db_cpu, requests = process_cpu(pids), process_cpu(db_pids), 0
        for client, email in zip(clients, emails, strict=True):
            requests += step(client, email)
        used = (process_cpu(pids) - cpu, process_cpu(db_pids) - db_cpu)
        out[kind] = (requests, *(1000 * u / requests for u in used))
    return out


def print_table(rows: dict, students: int) -> None:
    """The server-CPU table: ms of CPU per request of each kind."""
    print(f"\nServer CPU per request, {students} students one request at a time "
          f"(CPU time: valid on a busy machine; load avg {os.getloadavg()[0]:.1f}):")  # fmt: skip
    print("| kind | requests | gunicorn ms/request | PostgreSQL ms/request |")
    print("|---|---|---|---|")
    for kind, (requests, server, database) in rows.items():
        note = " (GET + POST /session)" if kind == "login" else ""
        print(f"| {kind}{note} | {requests} | {server:.2f} | {database:.2f} |")
    print(flush=True)
