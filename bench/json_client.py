"""A tiny JSON client with a Bearer token for benchmarks (no CSRF needed)."""

import http.client
import json
import time


class Api:
    """A tiny JSON client with a Bearer token (no CSRF needed)."""

    def __init__(self, port: int, token: str):
        self.port, self.token, self.last_file_id = port, token, None

    def wait_ready(self) -> None:
        """Wait until the server answers its health check."""
        for _ in range(100):
            try:
                self.request("GET", "/api/v1/health")
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("server did not start")

    def request(self, method, path, body=None, headers=None) -> dict:
        """Send one request and return its JSON answer (raise on 4xx/5xx)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        headers = {"Authorization": f"Bearer {self.token}", **(headers or {})}
        if isinstance(body, dict):
            body, headers["Content-Type"] = json.dumps(body), "application/json"
        connection.request(method, path, body, headers)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        if response.status >= 400:
            raise RuntimeError(f"{method} {path}: {response.status} {data[:300]!r}")
        return json.loads(data) if data else {}
