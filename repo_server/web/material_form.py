"""The material form's fields: from a material or a post, and to the MaterialIn input."""

from werkzeug.datastructures import MultiDict

from repo_server.web.forms import or_none, split_tags

TEXT_FIELDS = ("title", "description", "kind", "language", "licence")
TAXONOMY_FIELDS = ("subject", "grade", "topic", "series")


def blank_state() -> dict:
    """The form of a new material."""
    state = {key: "" for key in (*TEXT_FIELDS, *TAXONOMY_FIELDS, "tags")}
    return {**state, "kind": "lecture", "language": "vi", "licence": "CC-BY-4.0"}


def state_from_material(material) -> dict:
    """The form filled from a stored material."""
    return {
        **{key: getattr(material, key) or "" for key in TEXT_FIELDS},
        "subject": material.subject_code or "",
        "grade": material.grade_code or "",
        "topic": material.topic.code if material.topic else "",
        "series": material.series_code or "",
        "tags": ", ".join(material.tags or []),
    }


def state_from_form(form: MultiDict) -> dict:
    """The form as the author posted it."""
    return {key: form.get(key, "") for key in blank_state()}


def material_input(state: dict) -> dict:
    """The MaterialIn input of the form's fields."""
    data = {key: state[key] for key in TEXT_FIELDS}
    data.update({key: or_none(state[key]) for key in TAXONOMY_FIELDS})
    data["licence"] = data["licence"] or "CC-BY-4.0"
    data["tags"] = split_tags(state["tags"])
    return data
