"""Read a request body of known length straight from gunicorn's client socket.

gunicorn's body reader passes every received chunk through two ``BytesIO`` buffers,
several copies of each byte under the GIL: for a 1 GiB upload the copies, not the disk,
set the pace. Here each chunk comes from one ``recv`` and is handed on as it is.
gunicorn's own length counter is kept exact, so after the view it drains (or reuses,
with keep-alive) the connection exactly as if it had read the body itself.
"""

import socket
import struct
from typing import Any, BinaryIO

from flask import Request, current_app
from flask_babel import gettext as _

from repo_server.errors import Invalid

#: Largest single receive; MSG_WAITALL makes the kernel fill it in one call.
RECV_SIZE = 1024 * 1024


class SocketBody:
    """The rest of a request body, read from the socket with one copy per byte."""

    def __init__(self, sock: socket.socket, body: Any, prefix: bytes) -> None:
        """Read ``prefix`` (already received by gunicorn) first, then the socket."""
        self._sock, self._body, self._prefix = sock, body, prefix
        self._reader = body.reader

    def read(self, size: int = -1) -> bytes:
        """Return up to ``size`` next bytes of the body (``b""`` at its end)."""
        if self._prefix:
            chunk = self._prefix if size < 0 else self._prefix[:size]
            self._prefix = self._prefix[len(chunk) :]
            return chunk
        want = self._reader.length if size < 0 else min(size, self._reader.length)
        if want <= 0:
            return b""
        try:
            chunk = self._sock.recv(min(want, RECV_SIZE), socket.MSG_WAITALL)
        except BlockingIOError as exc:  # SO_RCVTIMEO ran out
            self.fail()
            raise stalled() from exc
        except OSError:
            self.fail()
            raise
        if not chunk:
            self.fail()
            raise disconnected()
        self._reader.length -= len(chunk)
        return chunk

    def limit_idle(self, seconds: float) -> None:
        """Drop the upload when no byte arrives for ``seconds``.

        A kernel timeout (SO_RCVTIMEO): ``recv`` with MSG_WAITALL honours it, where a
        Python socket timeout would make every read return early.
        """
        timeout = struct.pack("ll", int(seconds), int(seconds % 1 * 1e6))
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, timeout)

    def fail(self) -> None:
        """Mark the connection unusable: where the next request starts is unknown."""
        self._body.failed = True


def disconnected() -> Invalid:
    """Return the error of a client gone before the end of its body."""
    return Invalid(_("Kết nối bị ngắt trước khi nhận hết dữ liệu gửi lên."))


def stalled() -> Invalid:
    """Return the error of a client that stopped sending its body."""
    return Invalid(_("Quá lâu không nhận được dữ liệu gửi lên; hãy gửi lại."))


def direct_body(environ: dict) -> SocketBody | None:
    """Return a direct reader of the body when gunicorn serves it, else None."""
    body, sock = environ.get("wsgi.input"), environ.get("gunicorn.socket")
    reader = getattr(body, "reader", None)
    unreader = getattr(reader, "unreader", None)
    if sock is None or type(reader).__name__ != "LengthReader" or unreader is None:
        return None  # chunked transfer, another server, or gunicorn changed shape
    if body.buf.tell() or not isinstance(getattr(reader, "length", None), int):
        return None  # part of the body already went through gunicorn's buffers
    held = unreader.buf.getvalue()
    unreader.buf.seek(0)
    unreader.buf.truncate()
    # Only this body's bytes are taken; a pipelined next request stays with gunicorn.
    prefix, rest = held[: reader.length], held[reader.length :]
    if rest:
        unreader.unread(rest)
    reader.length -= len(prefix)
    return SocketBody(sock, body, prefix)


def request_body(request: Request) -> BinaryIO:
    """Return the request body, read as directly as the server allows."""
    stream = request.stream  # checks Content-Length against the request's limit (413)
    environ = request.environ
    if request.content_length is not None and (direct := direct_body(environ)):
        direct.limit_idle(current_app.config["UPLOAD_IDLE_SECONDS"])
        return direct  # type: ignore[return-value]
    if environ.get("wsgi.input_terminated") and request.content_length is not None:
        # the server ends the body at Content-Length; werkzeug's wrapper would only
        # copy every chunk once more
        return environ["wsgi.input"]
    return stream
