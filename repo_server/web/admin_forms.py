"""The user and organisation forms: from a row or a post, and to the schema input."""

from werkzeug.datastructures import MultiDict

from repo_server.web.forms import or_none


def blank_user() -> dict:
    """The form of a new user."""
    return {
        "email": "",
        "name": "",
        "role": "teacher",
        "org_id": "",
        "password": "",
        "class_name": "",
        "grade": "",
        "subjects": [],
        "active": True,
        "locale": "vi",
    }


def user_state(user) -> dict:
    """The form filled from a stored user (the password stays empty)."""
    return {
        **blank_user(),
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "org_id": str(user.org_id),
        "class_name": user.class_name or "",
        "grade": user.grade_code or "",
        "subjects": user.subject_codes,
        "active": user.active,
        "locale": user.locale or "vi",
    }


def user_state_from_form(form: MultiDict) -> dict:
    """The form as the admin posted it."""
    state = {key: form.get(key, "") for key in blank_user()}
    state["subjects"] = form.getlist("subjects")
    state["active"] = form.get("active") == "1"
    state["password"] = ""  # never sent back to the browser
    return state


def user_input(form: MultiDict, new: bool) -> dict:
    """The UserIn input of a posted form; an empty password keeps the old one."""
    data = {key: form.get(key, "") for key in ("name", "role", "org_id", "locale")}
    data["class_name"] = or_none(form.get("class_name"))
    data["grade"] = or_none(form.get("grade"))
    data["subjects"] = form.getlist("subjects")
    data["active"] = form.get("active") == "1"
    if new:
        data["email"] = form.get("email", "")
    if new or form.get("password"):
        data["password"] = form.get("password", "")
    return data


def blank_organisation() -> dict:
    """The form of a new organisation."""
    return {"code": "", "name": "", "kind": "school", "parent_id": "", "levels": []}


def organisation_state(org) -> dict:
    """The form filled from a stored organisation."""
    return {
        "code": org.code,
        "name": org.name,
        "kind": org.kind,
        "parent_id": str(org.parent_id or ""),
        "levels": list(org.levels or []),
    }


def organisation_state_from_form(form: MultiDict) -> dict:
    """The form as the admin posted it."""
    state = {key: form.get(key, "") for key in ("code", "name", "kind", "parent_id")}
    return {**state, "levels": form.getlist("levels")}


def organisation_input(state: dict) -> dict:
    """The OrganisationIn input of the form's fields."""
    return {**state, "parent_id": or_none(state["parent_id"])}
