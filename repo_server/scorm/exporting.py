"""Exports as SCORM packages: a lecture (material) or a selection of questions.

Registered as the formats ``scorm12`` and ``scorm2004`` of the exchange exports
(``POST /api/v1/exports``, ``repo-server export``): ``params["material"]`` picks a
lecture, otherwise the question filters pick the questions of one quiz SCO.
"""

import html
from typing import BinaryIO

from flask_babel import gettext as _
from sqlalchemy import select

import scorm
from qti.zipwriter import ZipWriter
from repo_server.backends import get_storage
from repo_server.errors import Invalid
from repo_server.exchange.media import ExportMedia
from repo_server.extensions import db
from repo_server.lifecycle import service as lifecycle
from repo_server.materials.models import Material
from repo_server.scorm.models import ScormFile, ScormPackage
from repo_server.taxonomy.models import Grade, Subject
from scorm.model import Asset, TocItem
from scorm.quiz import write_quiz_sco
from scorm.writer import write_manifest

#: Export format → SCORM edition written.
EDITIONS = {"scorm12": "1.2", "scorm2004": "2004"}
INDEX = "index.html"


def write_export(user, params: dict, fileobj: BinaryIO, progress) -> int:
    """Write the SCORM package an export asks for; return its SCOs or questions."""
    edition = EDITIONS[params["format"]]
    if params.get("material"):
        return write_lecture(user, int(params["material"]), edition, fileobj)
    from repo_server.exchange import service as exchange

    ids = exchange.question_ids(user, params)
    progress(0, len(ids))
    if not ids:
        raise Invalid(_("Không có câu hỏi nào khớp lựa chọn để đóng gói."))
    title = params.get("title") or _("Bài kiểm tra")
    meta, media = {"licence": "CC-BY-4.0"}, ExportMedia()
    entries = (
        (media.shown(item), extra) for item, extra in exchange.items_of(ids, progress)
    )
    return write_quiz_sco(
        entries, fileobj, edition, title, meta, media_opener=media.open
    )


def write_lecture(user, material_id: int, edition: str, fileobj: BinaryIO) -> int:
    """Write a lecture: an imported package as it came (its manifest rewritten only to
    change edition), else the material's files behind a generated launch page."""
    material = lifecycle.get_visible(Material, user, material_id)
    package = db.session.scalar(
        select(ScormPackage).where(ScormPackage.material_id == material.id)
    )
    with ZipWriter(fileobj) as archive:
        if package is None:
            return _write_files(material, edition, archive)
        return _write_package(material, package, edition, archive)


def lecture_meta(material: Material) -> dict:
    """Return the LOM metadata of a material (our taxonomy codes and names)."""
    meta = {
        "title": material.title,
        "description": material.description,
        "language": material.language or "vi",
        "licence": material.licence,
    }
    for key, model in (("subject", Subject), ("grade", Grade)):
        code = getattr(material, f"{key}_code")
        term = db.session.get(model, code) if code else None
        if term is not None:
            meta[key] = {"code": code, "name": term.name_vi}
    return meta


def _write_package(material, package: ScormPackage, edition: str, archive) -> int:
    files = db.session.scalars(
        select(ScormFile)
        .where(ScormFile.package_id == package.id)
        .order_by(ScormFile.id)
    )
    same = package.version.split()[0] == edition
    storage = get_storage()
    for row in files:
        if row.path == scorm.MANIFEST and not same:
            continue
        with storage.open(row.blob.storage_key) as stream:
            archive.write_stream(row.path, stream)
    if not same:
        archive.write(scorm.MANIFEST, _rewritten(material, package, edition))
    return sum(1 for item in scorm.walk(_toc(package)) if item.href)


def _toc(package: ScormPackage) -> tuple[TocItem, ...]:
    return tuple(TocItem.from_dict(item) for item in package.toc)


def _rewritten(material, package: ScormPackage, edition: str) -> bytes:
    """Return the package's manifest in the other edition (same items and files)."""
    row = db.session.scalar(
        select(ScormFile).where(
            ScormFile.package_id == package.id, ScormFile.path == scorm.MANIFEST
        )
    )
    with get_storage().open(row.blob.storage_key) as stream:
        original = scorm.read_manifest(stream.read())
    meta = {**original.meta, **lecture_meta(material)}
    return write_manifest(
        edition, package.identifier, material.title, original.toc,
        original.resources, meta,
    )  # fmt: skip


def _write_files(material, edition: str, archive) -> int:
    """A plain material: its files under ``files/`` and a launch page linking them."""
    storage, paths = get_storage(), []
    for number, row in enumerate(material.files):
        path = f"files/{number + 1}-{row.filename}"
        with storage.open(row.blob.storage_key) as stream:
            archive.write_stream(path, stream)
        paths.append((path, row.filename))
    archive.write(INDEX, _index_page(material, paths, edition))
    asset = Asset("RES-1", INDEX, "sco", (INDEX, *(p for p, _ in paths)))
    item = TocItem("ITEM-1", material.title, INDEX, "RES-1", "sco")
    manifest = write_manifest(
        edition, f"KHLS-{material.lineage_id or material.id}", material.title,
        (item,), (asset,), lecture_meta(material),
    )  # fmt: skip
    archive.write(scorm.MANIFEST, manifest)
    return 1


def _index_page(material, paths: list[tuple[str, str]], edition: str) -> bytes:
    """Return a launch page listing the files; opening it completes the lecture."""
    links = "".join(
        f'<li><a href="{html.escape(path)}">{html.escape(name)}</a></li>'
        for path, name in paths
    )
    if edition == "1.2":
        calls = ('a=f("API");if(a){a.LMSInitialize("");'
                 'a.LMSSetValue("cmi.core.lesson_status","completed");a.LMSCommit("");}'
                 'addEventListener("pagehide",function(){a&&a.LMSFinish("")});')  # fmt: skip
    else:
        calls = ('a=f("API_1484_11");if(a){a.Initialize("");'
                 'a.SetValue("cmi.completion_status","completed");a.Commit("");}'
                 'addEventListener("pagehide",function(){a&&a.Terminate("")});')  # fmt: skip
    finder = ("function f(n){var w=window;for(var i=0;w&&i<10;i++){try{if(w[n])return w[n]}"
              "catch(e){}if(w===w.parent)break;w=w.parent}return null}var a;")  # fmt: skip
    title = html.escape(material.title)
    return (
        f'<!doctype html><html lang="{html.escape(material.language or "vi")}"><head>'
        f'<meta charset="utf-8"><title>{title}</title><script>{finder}{calls}</script>'
        f"</head><body><h1>{title}</h1><p>{html.escape(material.description or '')}</p>"
        f"<ul>{links}</ul></body></html>"
    ).encode()
