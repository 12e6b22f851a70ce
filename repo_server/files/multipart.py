"""Read the file of a multipart/form-data body as it arrives, never spooling it.

werkzeug's form parser writes large parts to a temporary file before the view runs;
this reader hands the bytes straight to storage instead (hashed while they are written).
"""

from collections import deque
from typing import BinaryIO

from flask import Request
from flask_babel import gettext as _
from werkzeug.sansio.multipart import NEED_DATA, Epilogue, File, MultipartDecoder

from repo_server.errors import Invalid
from repo_server.files.socket_body import request_body

#: Bytes read from the network at a time.
READ_SIZE = 1024 * 1024
#: Most bytes the decoder may hold at once (one read plus part headers).
DECODER_LIMIT = 2 * READ_SIZE
LINE_ENDS = (b"\r", b"\n")


class MultipartFile:
    """The part named ``field`` of a multipart body: ``open()`` → name, then ``read``.

    werkzeug's decoder parses the preamble and part headers; the file's data, which
    may be gigabytes, is then scanned for the closing delimiter with ``bytes.find`` and
    handed on without copying: ``read`` returns bytes or read-only memoryviews of them.
    """

    def __init__(self, request: Request, boundary: str | None, field: str):
        """Parse lazily: nothing is checked or read before ``open()``."""
        self._request, self._boundary, self._field = request, boundary, field
        self._stream: BinaryIO | None = None
        self._marker = b"--" + (boundary or "").encode("latin-1")
        #: Bytes held back: a delimiter (line break, marker, two more bytes) may
        #: straddle two network reads, so it is only judged once wholly received.
        self._keep = len(self._marker) + 4
        self._held = b""
        self._ready: deque[bytes | memoryview] = deque()
        self._skip = 0
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
        self._stream = request_body(self._request)
        decoder = MultipartDecoder(self._marker[2:], DECODER_LIMIT, max_parts=20)
        while True:
            event = self._next_event(decoder)
            if isinstance(event, File) and event.name == self._field:
                self._start_data(bytes(decoder.buffer))
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

    def _start_data(self, buffered: bytes) -> None:
        """Take over what the decoder read past the headers, minus one line break."""
        while len(buffered) < 2 and (chunk := self._stream.read(READ_SIZE)):
            buffered += chunk
        # The break is dropped from the output only: an empty file's delimiter may
        # reuse the blank line's break, so the scan must still see it.
        self._skip = 2 if buffered[:2] == b"\r\n" else int(buffered[:1] in LINE_ENDS)
        self._feed(buffered)

    def read(self, size: int = -1) -> bytes | memoryview:
        """Return the next bytes of the file (maybe fewer than ``size``; ``b""`` at end)."""
        while not self._ready and not self._done:
            chunk = self._stream.read(READ_SIZE)
            if not chunk:
                raise _malformed()  # the body ended before the closing delimiter
            self._feed(chunk)
        if not self._ready:
            return b""
        piece = self._ready.popleft()
        if 0 <= size < len(piece):
            view = memoryview(piece)
            piece = view[:size]
            self._ready.appendleft(view[size:])
        return piece

    def _feed(self, chunk: bytes) -> None:
        """Release the bytes of ``held + chunk`` that cannot start the delimiter."""
        held, keep = self._held, self._keep
        if len(chunk) < keep:  # small: joining costs nothing
            held, chunk = b"", held + chunk
        # A delimiter starting in the held bytes is wholly in this window.
        window = held + chunk[:keep]
        cut = _delimiter(window, self._marker, 0, len(held))
        if cut is None:
            cut = _delimiter(chunk, self._marker, 0, len(chunk), before=held[-2:])
            cut = None if cut is None else len(held) + cut
        end = len(held) + len(chunk) - keep if cut is None else cut
        self._release(held, chunk, max(end, 0))
        if cut is None:
            self._held = (held + chunk)[-keep:] if len(chunk) < keep else chunk[-keep:]
        else:
            self._held, self._done = b"", True

    def _release(self, held: bytes, chunk: bytes, end: int) -> None:
        """Queue the first ``end`` bytes of ``held + chunk`` as file data."""
        pieces = [held[:end], memoryview(chunk)[: max(0, end - len(held))]]
        for piece in pieces:
            drop = min(self._skip, len(piece))
            self._skip -= drop
            if len(piece) > drop:
                self._ready.append(piece[drop:])


def _delimiter(
    data: bytes, marker: bytes, start: int, stop: int, before: bytes = b""
) -> int | None:
    """Return where the line break of a closing delimiter starts in ``data``.

    Only markers starting in ``[start, stop)`` whose two bytes after are present
    count; ``before`` holds the bytes preceding ``data`` (a break may start there,
    which yields a negative position).
    """
    at = data.find(marker, start)
    while 0 <= at < stop:
        after = data[at + len(marker) : at + len(marker) + 2]
        if len(after) < 2:
            return None  # judged later, once the held-back bytes are complete
        prior = (before + data[max(0, at - 2) : at])[-2:]
        brk = 2 if prior == b"\r\n" else int(prior[-1:] in LINE_ENDS)
        if brk and (after == b"--" or after[:1] in b" \t\r\n"):
            return at - brk
        at = data.find(marker, at + 1)
    return None


def _malformed() -> Invalid:
    """Return the 422 error of a body that is not valid multipart/form-data."""
    return Invalid(_("Dữ liệu multipart/form-data không hợp lệ hoặc bị cắt ngang."))


def file_field(request: Request, field: str = "file") -> MultipartFile:
    """Return a lazy, streaming reader of the request's file field."""
    multipart = request.mimetype == "multipart/form-data"
    boundary = request.mimetype_params.get("boundary") if multipart else None
    return MultipartFile(request, boundary, field)
