"""A bare WSGI app for the socket-body tests: gunicorn runs it in a subprocess."""

import hashlib

from repo_server.errors import Invalid
from repo_server.files.socket_body import direct_body


def app(environ, start_response):
    """Read ``?limit`` bytes of the body directly (all by default); answer their hash."""
    reader = direct_body(environ)
    limit = int(environ.get("QUERY_STRING") or -1)
    sha, size = hashlib.sha256(), 0
    try:
        while chunk := reader.read(_next_size(size, limit)):
            sha.update(chunk)
            size += len(chunk)
    except (Invalid, OSError):
        return []  # the client went away: nobody reads an answer
    body = f"{'direct' if reader else 'none'} {size} {sha.hexdigest()}".encode()
    start_response("200 OK", [("Content-Length", str(len(body)))])
    return [body]


def _next_size(size: int, limit: int) -> int:
    """Odd-sized reads, stopping at ``limit`` when one is given."""
    step = 1000 + size % 7
    return step if limit < 0 else min(step, limit - size)
