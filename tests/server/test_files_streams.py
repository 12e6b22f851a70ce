"""The streaming multipart reader, the read-ahead thread and the head/tail probe."""

import io
import os
import random

import pytest
from werkzeug.exceptions import ClientDisconnected

from repo_server.errors import Invalid
from repo_server.files import multipart
from repo_server.files.multipart import MultipartFile
from repo_server.files.streams import TAIL_BYTES, Prefetch, Probe

BOUNDARY = "----b0undary"


class FakeRequest:
    """What MultipartFile uses of a request: its body stream."""

    def __init__(self, body: bytes, environ: dict | None = None):
        self.stream = io.BytesIO(body)
        self.environ = environ or {}
        self.content_length = len(body)


def body(data: bytes, before: bytes = b"", eol: bytes = b"\r\n", name=b"file") -> bytes:
    """A multipart body: an optional text field, the file part, the end."""
    start = b"--" + BOUNDARY.encode()
    field = (
        start + eol + b'Content-Disposition: form-data; name="note"' + eol + eol
        if before
        else b""
    )
    field += before + eol if before else b""
    return (
        field
        + start
        + eol
        + b'Content-Disposition: form-data; name="'
        + name
        + '"; filename="Bài 1.pdf"'.encode()
        + eol
        + b"Content-Type: application/pdf"
        + eol
        + eol
        + data
        + eol
        + start
        + b"--"
        + eol
    )


def read_all(reader: MultipartFile, size: int = 1000) -> bytes:
    parts = []
    while chunk := reader.read(size):
        parts.append(chunk)
    return b"".join(parts)


@pytest.mark.parametrize("read_size", [1, 7, 64, 1024 * 1024])
@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"x",
        b"\r\n",
        b"--" + BOUNDARY.encode() + b"X inside, not a delimiter",
        b"line\r\n--" + BOUNDARY.encode()[:-1] + b"\r\nnearly",
        os.urandom(5000),
    ],
)
def test_the_file_comes_out_exactly(monkeypatch, read_size, data):
    monkeypatch.setattr(multipart, "READ_SIZE", read_size)
    reader = MultipartFile(FakeRequest(body(data, before=b"ghi chu")), BOUNDARY, "file")
    assert reader.open() == "Bài 1.pdf"
    assert read_all(reader, 13) == data


class ChoppyStream(io.BytesIO):
    """A body that arrives in pieces of random sizes, as from a network."""

    def __init__(self, data: bytes, rng: random.Random):
        super().__init__(data)
        self._rng = rng

    def read(self, size: int = -1) -> bytes:
        return super().read(self._rng.randint(1, 40))


def _holds_a_delimiter(data: bytes, eol: bytes, marker: bytes) -> bool:
    """Tell whether a line break, the marker and "--" or a blank occur in data."""
    text = eol + data + eol
    at = text.find(marker)
    while at >= 0:
        after = text[at + len(marker) : at + len(marker) + 2]
        if text[at - 1 : at] in (b"\r", b"\n") and (
            after == b"--" or after[:1].isspace()
        ):
            return True
        at = text.find(marker, at + 1)
    return False


@pytest.mark.parametrize("seed", range(40))
def test_delimiter_look_alikes_split_anywhere_come_out_exactly(seed):
    rng = random.Random(seed)
    marker = b"--" + BOUNDARY.encode()
    pieces = [b"\r", b"\n", b"\r\n", b"-", b"x", marker, marker[:-1], marker + b"X"]
    eol = rng.choice([b"\r\n", b"\n"])
    data = marker  # regenerated until no real delimiter hides in it
    while _holds_a_delimiter(data, eol, marker):
        data = b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        data = data.rstrip(b"\r\n")  # a trailing break belongs to the delimiter
    request = FakeRequest(b"")
    request.stream = ChoppyStream(body(data, eol=eol), rng)
    reader = MultipartFile(request, BOUNDARY, "file")
    reader.open()
    assert read_all(reader, rng.randint(1, 50)) == data


def test_a_server_terminated_body_is_read_without_werkzeug_wrapper():
    data = os.urandom(3000)
    raw = io.BytesIO(body(data))
    terminated = {"wsgi.input_terminated": True, "wsgi.input": raw}
    request = FakeRequest(b"", terminated)
    request.content_length = len(raw.getvalue())
    reader = MultipartFile(request, BOUNDARY, "file")
    assert reader.open() == "Bài 1.pdf"
    assert read_all(reader) == data
    assert raw.tell() == len(raw.getvalue())


def test_bare_line_feeds_are_understood():
    reader = MultipartFile(FakeRequest(body(b"abc\ndef", eol=b"\n")), BOUNDARY, "file")
    reader.open()
    assert read_all(reader) == b"abc\ndef"


def test_a_body_cut_short_is_invalid():
    cut = body(os.urandom(3000))[:-200]
    reader = MultipartFile(FakeRequest(cut), BOUNDARY, "file")
    reader.open()
    with pytest.raises(Invalid):
        read_all(reader)


def test_missing_field_and_missing_boundary():
    with pytest.raises(Invalid, match="trường 'file'"):
        MultipartFile(FakeRequest(body(b"x", name=b"other")), BOUNDARY, "file").open()
    with pytest.raises(Invalid, match="multipart/form-data"):
        MultipartFile(FakeRequest(b""), None, "file").open()


def test_prefetch_reads_ahead_and_passes_errors_on():
    data = os.urandom(3 * 1024 * 1024 + 5)
    with Prefetch(io.BytesIO(data), chunk_size=64 * 1024, depth=2) as stream:
        got = b"".join(iter(lambda: stream.read(100_000), b""))
        assert stream.read(10) == b""
    assert got == data

    class Dropping(io.RawIOBase):
        def readable(self):
            return True

        def readinto(self, buffer):
            raise ClientDisconnected()

    with Prefetch(Dropping()) as stream, pytest.raises(ClientDisconnected):
        stream.read(10)


def test_prefetch_stops_when_the_reader_gives_up(started_threads):
    endless = io.BytesIO(b"x" * (64 * 1024 * 1024))
    with Prefetch(endless, chunk_size=1024, depth=2) as stream:
        stream.read(10)
    assert not started_threads()


def test_the_probe_keeps_head_and_tail():
    data = os.urandom(3 * TAIL_BYTES + 17)
    probe = Probe(io.BytesIO(data))
    assert probe.head == data[: len(probe.head)] and len(probe.head) == 64 * 1024
    out = b"".join(iter(lambda: probe.read(100_000), b""))
    assert out == data and probe.size == len(data)
    assert probe.tail == data[-TAIL_BYTES:]
