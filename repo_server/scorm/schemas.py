"""Input and output of the SCORM endpoints."""

from marshmallow import EXCLUDE, Schema, fields, validate

from repo_server.common import LongText, Text


class LectureForm(Schema):
    """Metadata an import may set; what it leaves out comes from the manifest."""

    class Meta:
        unknown = EXCLUDE

    title = Text(load_default=None)
    description = LongText(load_default=None)
    subject = Text(max_length=64, load_default=None)
    grade = Text(max_length=64, load_default=None)
    topic = Text(max_length=64, load_default=None)
    language = fields.String(load_default=None, validate=validate.Regexp(r"^[a-z]{2}$"))
    licence = Text(max_length=64, load_default=None)


def dump_package(package) -> dict:
    """Return the JSON of a lecture's package: version, contents, warnings."""
    return {
        "id": package.id,
        "material_id": package.material_id,
        "version": package.version,
        "identifier": package.identifier,
        "toc": package.toc,
        "warnings": package.warnings,
        "file_count": package.file_count,
        "total_size": package.total_size,
    }
