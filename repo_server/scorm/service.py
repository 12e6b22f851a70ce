"""SCORM lecture use cases: find a visible package, serve its files."""

from flask_babel import gettext as _
from sqlalchemy import select

from repo_server.errors import NotFound
from repo_server.extensions import db
from repo_server.lifecycle import service as lifecycle
from repo_server.materials.models import Material
from repo_server.scorm.models import ScormPackage


def get_package(user, material_id: int) -> ScormPackage:
    """Return the package of a lecture ``user`` may see, or NotFound."""
    material = lifecycle.get_visible(Material, user, material_id)
    package = db.session.scalar(
        select(ScormPackage).where(ScormPackage.material_id == material.id)
    )
    if package is None:
        raise NotFound(
            _("Học liệu #%(id)s không phải bài giảng SCORM.", id=material_id)
        )
    return package
