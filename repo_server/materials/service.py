"""Material use cases: list, read, write, version and move through the lifecycle."""

from functools import partial

from repo_server.common import paginate
from repo_server.files import service as files
from repo_server.lifecycle import content
from repo_server.lifecycle import service as lifecycle
from repo_server.materials.models import Material
from repo_server.taxonomy.service import resolve, resolve_topic

SORTS = {
    "id": Material.id,
    "created_at": Material.created_at,
    "updated_at": Material.updated_at,
    "title": Material.title,
}
SNAPSHOT = (
    "title",
    "description",
    "kind",
    "subject_code",
    "grade_code",
    "topic_id",
    "series_code",
    "language",
    "licence",
    "tags",
)


def list_materials(user, args: dict):
    """Return (materials, total, page, per_page) visible to ``user`` for the filters."""
    conditions = [lifecycle.visible_filter(Material, user)]
    conditions += [column == value for column, value in _filters(args)]
    return paginate(Material, conditions, args, SORTS)


def _filters(args: dict):
    """Yield (column, value) pairs for the filters present in ``args``."""
    for key, column in (
        ("subject", Material.subject_code),
        ("grade", Material.grade_code),
        ("series", Material.series_code),
    ):
        if args.get(key):
            yield column, resolve(key, args[key])
    if args.get("topic"):
        yield Material.topic_id, resolve_topic(args["topic"], None, None).id
    simple = {
        "kind": Material.kind,
        "status": Material.status,
        "author": Material.author_id,
        "org": Material.org_id,
    }
    for key, column in simple.items():
        if args.get(key) is not None:
            yield column, args[key]


def apply_material(material: Material, data: dict) -> list[str]:
    """Validate ``data`` against the taxonomy; set it and return what changed."""
    before = {key: getattr(material, key) for key in SNAPSHOT}
    content.apply_taxonomy(material, data, resolve, resolve_topic)
    if "series" in data:
        material.series_code = resolve("series", data["series"])
    for key in ("title", "description", "kind", "language", "licence", "tags"):
        if key in data:
            setattr(material, key, data[key])
    return [key for key in SNAPSHOT if before[key] != getattr(material, key)]


KIND = content.ContentKind(
    "material",
    Material,
    apply_material,
    ("title", "description", "kind", "series_code", "language"),
    on_copy=files.copy_files,
    on_delete=files.release_files,
)
get_material = partial(lifecycle.get_visible, Material)
create_material = partial(content.create, KIND)
create_materials = partial(content.create_many, KIND)
update_material = partial(content.update, KIND)
delete_material = partial(content.delete_draft, KIND)
transition_material = partial(content.transition, KIND)
new_version = partial(content.new_version, KIND)
material_history = partial(content.versions_and_history, KIND)
