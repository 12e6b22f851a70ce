"""JSON endpoints of imports: upload, preview, fix, commit, discard, originals, pictures."""

from flask import current_app, request

from importers.template import template_docx
from repo_server.accounts.service import current_user
from repo_server.api import bp, json_body
from repo_server.imports import files, service
from repo_server.imports.schemas import ImportForm, ImportPatchIn, dump_import

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.post("/imports")
def import_files():
    """Upload question files (multipart ``files``): a preview, or imported at once."""
    user = current_user()
    uploads = [(f.filename or "file", f.stream) for f in request.files.getlist("files")]
    form = ImportForm().load(request.form)
    if form["dry_run"]:
        record = service.start_import(user, uploads, form, dry_run=True)
        return {**dump_import_unsaved(record), "dry_run": True}, 200
    if form["preview"]:
        return dump_import(service.start_import(user, uploads, form)), 201
    record = service.commit_all(user, uploads, form)
    return dump_import(record), 201 if record.question_ids else 200


def dump_import_unsaved(record) -> dict:
    """The preview of a dry run (no id, no stored files)."""
    return {
        "entries": record.entries,
        "skipped": record.skipped,
        "readable": len(record.entries),
    }


@bp.get("/imports")
def list_imports():
    """The caller's latest imports."""
    records = service.list_imports(current_user())
    return {"items": [dump_import(r, entries=False) for r in records]}


@bp.get("/imports/<int:import_id>")
def get_import(import_id):
    """One import with every previewed question."""
    return dump_import(service.get_import(current_user(), import_id))


@bp.patch("/imports/<int:import_id>")
def update_import(import_id):
    """Fix, select or deselect previewed questions."""
    changes = ImportPatchIn().load(json_body())["entries"]
    return dump_import(service.update_entries(current_user(), import_id, changes))


@bp.post("/imports/<int:import_id>/commit")
def commit_import(import_id):
    """Create the selected questions as drafts (all or none)."""
    return dump_import(service.commit_import(current_user(), import_id))


@bp.delete("/imports/<int:import_id>")
def discard_import(import_id):
    """Discard a preview and its originals."""
    return dump_import(service.discard_import(current_user(), import_id))


@bp.get("/imports/<int:import_id>/files/<int:number>")
def download_import_file(import_id, number):
    """Download one original file of an import."""
    return files.send_original(current_user(), import_id, number)


@bp.get("/imports/template.docx")
def import_template():
    """The Word template of the accepted layouts."""
    current_user()
    response = current_app.response_class(template_docx(), mimetype=DOCX)
    response.headers["Content-Disposition"] = (
        "attachment; filename=mau-nhap-cau-hoi.docx"
    )
    return response
