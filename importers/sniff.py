"""Recognise files we cannot read (old Office formats, encrypted Office) with a clear message."""

from __future__ import annotations

from typing import BinaryIO

from qti import QtiError

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"


def refuse_legacy(stream: BinaryIO, name: str) -> None:
    """Raise a Vietnamese message for .doc/.xls and password-protected Office files."""
    head = stream.read(8)
    stream.seek(0)
    if head == OLE:
        data = stream.read(1 << 20)
        stream.seek(0)
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise QtiError(
                f"Tệp {name} được đặt mật khẩu; hãy gỡ mật khẩu rồi tải lên lại.",
                "file",
            )
        raise QtiError(
            f"Tệp {name} là định dạng Word/Excel cũ (.doc/.xls); hãy mở bằng Word/Excel "
            "và lưu lại dưới dạng .docx/.xlsx.",
            "file",
        )
    if head[:4] != ZIP:
        raise QtiError(
            f"Tệp {name} bị hỏng hoặc không phải tệp Office (.docx/.xlsx).", "file"
        )
