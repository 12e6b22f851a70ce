"""Web pages of a material's files: list with previews, upload with progress and resume."""

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from repo_server.accounts.service import current_user
from repo_server.files import service
from repo_server.files.checks import human_size
from repo_server.files.responses import send_material_file
from repo_server.files.schemas import preview_kind
from repo_server.web.blueprint import safe_next

bp = Blueprint("files", __name__)


@bp.before_request
def require_login():
    """Send anonymous visitors to the login form, as the other pages do."""
    if g.get("user") is None:
        return redirect(url_for("web.login", next=safe_next(request.full_path)))
    return None


@bp.app_template_filter("filesize")
def filesize(size: int) -> str:
    """Show a byte count as 2 GB, 8 MB, 512 KB."""
    return human_size(size)


@bp.get("/materials/<int:material_id>/files")
def material_files(material_id):
    """A material's files with previews; its author also gets the upload form."""
    user = current_user()
    material, rows = service.list_files(user, material_id)
    return render_template(
        "files/material_files.html",
        material=material,
        files=rows,
        can_edit=service.can_edit(user, material),
        preview_kind=preview_kind,
        upload=_upload_settings(material.id),
    )


@bp.get("/files/<int:file_id>")
def download(file_id):
    """Download a file, or show it inline with ``?inline=1`` (Range requests work)."""
    row = service.get_file(current_user(), file_id)
    return send_material_file(row, inline=request.args.get("inline") == "1")


def _upload_settings(material_id: int) -> dict:
    """What the upload script needs: URLs, sizes and its messages in the UI language."""
    config = current_app.config
    return {
        "materialId": material_id,
        "startUrl": url_for("api.start_upload"),
        "chunkSize": config["UPLOAD_CHUNK_BYTES"],
        "maxBytes": config["UPLOAD_MAX_BYTES"],
        "messages": {
            "waiting": _("Đang chờ…"),
            "uploading": _("Đang tải lên"),
            "retrying": _("Mất kết nối; thử lại sau %(s)s giây…", s="{s}"),
            "done": _("Đã tải lên xong."),
            "failed": _("Không tải lên được"),
            "tooLarge": _("Tệp vượt quá dung lượng tối đa (%(n)s).", n="{n}"),
            "resume": _(
                "Chưa xong: %(name)s (%(p)s%%). Chọn lại đúng tệp này để tải tiếp.",
                name="{name}",
                p="{p}",
            ),
            "confirmDelete": _("Xoá tệp này khỏi học liệu?"),
        },
    }
