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


class AttemptIn(Schema):
    """Which SCO (organisation item) to open."""

    sco = Text(required=True, max_length=255)


class CommitIn(Schema):
    """What the player's runtime commits: the CMI tree, and whether the SCO ended."""

    class Meta:
        unknown = EXCLUDE

    cmi = fields.Dict(required=True)
    finished = fields.Boolean(load_default=False)


def dump_attempt(attempt, content_url: str | None = None, seed=None) -> dict:
    """Return the JSON of an attempt (with its launch link for the player)."""
    data = {
        "id": attempt.id,
        "sco": attempt.sco,
        "number": attempt.number,
        "completion_status": attempt.completion_status,
        "success_status": attempt.success_status,
        "score_raw": attempt.score_raw,
        "score_max": attempt.score_max,
        "score_scaled": attempt.score_scaled,
        "location": attempt.location,
        "total_seconds": attempt.total_seconds,
        "finished": attempt.finished,
        "warnings": attempt.warnings or [],
        "updated_at": attempt.updated_at.isoformat() + "Z",
    }
    if content_url is not None:
        data["cmi"] = attempt.cmi or {}
        data["seed"] = seed or {}
        data["content_url"] = content_url
    return data


def dump_result(attempt) -> dict:
    """Return one row of a teacher's report: the learner and their attempt."""
    learner = attempt.user
    return {
        "learner": {"id": learner.id, "name": learner.name, "email": learner.email},
        **dump_attempt(attempt),
    }
