"""The one place form posts catch input errors, to show them inline on the form."""

from flask import flash
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from qti import QtiError
from repo_server.errors import Conflict, Invalid, Unauthorized
from repo_server.extensions import db

#: Errors that mean "fix the input": anything else (403, 404, 500) gets the error page.
INPUT_ERRORS = (ValidationError, QtiError, Invalid, Conflict, Unauthorized)
#: marshmallow's built-in English messages (by how they start) in the interface language.
SCHEMA_MESSAGES = {
    "Missing data for required field": _l("Bắt buộc."),
    "Field may not be null": _l("Bắt buộc."),
    "Shorter than minimum length 1.": _l("Bắt buộc."),
    "Not a valid integer": _l("Phải là một số nguyên."),
    "Not a valid email": _l("Địa chỉ email không hợp lệ."),
    "Must be one of": _l("Hãy chọn một giá trị trong danh sách."),
    "Must be greater than": _l("Giá trị nằm ngoài khoảng cho phép."),
    "Longer than maximum length": _l("Quá dài."),
    "String does not match expected pattern": _l("Sai định dạng."),
}


class FormErrors:
    """A ``with`` block that turns input errors into messages shown on the form."""

    # The block's ``return`` runs on success. On an input error the session is rolled
    # back (the service may have half-applied the input before failing) and the view
    # goes on to render the form again with these errors.

    def __init__(self):
        self.message: str | None = None
        self.fields: dict[str, list[str]] = {}

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback) -> bool:
        if exc is None or not isinstance(exc, INPUT_ERRORS):
            return False
        db.session.rollback()
        self.message, self.fields = describe(exc)
        return True

    def __bool__(self) -> bool:
        return self.message is not None

    def get(self, field: str) -> list[str]:
        """The messages about one field."""
        return self.fields.get(field, [])

    @property
    def status(self) -> int:
        """HTTP status of the page that shows the form: 422 when it has errors."""
        return 422 if self else 200

    def flash(self) -> None:
        """Show the message on the next page (for buttons that are not a whole form)."""
        if self:
            details = [
                m for ms in self.fields.values() for m in ms if m != self.message
            ]
            flash(" ".join([self.message, *details]), "error")


def describe(exc: Exception) -> tuple[str, dict[str, list[str]]]:
    """Return the overall message and the per-field messages of an input error."""
    if isinstance(exc, ValidationError):
        messages = (
            exc.messages if isinstance(exc.messages, dict) else {"_": exc.messages}
        )
        return _("Dữ liệu không hợp lệ."), flatten(messages)
    if isinstance(exc, QtiError):
        return exc.message, {exc.field or "item": [exc.message]}
    return exc.message, flatten(exc.fields)


def flatten(messages: dict) -> dict[str, list[str]]:
    """Turn marshmallow's nested messages into a list of strings per top-level field."""
    out = {}
    for field, value in messages.items():
        out[str(field)] = list(_strings(value))
    return out


def _strings(value):
    if isinstance(value, dict):
        for inner in value.values():
            yield from _strings(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from _strings(inner)
    else:
        yield schema_message(str(value))


def schema_message(message: str) -> str:
    """A marshmallow message in the interface language (ours are translated already)."""
    for start, translated in SCHEMA_MESSAGES.items():
        if message.startswith(start):
            return str(translated)
    return message


def filled(args: MultiDict) -> dict:
    """The query arguments that have a value (empty selects mean "any")."""
    return {key: value for key, value in args.items() if value.strip()}


def pick(form: MultiDict, *names: str) -> dict:
    """The named fields of a form (the CSRF token and buttons are not schema input)."""
    return {name: form.get(name, "") for name in names}


def or_none(value: str | None) -> str | None:
    """An empty form field as None."""
    value = (value or "").strip()
    return value or None


def split_tags(text: str | None) -> list[str]:
    """Comma-separated tags as a list (the schema trims and de-duplicates them)."""
    return [tag for tag in (part.strip() for part in (text or "").split(",")) if tag]
