"""The steps of storing one upload, each turning pure findings into clear errors."""

from flask import current_app
from flask_babel import gettext as _

from repo_server.errors import Invalid
from repo_server.files import detect, zips
from repo_server.files.detect import FileType, Rejected
from repo_server.files.errors import TooLarge, Unsupported
from repo_server.files.extract import READERS, Extracted, extract_text
from repo_server.files.names import (
    clean_filename,
    extension,
    is_dangerous,
    with_extension,
)
from repo_server.files.streams import Probe, read_range, seekable_copy
from storage import Storage, StorageLimitError, StoredFile

__all__ = ["Extracted"]
#: Multipart framing around the file: boundaries, part headers, small fields.
MULTIPART_SLACK = 1024 * 1024
#: Largest ZIP central directory fetched back from storage to name a format.
MAX_DIRECTORY = 64 * 1024 * 1024
#: How each family is named in messages.
KINDS = {
    "pdf": "PDF",
    "word": "văn bản Word/ODT",
    "slides": "bài trình chiếu",
    "sheet": "bảng tính",
    "image": "ảnh",
    "svg": "ảnh SVG",
    "media": "âm thanh/video",
    "html": "trang HTML",
    "text": "văn bản thuần",
    "zip": "tệp nén ZIP",
    "scorm": "gói SCORM/IMS",
    "book": "sách EPUB",
    "other": "dữ liệu không rõ định dạng",
}


def human_size(size: int) -> str:
    """Return a size the way people read it: 2 GB, 8 MB, 512 KB."""
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} B"


def too_large() -> TooLarge:
    """Return the 413 error naming the configured limit."""
    limit = human_size(current_app.config["UPLOAD_MAX_BYTES"])
    return TooLarge(_("Tệp vượt quá dung lượng tối đa cho phép (%(n)s).", n=limit))


def empty_file() -> Invalid:
    """Return the 422 error of a zero-byte file."""
    return Invalid(_("Tệp rỗng (0 byte); hãy chọn đúng tệp cần tải lên."))


def check_declared_size(size: int | None, exact: bool = False) -> None:
    """Refuse a body or announced file larger than the limit before reading it."""
    if size is None:
        return
    if exact and size == 0:
        raise empty_file()
    slack = 0 if exact else MULTIPART_SLACK
    if size > current_app.config["UPLOAD_MAX_BYTES"] + slack:
        raise too_large()


def check_filename(filename: str) -> str:
    """Return the cleaned display name; refuse names that run as programs."""
    name = clean_filename(filename)
    if is_dangerous(name):
        raise Unsupported(
            _(
                "Không nhận tệp có đuôi %(ext)s vì nó có thể chạy như một chương trình.",
                ext=extension(name),
            )
        )
    return name


def sniff(head: bytes, name: str) -> FileType:
    """Detect the type from the first bytes; refuse empty files and programs."""
    try:
        found = detect.sniff(head, name)
        if not found.is_zip:
            detect.check_name(found, name)
    except Rejected as exc:
        raise _rejection(exc, name) from exc
    return found


def _rejection(exc: Rejected, name: str):
    """Return the clear 4xx error for a rejected file."""
    if exc.reason == "empty":
        return empty_file()
    if exc.reason == "executable":
        return Unsupported(
            _("Không nhận tệp %(name)s: đây là chương trình chạy được.", name=name)
        )
    kind = KINDS.get(exc.detected.family, exc.detected.mime)
    return Unsupported(
        _(
            "Tệp %(name)s có đuôi %(ext)s nhưng nội dung là %(kind)s; "
            "hãy đổi tên cho đúng định dạng rồi tải lên lại.",
            name=name,
            ext=extension(name),
            kind=kind,
        )
    )


def save(
    storage: Storage, source: Probe | str, detected: FileType, sha256: str | None = None
) -> StoredFile:
    """Store a stream or a local file's path (of digest ``sha256``, if known) by hash."""
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    try:
        if isinstance(source, str):
            stored = storage.save_file_by_hash(
                source, detected.mime, limit, sha256=sha256
            )
        else:
            stored = storage.save_by_hash(source, detected.mime, limit)
    except StorageLimitError as exc:
        raise too_large() from exc
    return stored


def full_type(storage, stored: StoredFile, probe: Probe, found: FileType, name: str):
    """Name ZIP-based formats from their entries, then check the name's extension."""
    try:
        if found.is_zip:
            found = _zip_type(storage, stored, probe)
        detect.check_name(found, name)
    except Rejected as exc:
        raise _rejection(exc, name) from exc
    return found


def _zip_type(storage: Storage, stored: StoredFile, probe: Probe) -> FileType:
    """Read the central directory from the tail, or fetch it back if it is longer."""
    try:
        return zips.zip_type(probe.head, probe.tail, stored.size)
    except zips.NeedBytes as need:
        if stored.size - need.offset > MAX_DIRECTORY:
            return detect.ZIP
        directory = read_range(storage, stored.key, need.offset)
        return zips.zip_type(probe.head, directory, stored.size)


def extract(storage: Storage, stored: StoredFile, mime: str) -> Extracted:
    """Extract the text of documents for search; never fails the upload."""
    if mime.partition(";")[0] not in READERS:
        return Extracted(None)
    config = current_app.config
    if stored.size > config["EXTRACT_MAX_BYTES"]:
        return Extracted(None, _("Tệp quá lớn để trích văn bản."))
    with seekable_copy(storage, stored.key, config["UPLOAD_DIR"]) as stream:
        return extract_text(
            stream, mime, config["EXTRACT_MAX_CHARS"], config["EXTRACT_SECONDS"]
        )


def named_for(name: str, detected: FileType) -> str:
    """Give a name without extension the usual one of its format."""
    return with_extension(name, detected.extension)
