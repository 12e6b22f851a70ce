"""The multipart upload of a material's file: streamed to storage, or spliced to disk.

A large upload to local storage under gunicorn goes socket → file in the kernel
(``files.splice``) and the finished file is linked into place; anything else streams
through the multipart reader to the storage backend as it arrives.
"""

import os
import uuid
from contextlib import suppress

from flask import current_app

from repo_server.backends import get_storage
from repo_server.files import checks, service, splice
from repo_server.files.streams import HEAD_BYTES, FileProbe, Prefetch, read_up_to
from repo_server.materials.models import Material


def upload_file(user, material_id: int, source, declared_size: int | None):
    """Store the file of a multipart upload (``source.open()`` → name) on a material."""
    material = service.editable_material(user, material_id)
    checks.check_declared_size(declared_size)
    name = source.open()
    if _splices(source):
        return _store_spliced(user, material, source, name)
    with Prefetch(source) as stream:
        return service.store_file(user, material, stream, name)


def _splices(source) -> bool:
    """Tell whether the rest of an upload is worth receiving into a file in the kernel."""
    rest = source.socket_rest()
    if rest is None or rest[1].done or not get_storage().takes_local_files:
        return False
    minimum = current_app.config["UPLOAD_SPLICE_MIN_BYTES"]
    return splice.available(rest[0]) and rest[0].remaining >= minimum


def _store_spliced(user, material: Material, source, filename: str):
    """Receive a large upload into a file in UPLOAD_DIR, hashed on the way, and store it."""
    name = checks.check_filename(filename)
    head = read_up_to(source, HEAD_BYTES)
    checks.sniff(head, name)  # a refused type is refused before the rest arrives
    folder = current_app.config["UPLOAD_DIR"]
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{uuid.uuid4().hex}.multipart")
    try:
        idle = current_app.config["UPLOAD_IDLE_SECONDS"]
        received = splice.receive_file(source, path, head, idle)
        return service.store_probed(
            user, material, FileProbe(path), name, lambda: received
        )
    finally:
        with suppress(FileNotFoundError):
            os.unlink(path)  # stored files have their own link (or copy)
