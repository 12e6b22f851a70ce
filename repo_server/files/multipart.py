"""Read the file of a multipart/form-data body as it arrives, never spooling it.

werkzeug's form parser writes large parts to a temporary file before the view runs;
this reader hands the bytes straight to storage instead (hashed while they are written).
"""

from typing import BinaryIO

from flask import Request
from flask_babel import gettext as _
from werkzeug.sansio.multipart import NEED_DATA, Epilogue, File, MultipartDecoder

from repo_server.errors import Invalid

#: Bytes read from the network at a time.
READ_SIZE = 1024 * 1024
#: Most bytes the decoder may hold at once (one read plus part headers).
DECODER_LIMIT = 2 * READ_SIZE
LINE_ENDS = (b"\r", b"\n")


class MultipartFile:
    """The part named ``field`` of a multipart body: ``open()`` → name, then ``read``.

    werkzeug's decoder parses the preamble and part headers; the file's data, which
    may be gigabytes, is then scanned for the closing delimiter with ``bytes.find``.
    """

    def __init__(self, request: Request, boundary: str | None, field: str):
        """Parse lazily: nothing is checked or read before ``open()``."""
        self._request, self._boundary, self._field = request, boundary, field
        self._stream: BinaryIO | None = None
        self._marker = b"--" + (boundary or "").encode("latin-1")
        #: Bytes held back: a delimiter may straddle two network reads.
        self._keep = len(self._marker) + 4
        self._pending = bytearray()
        self._search = 0
        self._done = False

    def open(self) -> str:
        """Skip to the file part and return the file name the client gave."""
        if not self._boundary:
            raise Invalid(
                _(
                    "Hãy gửi tệp dưới dạng multipart/form-data (trường '%(f)s').",
                    f=self._field,
                )
            )
        self._stream = _body(self._request)
        decoder = MultipartDecoder(self._marker[2:], DECODER_LIMIT, max_parts=20)
        while True:
            event = self._next_event(decoder)
            if isinstance(event, File) and event.name == self._field:
                self._start_data(decoder.buffer)
                return event.filename or ""
            if isinstance(event, Epilogue):
                raise Invalid(
                    _("Thiếu tệp: hãy gửi tệp trong trường '%(f)s'.", f=self._field)
                )

    def _next_event(self, decoder: MultipartDecoder):
        """Return the decoder's next event, feeding it from the network as needed."""
        try:
            event = decoder.next_event()
            while event is NEED_DATA:
                decoder.receive_data(self._stream.read(READ_SIZE) or None)
                event = decoder.next_event()
        except ValueError as exc:
            raise _malformed() from exc
        return event

    def _start_data(self, buffered: bytearray) -> None:
        """Take over what the decoder read past the headers, minus one line break."""
        self._pending = bytearray(buffered)
        while len(self._pending) < 2 and (chunk := self._stream.read(READ_SIZE)):
            self._pending += chunk
        cut = 2 if self._pending[:2] == b"\r\n" else int(self._pending[:1] in LINE_ENDS)
        self._scan()  # an empty file's delimiter may reuse the blank line's break
        del self._pending[: min(cut, len(self._pending))]
        self._search = max(0, self._search - cut)

    def read(self, size: int = -1) -> bytes:
        """Return the next bytes of the file (maybe fewer than ``size``; ``b""`` at end)."""
        while not self._done and len(self._pending) <= self._keep:
            chunk = self._stream.read(READ_SIZE)
            if not chunk:
                raise _malformed()  # the body ended before the closing delimiter
            self._pending += chunk
            self._scan()
        ready = len(self._pending) - (0 if self._done else self._keep)
        count = ready if size < 0 else min(size, ready)
        with memoryview(self._pending) as view:
            chunk = bytes(view[:count])  # one copy (a bytearray slice would be two)
        del self._pending[:count]
        self._search = max(0, self._search - count)
        return chunk

    def _scan(self) -> None:
        """Cut the pending bytes at the closing delimiter once it has arrived."""
        pending, marker = self._pending, self._marker
        while (at := pending.find(marker, self._search)) >= 0:
            after = pending[at + len(marker) : at + len(marker) + 2]
            if len(after) < 2:  # cannot tell yet: look here again with more bytes
                self._search = max(0, at - 2)
                return
            before = 2 if pending[max(0, at - 2) : at] == b"\r\n" else 0
            before = before or int(pending[at - 1 : at] in LINE_ENDS)
            if before and (after == b"--" or after[:1] in b" \t\r\n"):
                del pending[at - before :]
                self._done = True
                return
            self._search = at + 1
        self._search = max(0, len(pending) - self._keep)


def _body(request: Request) -> BinaryIO:
    """Return the request body, unwrapped when the server itself stops at its end."""
    stream = request.stream  # checks Content-Length against the request's limit (413)
    environ = request.environ
    if environ.get("wsgi.input_terminated") and request.content_length is not None:
        # gunicorn ends the body at Content-Length; werkzeug's wrapper would only copy
        # every chunk once more (the copies, not the disk, bound a large upload)
        return environ["wsgi.input"]
    return stream


def _malformed() -> Invalid:
    """Return the 422 error of a body that is not valid multipart/form-data."""
    return Invalid(_("Dữ liệu multipart/form-data không hợp lệ hoặc bị cắt ngang."))


def file_field(request: Request, field: str = "file") -> MultipartFile:
    """Return a lazy, streaming reader of the request's file field."""
    multipart = request.mimetype == "multipart/form-data"
    boundary = request.mimetype_params.get("boundary") if multipart else None
    return MultipartFile(request, boundary, field)
