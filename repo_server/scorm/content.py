"""Serve a package's files to its player, sandboxed, through signed per-attempt links.

The link ``/scorm/content/<token>/<path>`` names an attempt (signed, expiring), so it
works without cookies: the iframe runs the package in an opaque origin (``sandbox``
without ``allow-same-origin``, in the iframe and again in the CSP), where it can
neither read the app's cookies nor send them. Every HTML page gets the runtime shim
first (scorm-again's ``CrossFrameAPI`` seeded with the attempt's CMI data), which
forwards the SCORM calls by ``postMessage`` to the real API in the player page.
"""

import functools
import json
import os
import re
from urllib.parse import quote

from flask import current_app, request
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from werkzeug.wsgi import wrap_file

from repo_server.backends import get_storage
from repo_server.errors import NotFound
from repo_server.extensions import db
from repo_server.scorm import cmi as cmidata
from repo_server.scorm.attempts import edition, entry, launchable
from repo_server.scorm.models import ScormAttempt, ScormFile
from scorm.paths import split_href

RUNTIME = "__khls__/runtime.js"
HTML_TYPES = ("text/html", "application/xhtml+xml")
#: Largest HTML page the runtime is injected into (bigger pages are served as they are).
MAX_INJECT_BYTES = 16 * 1024 * 1024
_HEAD = re.compile(rb"<head(\s[^>]*)?>", re.IGNORECASE)
_HTML = re.compile(rb"<html(\s[^>]*)?>", re.IGNORECASE)
SANDBOX = "sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads"


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="scorm-content")


def content_url(attempt: ScormAttempt, path: str = "") -> str:
    """Return the signed link to ``path`` of an attempt's package (player side)."""
    origin = request.host_url.rstrip("/")
    token = _signer().dumps({"a": attempt.id, "o": origin})
    base = current_app.config["SCORM_CONTENT_ORIGIN"].rstrip("/")
    page, rest = split_href(path)
    return f"{base}/scorm/content/{token}/{quote(page, safe='/')}{rest}"


def _read_token(token: str) -> tuple[ScormAttempt, str]:
    """Return the attempt and the player origin a link names, or NotFound."""
    try:
        data = _signer().loads(
            token, max_age=current_app.config["SCORM_CONTENT_SECONDS"]
        )
    except BadSignature as exc:
        raise NotFound(
            _("Liên kết nội dung bài giảng không hợp lệ hoặc đã hết hạn.")
        ) from exc
    attempt = db.session.get(ScormAttempt, data.get("a"))
    if attempt is None:
        raise NotFound(_("Không tìm thấy lượt học."))
    return attempt, str(data.get("o", ""))


def send_content(token: str, path: str):
    """Answer one file of the package (HTML with the runtime shim injected)."""
    attempt, origin = _read_token(token)
    if path == RUNTIME:
        return _secured(current_app.response_class(
            _runtime(attempt, origin), mimetype="text/javascript"), token, origin)  # fmt: skip
    row = db.session.scalar(
        select(ScormFile).where(
            ScormFile.package_id == attempt.package_id, ScormFile.path == path
        )
    )
    if row is None:
        raise NotFound(_("Gói không có tệp %(p)s.", p=path))
    stream = get_storage().open(row.blob.storage_key)
    mime = row.content_type
    if mime in HTML_TYPES and row.size <= MAX_INJECT_BYTES:
        with stream:
            body = inject(stream.read(), path)
        response = current_app.response_class(body, mimetype=mime)
    else:
        response = current_app.response_class(
            wrap_file(request.environ, stream), mimetype=mime, direct_passthrough=True
        )
        response.content_length = row.size
    return _secured(response, token, origin)


def inject(html: bytes, path: str) -> bytes:
    """Put the runtime script first in ``<head>`` (or the document), before the SCO's."""
    depth = path.count("/")
    tag = f'<script src="{"../" * depth}{RUNTIME}"></script>'.encode()
    for pattern in (_HEAD, _HTML):
        match = pattern.search(html, 0, 65536)
        if match:
            return html[: match.end()] + tag + html[match.end() :]
    return tag + html


def _secured(response, token: str, origin: str):
    """Add the headers that keep package content away from the app's origin."""
    base = current_app.config["SCORM_CONTENT_ORIGIN"].rstrip(
        "/"
    ) or request.host_url.rstrip("/")
    prefix = f"{base}/scorm/content/{token}/"
    own = f"'self' {prefix} data: blob:"
    response.headers["Content-Security-Policy"] = "; ".join([
        SANDBOX,
        f"default-src {own}",
        f"script-src {own} 'unsafe-inline' 'unsafe-eval'",
        f"style-src {own} 'unsafe-inline'",
        f"connect-src {prefix}",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        f"frame-ancestors {origin or 'none'}",
    ])  # fmt: skip
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _runtime(attempt: ScormAttempt, origin: str) -> str:
    """Return the shim: CrossFrameAPI + the attempt's CMI data as its first cache."""
    seed = json.dumps(seed_values(attempt), ensure_ascii=False).replace("</", "<\\/")
    target = json.dumps(origin or "*")
    return (
        f"{_cross_frame_api()}\n(function () {{\n"
        f"  var api = new CrossFrameAPI({target}, window.top, {{timeout: 15000}});\n"
        f"  var seed = {seed};\n"
        "  Object.keys(seed).forEach(function (k) { api._cache.set(k, seed[k]); });\n"
        "  window.API = api;\n  window.API_1484_11 = api;\n})();\n"
    )


def seed_values(attempt: ScormAttempt) -> dict[str, str]:
    """Return the CMI values the runtime knows before the SCO asks (flattened)."""
    learner = attempt.user
    item = launchable(attempt.package, attempt.sco)
    values = cmidata.flatten(attempt.cmi or {})
    if edition(attempt.package) == "1.2":
        values.update({
            "cmi.core.student_id": str(learner.id),
            "cmi.core.student_name": learner.name,
            "cmi.core.entry": entry(attempt),
            "cmi.core.credit": "credit",
            "cmi.core.lesson_mode": "normal",
            "cmi.launch_data": item.launch_data,
        })  # fmt: skip
        values.setdefault("cmi.core.lesson_status", "not attempted")
    else:
        values.update({
            "cmi.learner_id": str(learner.id),
            "cmi.learner_name": learner.name,
            "cmi.entry": entry(attempt),
            "cmi.credit": "credit",
            "cmi.mode": "normal",
            "cmi.launch_data": item.launch_data,
        })  # fmt: skip
        values.setdefault("cmi.completion_status", "unknown")
    return values


@functools.cache
def _cross_frame_api() -> str:
    path = os.path.join(
        current_app.static_folder, "vendor", "scorm-again", "cross-frame-api.min.js"
    )
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def launch_path(attempt: ScormAttempt) -> str:
    """Return the launch page (with its query) of an attempt's SCO."""
    return launchable(attempt.package, attempt.sco).href
