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


class DelimiterScan:
    """The data of one part, released as raw body bytes arrive.

    The data, which may be gigabytes, is scanned for the closing delimiter with
    ``bytes.find`` and released without copying: pieces are bytes or read-only
    memoryviews of the chunks fed. A delimiter (line break, marker, two more bytes)
    may straddle two chunks, so the last bytes of each chunk are held back until
    they can be judged.
    """

    def __init__(self, marker: bytes):
        """Scan for ``marker`` (``--`` + boundary)."""
        self.marker, self.keep = marker, len(marker) + 4
        self.held = b""
        self.ready: deque[bytes | memoryview] = deque()
        self.skip = 0
        self.done = False

    def start(self, first: bytes) -> None:
        """Feed the first bytes after the part headers (at least two of them)."""
        # The break is dropped from the output only: an empty file's delimiter may
        # reuse the blank line's break, so the scan must still see it.
        self.skip = 2 if first[:2] == b"\r\n" else int(first[:1] in LINE_ENDS)
        self.feed(first)

    def feed(self, chunk: bytes) -> None:
        """Release the bytes of ``held + chunk`` that cannot start the delimiter."""
        held, keep = self.held, self.keep
        if len(chunk) < keep:  # small: joining costs nothing
            held, chunk = b"", held + chunk
        # A delimiter starting in the held bytes is wholly in this window.
        window = held + chunk[:keep]
        cut = _delimiter(window, self.marker, 0, len(held))
        if cut is None:
            cut = _delimiter(chunk, self.marker, 0, len(chunk), before=held[-2:])
            cut = None if cut is None else len(held) + cut
        end = len(held) + len(chunk) - keep if cut is None else cut
        self._release(held, chunk, max(end, 0))
        if cut is None:
            self.held = (held + chunk)[-keep:] if len(chunk) < keep else chunk[-keep:]
        else:
            self.held, self.done = b"", True

    def _release(self, held: bytes, chunk: bytes, end: int) -> None:
        """Queue the first ``end`` bytes of ``held + chunk`` as data."""
        pieces = [held[:end], memoryview(chunk)[: max(0, end - len(held))]]
        for piece in pieces:
            drop = min(self.skip, len(piece))
            self.skip -= drop
            if len(piece) > drop:
                self.ready.append(piece[drop:])

    def pop(self, size: int = -1) -> bytes | memoryview:
        """Return the next released piece, at most ``size`` bytes (``b""`` if none)."""
        if not self.ready:
            return b""
        piece = self.ready.popleft()
        if 0 <= size < len(piece):
            view = memoryview(piece)
            piece = view[:size]
            self.ready.appendleft(view[size:])
        return piece


class MultipartFile:
    """The part named ``field`` of a multipart body: ``open()`` → name, then ``read``.

    werkzeug's decoder parses the preamble and part headers; the file's data is then
    read through a DelimiterScan, without copies.
    """

    def __init__(self, request: Request, boundary: str | None, field: str):
        """Parse lazily: nothing is checked or read before ``open()``."""
        self._request, self._boundary, self._field = request, boundary, field
        self._stream: BinaryIO | None = None
        self._scan = DelimiterScan(b"--" + (boundary or "").encode("latin-1"))

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
        decoder = MultipartDecoder(self._scan.marker[2:], DECODER_LIMIT, max_parts=20)
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
            raise malformed() from exc
        return event

    def _start_data(self, buffered: bytes) -> None:
        """Take over what the decoder read past the headers."""
        while len(buffered) < 2 and (chunk := self._stream.read(READ_SIZE)):
            buffered += chunk
        self._scan.start(buffered)

    def read(self, size: int = -1) -> bytes | memoryview:
        """Return the next bytes of the file (maybe fewer than ``size``; ``b""`` at end)."""
        scan = self._scan
        while not scan.ready and not scan.done:
            chunk = self._stream.read(READ_SIZE)
            if not chunk:
                raise malformed()  # the body ended before the closing delimiter
            scan.feed(chunk)
        return scan.pop(size)


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


def malformed() -> Invalid:
    """Return the 422 error of a body that is not valid multipart/form-data."""
    return Invalid(_("Dữ liệu multipart/form-data không hợp lệ hoặc bị cắt ngang."))


def file_field(request: Request, field: str = "file") -> MultipartFile:
    """Return a lazy, streaming reader of the request's file field."""
    multipart = request.mimetype == "multipart/form-data"
    boundary = request.mimetype_params.get("boundary") if multipart else None
    return MultipartFile(request, boundary, field)
