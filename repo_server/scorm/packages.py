"""A package follows its material: copied to a new version, released on delete."""

from sqlalchemy import delete, insert, literal, select

from repo_server.extensions import db
from repo_server.files import service as files
from repo_server.files.models import BLOB_USERS
from repo_server.scorm.models import ScormFile, ScormPackage

COPIED = ("version", "identifier", "toc", "warnings", "file_count", "total_size")
FILE_COLUMNS = ("path", "blob_sha256", "size", "content_type")


def copy_package(source, copy) -> None:
    """Give a new version of a lecture the package of ``source`` (same blobs)."""
    package = db.session.scalar(
        select(ScormPackage).where(ScormPackage.material_id == source.id)
    )
    if package is None:
        return
    twin = ScormPackage(material_id=copy.id, **{k: getattr(package, k) for k in COPIED})
    db.session.add(twin)
    db.session.flush()
    columns = [getattr(ScormFile, name) for name in FILE_COLUMNS]
    rows = select(literal(twin.id), *columns).where(ScormFile.package_id == package.id)
    db.session.execute(
        insert(ScormFile).from_select(["package_id", *FILE_COLUMNS], rows)
    )


def release_package(material) -> None:
    """Delete a lecture's package rows and the blobs only they used."""
    package = db.session.scalar(
        select(ScormPackage).where(ScormPackage.material_id == material.id)
    )
    if package is None:
        return
    shas = set(
        db.session.scalars(
            select(ScormFile.blob_sha256).where(ScormFile.package_id == package.id)
        )
    )
    db.session.execute(delete(ScormFile).where(ScormFile.package_id == package.id))
    db.session.flush()
    files.drop_unused_blobs(shas)


def register() -> None:
    """Make the files feature count package files as blob users, and follow materials."""
    from repo_server.exchange import service as exchange
    from repo_server.scorm.exporting import write_export

    if copy_package not in files.COPY_HOOKS:
        BLOB_USERS.append(ScormFile.blob_sha256)
        files.COPY_HOOKS.append(copy_package)
        files.RELEASE_HOOKS.append(release_package)
    for name in ("scorm12", "scorm2004"):
        exchange.WRITERS[name] = write_export
