"""What the pages of questions and materials share: services per kind and allowed moves."""

from types import SimpleNamespace

from repo_server.lifecycle.service import EDITABLE, TRANSITIONS, is_reviewer
from repo_server.materials import service as materials
from repo_server.questions import service as questions

#: The service functions and page names of each kind of content, by URL segment.
KINDS = {
    "questions": SimpleNamespace(
        transition=questions.transition_question,
        new_version=questions.new_version,
        delete=questions.delete_question,
        id_arg="question_id",
        detail="web.question_detail",
        edit="web.question_edit",
        listing="web.questions",
    ),
    "materials": SimpleNamespace(
        transition=materials.transition_material,
        new_version=materials.new_version,
        delete=materials.delete_material,
        id_arg="material_id",
        detail="web.material_detail",
        edit="web.material_edit",
        listing="web.materials",
    ),
}


def allowed_actions(user, item) -> list[str]:
    """The lifecycle moves ``user`` may make on ``item`` now (same rules as the service)."""
    out = []
    for action, (sources, _target, actor) in TRANSITIONS.items():
        if actor == "author":
            allowed = user.id == item.created_by_id
        else:
            allowed = is_reviewer(user, item)
        if item.status in sources and allowed:
            out.append(action)
    return out


def can_edit(user, item) -> bool:
    """Only the writer of a draft or returned version edits it."""
    return user.id == item.created_by_id and item.status in EDITABLE


def can_delete(user, item) -> bool:
    """A draft that was never submitted may be deleted by its writer."""
    return can_edit(user, item) and item.status == "draft"


def can_start_version(user, item) -> bool:
    """The author or a reviewer starts a new version of published content."""
    if item.status not in ("published", "archived") or user.role == "student":
        return False
    return user.id == item.author_id or is_reviewer(user, item)


def controls(user, item) -> dict:
    """Everything the detail page needs to show the buttons."""
    return {
        "actions": allowed_actions(user, item),
        "can_edit": can_edit(user, item),
        "can_delete": can_delete(user, item),
        "can_start_version": can_start_version(user, item),
    }
