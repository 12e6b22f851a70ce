"""The kernel path of uploads (files/splice.py) apart from gunicorn.

Its behaviour under a real gunicorn is tested, path by path, in test_files_gunicorn.py.
"""

import io
import os
import socket

import pytest

from repo_server.errors import Invalid
from repo_server.files import splice
from storage import StorageError


def test_only_a_socket_body_is_spliced():
    assert not splice.available(io.BytesIO(b"abc"))
    assert not splice.available(None)


def test_a_full_disk_is_a_storage_error():
    fd = os.open("/dev/full", os.O_WRONLY)
    try:
        with pytest.raises(StorageError, match="Không ghi được tệp tải lên"):
            splice._write_all(fd, b"x" * 4096)
    finally:
        os.close(fd)


def test_the_pipe_is_drained_into_the_file(tmp_path):
    pipe_out, pipe_in = os.pipe()
    target = tmp_path / "out.bin"
    fd = os.open(target, os.O_WRONLY | os.O_CREAT)
    try:
        os.write(pipe_in, b"abc" * 1000)
        splice._drain(pipe_out, fd, 3000)
    finally:
        os.close(fd), os.close(pipe_out), os.close(pipe_in)
    assert target.read_bytes() == b"abc" * 1000


def test_a_socket_feeds_the_file_through_a_pipe(tmp_path):
    here, there = socket.socketpair()

    class Body:  # SocketBody's surface, over a socket pair
        socket, remaining, failed, prefix = here, 6, False, b"ab"

        def take_prefix(self, limit):
            taken, self.prefix = self.prefix[:limit], self.prefix[limit:]
            return taken

        def consumed(self, count):
            self.remaining -= count

        def fail(self):
            self.failed = True

    target, body = tmp_path / "out.bin", Body()
    fd = os.open(target, os.O_WRONLY | os.O_CREAT)
    try:
        there.sendall(b"cdef")
        moved = []
        splice.splice_body(body, fd, 6, idle=5, moved=moved.append)
        there.close()
        with pytest.raises(Invalid, match="Kết nối bị ngắt"):
            splice.splice_body(body, fd, 1, idle=5)
    finally:
        os.close(fd), here.close()
    assert target.read_bytes() == b"abcdef" and sum(moved) == 6 and body.failed
