"""Pictures for question text: store an image once (a blob), hand back its URL, serve it.

Question text refers to a picture as ``<img src="/api/v1/media/<sha256>">``. The
same bytes are stored once (``storage.save_by_hash``) and marked as question media,
which keeps them from ``storage gc``. Anyone logged in may fetch a picture by its
hash: the hash is only known to those shown the text that holds it.
"""

import io
import logging
import re
from typing import BinaryIO

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from repo_server.backends import get_storage
from repo_server.errors import Conflict, Invalid, NotFound
from repo_server.extensions import db
from repo_server.files import checks
from repo_server.files.blobs import add_blobs, discard_blob
from repo_server.files.errors import Unsupported
from repo_server.files.streams import Probe
from repo_server.lifecycle.service import require_author_role
from repo_server.media.models import QuestionMedia

logger = logging.getLogger(__name__)
URL_PREFIX = "/api/v1/media/"
_OUR_URL = re.compile(re.escape(URL_PREFIX) + r"([0-9a-f]{64})")
#: Families of types a question may show (no SVG: it can carry script).
IMAGE_FAMILIES = ("image",)


def media_url(sha256: str) -> str:
    """The ``src`` question text uses for a stored picture."""
    return URL_PREFIX + sha256


def sha_of(src: str) -> str | None:
    """Return the hash a ``src`` of ours names, or None for any other source."""
    found = _OUR_URL.fullmatch(src or "")
    return found.group(1) if found else None


def upload_media(user, upload) -> QuestionMedia:
    """Store an uploaded picture (a werkzeug ``FileStorage``) for question text."""
    require_author_role(user)
    if upload is None:
        raise Invalid(_("Chưa chọn ảnh."), {"file": [_("Bắt buộc.")]})
    return store_media(user, upload.stream, upload.filename or "anh")


def store_media(user, stream: BinaryIO, filename: str) -> QuestionMedia:
    """Store picture bytes once, mark them as question media and commit."""
    name = checks.check_filename(filename)
    probe = Probe(stream)
    detected = checks.sniff(probe.head, name)
    if detected.family not in IMAGE_FAMILIES:
        raise Unsupported(
            _("Tệp %(name)s không phải ảnh PNG, JPEG, GIF hoặc WebP.", name=name)
        )
    stored = checks.save(get_storage(), probe, detected)
    try:
        row = _mark(user, stored, detected.mime)
        db.session.commit()
    except IntegrityError as exc:  # the same picture stored at the same moment
        discard_blob(stored.sha256, stored.key)
        raise Conflict(_("Ảnh giống hệt đang được tải lên; vui lòng thử lại.")) from exc
    except Exception:
        discard_blob(stored.sha256, stored.key)
        raise
    logger.info("question picture %s stored by %s", stored.sha256, user.email)
    return row


def store_media_bytes(user, data: bytes, filename: str) -> QuestionMedia:
    """``store_media`` for bytes already in memory (package entries)."""
    return store_media(user, io.BytesIO(data), filename)


def _mark(user, stored, mime: str) -> QuestionMedia:
    add_blobs([(stored, mime)])
    row = db.session.get(QuestionMedia, stored.sha256)
    if row is None:
        row = QuestionMedia(blob_sha256=stored.sha256, uploaded_by_id=user.id)
        db.session.add(row)
    db.session.flush()
    return row


def get_media(sha256: str) -> QuestionMedia:
    """Return the question picture with this hash, or raise 404."""
    row = db.session.get(QuestionMedia, sha256)
    if row is None:
        raise NotFound(_("Không tìm thấy ảnh."))
    return row


def dump_media(row: QuestionMedia) -> dict:
    """The JSON of a stored picture: the ``src`` to put in question text."""
    blob = row.blob
    return {
        "sha256": blob.sha256,
        "src": media_url(blob.sha256),
        "content_type": blob.content_type,
        "size": blob.size,
    }
